"""Benchmark of the reminders scan and of digest delivery (issue 4, item 10).

    python -m bench.scheduler_bench                       # 1,000,000 deals, 10,000 managers
    python -m bench.scheduler_bench --deals 20000 --managers 200 --digests 200   # smoke, < 60 s

1. Seeds (in a child process, so this one's peak memory is the scheduler's) or reuses a
   SQLite base built by the real migrations and seed (bench/seed.py): 1 admin, a team with a
   lead per 100 managers, deals ~70% open with the next step from 10 days ago to 20 days
   ahead, so at 09:00 every manager has a digest. Cached as bench/out/scheduler-DxM.db with
   a sidecar JSON of its sizes (1,000,000 deals seed in ~2.5 minutes, once).
2. Times the production scan (``scheduler.jobs.scan_once``) with an injected clock:
   (a) at 03:00 Moscow on a work day, when nothing is due;
   (b) at 09:00 when every digest is due: the planning (``scheduler.digests.due_batches``,
   the scan's work before the first message goes to the sender: the < 3 s target), and the
   planning plus building every message up front (orientation: in production a message is
   built in its send slot); (b2) whole
   scans from 09:00 with a Telegram that answers at once (the sender's own bookkeeping);
   (a2) after the wave, every key decided (the scan of every other minute of the day).
3. Delivers the digests through the production ``Sender`` and a real aiogram ``Bot`` to
   bench/fake_limited_api.py (Telegram's limits, 20 ms latency) in its own process: total
   time against N / rate, 429s, the busiest second on both sides, loop lag, GC pauses,
   memory (bench/scheduler_delivery.py). ``--delivery scans`` drives it the production
   way instead, one scan a minute with the stage's time budget; ``--stall-ms`` blocks the
   loop now and then, as a long GC pause does.
4. (d) The other stages at their busy moments: the 14:00 follow-ups and escalations, the
   19:00 summaries (``--skip-other`` skips them).
5. Prints EXPLAIN QUERY PLAN of the reminders module's statements and of every statement the
   scans sent; a SCAN of deals (or another big table) is a failure.

Options: ``--runs``/``--wave-runs`` timed repetitions, ``--profile`` pyinstrument of one
09:00 plan, ``--sql`` full SQL, ``--check`` exit 1 when a target is missed, ``--db PATH``.

A script, not a test: nothing here runs under pytest."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import platform
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.breakdown import timed_sqlite
from bench.plans import SqlCapture, explain, sql_of
from bench.report import load_average, versions
from bench.scheduler_delivery import delivery_section
from bench.scheduler_support import (
    TOKEN,
    BenchClock,
    LogCounter,
    configure_logging,
    ms,
    null_bot,
    peak_rss_mb,
    rss_mb,
    verdict,
)
from bench.seed import Sizes, ensure_database
from bot.i18n import Translator
from bot.render.digest import render_digest, render_followup
from bot.sender import Sender
from bot.settings import Settings
from models import Deal, User
from models.catalog import StageKind
from models.db import create_engine
from models.notifications import SentNotification
from models.roles import Role
from models.services.reminder_items import Daily, daily_key
from models.services.reminder_queries import explain_statements
from scheduler import digests, followups, jobs, summaries
from scheduler.context import SchedulerContext
from scheduler.setup import build_context

ROOT = Path(__file__).resolve().parents[1]
ZONE = "Europe/Moscow"
DAY = dt.date(2026, 11, 27)  # a Friday: a work day
QUIET_AT = dt.time(3, 0)
WAVE_AT = dt.time(9, 0)
QUIET_TARGET_MS = 250.0
WAVE_TARGET_S = 3.0
# A plan step that reads one of these from end to end is a failure (users is walked on
# purpose: one row per person, the scan starts from it).
BIG_TABLES = ("deals", "contacts", "notes", "deal_events", "sent_notifications")
_SCAN = re.compile(r"\bSCAN (\w+)")
_IN_LIST = re.compile(r"\((?:\?|__\[POSTCOMPILE_\w+\])(?:, \?)*\)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scheduler_bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--managers", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=0, help="notes to seed (not scanned)")
    parser.add_argument("--seed", type=int, default=14, help="random seed of the data")
    parser.add_argument(
        "--db", type=Path, help="SQLite file (default bench/out/scheduler-DxM.db, kept)"
    )
    parser.add_argument("--day", type=dt.date.fromisoformat, default=DAY, help="a work day")
    parser.add_argument("--runs", type=int, default=9, help="timed quiet scans per moment")
    parser.add_argument("--wave-runs", type=int, default=3, help="timed 09:00 plans")
    parser.add_argument(
        "--digests", type=int, help="digests to deliver (default: every one due at 09:00)"
    )
    parser.add_argument(
        "--delivery",
        choices=("sender", "scans", "both", "none"),
        default="sender",
        help="sender: one run_daily without the stage's time budget (the sender's own pace);"
        " scans: the production scan every minute, budget included; both",
    )
    parser.add_argument("--skip-delivery", action="store_true", help="same as --delivery none")
    parser.add_argument("--skip-instant", action="store_true", help="no instant-Telegram scans")
    parser.add_argument(
        "--skip-other", action="store_true", help="no follow-up / escalation / summary stages"
    )
    parser.add_argument("--latency-ms", type=float, default=20.0, help="fake Bot API latency")
    parser.add_argument(
        "--stall-ms",
        type=float,
        default=0.0,
        help="during delivery, block the event loop this long every --stall-every seconds"
        " (what a long GC pause does)",
    )
    parser.add_argument("--stall-every", type=float, default=10.0, metavar="S")
    parser.add_argument(
        "--dump-timeline",
        metavar="PREFIX",
        help="write every send attempt and API arrival to PREFIX.<mode>.json",
    )
    parser.add_argument("--no-tracemalloc", action="store_true", help="in the delivery phase")
    parser.add_argument("--profile", action="store_true", help="pyinstrument the 09:00 plan")
    parser.add_argument("--sql", action="store_true", help="print every statement's full SQL")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if min(args.deals, args.managers, args.runs, args.wave_runs) < 1:
        parser.error("sizes and runs must be positive")
    if args.day.isoweekday() > 5:
        parser.error("--day must be a work day (Monday to Friday)")
    if args.skip_delivery:
        args.delivery = "none"
    if args.db is None:
        args.db = Path(__file__).parent / "out" / f"scheduler-{args.deals}x{args.managers}.db"
    args.db = args.db.resolve()
    return args


def at_local(day: dt.date, moment: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, moment, ZoneInfo(ZONE)).astimezone(dt.UTC)


# -- seeding ---------------------------------------------------------------------------------
async def seed_only(args: argparse.Namespace) -> int:
    """The child process: migrate + seed (or reuse, shifting dates), print one JSON line."""
    engine = create_engine(f"sqlite+aiosqlite:///{args.db}")
    try:
        sizes = Sizes(args.deals, args.managers, args.notes, args.seed)
        seeded = await ensure_database(engine, args.db, sizes, at_local(args.day, WAVE_AT))
    finally:
        await engine.dispose()
    print("SEEDED " + json.dumps(asdict(seeded)), flush=True)
    return 0


async def seed_in_child(args: argparse.Namespace) -> dict[str, Any]:
    args.db.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "bench.scheduler_bench", "--seed-only"]
    command += ["--deals", str(args.deals), "--managers", str(args.managers)]
    command += ["--notes", str(args.notes), "--seed", str(args.seed)]
    command += ["--db", str(args.db), "--day", args.day.isoformat()]
    child = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE, cwd=ROOT)
    out, _ = await child.communicate()
    lines = [x for x in out.decode().splitlines() if x.startswith("SEEDED ")]
    if child.returncode or not lines:
        raise SystemExit(f"seeding failed (exit {child.returncode}): {out.decode()[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("SEEDED "))
    return result


async def reset_state(engine: AsyncEngine) -> None:
    """A reused base starts clean: an empty sent-log, everybody reachable."""
    async with engine.begin() as conn:
        await conn.execute(delete(SentNotification))
        await conn.execute(update(User).where(User.is_reachable.is_(False)).values(is_reachable=1))


@dataclass
class Population:
    users: dict[str, int]
    zones: dict[str, int]
    deals: int
    open_deals: int
    due_deals: int  # open, not deleted, next step today or earlier (Moscow's today)
    digest_owners: int  # managers with at least one such deal: the 09:00 digests


async def population(engine: AsyncEngine, today: dt.date) -> Population:
    due = (
        Deal.status == StageKind.open,
        Deal.deleted_at.is_(None),
        Deal.next_action_on <= today,
    )
    async with engine.connect() as conn:
        roles = dict(
            (await conn.execute(select(User.role, func.count()).group_by(User.role))).all()
        )
        zones = dict(
            (await conn.execute(select(User.timezone, func.count()).group_by(User.timezone))).all()
        )
        deals = await conn.scalar(select(func.count()).select_from(Deal))
        open_deals = await conn.scalar(select(func.count()).where(Deal.status == StageKind.open))
        due_deals = await conn.scalar(select(func.count()).where(*due))
        owners = await conn.scalar(select(func.count(func.distinct(Deal.owner_id))).where(*due))
    return Population(
        {str(Role(k).value): v for k, v in roles.items()},
        zones,
        deals or 0,
        open_deals or 0,
        due_deals or 0,
        owners or 0,
    )


# -- the scans ---------------------------------------------------------------------------------
@dataclass
class Timings:
    label: str
    samples: list[float] = field(default_factory=list)  # seconds
    stages: dict[str, list[float]] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def line(self) -> str:
        ordered = sorted(self.samples)
        return (
            f"median {ms(self.median)}, min {ms(ordered[0])}, max {ms(ordered[-1])}"
            f" ({len(ordered)} runs)"
        )


class Statements:
    """Distinct statements the scans sent (IN lists of any length counted once)."""

    def __init__(self, capture: SqlCapture) -> None:
        self.capture = capture
        self.seen: dict[str, tuple[str, str, Any]] = {}  # shape -> (where, sql, params)

    async def during(self, where: str, work: Callable[[], Awaitable[Any]]) -> Any:
        self.capture.take()
        self.capture.active = True
        try:
            return await work()
        finally:
            self.capture.active = False
            for sql, params in self.capture.take():
                shape = _IN_LIST.sub("(?…)", " ".join(sql.split()))
                self.seen.setdefault(shape, (where, sql, params))


async def timed_scans(
    ctx: SchedulerContext,
    clock: BenchClock,
    when: dt.datetime,
    runs: int,
    label: str,
    statements: Statements,
    logs: LogCounter,
) -> Timings:
    """One untimed scan that also records the SQL, then ``runs`` timed ``scan_once`` calls,
    then ``runs`` passes calling each stage alone for the split."""
    clock.now = when
    timings = Timings(label)
    await statements.during(label, lambda: jobs.scan_once(ctx, when))
    for _ in range(runs):
        started = time.perf_counter()
        sent = await jobs.scan_once(ctx, when)
        timings.samples.append(time.perf_counter() - started)
        for name, count in sent.items():
            timings.sent[name] = timings.sent.get(name, 0) + count
    for _ in range(runs):
        for name, stage in jobs.STAGES:
            started = time.perf_counter()
            await stage(ctx, when)
            timings.stages.setdefault(name, []).append(time.perf_counter() - started)
    timings.problems = [r.getMessage() for r in logs.take()]
    return timings


def print_scans(t: Timings, when: dt.datetime) -> None:
    local = when.astimezone(ZoneInfo(ZONE))
    print(f"\n{t.label} — scan_once at {local:%Y-%m-%d %H:%M %Z} ({when:%H:%M} UTC)")
    print(f"  whole scan: {t.line()}")
    split = ", ".join(f"{n} {ms(statistics.median(s))}" for n, s in t.stages.items())
    print(f"  per stage (medians): {split}")
    if any(t.sent.values()):
        print(f"  !! messages sent by the timed scans: {t.sent} (expected none)")
    for problem in t.problems[:5]:
        print(f"  !! logged: {problem}")


@dataclass
class WaveRun:
    seconds: float
    messages: int
    render_seconds: float  # rendering + building the aiogram request, on the loop
    first_batch_seconds: float  # daily_due + the first batch's deals


@dataclass
class Wave:
    people: int  # due at 09:00 (daily_due): managers and leads
    built: list[WaveRun]  # decide + render every message
    decided: list[WaveRun]  # decide only: what the scan does before its first send

    @property
    def first(self) -> WaveRun:
        return self.built[0]

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.built)

    @property
    def decide_median(self) -> float:
        return statistics.median(r.seconds for r in self.decided)


async def plan_wave(
    ctx: SchedulerContext,
    when: dt.datetime,
    bot: Bot | None,
    *,
    render: bool = True,
    kind: Daily = Daily.digest,
) -> WaveRun:
    """Decide every digest due at ``when`` (``scheduler.digests.due_batches``, the code the
    scan runs) and, with ``render``, build each message as delivery would: ``item.send`` on
    a Bot that answers at once. Nothing is claimed, so the same people stay due for the next
    run (only the leads' empty decisions are recorded, by the first run)."""
    started = time.perf_counter()
    messages = 0
    rendering = 0.0
    first: float | None = None
    if kind is Daily.digest:
        batches = digests.due_batches(ctx, when, kind, render_digest)
    else:  # the afternoon follow-up: the same machinery, overdue deals only
        batches = digests.due_batches(ctx, when, kind, render_followup, overdue_only=True)
    async for batch in batches:
        if first is None:
            first = time.perf_counter() - started
        if render and bot is not None:
            for item in batch:
                began = time.perf_counter()
                await item.send(bot)
                rendering += time.perf_counter() - began
        messages += len(batch)
    took = time.perf_counter() - started
    return WaveRun(took, messages, rendering, first or took)


async def due_people(ctx: SchedulerContext, when: dt.datetime) -> int:
    async with ctx.session_factory() as session:
        return len(await ctx.crm(session).reminders.daily_due(Daily.digest, when))


async def time_daily_due(ctx: SchedulerContext, when: dt.datetime, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        async with ctx.session_factory() as session:
            await ctx.crm(session).reminders.daily_due(Daily.digest, when)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


async def wave_section(
    args: argparse.Namespace,
    ctx: SchedulerContext,
    when: dt.datetime,
    statements: Statements,
    logs: LogCounter,
) -> Wave:
    bot, session = null_bot()
    wave = Wave(await due_people(ctx, when), [], [])
    wave.built.append(await statements.during("09:00 plan", partial(plan_wave, ctx, when, bot)))
    for _ in range(args.wave_runs - 1):
        wave.built.append(await plan_wave(ctx, when, bot))
    for _ in range(args.wave_runs):
        wave.decided.append(await plan_wave(ctx, when, None, render=False))
    session.reset()  # the sizes of the split run's messages only
    with timed_sqlite() as db:
        split = await plan_wave(ctx, when, bot)
    daily_due_s = await time_daily_due(ctx, when, 3)
    local = when.astimezone(ZoneInfo(ZONE))
    print(f"\n(b) 09:00 wave — decide + build every digest at {local:%Y-%m-%d %H:%M %Z}")
    print(
        f"  due people {wave.people:,} (managers and leads whose digest time has come), digests"
        f" {wave.first.messages:,} (the others have nothing due: decided, nothing to send)"
    )
    for i, run in enumerate(wave.built, start=1):
        note = " (cold; also records the leads' empty decisions)" if i == 1 else ""
        print(
            f"  decide + build, run {i}: {run.seconds:.2f} s — first batch ready after"
            f" {ms(run.first_batch_seconds)}, rendering + request building"
            f" {run.render_seconds:.2f} s{note}"
        )
    decided = ", ".join(f"{r.seconds:.2f} s" for r in wave.decided)
    print(f"  decide only (no rendering), runs: {decided}; daily_due alone {ms(daily_due_s)}")
    python = split.seconds - db.wall_ns / 1e9
    print(
        f"  split (one more decide + build, SQLite calls timed): {split.seconds:.2f} s ="
        f" DB wait {db.wall_ns / 1e9:.2f} s ({db.calls:,} thread round trips, inside SQLite"
        f" {db.sqlite_ns / 1e9:.2f} s) + Python on the loop {python:.2f} s, of which"
        f" rendering {split.render_seconds:.2f} s"
        f" ({split.render_seconds / max(split.messages, 1) * 1000:.2f} ms a digest)"
    )
    per = session.messages or 1
    print(
        f"  messages: {session.messages:,} built, mean {session.text_chars / per:.0f} characters,"
        f" longest {session.longest} (limit 4096), most buttons {session.most_buttons} (limit 100)"
    )
    for problem in [r.getMessage() for r in logs.take()][:5]:
        print(f"  !! logged: {problem}")
    return wave


async def instant_section(
    ctx: SchedulerContext,
    clock: BenchClock,
    when: dt.datetime,
    statements: Statements,
    logs: LogCounter,
) -> tuple[int, int, float]:
    """Whole production scans from 09:00 on, one a minute of CRM time, with the sender
    pointed at a Telegram that answers at once and no rate limit: what the scan and the
    sent-log cost per message when Telegram is not the bottleneck. The stage's time budget
    stays as in production. Returns (scans, digests sent, seconds)."""
    total = 0
    scans = 0
    started = time.perf_counter()
    lines = []
    while True:
        now = when + dt.timedelta(minutes=scans)
        clock.now = now
        began = time.perf_counter()
        if scans == 0:
            sent = await statements.during("09:00 scan", partial(jobs.scan_once, ctx, now))
        else:
            sent = await jobs.scan_once(ctx, now)
        took = time.perf_counter() - began
        scans += 1
        lines.append(f"    scan {scans} at +{scans - 1} min: {took:.2f} s, sent {sent}")
        total += sent["digests"]
        if not sent["digests"] or scans >= 30:
            break
    seconds = time.perf_counter() - started
    print("\n(b2) whole scans from 09:00 with a Telegram that answers at once (no rate limit)")
    print("\n".join(lines))
    rate = total / seconds if seconds else 0.0
    print(
        f"  {total:,} digests in {scans} scan(s), {seconds:.1f} s: {rate:.0f} digests/s,"
        f" {seconds / max(total, 1) * 1000:.2f} ms each (claim + send + confirm, 2 write"
        f" transactions per message)"
    )
    for problem in [r.getMessage() for r in logs.take()][:5]:
        print(f"  !! logged: {problem}")
    return scans, total, seconds


async def decide_all(ctx: SchedulerContext, when: dt.datetime) -> int:
    """Record every digest due at ``when`` as decided (as if the wave had gone out)."""
    async with ctx.session_factory() as session, session.begin():
        reminders = ctx.crm(session).reminders
        people = await reminders.daily_due(Daily.digest, when)
        await reminders.mark_decided(
            [(daily_key(Daily.digest, p.id, slot.day), p.id) for p, slot in people]
        )
    return len(people)


async def other_stages(
    ctx: SchedulerContext,
    clock: BenchClock,
    day: dt.date,
    statements: Statements,
    logs: LogCounter,
) -> list[tuple[str, str, str]]:
    """The other stages at their busy moments, so their statements get planned too: the
    14:00 follow-up (decide + build, nothing sent), the leads' escalations at 14:00 and the
    leads' summaries at 19:00 (sent to the instant Telegram: claims, reports, charts)."""
    bot, _ = null_bot()
    at14, at19 = at_local(day, dt.time(14, 0)), at_local(day, dt.time(19, 0))
    print("\n(d) the other stages at their busy moments (Telegram answering at once)")
    clock.now = at14
    plan = partial(plan_wave, ctx, at14, bot, kind=Daily.followup)
    run = await statements.during("14:00 follow-up plan", plan)
    print(
        f"  14:00 follow-ups, decide + build: {run.seconds:.2f} s for {run.messages:,} messages"
        f" (rendering {run.render_seconds:.2f} s)"
    )
    started = time.perf_counter()
    sent = await statements.during("14:00 escalations", partial(followups.escalate, ctx, at14))
    escalated = time.perf_counter() - started
    async with ctx.session_factory() as session:
        reported = await session.scalar(
            select(func.count()).where(SentNotification.key.like("escalate:%"))
        )
    print(
        f"  14:00 escalations: {escalated:.2f} s, {sent} message(s) to leads reporting"
        f" {reported or 0:,} deals overdue > {ctx.settings.overdue_escalation_days} days"
        f" (one sent-log key each, claimed with the message)"
    )
    clock.now = at19
    started = time.perf_counter()
    sent = await statements.during("19:00 summaries", partial(summaries.run_due, ctx, at19))
    summarised = time.perf_counter() - started
    print(f"  19:00 summaries: {summarised:.2f} s, {sent} sent (reports + a chart per lead)")
    for problem in [r.getMessage() for r in logs.take()][:5]:
        print(f"  !! logged: {problem}")
    return [
        ("14:00 follow-ups: decide + build", f"{run.messages:,} in {run.seconds:.2f} s", "(info)"),
        ("14:00 escalations to leads", f"{reported or 0:,} deals in {escalated:.2f} s", "(info)"),
        ("19:00 summaries to leads", f"{sent} in {summarised:.1f} s", "(info)"),
    ]


# -- query plans --------------------------------------------------------------------------------
def judge_plan(lines: list[str]) -> tuple[list[str], list[str]]:
    """(failures, notes): a SCAN of a big table fails; a walk of users is noted."""
    fails, notes = [], []
    for line in lines:
        match = _SCAN.search(line)
        if not match:
            continue
        table = re.sub(r"_\d+$", "", match.group(1))
        if table in BIG_TABLES:
            fails.append(line.strip())
        else:
            notes.append(line.strip())
    return fails, notes


async def plans_section(
    engine: AsyncEngine,
    capture: SqlCapture,
    statements: Statements,
    when: dt.datetime,
    zones: list[str],
    full_sql: bool,
) -> tuple[bool, list[str]]:
    named: list[tuple[str, str, Any]] = []
    for name, statement in explain_statements(when, zones).items():
        for sql, params in await sql_of(engine, capture, statement):
            named.append((f"{name} (models/services/reminders.py)", sql, params))
    named += [(f"sent by the {where}", sql, p) for where, sql, p in statements.seen.values()]
    ok = True
    failures: list[str] = []
    print("\nQuery plans (EXPLAIN QUERY PLAN) of every scan statement:")
    for name, sql, params in named:
        plan = await explain(engine, name, sql, params)
        flat = " ".join(sql.split())
        shown = flat if full_sql or len(flat) <= 150 else flat[:147] + "..."
        if not plan.lines:
            print(f"  [--] {name}: {shown}")
            continue
        fails, notes = judge_plan(plan.lines)
        ok &= not fails
        mark = "FAIL: full scan" if fails else "ok"
        print(f"  [{mark}] {name}: {shown}")
        for line in plan.lines:
            print(f"      {line}")
        if fails:
            failures.append(f"{name}: {'; '.join(fails)}")
        if notes:
            walked = ", ".join(sorted({n.split()[1] for n in notes}))
            print(f"      (walks {walked}: a small table, one row per person / team)")
    return ok, failures


# -- the run ----------------------------------------------------------------------------------
def header() -> None:
    print("dealbot reminders / delivery benchmark (issue 4, item 10)")
    print(f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {versions()}")
    print(f"{platform.platform()}, {os.cpu_count()} CPU(s) (nproc), load average {load_average()}")


async def run(args: argparse.Namespace) -> int:
    logs = configure_logging()
    header()
    started = time.perf_counter()
    seeded = await seed_in_child(args)
    how = "reused" if seeded["reused"] else "seeded"
    rows = ", ".join(f"{k} {v:,}" for k, v in seeded["rows"].items())
    print(f"database {args.db}: {how} in {seeded['seconds']:.1f} s ({rows}), child process")

    url = f"sqlite+aiosqlite:///{args.db}"
    engine = create_engine(url)
    capture = SqlCapture(engine)
    statements = Statements(capture)
    quiet_at, wave_at = at_local(args.day, QUIET_AT), at_local(args.day, WAVE_AT)
    clock = BenchClock(quiet_at)
    settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url)  # type: ignore[call-arg]
    translator = Translator(settings.default_language)
    bot, _ = null_bot()
    # Telegram answering at once, no pacing: the scans' own cost (delivery is measured apart).
    instant = Sender(
        bot, rate_per_second=1e9, per_chat_interval=0.0, translator=translator, clock=clock
    )
    # The production context (build_context), its sender swapped for the instant one.
    ctx = dataclasses.replace(build_context(settings, engine, bot, clock), sender=instant)
    summary: list[tuple[str, str, str]] = []
    ok = True
    try:
        await reset_state(engine)
        pop = await population(engine, args.day)
        print(
            f"population: users {pop.users}, time zones {pop.zones}; deals {pop.deals:,}, open"
            f" {pop.open_deals:,}, due by {args.day} (today + overdue) {pop.due_deals:,} of"
            f" {pop.digest_owners:,} managers -> {pop.digest_owners:,} digests at 09:00"
        )
        print(f"memory: RSS {rss_mb():.0f} MB after opening the base")

        quiet = await timed_scans(
            ctx, clock, quiet_at, args.runs, "(a) nothing due", statements, logs
        )
        print_scans(quiet, quiet_at)
        met = quiet.median * 1000 < QUIET_TARGET_MS
        ok &= met
        summary.append(
            ("scan, nothing due (03:00), median", ms(quiet.median), verdict(met, "< 250 ms"))
        )

        if args.profile:
            await profile_wave(ctx, wave_at)
        wave = await wave_section(args, ctx, wave_at, statements, logs)
        # The target is the scan's own work at 09:00: deciding every person's digest (the
        # index walks, the keys, the nothing-due decisions) before the first message goes to
        # the sender. Each message is then built in its send slot (40 ms each at 25/s) and
        # delivered at Telegram's rate (~400 s): that is the delivery target's business.
        met = wave.decide_median < WAVE_TARGET_S
        ok &= met
        summary += [
            (
                "09:00 scan: decide every digest (median)",
                f"{wave.decide_median:.2f} s (first batch {ms(wave.first.first_batch_seconds)})",
                verdict(met, "< 3 s"),
            ),
            (
                f"09:00: decide + build all {wave.first.messages:,} up front",
                f"{wave.first.seconds:.2f} s (median {wave.median:.2f} s)",
                "(stricter reading; not < 3 s)"
                if wave.median >= WAVE_TARGET_S
                else "(stricter reading; < 3 s)",
            ),
        ]
        print(f"memory: RSS {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB after the 09:00 plan")

        after_at = wave_at
        if not args.skip_instant:
            scans, sent, seconds = await instant_section(ctx, clock, wave_at, statements, logs)
            after_at = wave_at + dt.timedelta(minutes=scans)
            summary.append(
                (
                    "09:00 wave, instant Telegram: whole scans",
                    f"{sent:,} in {seconds:.1f} s, {scans} scan(s)",
                    "(orientation)",
                )
            )
        after_at += dt.timedelta(seconds=30)
        await decide_all(ctx, after_at)
        after = await timed_scans(
            ctx,
            clock,
            after_at,
            args.runs,
            "(a2) after the wave, every key decided",
            statements,
            logs,
        )
        print_scans(after, after_at)
        met = after.median * 1000 < QUIET_TARGET_MS
        ok &= met
        summary.append(
            (
                f"scan after the wave ({after_at.astimezone(ZoneInfo(ZONE)):%H:%M:%S}), median",
                ms(after.median),
                verdict(met, "< 250 ms"),
            )
        )

        print(f"memory: RSS {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB before delivery")
        if args.delivery != "none":
            delivered_ok, lines = await delivery_section(
                args, engine, settings, clock, wave_at, pop.digest_owners, logs
            )
            ok &= delivered_ok
            summary += lines

        # After delivery: the summaries' charts load Pillow and their fonts, which would
        # otherwise count in the delivery's peak memory.
        if not args.skip_other:
            summary += await other_stages(ctx, clock, args.day, statements, logs)

        zones = sorted(pop.zones)
        plans_ok, failures = await plans_section(
            engine, capture, statements, wave_at, zones, args.sql
        )
        ok &= plans_ok
        summary.append(
            (
                "query plans: no SCAN of deals / big tables",
                "no full scan" if plans_ok else f"{len(failures)} full scan(s)",
                verdict(plans_ok, "index only"),
            )
        )
    finally:
        await engine.dispose()
    took = time.perf_counter() - started
    print(f"\nSUMMARY ({took:.0f} s in all; load average {load_average()})")
    width = max(len(s[0]) for s in summary)
    for what, figure, mark in summary:
        print(f"  {what:<{width}}  {figure:<34} {mark}")
    print(f"  peak RSS of the benchmark process (ru_maxrss): {peak_rss_mb():.0f} MB")
    return 0 if ok or not args.check else 1


async def profile_wave(ctx: SchedulerContext, when: dt.datetime) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("(--profile needs pyinstrument: pip install pyinstrument)")
        return
    bot, _ = null_bot()
    profiler = Profiler(async_mode="enabled")
    profiler.start()
    await plan_wave(ctx, when, bot)
    profiler.stop()
    print("\npyinstrument of one 09:00 plan:")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.seed_only:
        return asyncio.run(seed_only(args))
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
