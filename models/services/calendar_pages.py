"""The calendar lists' extra columns and their prepared page statements.

The calendar lists (Today, Overdue, "no next step") show each row's first phone and, Today
and Overdue, how many deals have no next step (their one-tap outcome rows, handlers/outcomes.py):
both come as columns of the same page query (a correlated look-up per row, a count run once),
not as two more statements (they cost a third of the list's time).

Without filters and seen by one person or a team they are the hot path: their page statement
is built once per (list, role, in a team or not), with the viewer, the day and the offset as
bound parameters, and reused. Kept apart from models/services/deal_lists.py (which builds
every list's statement and hands its builder in here) so that module stays small; this one
imports nothing of it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple, cast

from sqlalchemy import BindParameter, ColumnElement, Row, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..contacts import ContactKind
from ..deals import Contact, Deal
from ..roles import Role
from ..sql import AnySelect
from ..users import User
from .deal_list_types import PAGE_SIZE, ListFilter, ListKind, SearchQuery

# Lists whose rows show the client's phone; the due ones also count the deals without a next
# step (their "no next step" button). See the module doc.
WITH_PHONES = frozenset({ListKind.today, ListKind.overdue, ListKind.no_next})
COUNTS_NO_NEXT = frozenset({ListKind.today, ListKind.overdue})

# A list's page statement for a viewer and a day, the offset left the bound parameter
# "offset" (DealLists builds it: its WHERE, order and joins).
PageBuilder = Callable[[User, ListKind, dt.date], AnySelect]


class Fetched(NamedTuple):
    deals: list[Deal]
    total: int
    phones: dict[int, str] | None = None  # WITH_PHONES lists, windowed page query only
    no_next: int | None = None  # COUNTS_NO_NEXT lists, idem


def fetched_rows(kind: ListKind, rows: Sequence[Row[Any]]) -> Fetched:
    """A windowed page's rows: the deal, the total[, the phone][, the no-next count]."""
    if not rows:  # no row to carry the counts: the caller asks for them
        return Fetched([], 0)
    first = rows[0]._mapping
    phones = None
    if kind in WITH_PHONES:
        phones = {row[0].id: row.phone for row in rows if row.phone is not None}
    no_next = int(first["no_next"]) if kind in COUNTS_NO_NEXT else None
    return Fetched([row[0] for row in rows], int(first["total"]), phones, no_next)


@dataclass(frozen=True)
class _Viewer:
    """Stands in for the viewer while a cached statement is built: ``visible_deals`` and
    ``DealLists._where`` read the role and the team as they do for a real user, and the ids
    become bound parameters, so one statement serves every viewer of that role."""

    role: Role
    in_team: bool

    @property
    def id(self) -> Any:
        return _VIEWER_ID

    @property
    def team_id(self) -> Any:
        return _TEAM_ID if self.in_team else None


_VIEWER_ID: BindParameter[int] = bindparam("viewer_id")
_TEAM_ID: BindParameter[int] = bindparam("team_id")
_TODAY: BindParameter[dt.date] = bindparam("today")
# (list, role, in a team) -> the page statement of fetch_cached
_CACHED: dict[tuple[ListKind, Role, bool], AnySelect] = {}


def cached_kind(user: User, kind: ListKind, filters: ListFilter, query: SearchQuery | None) -> bool:
    """A calendar list without filters, seen by one person or a team: a cached statement."""
    return (
        kind in WITH_PHONES and not filters.active and query is None and user.role is not Role.admin
    )


@cache
def first_phone() -> Any:
    """The row's first phone (by contact id), a subquery correlated to the deal. The kind is
    tested in the select list, not in WHERE: with "kind = ?" there SQLite may read the index on
    (kind, normalized), every phone of the company, instead of this deal's few contacts."""
    is_phone = Contact.kind == ContactKind.phone
    return (
        select(case((is_phone, Contact.normalized)))
        .where(Contact.deal_id == Deal.id)
        .order_by(case((is_phone, 0), else_=1), Contact.id)
        .limit(1)
        .correlate(Deal)
        .scalar_subquery()
    )


def no_next_count(where: list[ColumnElement[bool]]) -> Any:
    """How many deals the viewer sees have no next step: the "no next step" list's total
    (``where``: that list's conditions), a subquery of its own (not correlated: run once)."""
    return select(func.count(Deal.id)).where(*where).correlate(None).scalar_subquery()


async def fetch_cached(
    session: AsyncSession,
    user: User,
    kind: ListKind,
    today: dt.date,
    page: int,
    build: PageBuilder,
) -> Fetched:
    """A page of a calendar list without filters, through a statement built once per
    (list, role, in a team or not) with the viewer, the day and the offset as bound
    parameters: building the statement and its cache key cost a quarter of Today."""
    key = (kind, user.role, user.team_id is not None)
    statement = _CACHED.get(key)
    if statement is None:
        viewer = cast(User, _Viewer(user.role, user.team_id is not None))
        statement = _CACHED[key] = build(viewer, kind, cast(dt.date, _TODAY))
    params = {
        "viewer_id": user.id,
        "team_id": user.team_id,
        "today": today,
        "offset": (page - 1) * PAGE_SIZE,
    }
    rows = (await session.execute(statement, params)).all()
    return fetched_rows(kind, rows)
