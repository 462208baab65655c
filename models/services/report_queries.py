"""The SQL of the period reports (models/services/team_reports.py): who a report is about and
the few GROUP BY statements each section runs, whatever the size of the team.

Every statement narrows deals by owner (``owner_id IN (...)``) and by an instant range, so the
planner walks one index range per person: deals by (owner_id, created_at) and
(owner_id, status, closed_at), notes by (author_id, created_at), stage events by
(actor_id, kind, at) (migration 0013). ``statements()`` of the service returns them for the
benchmark's EXPLAIN."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select

from ..catalog import StageKind
from ..deals import Deal, DealEvent, EventKind, Note
from ..sql import AnySelect
from ..users import Team, User


@dataclass
class ReportScope:
    """Whom a report is about. ``kind``: "own" (a manager's own figures), "team" or "all"
    (the whole company, admins). ``owner_ids`` None: everybody's deals."""

    kind: str
    people: list[User]
    timezone: str
    today: dt.date
    team: Team | None = None
    owner_ids: list[int] | None = field(default=None)

    @property
    def team_id(self) -> int:
        """What a button carries: the team, or 0 for "own" / "all" (the viewer's role says
        which)."""
        return self.team.id if self.team is not None else 0


def owned(scope: ReportScope) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Deal.deleted_at.is_(None)]
    if scope.owner_ids is not None:
        where.insert(0, Deal.owner_id.in_(scope.owner_ids))
    return where


def created_in(scope: ReportScope, start: dt.datetime, end: dt.datetime) -> list[Any]:
    return [*owned(scope), Deal.created_at >= start, Deal.created_at < end]


def closed_in(
    scope: ReportScope, kind: StageKind, start: dt.datetime, end: dt.datetime
) -> list[Any]:
    return [*owned(scope), Deal.status == kind, Deal.closed_at >= start, Deal.closed_at < end]


def cohort_stmt(scope: ReportScope, start: dt.datetime, end: dt.datetime) -> AnySelect:
    """The deals created in the period: the funnel's and the sources' cohort."""
    return select(
        Deal.id,
        Deal.stage_id,
        Deal.status,
        Deal.source_id,
        Deal.amount,
        Deal.currency,
        Deal.reason,
        Deal.created_at,
        Deal.owner_id,
    ).where(*created_in(scope, start, end))


def cohort_events_stmt(deal_ids: list[int]) -> AnySelect:
    """The stage moves of these deals (a batch of the cohort), in order: a range of
    ix_deal_events_deal_at per deal, no second pass over the cohort."""
    return (
        select(DealEvent.deal_id, DealEvent.at, DealEvent.old, DealEvent.new)
        .where(DealEvent.deal_id.in_(deal_ids), DealEvent.kind == EventKind.stage)
        .order_by(DealEvent.deal_id, DealEvent.at, DealEvent.id)
    )


def new_per_owner_stmt(scope: ReportScope, start: dt.datetime, end: dt.datetime) -> AnySelect:
    return (
        select(Deal.owner_id, func.count(Deal.id))
        .where(*created_in(scope, start, end))
        .group_by(Deal.owner_id)
    )


def closed_per_owner_stmt(
    scope: ReportScope, kind: StageKind, start: dt.datetime, end: dt.datetime
) -> AnySelect:
    """Won (or lost) in the period per owner and currency: count and amount."""
    return (
        select(Deal.owner_id, Deal.currency, func.count(Deal.id), func.sum(Deal.amount))
        .where(*closed_in(scope, kind, start, end))
        .group_by(Deal.owner_id, Deal.currency)
    )


def notes_per_author_stmt(
    scope: ReportScope, ids: list[int], start: dt.datetime, end: dt.datetime
) -> AnySelect:
    """Notes a person wrote in the period (their activity), on deals not deleted."""
    return (
        select(Note.author_id, func.count(Note.id))
        .join(Deal, Deal.id == Note.deal_id)
        .where(
            Note.author_id.in_(ids),
            Note.created_at >= start,
            Note.created_at < end,
            Deal.deleted_at.is_(None),
        )
        .group_by(Note.author_id)
    )


def moves_per_actor_stmt(
    scope: ReportScope, ids: list[int], start: dt.datetime, end: dt.datetime
) -> AnySelect:
    """Stage moves a person made in the period, on deals not deleted."""
    return (
        select(DealEvent.actor_id, func.count(DealEvent.id))
        .join(Deal, Deal.id == DealEvent.deal_id)
        .where(
            DealEvent.actor_id.in_(ids),
            DealEvent.kind == EventKind.stage,
            DealEvent.at >= start,
            DealEvent.at < end,
            Deal.deleted_at.is_(None),
        )
        .group_by(DealEvent.actor_id)
    )


def pipeline_now_stmt(scope: ReportScope) -> AnySelect:
    """Now, per owner: overdue, without a next step (open deals), paused."""
    is_open = Deal.status == StageKind.open
    return (
        select(
            Deal.owner_id,
            func.count(Deal.id).filter(is_open, Deal.next_action_on < scope.today),
            func.count(Deal.id).filter(is_open, Deal.next_action_on.is_(None)),
            func.count(Deal.id).filter(Deal.status == StageKind.paused),
        )
        .where(*owned(scope), Deal.status.in_((StageKind.open, StageKind.paused)))
        .group_by(Deal.owner_id)
    )
