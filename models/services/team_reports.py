"""Period reports (/report): the funnel, the sources and the managers of a team, of a manager
or of the whole company, over a period of the viewer's local days.

Two kinds of figures, and the report says which is which:
* the cohort (funnel, sources): the deals created in the period, followed to where they are
  now (reached stages, won, lost, lost reasons);
* the activity (managers): what happened in the period (new deals, notes written, stage moves
  made, deals won and lost by their closing date) and the pipeline now (overdue, without a
  next step, stale, paused).

Money is kept per currency (``Amounts``), never added across currencies. Rights: a manager
sees only their own figures, a lead their team, an admin any team or everybody; each figure
drills down to its deals (``drill_ids``) under the same rights."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select

from ..access import visible_deals
from ..catalog import Source, Stage, StageKind
from ..deals import Deal, DealEvent, EventKind, Note
from ..errors import AccessDenied, NotFound
from ..periods import Period
from ..roles import Role
from ..sql import AnySelect
from ..timeutil import local_today
from ..users import Team, User
from . import report_queries as q
from .funnel import build_funnel
from .report_figures import (
    PERSON_FIGURES,
    Figure,
    FunnelReport,
    ManagersReport,
    PersonRow,
    SourceRow,
)
from .report_queries import ReportScope
from .reports import SELLING_ROLES, _money

if TYPE_CHECKING:
    from ..crm import Crm

STALE_LIMIT = 100_000  # the stale deals a drill-down may list (counts are exact anyway)
EVENTS_BATCH = 5_000  # deal ids per IN (PostgreSQL takes at most 32,767 parameters)


class TeamReports:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session
        self._memo: dict[tuple[Any, ...], list[Any]] = {}

    def today_of(self, viewer: User) -> dt.date:
        return local_today(self.crm.clock(), viewer.timezone)

    # -- whom ---------------------------------------------------------------------------------
    async def scope(self, viewer: User, team_id: int = 0) -> ReportScope:
        """``team_id`` 0: an admin's whole company, a manager's (or a team-less lead's) own
        figures, a lead's own team. Refuses what the viewer may not see."""
        today = self.today_of(viewer)
        if team_id == 0 and viewer.role is Role.lead and viewer.team_id is not None:
            team_id = viewer.team_id
        if team_id:
            if viewer.role is Role.lead:
                if viewer.team_id != team_id:
                    raise AccessDenied("report.not_your_team")
            elif viewer.role is not Role.admin:
                raise AccessDenied("report.not_your_team")
            team = await self.session.get(Team, team_id)
            if team is None:
                raise NotFound("report.team_gone")
            people = await self._sellers(User.team_id == team_id)
            ids = [p.id for p in people]
            return ReportScope("team", people, viewer.timezone, today, team, ids)
        if viewer.role is Role.admin:
            people = await self._sellers()
            return ReportScope("all", people, viewer.timezone, today)
        if viewer.role not in SELLING_ROLES:
            raise AccessDenied("report.not_allowed")
        return ReportScope("own", [viewer], viewer.timezone, today, owner_ids=[viewer.id])

    async def teams(self) -> list[Team]:
        return list(await self.session.scalars(select(Team).order_by(Team.name, Team.id)))

    async def _sellers(self, *where: ColumnElement[bool]) -> list[User]:
        rows = await self.session.scalars(
            select(User)
            .where(*where, User.is_active.is_(True), User.role.in_(SELLING_ROLES))
            .order_by(User.full_name, User.id)
        )
        return list(rows)

    # -- sections ------------------------------------------------------------------------------
    async def _stages(self) -> list[Stage]:
        return list(await self.session.scalars(select(Stage).order_by(Stage.position, Stage.id)))

    def _key(self, scope: ReportScope, period: Period, what: str) -> tuple[Any, ...]:
        owners = tuple(scope.owner_ids) if scope.owner_ids is not None else None
        return (what, scope.kind, owners, scope.timezone, period.codes)

    async def _cohort_deals(self, scope: ReportScope, period: Period) -> list[Any]:
        """The cohort's rows, read once per update: the funnel, the sources and the managers'
        "new" of one report share them (one service object lives for one update)."""
        key = self._key(scope, period, "deals")
        if key not in self._memo:
            start, end = period.bounds(scope.timezone)
            self._memo[key] = list(await self.session.execute(q.cohort_stmt(scope, start, end)))
        return self._memo[key]

    async def _cohort(self, scope: ReportScope, period: Period) -> tuple[list[Any], list[Any]]:
        deals = await self._cohort_deals(scope, period)
        ids = sorted(d.id for d in deals)
        events: list[Any] = []
        for at in range(0, len(ids), EVENTS_BATCH):
            stmt = q.cohort_events_stmt(ids[at : at + EVENTS_BATCH])
            events += await self.session.execute(stmt)
        return deals, events

    async def funnel(self, scope: ReportScope, period: Period) -> FunnelReport:
        deals, events = await self._cohort(scope, period)
        report = FunnelReport(build_funnel(await self._stages(), deals, events))
        for deal in deals:
            if deal.status == StageKind.won and deal.amount is not None:
                report.won_amount.add(deal.currency, _money(deal.amount))
        return report

    async def sources(self, scope: ReportScope, period: Period) -> list[SourceRow]:
        """Per source of the cohort: new, won now (count, money), lost now and why; the
        handbook's order, "no source" last."""
        deals = await self._cohort_deals(scope, period)
        ids = {d.source_id for d in deals if d.source_id is not None}
        sources = {}
        if ids:
            found = await self.session.scalars(select(Source).where(Source.id.in_(ids)))
            sources = {s.id: s for s in found}
        rows: dict[int, SourceRow] = {}
        for deal in deals:
            key = deal.source_id or 0
            row = rows.setdefault(key, SourceRow(sources.get(key)))
            row.new += 1
            if deal.status == StageKind.won:
                row.won += 1
                if deal.amount is not None:
                    row.won_amount.add(deal.currency, _money(deal.amount))
            elif deal.status == StageKind.lost:
                row.lost += 1
                reason = (deal.reason or "").strip() or None
                row.reasons[reason] = row.reasons.get(reason, 0) + 1
        for row in rows.values():  # the commonest reason first, "no reason" last
            row.reasons = dict(
                sorted(row.reasons.items(), key=lambda kv: (kv[0] is None, -kv[1], kv[0] or ""))
            )
        return sorted(
            rows.values(),
            key=lambda r: (r.source is None, r.source.position if r.source else 0, r.key),
        )

    async def managers(self, scope: ReportScope, period: Period) -> ManagersReport:
        start, end = period.bounds(scope.timezone)
        rows = {p.id: PersonRow(p) for p in scope.people}
        ids = list(rows)

        def row_of(owner_id: int) -> PersonRow | None:
            return rows.get(owner_id)

        cohort = self._memo.get(self._key(scope, period, "deals"))
        if cohort is not None:  # the funnel or the sources of this update read it already
            for deal in cohort:
                if (row := row_of(deal.owner_id)) is not None:
                    row.new += 1
        else:
            stmt = q.new_per_owner_stmt(scope, start, end)
            for owner_id, count in await self.session.execute(stmt):
                if (row := row_of(owner_id)) is not None:
                    row.new = int(count)
        for kind in (StageKind.won, StageKind.lost):
            stmt = q.closed_per_owner_stmt(scope, kind, start, end)
            for owner_id, currency, count, amount in await self.session.execute(stmt):
                if (row := row_of(owner_id)) is None:
                    continue
                if kind is StageKind.won:
                    row.won += int(count)
                    row.won_amount.add(currency, _money(amount))
                else:
                    row.lost += int(count)
        if ids:
            stmt = q.notes_per_author_stmt(scope, ids, start, end)
            for author_id, count in await self.session.execute(stmt):
                rows[author_id].notes = int(count)
            stmt = q.moves_per_actor_stmt(scope, ids, start, end)
            for actor_id, count in await self.session.execute(stmt):
                rows[actor_id].moves = int(count)
        for owner_id, overdue, no_next, paused in await self.session.execute(
            q.pipeline_now_stmt(scope)
        ):
            if (row := row_of(owner_id)) is not None:
                row.overdue, row.no_next, row.paused = int(overdue), int(no_next), int(paused)
        now = self.crm.clock()
        people = [(p.id, local_today(now, p.timezone), p.timezone) for p in scope.people]
        for owner_id, stale in (await self.crm.staleness.counts(people)).items():
            if (row := row_of(owner_id)) is not None:
                row.stale = stale
        months = period.months()
        if months and ids:
            for month in months:
                for user_id, plan in (await self.crm.plans.for_users(ids, month)).items():
                    row = rows[user_id]
                    row.plan_won = (row.plan_won or 0) + plan.target_won
                    if plan.target_amount is not None:
                        row.plan_amount = (row.plan_amount or decimal.Decimal("0.00")) + (
                            plan.target_amount
                        )
        total = PersonRow(None)
        for row in rows.values():
            total.add(row)
        # A lead's own line only when they sell too (a manager's line always).
        shown = [r for r in rows.values() if not (r.user and r.user.role is not Role.manager
                                                  and r.is_empty)]  # fmt: skip
        return ManagersReport(shown, total, months)

    async def _stale(self, scope: ReportScope, limit: int) -> dict[int, list[int]]:
        """Stale deals per owner now, each in the owner's own calendar (as the digest)."""
        now = self.crm.clock()
        people = [(p.id, local_today(now, p.timezone), p.timezone) for p in scope.people]
        found = await self.crm.staleness.for_owners(people, limit=limit)
        return {owner: [d.id for d in stale.deals] for owner, stale in found.items()}

    # -- drill-down ----------------------------------------------------------------------------
    async def drill_ids(
        self, viewer: User, scope: ReportScope, period: Period, figure: Figure, key: int
    ) -> list[int]:
        """The ids of the deals behind a figure, newest first; ``scope`` comes from
        ``scope(viewer, ...)`` (rights checked); a person outside it is refused."""
        if figure in PERSON_FIGURES and key and key not in {p.id for p in scope.people}:
            raise AccessDenied("report.not_your_team")
        start, end = period.bounds(scope.timezone)
        if figure is Figure.reached:
            deals, events = await self._cohort(scope, period)
            funnel = build_funnel(await self._stages(), deals, events)
            return sorted(funnel.reached_ids.get(key, set()), reverse=True)
        if figure is Figure.mgr_stale:
            stale = await self._stale(scope, STALE_LIMIT)
            owners = [key] if key else list(stale)
            return sorted((d for o in owners for d in stale.get(o, [])), reverse=True)
        stmt = select(Deal.id).where(*self._where(scope, figure, key, start, end))
        stmt = stmt.where(visible_deals(viewer)).order_by(Deal.id.desc())
        return list(await self.session.scalars(stmt))

    def _where(
        self, scope: ReportScope, figure: Figure, key: int, start: dt.datetime, end: dt.datetime
    ) -> list[Any]:
        person = ReportScope(scope.kind, scope.people, scope.timezone, scope.today, scope.team,
                             [key] if key else scope.owner_ids)  # fmt: skip
        people = [key] if key else [p.id for p in scope.people]
        if figure is Figure.cohort:
            return q.created_in(scope, start, end)
        if figure is Figure.cohort_lost:
            return [*q.created_in(scope, start, end), Deal.status == StageKind.lost]
        if figure in (Figure.src_new, Figure.src_won, Figure.src_lost):
            where = q.created_in(scope, start, end)
            where.append(Deal.source_id == key if key else Deal.source_id.is_(None))
            if figure is Figure.src_won:
                where.append(Deal.status == StageKind.won)
            elif figure is Figure.src_lost:
                where.append(Deal.status == StageKind.lost)
            return where
        if figure is Figure.mgr_new:
            return q.created_in(person, start, end)
        if figure is Figure.mgr_won:
            return q.closed_in(person, StageKind.won, start, end)
        if figure is Figure.mgr_lost:
            return q.closed_in(person, StageKind.lost, start, end)
        if figure is Figure.mgr_notes:
            notes = select(Note.deal_id).where(
                Note.author_id.in_(people), Note.created_at >= start, Note.created_at < end
            )
            return [Deal.id.in_(notes), Deal.deleted_at.is_(None)]
        if figure is Figure.mgr_moves:
            moves = select(DealEvent.deal_id).where(
                DealEvent.actor_id.in_(people),
                DealEvent.kind == EventKind.stage,
                DealEvent.at >= start,
                DealEvent.at < end,
            )
            return [Deal.id.in_(moves), Deal.deleted_at.is_(None)]
        owners = [*q.owned(person), Deal.owner_id.in_(people)]
        if figure is Figure.mgr_overdue:
            return [*owners, Deal.status == StageKind.open, Deal.next_action_on < scope.today]
        if figure is Figure.mgr_no_next:
            return [*owners, Deal.status == StageKind.open, Deal.next_action_on.is_(None)]
        if figure is Figure.mgr_paused:
            return [*owners, Deal.status == StageKind.paused]
        raise NotFound("report.figure_gone")

    async def deals_by_ids(self, viewer: User, ids: list[int]) -> list[Deal]:
        """These deals (stage, pipeline, source, owner and contacts loaded), in this order,
        as far as ``viewer`` may see them."""
        from sqlalchemy.orm import joinedload, selectinload

        if not ids:
            return []
        loads = [joinedload(getattr(Deal, n)) for n in ("stage", "pipeline", "source", "owner")]
        found: dict[int, Deal] = {}
        for start in range(0, len(ids), 500):
            stmt = (
                select(Deal)
                .where(Deal.id.in_(ids[start : start + 500]), visible_deals(viewer))
                .options(*loads, selectinload(Deal.contacts))
            )
            for deal in (await self.session.scalars(stmt)).unique():
                found[deal.id] = deal
        return [found[i] for i in ids if i in found]

    # -- the benchmark's EXPLAIN ---------------------------------------------------------------
    async def statements(self, scope: ReportScope, period: Period) -> dict[str, AnySelect]:
        start, end = period.bounds(scope.timezone)
        ids = [p.id for p in scope.people]
        deals = await self._cohort_deals(scope, period)
        return {
            "cohort": q.cohort_stmt(scope, start, end),
            "cohort_events": q.cohort_events_stmt(sorted(d.id for d in deals)[:EVENTS_BATCH]),
            "new_per_owner": q.new_per_owner_stmt(scope, start, end),
            "won_per_owner": q.closed_per_owner_stmt(scope, StageKind.won, start, end),
            "notes_per_author": q.notes_per_author_stmt(scope, ids, start, end),
            "moves_per_actor": q.moves_per_actor_stmt(scope, ids, start, end),
            "pipeline_now": q.pipeline_now_stmt(scope),
        }
