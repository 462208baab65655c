"""Stale deals (``crm.staleness``): the per-stage limits an admin edits, and the stale deals of
many people at once for the morning digest and the lead's summary.

Why a ``last_contact_at`` column and not a MAX over notes and events at read time: a list
query would have to aggregate the event log of every open deal of its owners (tens of
thousands of rows at 100,000 deals); the column is written by the same UPDATE that bumps the
deal on a note or a stage move (no extra statement), and (owner_id, status, last_contact_at)
gives the few stale deals of a batch of owners as one index range each."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import and_, func, or_, select

from ..catalog import Stage, StageKind
from ..deals import Deal
from ..errors import AccessDenied, InvalidInput, NotFound
from ..roles import Role
from ..sql import AnySelect
from ..staleness import MAX_STALE_DAYS, MIN_STALE_DAYS, contact_day, cutoff
from ..timeutil import local_today
from ..users import User
from .sent_log import chunks

if TYPE_CHECKING:
    from ..crm import Crm
    from .reminder_items import DueList, Recipient, ZoneSlot

OFF_WORDS = frozenset({"off", "выкл", "выключить", "нет", "0ff", "-"})
STALE_LIST_LIMIT = 10  # deals listed per person (counts are exact)


class StaleDeal(NamedTuple):
    id: int
    title: str
    owner_id: int
    days: int  # days without contact


@dataclass
class StaleList:
    total: int = 0
    deals: list[StaleDeal] = field(default_factory=list)  # the longest silent first


def parse_limit(text: str) -> int | None:
    """A typed limit: 1..365 days, or "off" (None). Anything else is refused."""
    value = (text or "").strip().lower()
    if value in OFF_WORDS:
        return None
    if not value.isdigit() or len(value) > 6:
        raise InvalidInput("stale.bad_limit", text=value[:20])
    days = int(value)
    if not MIN_STALE_DAYS <= days <= MAX_STALE_DAYS:
        raise InvalidInput("stale.bad_limit", text=value[:20])
    return days


def stale_stmt(owner_ids: Sequence[int], cutoffs: dict[int, dt.datetime]) -> AnySelect:
    """Open deals of these owners whose last contact is before their stage's cutoff: one
    range of (owner_id, status, last_contact_at) per owner, narrowed per stage."""
    per_stage = or_(
        *(
            and_(Deal.stage_id == sid, Deal.last_contact_at < moment)
            for sid, moment in cutoffs.items()
        )
    )
    return select(Deal.id, Deal.title, Deal.owner_id, Deal.last_contact_at).where(
        Deal.owner_id.in_(owner_ids),
        Deal.status == StageKind.open,
        Deal.last_contact_at < max(cutoffs.values()),
        per_stage,
        Deal.deleted_at.is_(None),
    )


class Staleness:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    # -- limits --------------------------------------------------------------------------------
    async def stages(self) -> list[Stage]:
        """Stages with a limit to set: the open ones (won / lost / paused never go stale)."""
        rows = await self.session.scalars(
            select(Stage)
            .where(Stage.kind == StageKind.open, Stage.is_archived.is_(False))
            .order_by(Stage.pipeline_id.is_not(None), Stage.pipeline_id, Stage.position)
        )
        return list(rows)

    async def stage(self, actor: User, stage_id: int) -> Stage:
        if actor.role is not Role.admin:
            raise AccessDenied("stale.admins_only")
        stage = await self.session.get(Stage, stage_id)
        if stage is None or stage.is_archived or stage.kind is not StageKind.open:
            raise NotFound("stage.gone")
        return stage

    async def set_limit(self, actor: User, stage_id: int, days: int | None) -> Stage:
        stage = await self.stage(actor, stage_id)
        if days is not None and not MIN_STALE_DAYS <= days <= MAX_STALE_DAYS:
            raise InvalidInput("stale.bad_limit", text=str(days))
        stage.stale_days = days
        await self.session.flush()
        return stage

    async def team(self, lead: User, now: dt.datetime) -> tuple[StaleList, dict[int, str]]:
        """The stale deals of the lead's team (the lead's own too), each in its owner's
        calendar: the exact count and the longest silent first; with the owners' names."""
        where = User.id == lead.id
        if lead.team_id is not None:
            where = or_(where, User.team_id == lead.team_id)
        members = list(
            await self.session.execute(
                select(User.id, User.email, User.full_name, User.timezone).where(where)
            )
        )
        names = {uid: email or name for uid, email, name, _ in members}
        people = [(uid, local_today(now, zone), zone) for uid, _, _, zone in members]
        per_owner = await self.for_owners(people, limit=STALE_LIST_LIMIT)
        deals = sorted(
            (d for stale in per_owner.values() for d in stale.deals), key=lambda d: (-d.days, d.id)
        )
        total = sum(stale.total for stale in per_owner.values())
        return StaleList(total, deals[:STALE_LIST_LIMIT]), names

    # -- stale deals ---------------------------------------------------------------------------
    async def _limits(self) -> dict[int, int]:
        rows = await self.session.execute(
            select(Stage.id, Stage.stale_days).where(
                Stage.kind == StageKind.open, Stage.stale_days.is_not(None)
            )
        )
        return {stage_id: days for stage_id, days in rows if days is not None}

    async def for_owners(
        self,
        people: Sequence[tuple[int, dt.date, str]],
        *,
        limit: int = STALE_LIST_LIMIT,
    ) -> dict[int, StaleList]:
        """(owner id, local today, time zone) -> their stale deals; people without any are
        absent. One statement per (day, zone) and batch of owners."""
        limits = await self._limits()
        if not limits or not people:
            return {}
        groups: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
        for owner_id, today, zone in people:
            groups[(today, zone)].append(owner_id)
        found: dict[int, list[StaleDeal]] = defaultdict(list)
        for (today, zone), owner_ids in groups.items():
            cutoffs = {sid: cutoff(today, days, zone) for sid, days in limits.items()}
            for part in chunks(owner_ids):
                rows = await self.session.execute(stale_stmt(part, cutoffs))
                for deal_id, title, owner_id, last in rows:
                    if last is None:
                        continue
                    days = (today - contact_day(last, zone)).days
                    found[owner_id].append(StaleDeal(deal_id, title, owner_id, days))
        result = {}
        for owner_id, deals in found.items():
            deals.sort(key=lambda d: (-d.days, d.id))
            result[owner_id] = StaleList(len(deals), deals[:limit])
        return result

    async def counts(self, people: Sequence[tuple[int, dt.date, str]]) -> dict[int, int]:
        """(owner id, local today, time zone) -> how many stale deals (those with any): the
        same ranges as ``for_owners``, counted in SQL (a report needs no titles)."""
        limits = await self._limits()
        if not limits or not people:
            return {}
        groups: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
        for owner_id, today, zone in people:
            groups[(today, zone)].append(owner_id)
        found: dict[int, int] = {}
        for (today, zone), owner_ids in groups.items():
            cutoffs = {sid: cutoff(today, days, zone) for sid, days in limits.items()}
            for part in chunks(owner_ids):
                stmt = stale_stmt(part, cutoffs).with_only_columns(
                    Deal.owner_id, func.count(Deal.id)
                )
                for owner_id, count in await self.session.execute(stmt.group_by(Deal.owner_id)):
                    found[owner_id] = int(count)
        return found


async def stale_for_digest(
    crm: Crm,
    kind: object,
    people: Sequence[tuple[Recipient, ZoneSlot]],
    lists: dict[int, DueList],
) -> dict[int, StaleList]:
    """The stale deals the morning digest lists (the follow-up does not); a person with
    stale deals and nothing due still gets a digest (an empty due list is added)."""
    from .reminder_items import Daily, DueList

    if kind is not Daily.digest:
        return {}
    stale = await crm.staleness.for_owners([(p.id, slot.day, p.timezone) for p, slot in people])
    for person, slot in people:
        if person.id in stale and person.id not in lists:
            lists[person.id] = DueList(slot.day)
    return stale
