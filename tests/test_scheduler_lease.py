"""Exactly one scheduler per database: the lease row decides, a standby takes over when the
holder stops renewing (kill -9) or releases (clean shutdown), and the jobs do nothing while
their process does not hold the lease."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import shutil
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from models.reliability import SchedulerLease
from models.roles import Role
from models.sql import table_of
from scheduler import jobs
from scheduler.context import set_context
from scheduler.lease import SchedulerLeaseKeeper
from tests.conftest import START, App
from tests.factories import make_deal
from tests.mocked_bot import TOKEN
from tests.reminders_support import chat, make_context

ROOT = Path(__file__).resolve().parents[1]
SHORT = dt.timedelta(seconds=2)


def keeper(app: App, name: str, ttl: dt.timedelta = SHORT) -> SchedulerLeaseKeeper:
    return SchedulerLeaseKeeper(app.session_factory, ttl=ttl, holder=name)


async def test_one_holds_the_other_stands_by_and_takes_over_after_expiry(app: App) -> None:
    a, b = keeper(app, "a"), keeper(app, "b")
    assert await a.renew() and a.held
    assert not await b.renew() and not b.held
    assert await a.renew()  # renewing its own lease
    assert not await b.renew()
    row = await b.current()
    assert row is not None and row.holder == "a" and row.expires_at > dt.datetime.now(dt.UTC)
    assert await app.count(SchedulerLease) == 1
    first_taken = a.acquired_at

    await asyncio.sleep(SHORT.total_seconds() + 0.1)  # a stops renewing (as after a kill -9)
    assert not a.held  # its own view lapses with the lease, without asking the database
    assert await b.renew() and b.held
    assert not await a.renew() and not a.held
    lease = await b.current()
    assert lease is not None and lease.holder == "b" and lease.acquired_at >= first_taken


async def test_a_released_lease_is_taken_at_once(app: App) -> None:
    a, b = keeper(app, "a", dt.timedelta(seconds=60)), keeper(app, "b", dt.timedelta(seconds=60))
    assert await a.renew() and not await b.renew()
    await a.release()
    assert not a.held
    assert await b.renew()
    lease = await b.current()
    assert lease is not None and lease.holder == "b"


async def test_taking_and_standing_by_are_logged_once(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = keeper(app, "a", dt.timedelta(seconds=60)), keeper(app, "b", dt.timedelta(seconds=60))
    with caplog.at_level("INFO", logger="scheduler.lease"):
        for _ in range(3):
            await a.renew()
            await b.renew()
    lines = [r.getMessage() for r in caplog.records]
    assert len([m for m in lines if m.startswith("Scheduler lease taken by a")]) == 1
    assert len([m for m in lines if m.startswith("Scheduler on standby")]) == 1
    assert "held by a until" in next(m for m in lines if m.startswith("Scheduler on standby"))


async def test_jobs_do_nothing_without_the_lease(app: App) -> None:
    _, user = await app.add_user(Role.manager)
    await make_deal(app, user, next_action_on=START.date())  # a digest is due at 09:00
    other = keeper(app, "other process", dt.timedelta(seconds=60))
    assert await other.renew()
    ctx, _ = make_context(app)
    ctx.lease = keeper(app, "this process", dt.timedelta(seconds=60))
    set_context(ctx)
    try:
        app.clock.set(START)
        await jobs.scan()
        await jobs.remind()
        await jobs.prune()
        assert chat(app, user) == [] and ctx.lease.last_scan_at is None
        await other.release()  # the holder shuts down: this process takes over
        await jobs.keep_lease()
        assert ctx.lease.held
        await jobs.scan()
    finally:
        set_context(None)
    assert len(chat(app, user)) == 1
    assert ctx.lease.last_scan_at == START


# -- two real processes ---------------------------------------------------------------------


def _env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(
        BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{db}",
        TELEGRAM_API_URL="http://127.0.0.1:9",  # nothing is due: nothing is sent
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        SCHEDULER_LEASE_SECONDS="3",
    )
    return env


async def _wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.1)


def _lease(db: Path) -> tuple[str, str]:
    with sqlite3.connect(db) as conn:
        [(holder, expires)] = conn.execute("select holder, expires_at from scheduler_leases")
    return holder, expires


async def test_two_scheduler_processes_one_holder_and_a_takeover_after_kill_9(
    template_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "bot.db"
    shutil.copy(template_db, db)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = []
    for log in logs:
        with log.open("wb") as out:
            procs.append(
                await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "scheduler", cwd=ROOT, env=_env(db), stderr=out
                )
            )

    def text(i: int) -> str:
        return logs[i].read_text()

    def decided(i: int) -> bool:
        return "Scheduler lease taken" in text(i) or "Scheduler on standby" in text(i)

    try:
        await _wait_for(lambda: decided(0) and decided(1), 60)
        taken = [i for i in (0, 1) if "Scheduler lease taken" in text(i)]
        assert len(taken) == 1, (text(0), text(1))
        holder, standby = taken[0], 1 - taken[0]
        assert f":{procs[holder].pid}:" in _lease(db)[0]
        assert "Scheduler on standby" in text(standby)

        procs[holder].send_signal(signal.SIGKILL)
        await procs[holder].wait()
        # The standby takes over once the lease lapses (3 s) at its next try (every 1 s).
        await _wait_for(lambda: "Scheduler lease taken" in text(standby), 20)
        assert f":{procs[standby].pid}:" in _lease(db)[0]

        procs[standby].send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(procs[standby].wait(), 30) == 0, text(standby)
        assert "Traceback" not in text(standby)
        assert "Scheduler lease released" in text(standby)
        # Released: the lease ends at the shutdown, not 3 s later.
        holder_id, expires = _lease(db)
        assert f":{procs[standby].pid}:" in holder_id
        released_at = dt.datetime.fromisoformat(re.sub(r"\.\d+$", "", expires)).replace(
            tzinfo=dt.UTC
        )
        assert released_at <= dt.datetime.now(dt.UTC)
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()


async def test_a_lease_of_a_dead_process_on_this_host_is_taken_at_once(app: App) -> None:
    """A restart right after a kill -9 does not wait the lease out."""
    import socket

    gone = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await gone.wait()
    host = socket.gethostname()
    long = dt.timedelta(seconds=600)
    dead = keeper(app, f"{host}:{gone.pid}:dead", long)
    assert await dead.renew()
    assert await keeper(app, "restarted", long).renew()
    lease = await dead.current()
    assert lease is not None and lease.holder == "restarted"

    # Alive (our parent) or on another host: waited out as before.
    for holder in (f"{host}:{os.getppid()}:alive", f"elsewhere:{gone.pid}:x"):
        async with app.session_factory() as session, session.begin():
            await session.execute(
                table_of(SchedulerLease).update().values(
                    holder=holder, expires_at=dt.datetime.now(dt.UTC) + long
                )
            )
        assert not await keeper(app, "another", long).renew()
