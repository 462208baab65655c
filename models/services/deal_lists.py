"""Deal lists and search: Today, Overdue, My deals, Recently deleted, and search results.

Every list is one page of at most ``PAGE_SIZE`` deals with the total, read in one query (a
``count(*) OVER ()`` column beside the rows; a second query only when the page ran past the
end). An admin's company-wide lists take a count and a LIMITed page instead (a window over
tens of thousands of rows costs more than two queries). Every query is narrowed by
``visible_deals(user)`` and written so SQLite answers it from ``ix_deals_owner_status_next``
/ ``ix_deals_status_next`` / ``ix_contacts_kind_normalized``; ``statements()`` returns the
SQL for the benchmark's EXPLAIN QUERY PLAN.

"My deals" means the deals in work: open and paused (won and lost are history; search finds
them), newest activity first.

The calendar lists (Today, Overdue, "no next step") carry each row's first phone and the count
of deals without a next step as columns of the same page query, through a statement prepared
once: models/services/calendar_pages.py. The lists' value types (ListKind, ListFilter,
DealPage, ...) live in models/services/deal_list_types.py and are re-exported here."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, bindparam, func, or_, select, text
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..access import visible_deals
from ..catalog import Pipeline, Stage, StageKind
from ..contacts import (
    ContactError,
    ContactKind,
    looks_like_phone,
    normalize_email,
    phone_search_key,
)
from ..deals import Contact, Deal
from ..errors import AccessDenied, InvalidInput
from ..roles import Role
from ..search_text import fold
from ..sql import AnySelect
from ..timeutil import local_today
from ..users import User
from .calendar_pages import (
    COUNTS_NO_NEXT,
    WITH_PHONES,
    Fetched,
    cached_kind,
    fetch_cached,
    fetched_rows,
    first_phone,
    no_next_count,
)
from .deal_list_types import (
    PAGE_SIZE,
    DealPage,
    ListFilter,
    ListKind,
    OwnerPage,
    SearchBy,
    SearchQuery,
)
from .pipeline_filters import pipeline_set

if TYPE_CHECKING:
    from ..crm import Crm

# The value types are re-exported: callers keep importing every list name from here.
__all__ = [
    "EXPORT_LIMIT",
    "IN_WORK",
    "MAX_PAGE",
    "MAX_QUERY",
    "MIN_QUERY",
    "OWNERS_PAGE_SIZE",
    "PAGE_SIZE",
    "DealLists",
    "DealPage",
    "ListFilter",
    "ListKind",
    "OwnerPage",
    "SearchBy",
    "SearchQuery",
    "may_filter_by_owner",
    "parse_query",
]

OWNERS_PAGE_SIZE = 10
MAX_PAGE = 1_000_000
MIN_QUERY = 2
MAX_QUERY = 100
IN_WORK = (StageKind.open, StageKind.paused)
# An export holds every row of a list in memory: beyond this, narrow the list with filters.
EXPORT_LIMIT = 50_000
# Joins title, client and company into one haystack; nobody types it, so no false matches
# across the joints.


def may_filter_by_owner(user: User) -> bool:
    return user.role in (Role.lead, Role.admin)


def parse_query(raw: str | None) -> SearchQuery:
    """Validate a search text and decide how to match it: exact e-mail, phone (E.164),
    or a part of the title / client / company (also part of an e-mail or of phone digits)."""
    text_ = " ".join((raw or "").split())
    if len(text_) < MIN_QUERY:
        raise InvalidInput("search.too_short", min=MIN_QUERY)
    if len(text_) > MAX_QUERY:
        raise InvalidInput("search.too_long", length=len(text_), limit=MAX_QUERY)
    if "@" in text_ and " " not in text_:
        try:
            return SearchQuery(text_, SearchBy.email, normalize_email(text_))
        except ContactError:
            pass
    phone = phone_search_key(text_)
    if phone is not None:
        return SearchQuery(text_, SearchBy.phone, phone)
    return SearchQuery(text_, SearchBy.text, text_)


def _phone_digits(text_: str) -> str | None:
    """Digits of a partial phone ("123-45-67") to match inside stored E.164 numbers."""
    if not looks_like_phone(text_):
        return None
    return "".join(ch for ch in text_ if ch.isdigit())


def _contact_like(kinds: list[ContactKind], part: str, company_wide: bool) -> ColumnElement[bool]:
    """Deals with a contact containing ``part``. For one person's or team's deals a
    correlated EXISTS reads only their contacts (ix_contacts_deal_id); across the company one
    pass over contacts into an id list beats a lookup per deal."""
    match = [Contact.kind.in_(kinds), Contact.normalized.contains(part, autoescape=True)]
    if company_wide:
        return Deal.id.in_(select(Contact.deal_id).where(*match))
    return select(Contact.id).where(Contact.deal_id == Deal.id, *match).exists()


class DealLists:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    def today_of(self, user: User) -> dt.date:
        return local_today(self.crm.clock(), user.timezone)

    # -- lists ---------------------------------------------------------------------------
    async def page(
        self,
        user: User,
        kind: ListKind,
        page: int = 1,
        filters: ListFilter | None = None,
        *,
        query: SearchQuery | None = None,
    ) -> DealPage:
        """One page of a list as ``user`` may see it. ``query`` is required for search."""
        filters = filters or ListFilter()
        page = min(max(page, 1), MAX_PAGE)  # a forged page number must not overflow OFFSET
        today = self.today_of(user)
        result = DealPage(kind, [], 0, 1, 1, today, filters, query=query)
        if filters.active:
            await self._load_filter_labels(user, result)
        if cached_kind(user, kind, filters, query):  # the hot path: no statement to build
            fetched = await fetch_cached(self.session, user, kind, today, page, self._prepared)
            if not fetched.deals and page > 1 and fetched.total == 0:
                where = self._where(user, kind, today, filters, query)
                total = await self._count(where)  # ran past the end: the last page
                if total:
                    page = math.ceil(total / PAGE_SIZE)
                    fetched = await fetch_cached(
                        self.session, user, kind, today, page, self._prepared
                    )
        else:
            where = self._where(user, kind, today, filters, query)
            if filters.group or filters.name or filters.family:
                where.append(
                    await pipeline_set(self.session, filters.group, filters.name, filters.family)
                )
            owner = filters.owner_id
            fetched = await self._fetch(user, kind, where, page, owner)
            if not fetched.deals and page > 1 and fetched.total == 0:
                # Ran past the end (the list shrank since the button was drawn): last page.
                total = await self._count(where)
                if total:
                    page = math.ceil(total / PAGE_SIZE)
                    fetched = await self._fetch(user, kind, where, page, owner)
        deals, total = fetched.deals, fetched.total
        result.deals, result.total = deals, total
        result.phones, result.no_next = fetched.phones, fetched.no_next
        result.pages = max(1, math.ceil(total / PAGE_SIZE))
        result.page = min(max(page, 1), result.pages)
        return result

    async def export_deals(
        self,
        user: User,
        kind: ListKind,
        filters: ListFilter | None = None,
        *,
        query: SearchQuery | None = None,
        limit: int = EXPORT_LIMIT,
    ) -> list[Deal]:
        """Every deal of a list (same rights, filters and order as its pages, up to
        ``limit``), with what an export shows loaded (models/services/export.py)."""
        filters, today = filters or ListFilter(), self.today_of(user)
        if filters.active:  # refuses a forged owner filter, as paging does
            await self._load_filter_labels(user, DealPage(kind, [], 0, 1, 1, today, filters))
        where = self._where(user, kind, today, filters, query)
        loads = [joinedload(getattr(Deal, n)) for n in ("stage", "pipeline", "source", "owner")]
        statement = select(Deal).where(*where).order_by(*self._order(kind)).limit(limit)
        statement = statement.options(*loads, selectinload(Deal.contacts))
        return list((await self.session.scalars(statement)).unique())

    async def search(self, user: User, raw: str, page: int = 1) -> DealPage:
        return await self.page(user, ListKind.search, page, query=parse_query(raw))

    def statements(
        self, user: User, *, phone: str = "+79991234567", day: dt.date | None = None
    ) -> dict[str, AnySelect]:
        """The page queries of Today, Overdue and a phone search, for EXPLAIN QUERY PLAN."""
        today = day or self.today_of(user)
        out: dict[str, AnySelect] = {}
        for name, kind, query in (
            ("today", ListKind.today, None),
            ("overdue", ListKind.overdue, None),
            ("phone_search", ListKind.search, parse_query(phone)),
        ):
            where = self._where(user, kind, today, ListFilter(), query)
            windowed = user.role is not Role.admin  # as _fetch runs them
            out[name] = self._page_statement(user, kind, where, 1, windowed=windowed)
        return out

    async def explain(self, user: User, **kwargs: Any) -> dict[str, list[str]]:
        """SQLite's plan of each of ``statements()``: one line per plan step."""
        plans: dict[str, list[str]] = {}
        for name, statement in self.statements(user, **kwargs).items():
            compiled = statement.compile(
                bind=self.session.bind, compile_kwargs={"literal_binds": True}
            )
            rows = await self.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
            plans[name] = [row[-1] for row in rows]
        return plans

    # -- filters -------------------------------------------------------------------------
    async def owner_choices(self, user: User, page: int = 1) -> OwnerPage:
        """People whose deals ``user`` may filter by: a lead's team, everybody for an admin."""
        if not may_filter_by_owner(user):
            raise AccessDenied("lists.no_owner_filter")
        where: list[ColumnElement[bool]] = [User.is_active.is_(True)]
        if user.role is Role.lead:
            where.append(
                User.team_id == user.team_id if user.team_id is not None else User.id == user.id
            )
        total = int(await self.session.scalar(select(func.count(User.id)).where(*where)) or 0)
        pages = max(1, math.ceil(total / OWNERS_PAGE_SIZE))
        page = min(max(page, 1), pages)  # also keeps a forged page number in range
        users = await self.session.scalars(
            select(User)
            .where(*where)
            .order_by(User.full_name, User.id)
            .limit(OWNERS_PAGE_SIZE)
            .offset((page - 1) * OWNERS_PAGE_SIZE)
        )
        return OwnerPage(list(users), page, pages)

    async def pipeline_choices(self) -> list[Pipeline]:
        return await self.crm.catalogs.pipelines()

    async def stage_choices(self, pipeline_id: int | None) -> list[Stage]:
        """Stages a deal in work can be at (open and paused), of the pipeline if one is set."""
        if pipeline_id:
            stages = await self.crm.deals.stages_of(pipeline_id)
        else:
            stages = await self.crm.catalogs.stages()
        return [s for s in stages if s.kind in IN_WORK]

    # -- internals -----------------------------------------------------------------------
    def _where(
        self,
        user: User,
        kind: ListKind,
        today: dt.date,
        filters: ListFilter,
        query: SearchQuery | None,
    ) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        # The owner first: with an equality on owner_id the planner takes the owner index.
        if filters.owner_id:
            where.append(Deal.owner_id == filters.owner_id)
        elif user.role is Role.lead and user.team_id is not None:
            # Same rows as visible_deals' "me OR my team", but as one IN on owner_id, which
            # the planner can drive ix_deals_owner_status_next with (the OR it can't).
            team = select(User.id).where(or_(User.team_id == user.team_id, User.id == user.id))
            where.append(Deal.owner_id.in_(team))
        where.append(visible_deals(user))
        if kind is ListKind.deleted:
            where.append(Deal.deleted_at.is_not(None))
        else:
            where.append(Deal.deleted_at.is_(None))
        if kind is ListKind.today:
            where += [Deal.status == StageKind.open, Deal.next_action_on == today]
        elif kind is ListKind.overdue:
            where += [Deal.status == StageKind.open, Deal.next_action_on < today]
        elif kind is ListKind.mine:
            where.append(Deal.status.in_(IN_WORK))
        elif kind is ListKind.no_next:
            where += [Deal.status.in_(IN_WORK), Deal.next_action_on.is_(None)]
        elif kind is ListKind.search:
            if query is None:
                raise InvalidInput("search.too_short", min=MIN_QUERY)
            where.append(self._match(query, user.role is Role.admin))
        if filters.pipeline_id:
            where.append(Deal.pipeline_id == filters.pipeline_id)
        if filters.stage_id:
            where.append(Deal.stage_id == filters.stage_id)
        return where

    @staticmethod
    def _match(query: SearchQuery, company_wide: bool) -> ColumnElement[bool]:
        if query.by is SearchBy.email:
            return Deal.id.in_(
                select(Contact.deal_id).where(
                    Contact.kind == ContactKind.email, Contact.normalized == query.key
                )
            )
        if query.by is SearchBy.phone:
            return Deal.id.in_(
                select(Contact.deal_id).where(
                    Contact.kind == ContactKind.phone, Contact.normalized == query.key
                )
            )
        # Title, client, company and contacts, folded in Python when the deal was written.
        terms = [Deal.search_text.contains(fold(query.key), autoescape=True)]
        # Part of an e-mail or a site ("firm.ru"), or the tail of a phone ("123-45-67").
        if ("@" in query.key or "." in query.key) and " " not in query.key:
            kinds = [ContactKind.email, ContactKind.url, ContactKind.link]
            terms.append(_contact_like(kinds, query.key.lower(), company_wide))
        digits = _phone_digits(query.key)
        if digits:
            terms.append(_contact_like([ContactKind.phone], digits, company_wide))
        return or_(*terms)

    @staticmethod
    def _order(kind: ListKind) -> list[Any]:
        if kind is ListKind.today:
            return [Deal.next_action_time.asc().nulls_last(), Deal.id]
        if kind is ListKind.overdue:
            return [Deal.next_action_on, Deal.next_action_time.asc().nulls_last(), Deal.id]
        if kind is ListKind.deleted:
            return [Deal.deleted_at.desc(), Deal.id.desc()]
        return [Deal.updated_at.desc(), Deal.id.desc()]

    def _page_statement(
        self,
        user: User,
        kind: ListKind,
        where: list[ColumnElement[bool]],
        page: int | None,
        *,
        windowed: bool = True,
        owner_id: int | None = None,
    ) -> AnySelect:
        """The page's deals; ``windowed`` adds the list's total to every row (one query for
        count and page, good for one person's or one team's list). ``page`` None: the
        offset is the bound parameter "offset" (a cached statement). ``owner_id``: the list's
        owner filter, which its "no next step" count follows."""
        columns: list[Any] = [Deal]
        if windowed:
            columns.append(func.count().over().label("total"))
            if kind in WITH_PHONES:
                columns.append(first_phone().label("phone"))
            if kind in COUNTS_NO_NEXT:
                columns.append(self._no_next_count(user, owner_id).label("no_next"))
        offset: Any = bindparam("offset") if page is None else (max(page, 1) - 1) * PAGE_SIZE
        statement = (
            select(*columns)
            .join(Deal.stage)
            .where(*where)
            .order_by(*self._order(kind))
            .limit(PAGE_SIZE)
            .offset(offset)
        )
        options = [contains_eager(Deal.stage)]
        if user.role is not Role.manager:
            # Lists of several people's deals say whose each one is.
            statement = statement.join(Deal.owner)
            options.append(contains_eager(Deal.owner))
        return statement.options(*options)

    async def _fetch(
        self,
        user: User,
        kind: ListKind,
        where: list[ColumnElement[bool]],
        page: int,
        owner_id: int | None = None,
    ) -> Fetched:
        if user.role is Role.admin:
            # Company-wide lists run to tens of thousands of rows: a window count would
            # materialise them all; a separate count and a LIMITed page stay cheap.
            total = await self._count(where)
            if not total:
                return Fetched([], 0)
            page = min(page, math.ceil(total / PAGE_SIZE))
            statement = self._page_statement(user, kind, where, page, windowed=False)
            return Fetched(list((await self.session.scalars(statement)).unique()), total)
        statement = self._page_statement(user, kind, where, page, owner_id=owner_id)
        rows = (await self.session.execute(statement)).all()
        return fetched_rows(kind, rows)

    def _no_next_count(self, user: User, owner_id: int | None = None) -> Any:
        """How many deals ``user`` sees (of ``owner_id`` only, when given) have no next step
        (calendar_pages.no_next_count)."""
        # That list's conditions have no date: any day does.
        where = self._where(
            user, ListKind.no_next, dt.date.min, ListFilter(owner_id=owner_id), None
        )
        return no_next_count(where)

    def _prepared(self, viewer: User, kind: ListKind, today: dt.date) -> AnySelect:
        """A calendar list's page statement for calendar_pages.fetch_cached to keep: the
        viewer, the day and the offset are bound parameters there."""
        where = self._where(viewer, kind, today, ListFilter(), None)
        return self._page_statement(viewer, kind, where, None)

    async def _count(self, where: list[ColumnElement[bool]]) -> int:
        return int(await self.session.scalar(select(func.count(Deal.id)).where(*where)) or 0)

    async def _load_filter_labels(self, user: User, result: DealPage) -> None:
        filters = result.filters
        if filters.pipeline_id:
            result.pipeline = await self.session.get(Pipeline, filters.pipeline_id)
        if filters.stage_id:
            result.stage = await self.session.get(Stage, filters.stage_id)
        if filters.owner_id:
            result.owner = await self.owner_filter(user, filters.owner_id)

    async def owner_filter(self, user: User, owner_id: int) -> User:
        """The person a list is filtered by, if ``user`` may filter by them (themselves; a
        lead their team; an admin anybody); a forged or stale id is refused."""
        owner = await self.session.get(User, owner_id)
        allowed = owner is not None and (
            owner.id == user.id
            or user.role is Role.admin
            or (
                user.role is Role.lead
                and user.team_id is not None
                and owner.team_id == user.team_id
            )
        )
        if owner is None or not allowed:
            raise AccessDenied("lists.no_owner_filter")
        return owner
