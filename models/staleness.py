"""Stale deals: an open deal whose last contact with the client (a note or a stage move) is
more days ago than its stage allows.

Defaults per stage of the handbook's sales process, in calendar days of the viewer:

* a fresh request (``contacts``) goes cold fastest: 3 days;
* gathering requirements, sending the portfolio: 5 (the client answers within a work week);
* a commercial proposal sent, a presentation: 7 (a week to read and decide, then call);
* objections: 10; contract talks (``closing``): 14 (lawyers and budgets take time, but two
  silent weeks at the finish line lose the deal);
* won, lost, paused: none (nothing to chase; a paused deal has its own return date).

An admin changes them in the chat (/stale): 1..365 days, or off. "Days without contact" is the
count of local calendar days since the day of the last contact; the deal is stale when it is
greater than the limit (limit 3: contact on Monday, stale from Friday)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .catalog import StageKind

DEFAULT_STALE_DAYS: dict[str, int] = {
    "contacts": 3,
    "requirements": 5,
    "portfolio": 5,
    "proposal": 7,
    "presentation": 7,
    "objections": 10,
    "closing": 14,
}
MIN_STALE_DAYS = 1
MAX_STALE_DAYS = 365


def contact_day(moment: dt.datetime, timezone: str) -> dt.date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC through Core rows
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(ZoneInfo(timezone)).date()


def days_stale(
    status: StageKind,
    stale_days: int | None,
    last_contact_at: dt.datetime | None,
    today: dt.date,
    timezone: str,
) -> int | None:
    """Days without contact when the deal is past its stage's limit, else None."""
    if status is not StageKind.open or stale_days is None or last_contact_at is None:
        return None
    days = (today - contact_day(last_contact_at, timezone)).days
    return days if days > stale_days else None


def cutoff(today: dt.date, stale_days: int, timezone: str) -> dt.datetime:
    """The UTC instant before which a last contact makes a deal stale on ``today``: the start
    of the local day ``today - stale_days``."""
    day = today - dt.timedelta(days=stale_days)
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)
