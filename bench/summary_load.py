"""The chat's latency while the 19:00 lead summaries go out (issue 13, point 7): p99 under
load within 2x of idle.

    python -m bench.summary_load                         # 100 leads, 5 runs, the production worker
    python -m bench.summary_load --renderer all --runs 3 # compare the ways to draw
    python -m bench.summary_load --profile               # cProfile of one loaded run

One process, as in production (``python -m bot`` runs the dispatcher and the scheduler on
one event loop): managers' updates (/stats, /today) go through the production dispatcher
(``bot.dispatcher.build_dispatcher``) at a steady rate, each handled in a task of its own as
polling does, while ``scheduler.summaries.run_due`` (the scan's summary stage) builds 100
leads' summaries with their plan charts and sends them through the production ``Sender``
and a real aiogram ``Bot`` to bench/fake_limited_api.py in a process of its own (Telegram's
limits, 20 ms latency). The chat's replies go through the same Bot and outbound budget.

The base: bench/seed.py with a team of 10 managers per lead (100 teams), every manager with a
plan this month, won deals this month in roubles and dollars, overdue deals (so every
summary has something to say), everybody in Moscow at 19:00 on a work day.

Each run measures idle (no summaries) then loaded; the summaries' sent-log keys are freed
between runs. Printed: per run p50 / p99 of the update latency (from the update's arrival to
its handler's end, replies included), the loop lag, the medians over runs and the ratio of
loaded p99 to idle p99 (target <= 2). ``--renderer`` picks how the charts are drawn:
``thread`` (production: bot.render.chart_worker, one worker thread), ``pool6`` (six threads,
as asyncio.to_thread's default pool would draw them), ``process`` (a process pool of one),
``inline`` (on the event loop: what not to do), ``all`` (each in turn).

A script, not a test. The machine has 2 cores shared with other work: the load average is
printed beside the figures; compare medians."""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import cProfile
import datetime as dt
import decimal
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

import bench.seed as seed
import bot.render.chart_worker as chart_worker
from bench.measure import ErrorLog
from bench.report import load_average, print_profile
from bench.scheduler_delivery import FakeApiProcess
from bench.scheduler_support import TOKEN, BenchClock, LoopLag
from bench.telegram import Updates
from bot.app import create_bot, settle_heap
from bot.dispatcher import build_dispatcher
from bot.settings import Settings
from models import Deal, Plan, User
from models.catalog import StageKind
from models.db import create_engine, create_session_factory
from models.notifications import SentNotification
from models.roles import Role
from models.services.plans import month_start
from scheduler import summaries
from scheduler.context import SchedulerContext
from scheduler.setup import build_context

MOSCOW = ZoneInfo("Europe/Moscow")
RATIO_TARGET = 2.0
RENDERERS = ("thread", "pool6", "process", "inline")


class InlineExecutor(Executor):
    """Runs the work at once, on the caller's thread: the event loop itself."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # pragma: no cover - a bench
            future.set_exception(exc)
        return future


def make_executor(name: str) -> Executor:
    if name == "thread":
        return ThreadPoolExecutor(1, thread_name_prefix="chart")
    if name == "pool6":
        return ThreadPoolExecutor(6, thread_name_prefix="chart")
    if name == "process":
        return ProcessPoolExecutor(1)
    return InlineExecutor()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.summary_load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--leads", type=int, default=100, help="summaries that go out")
    parser.add_argument("--team", type=int, default=10, help="managers per lead")
    parser.add_argument("--deals", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5, help="idle + loaded pairs")
    parser.add_argument(
        "--rate",
        type=float,
        default=5.0,
        help="chat updates a second (each gets one reply: the bot may send ~25 a second in all)",
    )
    parser.add_argument("--chatters", type=int, default=300, help="managers who chat")
    parser.add_argument("--latency-ms", type=float, default=20.0, help="the fake API's")
    parser.add_argument(
        "--renderer",
        default="thread",
        help=f"one of {', '.join(RENDERERS)}, a comma-separated list, or all",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the last loaded run")
    parser.add_argument("--db", type=Path, help="SQLite file to keep and reuse")
    args = parser.parse_args(argv)
    args.renderers = RENDERERS if args.renderer == "all" else tuple(args.renderer.split(","))
    if not set(args.renderers) <= set(RENDERERS):
        parser.error(f"--renderer: one of {', '.join(RENDERERS)}, a list of them, or all")
    return args


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))]


async def prepare_base(engine: AsyncEngine, path: Path, args: argparse.Namespace) -> dt.datetime:
    """The seeded base with 100 teams of 10, plans and this month's wins; returns the moment
    the summaries are due (19:00 in Moscow today)."""
    now = dt.datetime.now(dt.UTC)
    seed.MANAGERS_PER_TEAM = args.team  # bench/seed.py spreads managers over the teams
    sizes = seed.Sizes(args.deals, args.leads * args.team, args.deals)
    seeded = await seed.ensure_database(engine, path, sizes, now)
    print(f"base {path}: {'reused' if seeded.reused else 'seeded'} in {seeded.seconds:.1f} s")
    today = now.astimezone(MOSCOW).date()
    when = dt.datetime.combine(today, dt.time(19, 0), MOSCOW).astimezone(dt.UTC)
    month = month_start(today)
    won_at = max(when - dt.timedelta(hours=2), dt.datetime.combine(month, dt.time(12), MOSCOW))
    async with engine.begin() as conn:
        await conn.execute(
            update(User).values(
                timezone="Europe/Moscow",
                work_days="1234567",
                summary_time=dt.time(19, 0),
                is_active=True,
                is_reachable=True,
                last_seen_at=when,
            )
        )
        managers = list(await conn.scalars(select(User.id).where(User.role == Role.manager)))
        await conn.execute(delete(Plan))
        await conn.execute(
            insert(Plan),
            [
                {
                    "user_id": uid,
                    "month": month,
                    "target_won": 10,
                    "target_amount": decimal.Decimal(3_000_000),
                    "updated_at": when,
                }
                for uid in managers
            ],
        )
        # A third of the won deals were won this month; some of them in dollars.
        await conn.execute(
            update(Deal)
            .where(Deal.status == StageKind.won, Deal.id % 3 == 0)
            .values(closed_at=won_at)
        )
        await conn.execute(
            update(Deal)
            .where(Deal.status == StageKind.won, Deal.amount.is_not(None), Deal.id % 7 == 0)
            .values(currency="USD", amount=Deal.amount / 90)
        )
    return when


async def free_summaries(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(delete(SentNotification).where(SentNotification.key.like("summary:%")))


_spent: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar(
    "spent", default=None
)


def install_timers(bot: Bot) -> None:
    """Where an update's time goes on its Bot API calls: ``commit`` (CommitBeforeSend: the
    update's transaction committed before the call), ``budget`` (the outbound budget's wait
    for a slot), ``network`` (the HTTP round trip to the fake API, 20 ms of it latency)."""
    chain = bot.session.middleware._middlewares  # [CommitBeforeSend, OutboundMiddleware]

    def timer(name: str) -> Any:
        async def middleware(make_request: Any, bot: Bot, method: Any) -> Any:
            spent = _spent.get()
            started = time.perf_counter()
            try:
                return await make_request(bot, method)
            finally:
                if spent is not None:
                    spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return middleware

    chain.insert(0, timer("calls"))  # everything below: commit + budget + network
    chain.insert(2, timer("after_commit"))  # budget + network
    chain.append(timer("network"))


@dataclass
class Split:
    """Per update (ms): the handler's own work, the commit, the budget's wait, the network."""

    own: list[float] = field(default_factory=list)
    commit: list[float] = field(default_factory=list)
    budget: list[float] = field(default_factory=list)
    network: list[float] = field(default_factory=list)

    def add(self, total_ms: float, spent: dict[str, float]) -> None:
        calls = spent.get("calls", 0.0) * 1000
        after = spent.get("after_commit", 0.0) * 1000
        network = spent.get("network", 0.0) * 1000
        self.own.append(total_ms - calls)
        self.commit.append(calls - after)
        self.budget.append(after - network)
        self.network.append(network)

    def line(self) -> str:
        parts = []
        for name in ("own", "commit", "budget", "network"):
            values: list[float] = getattr(self, name)
            if values:
                parts.append(
                    f"{name} p50 {statistics.median(values):.1f} / p99"
                    f" {percentile(values, 0.99):.1f}"
                )
        return ", ".join(parts)


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)  # ms
    problems: int = 0
    lag: str = ""
    seconds: float = 0.0
    sent: int = 0
    split: Split = field(default_factory=Split)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 0.99)


class Chat:
    """Managers' updates at a steady rate through the production dispatcher."""

    def __init__(self, dp: Dispatcher, bot: Bot, people: list[int], errors: ErrorLog) -> None:
        self.dp, self.bot, self.people, self.errors = dp, bot, people, errors
        self.updates = Updates(bot)
        self.turn = 0

    def next_update(self) -> Any:
        telegram_id = self.people[self.turn % len(self.people)]
        text = "/stats" if self.turn % 2 == 0 else "/today"
        self.turn += 1
        return self.updates.message(telegram_id, text)

    async def _one(self, phase: Phase, arrived: float) -> None:
        update = self.next_update()
        before = len(self.errors.records)
        spent: dict[str, float] = {}
        _spent.set(spent)
        await self.dp.feed_update(self.bot, update)
        latency = (time.perf_counter() - arrived) * 1000
        phase.latencies.append(latency)
        phase.split.add(latency, spent)
        if len(self.errors.records) != before:
            phase.problems += 1

    async def run(self, phase: Phase, rate: float, until: Callable[[], bool]) -> None:
        """Arrivals every 1/rate seconds (open loop: a slow reply does not slow them)."""
        tasks: list[asyncio.Task[None]] = []
        start = time.perf_counter()
        n = 0
        while not until():
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._one(phase, max(due, start))))
            n += 1
        await asyncio.gather(*tasks)


async def idle_phase(chat: Chat, rate: float, count: int) -> Phase:
    phase = Phase()
    lag = LoopLag()
    lag.start()
    started = time.perf_counter()
    issued = 0

    def done() -> bool:
        nonlocal issued
        issued += 1
        return issued > count

    await chat.run(phase, rate, done)
    phase.seconds = time.perf_counter() - started
    phase.lag = await lag.stop()
    return phase


async def loaded_phase(
    chat: Chat, ctx: SchedulerContext, when: dt.datetime, rate: float, minimum: int
) -> Phase:
    phase = Phase()
    lag = LoopLag()
    lag.start()
    started = time.perf_counter()
    wave = asyncio.create_task(summaries.run_due(ctx, when))
    issued = 0

    def done() -> bool:
        nonlocal issued
        issued += 1
        return wave.done() and issued > minimum

    await chat.run(phase, rate, done)
    phase.sent = await wave
    phase.seconds = time.perf_counter() - started
    phase.lag = await lag.stop()
    return phase


async def measure(
    args: argparse.Namespace,
    renderer: str,
    engine: AsyncEngine,
    when: dt.datetime,
    api: FakeApiProcess,
) -> tuple[list[Phase], list[Phase]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=str(engine.url),
        telegram_api_url=api.url,
    )
    bot = create_bot(settings)  # one Bot per process: replies and the Sender share its budget
    install_timers(bot)
    clock = BenchClock(when)
    errors = ErrorLog()
    logging.getLogger("bot.errors").addHandler(errors)
    dp = build_dispatcher(settings, create_session_factory(engine), clock=clock)
    ctx = build_context(settings, engine, bot, clock)
    async with engine.connect() as conn:
        people = list(
            await conn.scalars(
                select(User.telegram_id)
                .where(User.role == Role.manager)
                .order_by(User.id)
                .limit(args.chatters)
            )
        )
    chat = Chat(dp, bot, people, errors)
    # As bot.app.serve_updates does once started: without it a gen-2 collection walks the whole
    # start-up heap now and then (100-180 ms each, ten a run here: the loop lag's max, the p99).
    settle_heap()
    previous = chart_worker.use(make_executor(renderer))
    idle: list[Phase] = []
    loaded: list[Phase] = []
    profiler = cProfile.Profile() if args.profile else None
    try:
        # Warm-up: caches, fonts in the worker, the first connections; one wave uncounted.
        await idle_phase(chat, args.rate, 40)
        await free_summaries(engine)
        await loaded_phase(chat, ctx, when, args.rate, 20)
        for run in range(args.runs):
            await free_summaries(engine)
            await api.reset()
            last = run == args.runs - 1
            if profiler is not None and last:
                profiler.enable()
            load = await loaded_phase(chat, ctx, when, args.rate, 40)
            if profiler is not None and last:
                profiler.disable()
            rest = await idle_phase(chat, args.rate, len(load.latencies))
            stats = await api.stats()
            idle.append(rest)
            loaded.append(load)
            api_line = (
                f"429s per chat {stats.get('rejected_chat', '?')}, overall"
                f" {stats.get('rejected_overall', '?')}, accepted {stats.get('accepted', '?')}"
            )
            print(
                f"  [{renderer}] run {run + 1}: idle p50 {rest.p50:5.1f} ms p99 {rest.p99:6.1f} ms"
                f" ({len(rest.latencies)} updates, lag {rest.lag})\n"
                f"  [{renderer}] run {run + 1}: loaded p50 {load.p50:5.1f} ms p99"
                f" {load.p99:6.1f} ms ({len(load.latencies)} updates, {load.sent} summaries"
                f" in {load.seconds:.1f} s, lag {load.lag}); {api_line};"
                f" problems {rest.problems + load.problems}; load average {load_average()}\n"
                f"    where idle updates' time goes (ms): {rest.split.line()}\n"
                f"    where loaded updates' time goes (ms): {load.split.line()}"
            )
    finally:
        pool = chart_worker.use(previous)
        if pool is not None:
            pool.shutdown()
        logging.getLogger("bot.errors").removeHandler(errors)
        await bot.session.close()
    if profiler is not None:
        print_profile(profiler, f"the last loaded run ({renderer})")
    return idle, loaded


def summarize(renderer: str, idle: list[Phase], loaded: list[Phase]) -> tuple[float, float]:
    idle_p50 = statistics.median(p.p50 for p in idle)
    idle_p99 = statistics.median(p.p99 for p in idle)
    load_p50 = statistics.median(p.p50 for p in loaded)
    load_p99 = statistics.median(p.p99 for p in loaded)
    ratio = load_p99 / idle_p99
    mark = "ok" if ratio <= RATIO_TARGET else "MISSED"
    print(
        f"[{renderer}] medians of {len(idle)} runs: idle p50 {idle_p50:.1f} ms, p99"
        f" {idle_p99:.1f} ms; loaded p50 {load_p50:.1f} ms, p99 {load_p99:.1f} ms;"
        f" ratio p99 loaded/idle {ratio:.2f} (target <= {RATIO_TARGET:g}: {mark})"
    )
    return idle_p99, load_p99


async def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print("dealbot: chat latency while 100 lead summaries go out (issue 13, point 7)")
    print(f"{os.cpu_count()} CPU(s), load average {load_average()}")
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="dealbot-summary-load-")
        path = Path(tmp.name) / "bench.db"
    else:
        path = args.db.resolve()
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    api = await FakeApiProcess.start(args.latency_ms)
    results: dict[str, tuple[float, float]] = {}
    try:
        when = await prepare_base(engine, path, args)
        async with engine.connect() as conn:
            leads = await conn.scalar(select(func.count()).where(User.role == Role.lead))
        print(
            f"{leads} leads with {args.team} managers each; summaries due at {when:%Y-%m-%d %H:%M}"
            f" UTC; chat: {args.rate:g} updates/s (/stats, /today) from {args.chatters} managers;"
            f" fake Bot API at {api.url} ({args.latency_ms:g} ms, Telegram's limits)"
        )
        for renderer in args.renderers:
            idle, loaded = await measure(args, renderer, engine, when, api)
            results[renderer] = summarize(renderer, idle, loaded)
    finally:
        await api.stop()
        await engine.dispose()
        if tmp is not None:
            tmp.cleanup()
    if len(results) > 1:
        print("\nside by side (medians):")
        for renderer, (idle_p99, load_p99) in results.items():
            print(
                f"  {renderer:8s} idle p99 {idle_p99:6.1f} ms  loaded p99 {load_p99:6.1f} ms"
                f"  ratio {load_p99 / idle_p99:.2f}"
            )
    print(f"load average now {load_average()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
