"""The week view (``crm.week``): a person's own open deals of the coming 7 days, per day.
Reads (owner_id, status, next_action_on) as the Today list does: one range per person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import func, select

from ..catalog import StageKind
from ..deals import Deal
from ..timeutil import local_today
from ..users import User

if TYPE_CHECKING:
    from ..crm import Crm

WEEK_DAYS = 7
WEEK_LOADED = 200  # deals loaded in full; the counts per day are exact anyway


class WeekDeal(NamedTuple):
    id: int
    title: str
    client_name: str | None
    company: str | None
    next_action_on: dt.date
    next_action_time: dt.time | None


@dataclass
class WeekView:
    start: dt.date
    counts: dict[dt.date, int] = field(default_factory=dict)
    deals: list[WeekDeal] = field(default_factory=list)

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range(WEEK_DAYS)]

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=WEEK_DAYS - 1)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Week:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    async def view(self, user: User) -> WeekView:
        start = local_today(self.crm.clock(), user.timezone)
        end = start + dt.timedelta(days=WEEK_DAYS - 1)
        where = (
            Deal.owner_id == user.id,
            Deal.status == StageKind.open,
            Deal.next_action_on >= start,
            Deal.next_action_on <= end,
            Deal.deleted_at.is_(None),
        )
        view = WeekView(start)
        for day, count in await self.session.execute(
            select(Deal.next_action_on, func.count()).where(*where).group_by(Deal.next_action_on)
        ):
            if day is not None:
                view.counts[day] = int(count)
        if not view.counts:
            return view
        rows = await self.session.execute(
            select(
                Deal.id,
                Deal.title,
                Deal.client_name,
                Deal.company,
                Deal.next_action_on,
                Deal.next_action_time,
            )
            .where(*where)
            .order_by(Deal.next_action_on, Deal.next_action_time.asc().nulls_last(), Deal.id)
            .limit(WEEK_LOADED)
        )
        view.deals = [WeekDeal(*row) for row in rows]  # type: ignore[arg-type]  # dated rows
        return view
