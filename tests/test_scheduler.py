"""The scheduler itself: started with a stable job id, the scan's stages in order and isolated
from each other, the module-level context, and query plans that walk indexes only."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger

import scheduler.jobs as jobs
from bot.app import prepare_database
from models.crm import Crm, CrmConfig
from models.db import create_engine, create_session_factory
from models.roles import Role
from models.services.accounts import Profile
from models.services.deals import DealDraft
from models.services.reminder_queries import explain_statements
from scheduler import summaries
from scheduler.context import SchedulerContext, get_context, set_context
from scheduler.jobs import Stage
from scheduler.setup import start_scheduler, stop_scheduler
from tests.conftest import START, App, postgres_only, sqlite_only
from tests.factories import make_deal
from tests.fake_bot_api import FakeBotApi
from tests.mocked_bot import TOKEN
from tests.postgres_support import (
    plan,
    reads_by_index,
    seed_big_tables,
    sequential_scans_of_big_tables,
)
from tests.reminders_support import chat, make_context, scan_at

ROOT = Path(__file__).resolve().parents[1]


async def test_scheduler_starts_with_the_scan_job_under_a_stable_id(app: App) -> None:
    scheduler = start_scheduler(app.settings, app.engine, app.bot, clock=app.clock)
    try:
        by_id = {j.id: j for j in scheduler.get_jobs()}
        assert set(by_id) == {"dealbot.scan", "dealbot.remind", "dealbot.prune", "dealbot.lease"}
        job = by_id[jobs.SCAN_JOB_ID]
        remind, prune = by_id[jobs.REMIND_JOB_ID], by_id[jobs.PRUNE_JOB_ID]
        assert remind.func is jobs.remind and remind.args == () and remind.max_instances == 1
        assert prune.func is jobs.prune and prune.args == ()
        assert job.func is jobs.scan and job.args == () and job.kwargs == {}
        assert isinstance(job.trigger, CronTrigger)
        assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time
        # The first run is right now: the catch-up after a downtime.
        assert job.next_run_time <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
        assert str(scheduler.timezone) == "UTC"
        ctx = get_context()
        assert ctx.clock is app.clock and ctx.settings is app.settings
    finally:
        await stop_scheduler(scheduler)
    assert not scheduler.running
    with pytest.raises(RuntimeError):
        get_context()
    assert not jobs.stopping()  # a later start (or a test's scan) is not left stopped


async def test_scan_job_uses_the_context_and_its_clock(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    await make_deal(app, user, next_action_on=START.date())
    set_context(None)
    with pytest.raises(RuntimeError):
        await jobs.scan()
    set_context(ctx)
    try:
        app.clock.set(START)
        await jobs.scan()
        await jobs.scan()
    finally:
        set_context(None)
    assert len(chat(app, user)) == 1


async def test_stages_run_in_order_and_a_failing_one_does_not_stop_the_rest(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, _ = make_context(app)
    calls: list[str] = []

    def stage(name: str, fail: bool = False) -> Stage:
        async def run(ctx: SchedulerContext, now: dt.datetime) -> int:
            calls.append(name)
            if fail:
                raise RuntimeError("boom")
            return 1

        return run

    monkeypatch.setattr(
        jobs,
        "STAGES",
        (
            ("digests", stage("digests")),
            ("reminders", stage("reminders", fail=True)),
            ("followups", stage("followups")),
            ("summaries", stage("summaries")),
        ),
    )
    sent = await scan_at(app, ctx, START)
    assert calls == ["digests", "reminders", "followups", "summaries"]
    assert sent == {"digests": 1, "reminders": 0, "followups": 1, "summaries": 1}
    assert [name for name, _ in jobs.STAGES] == calls


async def test_summaries_stage_is_plugged_in(app: App) -> None:
    ctx, _ = make_context(app)
    assert ("summaries", summaries.run_due) in jobs.STAGES
    assert await summaries.run_due(ctx, START) >= 0


@sqlite_only
async def test_scan_statements_walk_indexes_never_the_deals_table(app: App) -> None:
    zones = ("Europe/Moscow", "Europe/Berlin", "America/New_York")
    plans: dict[str, list[str]] = {}
    async with app.engine.connect() as conn:
        for name, stmt in explain_statements(START, zones).items():
            sql = stmt.compile(
                dialect=app.engine.dialect,
                compile_kwargs={"literal_binds": True, "render_postcompile": True},
            )
            rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
            plans[name] = [row[-1] for row in rows]
    for name, steps in plans.items():
        for step in steps:
            assert not step.startswith("SCAN deals"), (name, steps)
            assert not step.startswith("SCAN sent_notifications"), (name, steps)
    assert any("ix_deals_next_action_at" in s for s in plans["timed_due"])
    assert any("ix_deals_owner_status_next" in s for s in plans["due_deals"])
    assert any("ix_deals_owner_status_next" in s for s in plans["team_overdue"])
    assert any("sent_notifications" in s for s in plans["digest_due_users"])


@postgres_only
async def test_scan_statements_walk_indexes_on_postgresql(app: App) -> None:
    """The twin of the SQLite check, on 40,000 deals and 100,000 sent-log rows with
    statistics: no statement reads the deals table or the sent-log sequentially."""
    await app.add_user(Role.manager)
    await seed_big_tables(app)
    zones = ("Europe/Moscow", "Europe/Berlin", "America/New_York")
    plans: dict[str, list[str]] = {}
    async with app.engine.connect() as conn:
        for name, stmt in explain_statements(START, zones).items():
            sql = stmt.compile(
                dialect=app.engine.dialect,
                compile_kwargs={"literal_binds": True, "render_postcompile": True},
            )
            plans[name] = await plan(conn, sql)
        # 500 keys against 100,000 rows: reading the sent-log whole is cheaper than 500 probes
        # of its unique index, and PostgreSQL rightly does that here; a real sent-log (weeks
        # of keys of thousands of people) is many times bigger. What must hold is that the
        # probe plan exists, so that one is checked with sequential scans priced out.
        existing = explain_statements(START, zones)["existing_keys"].compile(
            dialect=app.engine.dialect,
            compile_kwargs={"literal_binds": True, "render_postcompile": True},
        )
        plans["existing_keys"] = await plan(conn, existing, seqscan=False)
        # The same holds, more narrowly, for 500 owners' due deals (5% of this table, ~2,000
        # rows): with ANALYZE's sampled statistics PostgreSQL sometimes prices one hashed pass
        # over 40,000 rows below 500 index probes. On a real base the batch is a far smaller
        # share; what must hold is that the index serves the statement.
        for name in ("due_deals", "team_overdue"):
            compiled = explain_statements(START, zones)[name].compile(
                dialect=app.engine.dialect,
                compile_kwargs={"literal_binds": True, "render_postcompile": True},
            )
            plans[name] = await plan(conn, compiled, seqscan=False)
    for name, lines in plans.items():
        assert sequential_scans_of_big_tables(lines) == [], (name, lines)
    assert any("ix_deals_next_action_at" in line for line in plans["timed_due"])
    assert reads_by_index(plans["due_deals"], "deals")
    assert reads_by_index(plans["team_overdue"], "deals")
    assert any("sent_notifications" in line for line in plans["digest_due_users"])
    assert reads_by_index(plans["existing_keys"], "sent_notifications")


async def test_python_m_bot_scheduler_sends_the_catch_up_digest_and_stops(tmp_path: Path) -> None:
    """The real process: ``python -m bot scheduler`` (no polling) against a local Bot API
    server sends a due digest right at start and exits cleanly on SIGTERM."""
    db = tmp_path / "bot.db"
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    await prepare_database(engine)
    async with create_session_factory(engine)() as session, session.begin():
        crm = Crm(session, CrmConfig("UTC"))
        user = crm.accounts._new_user(Profile(777, "Мария Смирнова"), Role.manager, None, "ru")
        user.digest_time, user.work_days = dt.time(0, 0), "1234567"  # due at any hour
        session.add(user)
        await session.flush()
        deal = await crm.deals.create(user, DealDraft(client_name="ООО Ромашка"))
        crm.deals.apply_next_action(deal, dt.date(2020, 1, 1), None, user)
    await engine.dispose()

    api = FakeBotApi()
    base = await api.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(
        BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{db}",
        TELEGRAM_API_URL=base,
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "scheduler", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )
    assert proc.stderr is not None
    try:
        await asyncio.wait_for(api.called.wait(), 60)
        method, params = api.calls[0]
        assert method == "sendMessage" and int(params["chat_id"]) == 777
        assert "просрочено: 1 сделка" in params["text"]
        proc.send_signal(signal.SIGTERM)
        rest = (await asyncio.wait_for(proc.stderr.read(), 30)).decode()
        assert await asyncio.wait_for(proc.wait(), 30) == 0, rest
        assert "Traceback" not in rest and "Scheduler stopped" in rest
        assert not any(m == "getUpdates" for m, _ in api.calls)  # no polling
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await api.stop()
    with sqlite3.connect(db) as conn:
        [(key, sent_at)] = conn.execute("select key, sent_at from sent_notifications").fetchall()
    assert key.startswith(f"digest:{user.id}:") and sent_at is not None


async def test_timed_reminders_have_their_own_job_beside_the_scan(app: App) -> None:
    """The production scan leaves timed reminders to the 'remind' job, so a long 09:00 wave
    of digests never delays a reminder."""
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    saturday = dt.date(2026, 11, 28)  # no digest on a weekend: only the reminder is due
    await make_deal(app, user, "Созвон", next_action_on=saturday, next_action_time=dt.time(15))
    app.clock.set(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC))  # 15:00 in Moscow
    set_context(ctx)
    try:
        await jobs.scan()
        assert chat(app, user) == []
        await jobs.remind()
        await jobs.remind()
    finally:
        set_context(None)
    [reminder] = chat(app, user)
    assert "Напоминание · 15:00" in reminder.text
