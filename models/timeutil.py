"""Local dates and times of users: "today" is the user's today, in the user's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def local_now(now_utc: dt.datetime, timezone: str) -> dt.datetime:
    return now_utc.astimezone(ZoneInfo(timezone))


def local_today(now_utc: dt.datetime, timezone: str) -> dt.date:
    return local_now(now_utc, timezone).date()


def to_utc(day: dt.date, at: dt.time, timezone: str) -> dt.datetime:
    """The UTC instant of a local wall-clock time (DST gaps resolve forward, as zoneinfo does)."""
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)
