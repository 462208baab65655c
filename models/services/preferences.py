"""A user's own settings: digest time, summary time (leads), time zone, work days."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select

from ..catalog import StageKind
from ..deals import Deal
from ..errors import AccessDenied, InvalidInput
from ..roles import Role
from ..timeutil import to_utc
from ..users import User

if TYPE_CHECKING:
    from ..crm import Crm

# Offered as buttons (Russia west to east, then the usual foreign offices); any other IANA
# zone may be typed.
COMMON_TIMEZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
)


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def resolve_timezone(text: str) -> str | None:
    """The canonical IANA name for what a user typed ("europe/moscow" too), else None."""
    name = (text or "").strip().replace(" ", "_")
    if not name or len(name) > 64:
        return None
    canonical = _zones_by_lower_name().get(name.lower())
    if canonical is None:
        return None
    try:
        ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return canonical


def receives_summary(user: User) -> bool:
    return user.role is Role.lead


class Preferences:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    async def set_digest_time(self, user: User, at: dt.time) -> None:
        user.digest_time = at.replace(second=0, microsecond=0)
        await self.session.flush()

    async def set_summary_time(self, user: User, at: dt.time) -> None:
        if not receives_summary(user):
            raise AccessDenied("settings.summary_leads_only")
        user.summary_time = at.replace(second=0, microsecond=0)
        await self.session.flush()

    async def set_timezone(self, user: User, text: str) -> str:
        """Validate and save; timed next steps keep their local wall-clock time."""
        zone = resolve_timezone(text)
        if zone is None:
            raise InvalidInput("settings.bad_timezone", zone=text.strip()[:64])
        if zone == user.timezone:
            return zone
        user.timezone = zone
        # A reminder "at 15:00" means 15:00 where the owner is: recompute its UTC instant.
        deals = await self.session.scalars(
            select(Deal).where(
                Deal.owner_id == user.id,
                Deal.status == StageKind.open,
                Deal.deleted_at.is_(None),
                Deal.next_action_on.is_not(None),
                Deal.next_action_time.is_not(None),
            )
        )
        for deal in deals:
            assert deal.next_action_on is not None and deal.next_action_time is not None
            deal.next_action_at = to_utc(deal.next_action_on, deal.next_action_time, zone)
        await self.session.flush()
        return zone

    async def toggle_work_day(self, user: User, weekday: int) -> str:
        if not 1 <= weekday <= 7:
            raise InvalidInput("settings.bad_day")
        days = set(user.work_days)
        days ^= {str(weekday)}
        return await self.set_work_days(user, {int(d) for d in days})

    async def set_work_days(self, user: User, days: set[int]) -> str:
        if not days:
            raise InvalidInput("settings.no_work_days")
        if not days <= set(range(1, 8)):
            raise InvalidInput("settings.bad_day")
        user.work_days = "".join(str(d) for d in sorted(days))
        await self.session.flush()
        return user.work_days
