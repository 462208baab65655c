"""Figures a manager, a lead or an admin sees: live counters ("won 5 of 10"), team stats and
the lead's daily summary. Every number is computed from the CRM data with GROUP BY queries
(a fixed, small number of them per report, whatever the size of the team)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, String, and_, case, cast, exists, func, literal, or_, select

from ..catalog import Stage, StageKind
from ..deals import Deal, DealEvent, EventKind, Note
from ..errors import AccessDenied, NotFound
from ..money import DEFAULT_CURRENCY, Amounts
from ..notifications import SentNotification
from ..plans import Plan
from ..roles import Role
from ..timeutil import local_today, to_utc
from ..users import Team, User
from .plans import month_start, next_month
from .reminder_queries import zone_slots

if TYPE_CHECKING:
    from ..crm import Crm

ZERO = decimal.Decimal("0.00")
CENT = decimal.Decimal("0.01")
TEAMS_PER_PAGE = 10
# A plan's amount has no currency of its own: it is set and compared in the default one.
PLAN_CURRENCY = DEFAULT_CURRENCY
# People whose figures a team report lists (operators enter data for others, own no plan).
SELLING_ROLES = (Role.manager, Role.lead)


def summary_key(lead_id: int, day: dt.date) -> str:
    """The sent-log key of a lead's summary of one local day: it goes out once."""
    return f"summary:{lead_id}:{day.isoformat()}"


def _money(value: Any) -> decimal.Decimal:
    """SQLite sums NUMERIC as float: back to exact cents."""
    if value is None:
        return ZERO
    return decimal.Decimal(str(value)).quantize(CENT)


@dataclass
class Counters:
    """Live figures of a person (or the sum over people): the pipeline now and the month."""

    open: int = 0
    overdue: int = 0
    due_today: int = 0
    no_next_step: int = 0
    won_month: int = 0
    won_month_amount: Amounts = field(default_factory=Amounts)
    plan_won: int | None = None
    plan_amount: decimal.Decimal | None = None  # in PLAN_CURRENCY

    def add(self, other: Counters) -> None:
        self.open += other.open
        self.overdue += other.overdue
        self.due_today += other.due_today
        self.no_next_step += other.no_next_step
        self.won_month += other.won_month
        self.won_month_amount.merge(other.won_month_amount)
        if other.plan_won is not None:
            self.plan_won = (self.plan_won or 0) + other.plan_won
        if other.plan_amount is not None:
            self.plan_amount = (self.plan_amount or ZERO) + other.plan_amount

    @property
    def is_empty(self) -> bool:
        return not (self.open or self.won_month or self.plan_won is not None)


@dataclass
class DayActivity:
    """What happened on one local day."""

    new_deals: int = 0
    notes: int = 0
    stage_moves: int = 0
    won: int = 0
    won_amount: Amounts = field(default_factory=Amounts)
    lost: int = 0

    def add(self, other: DayActivity) -> None:
        self.new_deals += other.new_deals
        self.notes += other.notes
        self.stage_moves += other.stage_moves
        self.won += other.won
        self.won_amount.merge(other.won_amount)
        self.lost += other.lost

    @property
    def is_empty(self) -> bool:
        return not (self.new_deals or self.notes or self.stage_moves or self.won or self.lost)


@dataclass
class StatsRow:
    """One line of a report: a person (id = user id) or a team (id = team id, 0: no team)."""

    id: int
    name: str | None
    role: Role | None = None
    counters: Counters = field(default_factory=Counters)
    activity: DayActivity = field(default_factory=DayActivity)


@dataclass
class StatsReport:
    """What /stats shows. ``scope``: "own", "team" or "all" (per team, admins only)."""

    scope: str
    today: dt.date
    month: dt.date
    rows: list[StatsRow]
    total: Counters
    team_id: int | None = None
    team_name: str | None = None
    page: int = 0
    pages: int = 1


@dataclass(frozen=True)
class StageCount:
    stage: Stage
    count: int


@dataclass
class TeamSummary:
    """The lead's daily summary: per person and in total, plus the open pipeline by stage."""

    lead_id: int
    team_name: str | None
    day: dt.date
    rows: list[StatsRow]
    total: StatsRow
    pipeline: list[StageCount]


@dataclass(frozen=True)
class _Window:
    """The viewer's local "today" and the UTC bounds of a local day and of its month."""

    today: dt.date
    day: dt.date
    day_start: dt.datetime
    day_end: dt.datetime
    month: dt.date
    month_start: dt.datetime
    month_end: dt.datetime

    @classmethod
    def of(cls, now: dt.datetime, timezone: str, day: dt.date | None = None) -> _Window:
        today = local_today(now, timezone)
        day = day or today
        month = month_start(day)
        midnight = dt.time(0, 0)
        return cls(
            today=today,
            day=day,
            day_start=to_utc(day, midnight, timezone),
            day_end=to_utc(day + dt.timedelta(days=1), midnight, timezone),
            month=month,
            month_start=to_utc(month, midnight, timezone),
            month_end=to_utc(next_month(month), midnight, timezone),
        )


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _amount(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, Deal.amount), else_=0)), 0)


class Reports:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    # -- /stats --------------------------------------------------------------------------------
    async def stats_for(self, viewer: User) -> StatsReport:
        """The default view of a role: own figures, the lead's team, all teams for an admin."""
        if viewer.role is Role.admin:
            return await self.all_teams(viewer)
        if viewer.role is Role.lead and viewer.team_id is not None:
            return await self.team(viewer, viewer.team_id)
        return await self.own(viewer)

    async def own(self, viewer: User) -> StatsReport:
        window = _Window.of(self.crm.clock(), viewer.timezone)
        rows = await self._people_rows([viewer], window)
        return StatsReport("own", window.today, window.month, rows, rows[0].counters)

    async def team(self, viewer: User, team_id: int) -> StatsReport:
        """Per person of a team and in total; an admin may open any team, a lead their own."""
        if viewer.role is Role.lead:
            if viewer.team_id != team_id:
                raise AccessDenied("stats.not_your_team")
        elif viewer.role is not Role.admin:
            raise AccessDenied("stats.leads_only")
        team = await self.session.get(Team, team_id)
        if team is None:
            raise NotFound("stats.team_gone")
        window = _Window.of(self.crm.clock(), viewer.timezone)
        rows = await self._people_rows(await self._members(team_id), window)
        rows = [r for r in rows if not self._idle_non_manager(r)]
        total = Counters()
        for row in rows:
            total.add(row.counters)
        return StatsReport(
            "team", window.today, window.month, rows, total, team_id=team.id, team_name=team.name
        )

    async def all_teams(self, viewer: User, page: int = 0) -> StatsReport:
        """Admins: one row per team (and one for people without a team), a page at a time;
        the totals cover everybody."""
        if viewer.role is not Role.admin:
            raise AccessDenied("stats.admins_only")
        window = _Window.of(self.crm.clock(), viewer.timezone)
        teams = {t.id: t.name for t in await self.session.scalars(select(Team))}
        group = func.coalesce(User.team_id, 0)
        rows_by_team: dict[int, StatsRow] = {}
        stmt = (
            select(group, Deal.currency, *self._deal_columns(window, with_day=False))
            .join(User, User.id == Deal.owner_id)
            .where(Deal.deleted_at.is_(None), *self._sellers())
            .group_by(group, Deal.currency)
        )
        for values in await self.session.execute(stmt):
            row = rows_by_team.setdefault(values[0], StatsRow(values[0], teams.get(values[0])))
            self._add_counters(row.counters, values[1], values[2:])
        plan_rows = await self.session.execute(
            select(group, func.sum(Plan.target_won), func.sum(Plan.target_amount))
            .join(User, User.id == Plan.user_id)
            .where(Plan.month == window.month, *self._sellers())
            .group_by(group)
        )
        for team_id, won, amount in plan_rows:
            row = rows_by_team.setdefault(team_id, StatsRow(team_id, teams.get(team_id)))
            row.counters.plan_won = int(won or 0)
            row.counters.plan_amount = None if amount is None else _money(amount)
        for team_id, name in teams.items():
            rows_by_team.setdefault(team_id, StatsRow(team_id, name))
        total = Counters()
        for row in rows_by_team.values():
            total.add(row.counters)
        # Teams by name; people without a team last.
        ordered = sorted(rows_by_team.values(), key=lambda r: (r.id == 0, (r.name or "").lower()))
        pages = max(1, -(-len(ordered) // TEAMS_PER_PAGE))
        page = min(max(page, 0), pages - 1)
        shown = ordered[page * TEAMS_PER_PAGE : (page + 1) * TEAMS_PER_PAGE]
        return StatsReport("all", window.today, window.month, shown, total, page=page, pages=pages)

    # -- the lead's daily summary ---------------------------------------------------------------
    async def daily_summary(self, lead: User, day: dt.date) -> TeamSummary | None:
        """The summary of ``lead``'s team for the lead's local ``day``; None when there is
        nothing to say (no activity that day and nothing overdue now)."""
        window = _Window.of(self.crm.clock(), lead.timezone, day)
        team: Team | None = None
        if lead.team_id is not None:
            team = await self.session.get(Team, lead.team_id)
        people = await self._members(lead.team_id) if team is not None else [lead]
        rows = await self._people_rows(people, window, with_day=True)
        rows = [r for r in rows if not self._idle_non_manager(r)]
        total = StatsRow(0, None)
        for row in rows:
            total.counters.add(row.counters)
            total.activity.add(row.activity)
        if total.activity.is_empty and total.counters.overdue == 0:
            return None
        pipeline = await self._pipeline([p.id for p in people])
        return TeamSummary(lead.id, team.name if team else None, day, rows, total, pipeline)

    async def leads_due_for_summary(self, now: dt.datetime) -> list[tuple[User, dt.date]]:
        """Active, reachable leads whose summary time has come on their current local day
        (one of their work days) and whose summary of that day is not in the sent-log yet
        (sent, or decided to be empty), with that day. A day that has passed is never due:
        its key names that day, and only today's keys are looked for."""
        slots = zone_slots(await self.crm.reminders.zones(), now)
        clauses = []
        for slot in slots:
            key = literal("summary:") + cast(User.id, String) + literal(f":{slot.day.isoformat()}")
            clauses.append(
                and_(
                    User.timezone == slot.timezone,
                    User.summary_time <= slot.time,
                    User.work_days.contains(str(slot.weekday)),
                    ~exists().where(SentNotification.key == key),
                )
            )
        if not clauses:
            return []
        leads = await self.session.scalars(
            select(User)
            .where(
                User.role == Role.lead,
                User.is_active.is_(True),
                User.is_reachable.is_(True),
                or_(*clauses),
            )
            .order_by(User.id)
        )
        day_of = {slot.timezone: slot.day for slot in slots}
        return [(lead, day_of[lead.timezone]) for lead in leads]

    # -- queries ---------------------------------------------------------------------------------
    async def _members(self, team_id: int | None) -> list[User]:
        rows = await self.session.scalars(
            select(User)
            .where(User.team_id == team_id, *self._sellers())
            .order_by(User.full_name, User.id)
        )
        return list(rows)

    @staticmethod
    def _sellers() -> tuple[ColumnElement[bool], ...]:
        """The people team reports count: active managers and leads (as ``_members``)."""
        return (User.is_active.is_(True), User.role.in_(SELLING_ROLES))

    @staticmethod
    def _idle_non_manager(row: StatsRow) -> bool:
        """A lead's own line is shown only when they sell too (managers always are)."""
        return row.role is not Role.manager and row.counters.is_empty and row.activity.is_empty

    def _deal_columns(self, window: _Window, *, with_day: bool) -> list[Any]:
        is_open = Deal.status == StageKind.open
        won = Deal.status == StageKind.won
        won_month = and_(
            won, Deal.closed_at >= window.month_start, Deal.closed_at < window.month_end
        )
        columns = [
            _count(is_open),
            _count(and_(is_open, Deal.next_action_on < window.today)),
            _count(and_(is_open, Deal.next_action_on == window.today)),
            _count(and_(is_open, Deal.next_action_on.is_(None))),
            _count(won_month),
            _amount(won_month),
        ]
        if with_day:
            closed_that_day = and_(
                Deal.closed_at >= window.day_start, Deal.closed_at < window.day_end
            )
            columns += [
                _count(and_(Deal.created_at >= window.day_start, Deal.created_at < window.day_end)),
                _count(and_(won, closed_that_day)),
                _amount(and_(won, closed_that_day)),
                _count(and_(Deal.status == StageKind.lost, closed_that_day)),
            ]
        return columns

    @staticmethod
    def _add_counters(counters: Counters, currency: str | None, values: Sequence[Any]) -> None:
        """One group of deals (an owner's or a team's, in one currency) into ``counters``."""
        counters.open += int(values[0])
        counters.overdue += int(values[1])
        counters.due_today += int(values[2])
        counters.no_next_step += int(values[3])
        counters.won_month += int(values[4])
        counters.won_month_amount.add(currency, _money(values[5]))

    async def _people_rows(
        self, people: Sequence[User], window: _Window, *, with_day: bool = False
    ) -> list[StatsRow]:
        rows = {p.id: StatsRow(p.id, p.full_name, p.role) for p in people}
        ids = list(rows)
        if not ids:
            return []
        stmt = (
            select(Deal.owner_id, Deal.currency, *self._deal_columns(window, with_day=with_day))
            .where(Deal.owner_id.in_(ids), Deal.deleted_at.is_(None))
            .group_by(Deal.owner_id, Deal.currency)
        )
        for values in await self.session.execute(stmt):
            row, currency = rows[values[0]], values[1]
            self._add_counters(row.counters, currency, values[2:8])
            if with_day:
                row.activity.new_deals += int(values[8])
                row.activity.won += int(values[9])
                row.activity.won_amount.add(currency, _money(values[10]))
                row.activity.lost += int(values[11])
        for plan in await self._plans(ids, window.month):
            rows[plan.user_id].counters.plan_won = plan.target_won
            rows[plan.user_id].counters.plan_amount = plan.target_amount
        if with_day:
            for owner_id, notes in await self._per_owner(
                select(Deal.owner_id, func.count(Note.id))
                .join(Deal, Deal.id == Note.deal_id)
                .where(Note.created_at >= window.day_start, Note.created_at < window.day_end),
                ids,
            ):
                rows[owner_id].activity.notes = int(notes)
            for owner_id, moves in await self._per_owner(
                select(Deal.owner_id, func.count(DealEvent.id))
                .join(Deal, Deal.id == DealEvent.deal_id)
                .where(
                    DealEvent.kind == EventKind.stage,
                    DealEvent.at >= window.day_start,
                    DealEvent.at < window.day_end,
                ),
                ids,
            ):
                rows[owner_id].activity.stage_moves = int(moves)
        return list(rows.values())

    async def _per_owner(self, stmt: Any, ids: list[int]) -> Iterable[Any]:
        return await self.session.execute(
            stmt.where(Deal.owner_id.in_(ids), Deal.deleted_at.is_(None)).group_by(Deal.owner_id)
        )

    async def _plans(self, ids: list[int], month: dt.date) -> list[Plan]:
        return list(
            await self.session.scalars(
                select(Plan).where(Plan.user_id.in_(ids), Plan.month == month)
            )
        )

    async def _pipeline(self, ids: list[int]) -> list[StageCount]:
        if not ids:
            return []
        rows = await self.session.execute(
            select(Stage, func.count(Deal.id))
            .join(Deal, Deal.stage_id == Stage.id)
            .where(
                Deal.owner_id.in_(ids),
                Deal.status == StageKind.open,
                Deal.deleted_at.is_(None),
            )
            .group_by(Stage.id)
            .order_by(Stage.position, Stage.id)
        )
        return [StageCount(stage, int(count)) for stage, count in rows]
