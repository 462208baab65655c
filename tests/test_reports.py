"""crm.reports directly: rights, what counts (deleted, reopened, other people), day and month
bounds in the viewer's time zone, and a constant number of queries whatever the team size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from models import User
from models.errors import AccessDenied
from models.roles import Role
from models.services.reports import StatsReport
from tests.conftest import App
from tests.reminders_support import set_user
from tests.stats_support import (
    build_day,
    deal_at,
    delete_deal,
    make_team,
    move_at,
    msk,
    note_at,
)

FRIDAY = dt.date(2026, 11, 27)


@contextmanager
def counted_statements(app: App) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)


async def report(app: App, viewer: User, method: str, *args: Any) -> Any:
    async with app.session_factory() as session:
        crm = app.crm(session)
        fresh = await session.get(User, viewer.id)
        return await getattr(crm.reports, method)(fresh, *args)


async def test_rights_of_each_view(app: App) -> None:
    day = await build_day(app)
    other_team = day.stranger.team_id
    with pytest.raises(AccessDenied):
        await report(app, day.ivan, "team", day.team_id)
    with pytest.raises(AccessDenied):
        await report(app, day.lead, "team", other_team)
    with pytest.raises(AccessDenied):
        await report(app, day.lead, "all_teams")
    own: StatsReport = await report(app, day.ivan, "stats_for")
    assert own.scope == "own" and own.total.won_month == 2
    team: StatsReport = await report(app, day.lead, "stats_for")
    assert team.scope == "team" and team.rows[0].name == "Анна Козлова"


async def test_what_counts(app: App) -> None:
    _, lead, team_id = await make_team(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    _, gone = await app.add_user(Role.manager, name="Уволен", team_id=team_id)
    won = await deal_at(app, msk(2026, 11, 27, 9, 0), ivan, "Выиграна и снова открыта")
    await move_at(app, msk(2026, 11, 27, 10, 0), ivan, won.id, "won", amount="100")
    await move_at(app, msk(2026, 11, 27, 11, 0), ivan, won.id, "requirements")  # reopened
    deleted = await deal_at(app, msk(2026, 11, 27, 9, 0), ivan, "Удалена")
    await note_at(app, msk(2026, 11, 27, 9, 30), ivan, deleted.id)
    await move_at(app, msk(2026, 11, 27, 9, 40), ivan, deleted.id, "won", amount="500")
    await delete_deal(app, deleted.id)
    # The lead works on Иван's deal: it counts for the deal's owner, Иван.
    await note_at(app, msk(2026, 11, 27, 12, 0), lead, won.id, "Звонок руководителя")
    # A deactivated manager's day is not reported.
    await deal_at(app, msk(2026, 11, 27, 9, 0), gone, "Его сделка")
    await set_user(app, gone, is_active=False)
    app.clock.set(msk(2026, 11, 27, 19, 0))
    summary = await report(app, lead, "daily_summary", FRIDAY)
    assert [r.name for r in summary.rows] == ["Иван Петров"]
    activity, counters = summary.rows[0].activity, summary.rows[0].counters
    assert (activity.new_deals, activity.notes, activity.stage_moves) == (1, 1, 2)
    assert (activity.won, activity.lost, counters.won_month, counters.open) == (0, 0, 0, 1)


async def test_day_and_month_bounds_follow_the_viewer(app: App) -> None:
    _, ivan = await app.add_user(Role.manager, name="Иван Петров")
    # Won at 01:00 on 1 December in Moscow = 22:00 UTC on 30 November.
    deal = await deal_at(app, msk(2026, 11, 30, 12, 0), ivan, "На границе")
    await move_at(app, msk(2026, 12, 1, 1, 0), ivan, deal.id, "won", amount="10")
    app.clock.set(msk(2026, 12, 1, 12, 0))
    moscow: StatsReport = await report(app, ivan, "own")
    assert moscow.month == dt.date(2026, 12, 1) and moscow.total.won_month == 1
    await set_user(app, ivan, timezone="Europe/London")  # there it is still November
    app.clock.set(dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC))
    london: StatsReport = await report(app, ivan, "own")
    assert london.month == dt.date(2026, 11, 1) and london.total.won_month == 1
    app.clock.set(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC))
    london = await report(app, ivan, "own")
    assert london.month == dt.date(2026, 12, 1) and london.total.won_month == 0


async def test_summary_queries_do_not_grow_with_the_team(app: App) -> None:
    _, lead, team_id = await make_team(app)
    managers = []
    for i in range(20):
        _, manager = await app.add_user(Role.manager, name=f"Менеджер {i:02d}", team_id=team_id)
        managers.append(manager)
    for manager in managers[:3]:
        deal = await deal_at(app, msk(2026, 11, 27, 10, 0), manager, "Клиент")
        await note_at(app, msk(2026, 11, 27, 11, 0), manager, deal.id)
    app.clock.set(msk(2026, 11, 27, 19, 0))
    with counted_statements(app) as small:
        assert await report(app, lead, "daily_summary", FRIDAY) is not None
    for manager in managers[3:]:
        deal = await deal_at(app, msk(2026, 11, 27, 10, 0), manager, "Клиент")
        await note_at(app, msk(2026, 11, 27, 11, 0), manager, deal.id)
        await move_at(app, msk(2026, 11, 27, 12, 0), manager, deal.id, "won", amount="1")
    app.clock.set(msk(2026, 11, 27, 19, 0))
    with counted_statements(app) as large:
        summary = await report(app, lead, "daily_summary", FRIDAY)
    assert summary.total.activity.notes == 20 and summary.total.activity.won == 17
    selects = [s for s in large if s.lstrip().upper().startswith("SELECT")]
    # The viewer (loaded by this test), then the team, its people, deal figures, plans,
    # notes, stage moves and the pipeline: one statement each, whatever the team size.
    assert len(large) == len(small) and len(selects) == 8


async def test_leads_due_for_summary(app: App) -> None:
    _, lead, _ = await make_team(app)
    _, blocked, _ = await make_team(app, "Вторая", lead_name="Недоступный Лид")
    _, late, _ = await make_team(app, "Третья", lead_name="Поздний Лид")
    await set_user(app, blocked, is_reachable=False)
    await set_user(app, late, summary_time=dt.time(20, 30))
    await app.add_user(Role.manager)  # managers get no summary

    async def due_at(when: dt.datetime) -> list[tuple[int, dt.date]]:
        async with app.session_factory() as session:
            rows = await app.crm(session).reports.leads_due_for_summary(when)
        return [(user.id, day) for user, day in rows]

    assert await due_at(msk(2026, 11, 27, 18, 59)) == []
    assert await due_at(msk(2026, 11, 27, 19, 0)) == [(lead.id, FRIDAY)]
    assert await due_at(msk(2026, 11, 27, 20, 30)) == [(lead.id, FRIDAY), (late.id, FRIDAY)]
    assert await due_at(msk(2026, 11, 28, 20, 30)) == []  # Saturday
