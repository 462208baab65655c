"""The evening nudge: once a day, at a local evening time (``EVENING_NUDGE_TIME``, 18:00 by
default) on a person's work days, a person with open deals without a next step is told how
many (the handbook: always get a date for the next step). Nobody with none is told anything.

Exactly once per person and local day, across restarts and several processes: the message
goes through the sent-log under ``nudge:<user>:<local date>`` (claimed at its send slot by
the Sender). A day whose evening was missed entirely (the scheduler down until after
``NUDGE_UNTIL``) gets no late nudge: tomorrow's digest asks again."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import String, and_, cast, exists, false, literal, or_, select

from ..deals import Deal
from ..notifications import SentNotification
from ..users import User
from .outcomes import Outcomes, without_next_step
from .reminder_items import Recipient, ZoneSlot
from .reminder_queries import zone_slots, zones_stmt

if TYPE_CHECKING:
    from ..crm import Crm

NUDGE_UNTIL = dt.time(22, 0)  # local: no nudge later in the evening than this
KIND = "nudge"


def nudge_key(user_id: int, day: dt.date) -> str:
    return f"{KIND}:{user_id}:{day.isoformat()}"


class Nudges:
    def __init__(self, crm: Crm) -> None:
        self.crm = crm
        self.session = crm.session

    async def due(self, now: dt.datetime, at: dt.time) -> list[tuple[Recipient, ZoneSlot, int]]:
        """People to nudge at ``now``: their local time is between ``at`` and
        ``NUDGE_UNTIL`` on a work day, no nudge recorded today, and at least one open deal
        without a next step (with the count)."""
        zones = list(await self.session.scalars(zones_stmt()))
        slots = [s for s in zone_slots(zones, now) if at <= s.time < NUDGE_UNTIL]
        if not slots:
            return []
        clauses = []
        for slot in slots:
            key = literal(f"{KIND}:") + cast(User.id, String) + literal(f":{slot.day}")
            clauses.append(
                and_(
                    User.timezone == slot.timezone,
                    User.work_days.contains(str(slot.weekday)),
                    ~exists().where(SentNotification.key == key),
                )
            )
        has_work = exists().where(Deal.owner_id == User.id, *without_next_step())
        rows = await self.session.execute(
            select(
                User.id,
                User.telegram_id,
                User.full_name,
                User.email,
                User.username,
                User.language,
                User.timezone,
                User.work_days,
            )
            .where(
                User.is_active.is_(True),
                User.is_reachable.is_(True),
                or_(*clauses) if clauses else false(),
                has_work,
            )
            .order_by(User.id)
        )
        people = [Recipient(*row) for row in rows]
        counts = await Outcomes(self.crm).no_next_counts([p.id for p in people])
        by_zone = {s.timezone: s for s in slots}
        return [(p, by_zone[p.timezone], counts[p.id]) for p in people if counts.get(p.id)]
