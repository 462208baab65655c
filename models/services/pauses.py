"""Pauses with a return date: a paused deal keeps the day it comes back on in
``next_action_on`` (the handbook: "paused — not to be abused"; a pause is never a silent
exit from every list). On that day (the owner's local date) the scheduler puts the deal back
to work at the stage it was paused from, due today, so it is in Today and the digest, and
the owner is told (sent-log key ``resume:<deal>:<return date>``: once).

A paused deal without a return date (the question left unanswered) is on the "no next step"
list (models/services/outcomes.py) until it gets one."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..access import visible_deals
from ..catalog import Stage, StageKind
from ..deals import Deal, DealEvent, EventKind
from ..errors import InvalidInput
from ..timeutil import local_today
from ..users import User
from .deals import next_action_values
from .stage_moves import fmt_next, stage_ref

if TYPE_CHECKING:
    from ..crm import Crm

RESUME_BATCH = 200
MAX_PAUSE_DAYS = 366 * 2


def resume_key(deal_id: int, day: dt.date) -> str:
    return f"resume:{deal_id}:{day.isoformat()}"


def plus_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Resumed:
    deal_id: int
    title: str
    owner_id: int
    telegram_id: int
    language: str
    day: dt.date  # the return date it was paused until


@dataclass(frozen=True)
class PauseStats:
    paused: int = 0
    longest_days: int = 0  # since the longest-paused deal was paused
    longest_deal_id: int | None = None


class Pauses:
    def __init__(self, crm: Crm) -> None:
        self.crm = crm
        self.session = crm.session
        self.deals = crm.deals

    async def set_until(self, actor: User, deal: Deal, day: dt.date) -> bool:
        """The return date of a paused deal: after today (a past day or today is refused)
        and within two years. False when it was that day already (a double tap)."""
        if deal.status is not StageKind.paused:
            raise InvalidInput("pause.not_paused")
        today = local_today(self.crm.clock(), deal.owner.timezone)
        if day <= today:
            raise InvalidInput("pause.past")
        if (day - today).days > MAX_PAUSE_DAYS:
            raise InvalidInput("pause.too_far")
        if day == deal.next_action_on:
            return False
        event = self.deals.event(
            deal,
            actor,
            EventKind.next_action,
            old=fmt_next(deal.next_action_on, deal.next_action_time),
            new=fmt_next(day, None),
        )
        await self.deals.write(deal, next_action_values(day, None, deal.owner), [event])
        return True

    # -- the return ----------------------------------------------------------------------------
    async def due_returns(self, now: dt.datetime) -> list[int]:
        """Paused deals whose return date has come in their owner's time zone."""
        # Every zone's local date is at most one day after the UTC date: a cheap bound first.
        bound = now.date() + dt.timedelta(days=1)
        rows = await self.session.execute(
            select(Deal.id, Deal.next_action_on, User.timezone)
            .join(User, User.id == Deal.owner_id)
            .where(
                Deal.status == StageKind.paused,
                Deal.next_action_on <= bound,
                Deal.deleted_at.is_(None),
            )
            .order_by(Deal.id)
            .limit(RESUME_BATCH)
        )
        return [
            deal_id
            for deal_id, day, zone in rows
            if day is not None and day <= local_today(now, zone)
        ]

    async def resume(self, deal_id: int) -> Resumed | None:
        """Put a paused deal whose day has come back to work (the stage it was paused from,
        due today); None when it is no longer due (resumed, re-dated, closed meanwhile)."""
        deal = self.deals._loaded.get(deal_id) or await self.deals._load(deal_id, None)
        if deal is None or deal.status is not StageKind.paused or deal.next_action_on is None:
            return None
        today = local_today(self.crm.clock(), deal.owner.timezone)
        if deal.next_action_on > today or deal.deleted_at is not None:
            return None
        stage = await self._stage_before_pause(deal)
        day = deal.next_action_on
        events = [
            self.deals.event(
                deal, None, EventKind.stage, old=stage_ref(deal.stage), new=stage_ref(stage)
            ),
            self.deals.event(
                deal,
                None,
                EventKind.next_action,
                old=fmt_next(day, None),
                new=fmt_next(today, None),
            ),
        ]
        if deal.reason is not None:
            events.append(
                self.deals.event(deal, None, EventKind.field, field="reason", old=deal.reason)
            )
        changes = {
            "stage_id": stage.id,
            "status": stage.kind,
            "reason": None,
            "closed_at": None,
            **next_action_values(today, None, deal.owner),
        }
        await self.deals.write(deal, changes, events, stage=stage)
        owner = deal.owner
        return Resumed(deal.id, deal.title, owner.id, owner.telegram_id, owner.language, day)

    async def _stage_before_pause(self, deal: Deal) -> Stage:
        """The open stage the deal was on before its pause (its last stage event), else the
        pipeline's first open stage."""
        stages = [s for s in await self.deals.stages_of(deal.pipeline_id) if not s.is_archived]
        opened = [s for s in stages if s.kind is StageKind.open]
        before = await self.session.scalar(
            select(DealEvent.old)
            .where(
                DealEvent.deal_id == deal.id,
                DealEvent.kind == EventKind.stage,
                DealEvent.new == stage_ref(deal.stage),
            )
            .order_by(DealEvent.at.desc(), DealEvent.id.desc())
            .limit(1)
        )
        for stage in opened:
            if before is not None and stage_ref(stage) == before:
                return stage
        if not opened:
            raise InvalidInput("pause.no_open_stage")
        return opened[0]

    # -- counts ----------------------------------------------------------------------------
    async def stats(self, viewer: User, owner_ids: list[int] | None = None) -> PauseStats:
        """How many deals ``viewer`` sees are paused (of ``owner_ids``, when given) and the
        longest pause so far (since its last move to a paused stage)."""
        where = [visible_deals(viewer), Deal.status == StageKind.paused, Deal.deleted_at.is_(None)]
        if owner_ids is not None:
            where.append(Deal.owner_id.in_(owner_ids))
        paused = int(await self.session.scalar(select(func.count(Deal.id)).where(*where)) or 0)
        if not paused:
            return PauseStats()
        since = (
            select(DealEvent.deal_id, func.max(DealEvent.at).label("at"))
            .join(Deal, Deal.id == DealEvent.deal_id)
            .where(*where, DealEvent.kind == EventKind.stage)
            .group_by(DealEvent.deal_id)
            .subquery()
        )
        row = (
            await self.session.execute(
                select(since.c.deal_id, since.c.at).order_by(since.c.at, since.c.deal_id).limit(1)
            )
        ).first()
        if row is None:
            return PauseStats(paused)
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC)
        days = (
            local_today(self.crm.clock(), viewer.timezone) - local_today(at, viewer.timezone)
        ).days
        return PauseStats(paused, max(days, 0), row.deal_id)
