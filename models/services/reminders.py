"""What is due right now, and the sent-log that makes every proactive message go out at most
once: ``crm.reminders``.

The scheduler's scan walks indexes only, never the whole deals table:

* daily messages (digest, follow-up, the leads' escalation check) start from the users table
  (small: one row per person) filtered per time zone by the local wall clock, minus the users
  whose key for the local date is already in the sent-log (a probe of its unique index);
* their deals come from ``ix_deals_owner_status_next`` (owner_id, status, next_action_on),
  batched over many owners per statement, never one query per user;
* timed reminders come from a range of ``ix_deals_next_action_at``.

Every statement is built by a ``*_stmt`` function so ``EXPLAIN QUERY PLAN`` can be printed
(see :func:`explain_statements`).

Keys (``SentNotification.key``, unique):

* ``digest:<user>:<local date>`` / ``followup:<user>:<local date>`` / ``escalations:<lead>:
  <local date>``: the day's decision for one person. When nothing is due the key is recorded
  anyway (a *decision marker*, ``sent_at`` = ``created_at``): a deal dated today later that
  day must not trigger a late "morning" digest, and later scans skip the person cheaply;
* ``remind:<deal>:<next_action_at ISO>``: a moved date gives a new key, so the deal is
  reminded at the new time only;
* ``escalate:<deal>:<next_action_on>``: a deal is reported to the lead once per overdue date;
* ``blocked:<user>:<UTC date>``: an admin is told once that a person cannot be reached.

A row's life (``bot.sender``): claimed and handed (``handed_at``) in one transaction at the
send slot -> ``sent_at`` when Telegram accepted; a 429 clears ``handed_at`` while it waits; a
failure or a shutdown deletes the row. At start-up (:meth:`Reminders.recover_claims`) a row
never handed is deleted (the scan sends it) and a row handed but unconfirmed gets
``reported_at`` (logged once as possibly not delivered, never sent again).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    cast,
    exists,
    false,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.visitors import InternalTraversal

from ..absence import Absence
from ..catalog import StageKind
from ..deals import Deal, EventKind
from ..errors import InvalidInput
from ..notifications import SentNotification
from ..sql import AnySelect
from ..timeutil import local_now
from ..users import Team, User
from .deals import next_action_values
from .sent_log import BATCH, SentLog, chunks, existing_keys_stmt

if TYPE_CHECKING:
    from ..crm import Crm

logger = logging.getLogger(__name__)

# A timed reminder whose moment is further in the past than this is stale (the scheduler was
# down): it is dropped rather than delivered hours late. The morning digest lists the deal.
REMIND_STALE_AFTER = dt.timedelta(hours=2)
# Deals listed per person in one digest statement (the message shows fewer; counts are exact).
DUE_LIST_LIMIT = 60
SNOOZE_ROUND_MINUTES = 5


class Daily(enum.StrEnum):
    """A once-a-day message and the ``User`` column holding its local time."""

    digest = "digest"
    followup = "followup"
    escalations = "escalations"


_DAILY_TIME = {
    Daily.digest: User.digest_time,
    Daily.followup: User.followup_time,
    Daily.escalations: User.followup_time,
}


class Snooze(enum.IntEnum):
    hour = 1  # in an hour (rounded up to 5 minutes), with that time
    next_day = 2  # the owner's next work day, same time if the deal had one


# -- keys -------------------------------------------------------------------------------------
def daily_key(kind: Daily, user_id: int, day: dt.date) -> str:
    return f"{kind.value}:{user_id}:{day.isoformat()}"


def remind_key(deal_id: int, at: dt.datetime) -> str:
    return f"remind:{deal_id}:{at.astimezone(dt.UTC).isoformat()}"


def escalate_key(deal_id: int, day: dt.date) -> str:
    return f"escalate:{deal_id}:{day.isoformat()}"


def blocked_key(user_id: int, day: dt.date) -> str:
    return f"blocked:{user_id}:{day.isoformat()}"


# -- what the scheduler gets back -----------------------------------------------------------
@dataclass(frozen=True)
class Recipient:
    """A person to be told something, with what delivery and rendering need."""

    id: int
    telegram_id: int
    full_name: str
    email: str | None
    username: str | None
    language: str
    timezone: str
    work_days: str

    @property
    def display_name(self) -> str:
        return self.email or self.full_name


class DueDeal(NamedTuple):
    """One line of a digest: the few columns a line and its buttons need (a tuple: a 09:00
    wave loads ~250,000 of them)."""

    id: int
    title: str
    client_name: str | None
    company: str | None
    next_action_on: dt.date
    next_action_time: dt.time | None
    version: int
    owner_id: int


@dataclass
class DueList:
    """A person's due deals for one local day: exact counts, the first deals in full."""

    today: dt.date
    overdue_total: int = 0
    today_total: int = 0
    deals: list[DueDeal] = field(default_factory=list)
    # Filled by models/services/outcomes.py: a deal's first phone, deals without a next step.
    phones: dict[int, str] = field(default_factory=dict)
    no_next: int = 0

    @property
    def total(self) -> int:
        return self.overdue_total + self.today_total


@dataclass(frozen=True)
class TimedDue:
    deal: DueDeal
    at: dt.datetime
    owner: Recipient

    @property
    def key(self) -> str:
        return remind_key(self.deal.id, self.at)


@dataclass(frozen=True)
class EscalatedDeal:
    deal: DueDeal
    owner_name: str
    days_overdue: int

    @property
    def key(self) -> str:
        return escalate_key(self.deal.id, self.deal.next_action_on)


@dataclass(frozen=True)
class ZoneSlot:
    """The local wall clock of one time zone at the scan's instant."""

    timezone: str
    day: dt.date
    time: dt.time
    weekday: int  # ISO, Monday = 1


_RECIPIENT_COLUMNS = (
    User.id,
    User.telegram_id,
    User.full_name,
    User.email,
    User.username,
    User.language,
    User.timezone,
    User.work_days,
)
_DUE_COLUMNS = (
    Deal.id,
    Deal.title,
    Deal.client_name,
    Deal.company,
    Deal.next_action_on,
    Deal.next_action_time,
    Deal.version,
    Deal.owner_id,
)


class unindexed(ColumnElement[Any]):  # lower case: reads like a function in a query
    """A column that SQLite must not look up through an index (``+column``, its documented
    way). Without ANALYZE statistics SQLite's planner trusts any equality more than a range
    and would walk every open deal through (status, next_action_on) instead of the few rows
    of a narrow range. Other databases see the plain column."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any] | QueryableAttribute[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(unindexed)
def _plain(element: unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(unindexed, "sqlite")
def _unary_plus(element: unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


def _recipient(row: Any) -> Recipient:
    return Recipient(*row[: len(_RECIPIENT_COLUMNS)])


def _due(row: Any) -> DueDeal:
    return DueDeal(*row[: len(_DUE_COLUMNS)])


def _open_deal() -> ColumnElement[bool]:
    return and_(Deal.status == StageKind.open, Deal.deleted_at.is_(None))


def _deliverable() -> ColumnElement[bool]:
    return and_(User.is_active.is_(True), User.is_reachable.is_(True))


def zone_slots(zones: Iterable[str], now: dt.datetime) -> list[ZoneSlot]:
    slots = []
    for name in sorted(set(zones)):
        try:
            local = now.astimezone(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning("users with unknown time zone %r are skipped by the scheduler", name)
            continue
        wall = local.time().replace(tzinfo=None, microsecond=0)
        slots.append(ZoneSlot(name, local.date(), wall, local.isoweekday()))
    return slots


def next_work_day(today: dt.date, work_days: str) -> dt.date:
    """The first day after ``today`` that is a work day (tomorrow when none is set)."""
    days = {int(c) for c in work_days if c in "1234567"}
    for step in range(1, 8):
        day = today + dt.timedelta(days=step)
        if not days or day.isoweekday() in days:
            return day
    return today + dt.timedelta(days=1)


def action_text(day: dt.date | None, at: dt.time | None) -> str | None:
    """How a next action is written into the deal's event log."""
    if day is None:
        return None
    return f"{day.isoformat()} {at:%H:%M}" if at is not None else day.isoformat()


# -- statements (also for EXPLAIN QUERY PLAN) -------------------------------------------------
def zones_stmt() -> AnySelect:
    return select(User.timezone).where(_deliverable()).distinct()


def _not_away(kind: Daily, slot: ZoneSlot) -> tuple[ColumnElement[bool], ...]:
    """An absent person's own digest and follow-up pause (models/services/absences.py)."""
    if kind is Daily.escalations:
        return ()
    return (~exists().where(Absence.user_id == User.id, Absence.until >= slot.day),)


def daily_due_stmt(kind: Daily, slots: Sequence[ZoneSlot]) -> AnySelect:
    """People whose ``kind`` time has come today (local), on a work day, not yet decided."""
    at = _DAILY_TIME[kind]
    clauses = []
    for slot in slots:
        key = literal(f"{kind.value}:") + cast(User.id, String) + literal(f":{slot.day}")
        clauses.append(
            and_(
                User.timezone == slot.timezone,
                at <= slot.time,
                User.work_days.contains(str(slot.weekday)),
                ~exists().where(SentNotification.key == key),
                *_not_away(kind, slot),
            )
        )
    stmt = select(*_RECIPIENT_COLUMNS).where(_deliverable(), or_(*clauses) if clauses else false())
    if kind is Daily.escalations:
        stmt = stmt.where(User.id.in_(select(Team.lead_id).where(Team.lead_id.is_not(None))))
    return stmt.order_by(User.id)


def due_deals_stmt(owner_ids: Sequence[int], today: dt.date, *, overdue_only: bool) -> AnySelect:
    """Every due deal of these owners, straight from (owner_id, status, next_action_on). One
    plain statement is cheaper than counting and ranking in SQL: ~25 rows per person."""
    bound = Deal.next_action_on < today if overdue_only else Deal.next_action_on <= today
    return select(*_DUE_COLUMNS).where(Deal.owner_id.in_(owner_ids), _open_deal(), bound)


def _due_order(deal: DueDeal) -> tuple[Any, ...]:
    """Oldest date first; within a day timed deals by time, then the untimed ones."""
    timed = deal.next_action_time is not None
    return (deal.next_action_on, not timed, deal.next_action_time or dt.time(), deal.id)


def timed_due_stmt(since: dt.datetime, until: dt.datetime) -> AnySelect:
    return (
        select(*_DUE_COLUMNS, Deal.next_action_at, *_RECIPIENT_COLUMNS)
        .join(User, User.id == Deal.owner_id)
        .where(
            Deal.next_action_at > since,
            Deal.next_action_at <= until,
            # Keep the planner on ix_deals_next_action_at (a few rows), off (status, ...).
            unindexed(Deal.status) == StageKind.open,
            Deal.deleted_at.is_(None),
            _deliverable(),
        )
        .order_by(Deal.next_action_at, Deal.id)
    )


def team_members_stmt(lead_ids: Sequence[int]) -> AnySelect:
    teams = select(Team.id).where(Team.lead_id.in_(lead_ids))
    return (
        select(User.id, User.full_name, User.email, User.timezone, Team.lead_id)
        .join(Team, Team.id == User.team_id)
        .where(User.team_id.in_(teams.scalar_subquery()), User.id != Team.lead_id)
    )


def team_overdue_stmt(owner_ids: Sequence[int], before: dt.date) -> AnySelect:
    return select(*_DUE_COLUMNS).where(
        Deal.owner_id.in_(owner_ids), _open_deal(), Deal.next_action_on < before
    )


def explain_statements(
    now: dt.datetime, zones: Sequence[str] = ("Europe/Moscow",)
) -> dict[str, AnySelect]:
    """Every scan statement with sample parameters, for ``EXPLAIN QUERY PLAN``."""
    slots = zone_slots(zones, now)
    today = now.date()
    ids = list(range(1, BATCH + 1))
    return {
        "zones": zones_stmt(),
        "digest_due_users": daily_due_stmt(Daily.digest, slots),
        "followup_due_users": daily_due_stmt(Daily.followup, slots),
        "escalation_due_leads": daily_due_stmt(Daily.escalations, slots),
        "due_deals": due_deals_stmt(ids, today, overdue_only=False),
        "timed_due": timed_due_stmt(now - REMIND_STALE_AFTER, now),
        "team_members": team_members_stmt(ids),
        "team_overdue": team_overdue_stmt(ids, today),
        "existing_keys": existing_keys_stmt([f"remind:{i}:x" for i in ids]),
    }


class Reminders(SentLog):
    """What is due (digests, timed reminders, escalations) and snoozes; the sent-log's
    claims and outcomes are inherited from ``SentLog``."""

    def __init__(self, crm: Crm):
        super().__init__(crm.session, crm.clock)
        self.crm = crm

    # -- daily messages -------------------------------------------------------------------------
    async def zones(self) -> list[str]:
        return list(await self.session.scalars(zones_stmt()))

    async def daily_due(self, kind: Daily, now: dt.datetime) -> list[tuple[Recipient, ZoneSlot]]:
        """People whose ``kind`` message is due now and not decided yet, with their local day.
        Catch-up is built in: any time later the same local day still counts; a past day never
        does (its key names that day, and only today's keys are looked for)."""
        slots = zone_slots(await self.zones(), now)
        if not slots:
            return []
        by_zone = {s.timezone: s for s in slots}
        rows = await self.session.execute(daily_due_stmt(kind, slots))
        return [(r, by_zone[r.timezone]) for r in map(_recipient, rows)]

    async def due_lists(
        self,
        people: Sequence[tuple[Recipient, ZoneSlot]],
        *,
        overdue_only: bool = False,
        limit: int = DUE_LIST_LIMIT,
    ) -> dict[int, DueList]:
        """Due (today + overdue, or overdue only) deals of many people, exact counts and the
        first ``limit`` deals each: one statement per local day and batch of owners, never
        one per person. People with nothing due are absent."""
        by_day: dict[dt.date, list[int]] = defaultdict(list)
        for person, slot in people:
            by_day[slot.day].append(person.id)
        found: dict[int, list[DueDeal]] = defaultdict(list)
        days: dict[int, dt.date] = {}
        for today, owner_ids in by_day.items():
            for part in chunks(owner_ids):
                stmt = due_deals_stmt(part, today, overdue_only=overdue_only)
                # Core rows, no ORM result machinery: this is the hot loop of a 09:00 wave.
                connection = await self.session.connection()
                for row in await connection.execute(stmt):
                    deal = DueDeal(*row)
                    found[deal.owner_id].append(deal)
                    days[deal.owner_id] = today
        lists = {}
        for owner_id, deals in found.items():
            today = days[owner_id]
            deals.sort(key=_due_order)
            overdue = sum(1 for d in deals if d.next_action_on < today)
            lists[owner_id] = DueList(today, overdue, len(deals) - overdue, deals[:limit])
        return lists

    # -- timed reminders ------------------------------------------------------------------------
    async def timed_due(self, now: dt.datetime) -> list[TimedDue]:
        """Deals whose next-action moment has come (within ``REMIND_STALE_AFTER``) and whose
        reminder for that exact moment was not sent."""
        rows = await self.session.execute(timed_due_stmt(now - REMIND_STALE_AFTER, now))
        width = len(_DUE_COLUMNS)
        due = [TimedDue(_due(r), r[width], _recipient(r[width + 1 :])) for r in rows]
        if not due:
            return []
        sent = await self.existing_keys([d.key for d in due])
        return [d for d in due if d.key not in sent]

    # -- escalations ----------------------------------------------------------------------------
    async def escalations(
        self, leads: Sequence[Recipient], now: dt.datetime, days: int
    ) -> dict[int, list[EscalatedDeal]]:
        """Per lead: their team's open deals overdue by more than ``days`` (in each owner's
        own calendar) that were not reported for that overdue date yet."""
        members: dict[int, tuple[str, str, int]] = {}  # owner -> (name, zone, lead)
        for part in chunks([lead.id for lead in leads]):
            for owner_id, name, email, zone, lead_id in await self.session.execute(
                team_members_stmt(part)
            ):
                members[owner_id] = (email or name, zone, lead_id)
        if not members:
            return {}
        todays = {s.timezone: s.day for s in zone_slots({z for _, z, _ in members.values()}, now)}
        if not todays:
            return {}
        before = max(todays.values()) - dt.timedelta(days=days)
        found: list[EscalatedDeal] = []
        for part in chunks(list(members)):
            for row in await self.session.execute(team_overdue_stmt(part, before)):
                deal = _due(row)
                name, zone, _ = members[deal.owner_id]
                if zone not in todays:
                    continue
                late = (todays[zone] - deal.next_action_on).days
                if late > days:
                    found.append(EscalatedDeal(deal, name, late))
        sent = await self.existing_keys([e.key for e in found])
        result: dict[int, list[EscalatedDeal]] = defaultdict(list)
        for item in found:
            if item.key not in sent:
                result[members[item.deal.owner_id][2]].append(item)
        return dict(result)

    # -- snooze ---------------------------------------------------------------------------------
    async def snooze(self, actor: User, deal: Deal, choice: Snooze) -> Deal:
        """Move the next action of ``deal`` (loaded by ``deals.get_for`` with its owner, and
        checked for staleness by the caller) in the owner's calendar."""
        if not deal.is_open:
            raise InvalidInput("rem.snooze_closed")
        owner = deal.owner
        now = self.clock().replace(second=0, microsecond=0)
        at: dt.time | None
        if choice is Snooze.hour:
            # An hour of real time (across a DST change too), then up to a round 5 minutes.
            moment = local_now(now + dt.timedelta(hours=1), owner.timezone)
            moment += dt.timedelta(minutes=-moment.minute % SNOOZE_ROUND_MINUTES)
            day, at = moment.date(), moment.time().replace(tzinfo=None)
        else:
            day = next_work_day(local_now(now, owner.timezone).date(), owner.work_days)
            at = deal.next_action_time
        deals = self.crm.deals
        old = action_text(deal.next_action_on, deal.next_action_time)
        event = deals.event(deal, actor, EventKind.next_action, old=old, new=action_text(day, at))
        await deals.write(deal, next_action_values(day, at, owner), [event])
        return deal
