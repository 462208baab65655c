"""The reminder scans' statements, each built by a ``*_stmt`` function so that
``EXPLAIN QUERY PLAN`` can be printed (:func:`explain_statements`); they walk indexes only
(see models/services/reminders.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
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
from ..deals import Deal
from ..notifications import SentNotification
from ..sql import AnySelect
from ..users import Team, User
from .sent_log import BATCH, existing_keys_stmt

if TYPE_CHECKING:
    pass
from .reminder_items import DAILY_TIME, REMIND_STALE_AFTER, Daily, DueDeal, Recipient, ZoneSlot

logger = logging.getLogger(__name__)

RECIPIENT_COLUMNS = (
    User.id,
    User.telegram_id,
    User.full_name,
    User.email,
    User.username,
    User.language,
    User.timezone,
    User.work_days,
)
DUE_COLUMNS = (
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


def recipient_of(row: Any) -> Recipient:
    return Recipient(*row[: len(RECIPIENT_COLUMNS)])


def due_of(row: Any) -> DueDeal:
    return DueDeal(*row[: len(DUE_COLUMNS)])


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
    at = DAILY_TIME[kind]
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
    stmt = select(*RECIPIENT_COLUMNS).where(_deliverable(), or_(*clauses) if clauses else false())
    if kind is Daily.escalations:
        stmt = stmt.where(User.id.in_(select(Team.lead_id).where(Team.lead_id.is_not(None))))
    return stmt.order_by(User.id)


def due_deals_stmt(owner_ids: Sequence[int], today: dt.date, *, overdue_only: bool) -> AnySelect:
    """Every due deal of these owners, straight from (owner_id, status, next_action_on). One
    plain statement is cheaper than counting and ranking in SQL: ~25 rows per person."""
    bound = Deal.next_action_on < today if overdue_only else Deal.next_action_on <= today
    return select(*DUE_COLUMNS).where(Deal.owner_id.in_(owner_ids), _open_deal(), bound)


def due_order(deal: DueDeal) -> tuple[Any, ...]:
    """Oldest date first; within a day timed deals by time, then the untimed ones."""
    timed = deal.next_action_time is not None
    return (deal.next_action_on, not timed, deal.next_action_time or dt.time(), deal.id)


def timed_due_stmt(since: dt.datetime, until: dt.datetime) -> AnySelect:
    return (
        select(*DUE_COLUMNS, Deal.next_action_at, *RECIPIENT_COLUMNS)
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
    return select(*DUE_COLUMNS).where(
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
