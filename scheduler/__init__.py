"""Scheduled work: reminders, digests and summaries (APScheduler 3, UTC inside)."""

from .setup import start_scheduler, stop_scheduler

__all__ = ["start_scheduler", "stop_scheduler"]
