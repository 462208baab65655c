"""The delivery part of bench/scheduler_bench.py: the 09:00 digests through the production
``Sender`` and a real aiogram ``Bot`` (``bot.app.create_bot`` with ``TELEGRAM_API_URL``)
to bench/fake_limited_api.py, which runs in a process of its own and enforces Telegram's
limits (30 messages in any second overall, 1 per second per chat, 20 ms latency).

Two ways to drive it:

* ``sender``: one ``scheduler.digests.run_daily`` with the stage's time budget lifted (the
  benchmark sets ``STAGE_BUDGET_SECONDS`` to infinity while it runs): the production
  planning and sender at their own pace, measured against N / rate;
* ``scans``: ``scheduler.jobs.scan_once`` once a minute of real time, as APScheduler runs
  it, budget included: how long the 09:00 wave really takes to reach everybody.

The sent-log claims go to the benchmark's SQLite base, as in production."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import math
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.scheduler_support import (
    TOKEN,
    BenchClock,
    GcWatch,
    LogCounter,
    LoopLag,
    Stalls,
    peak_rss_mb,
    rss_mb,
    verdict,
)
from bot.app import create_bot
from bot.render.digest import render_digest
from bot.settings import Settings
from models import Deal
from models.catalog import StageKind
from models.notifications import SentNotification
from models.services.reminder_items import Daily, daily_key
from scheduler import digests, jobs
from scheduler.context import SchedulerContext
from scheduler.setup import build_context

ROOT = Path(__file__).resolve().parents[1]
SCAN_EVERY = 60.0  # seconds: the production cron trigger
MAX_SCANS = 40
TOLERANCE = 0.10  # the issue: total time within 10% of N / rate


class FakeApiProcess:
    """bench/fake_limited_api.py in a child process; its counters over HTTP."""

    def __init__(self, process: asyncio.subprocess.Process, url: str) -> None:
        self.process = process
        self.url = url
        self.http = aiohttp.ClientSession()

    @classmethod
    async def start(cls, latency_ms: float) -> FakeApiProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.fake_limited_api",
            "--latency-ms",
            str(latency_ms),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
        )
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        if not line.startswith("LISTENING "):
            process.kill()
            raise SystemExit(f"the fake Bot API did not start: {line!r}")
        return cls(process, line.split()[1])

    async def stats(self) -> dict[str, Any]:
        async with self.http.get(f"{self.url}/stats") as response:
            data: dict[str, Any] = await response.json()
            return data

    async def arrivals(self) -> list[tuple[int, float]]:
        async with self.http.get(f"{self.url}/arrivals") as response:
            return [(int(chat), float(t)) for chat, t in await response.json()]

    async def reset(self) -> None:
        async with self.http.post(f"{self.url}/reset") as response:
            await response.read()

    async def stop(self) -> None:
        await self.http.close()
        if self.process.stdin is not None:
            self.process.stdin.close()  # end of its stdin: it stops
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.terminate()
            await self.process.wait()


class SendTimes:
    """When the sender handed each sendMessage to aiogram's HTTP session (client side):
    compared with the API's arrival times it tells a sender burst from a delay on the way."""

    def __init__(self, bot: Bot) -> None:
        self.attempts: list[float] = []  # every sendMessage, refused ones included
        self.last: dict[int, float] = {}  # chat id -> its latest attempt (one digest a chat)
        session = bot.session
        original = session.make_request

        async def make_request(b: Bot, method: TelegramMethod[Any], timeout: int | None = None):
            if isinstance(method, SendMessage):
                now = time.monotonic()
                self.attempts.append(now)
                self.last[int(method.chat_id)] = now
            return await original(b, method, timeout)

        session.make_request = make_request  # type: ignore[method-assign]

    def take(self) -> tuple[list[float], dict[int, float]]:
        taken = self.attempts, self.last
        self.attempts, self.last = [], {}
        return taken


def transit(sent: dict[int, float], arrived: list[tuple[int, float]]) -> str:
    """From aiogram's session to the API's handler, per message (same monotonic clock)."""
    delays = sorted(t - sent[chat] for chat, t in arrived if chat in sent)
    if not delays:
        return "-"
    p99 = delays[max(0, math.ceil(0.99 * len(delays)) - 1)]
    return (
        f"median {delays[len(delays) // 2] * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms,"
        f" max {delays[-1] * 1000:.0f} ms"
    )


def busiest_second(times: list[float]) -> tuple[int, float]:
    """The most moments in any sliding second, and where that second ends."""
    ordered = sorted(times)
    best, best_end, first = 0, 0.0, 0
    for last, moment in enumerate(ordered):
        while ordered[first] <= moment - 1.0:
            first += 1
        if last - first + 1 > best:
            best, best_end = last - first + 1, moment
    return best, best_end


@dataclass
class Delivery:
    mode: str
    expected: int  # digests that should go out
    sent: int  # what the production code says it sent
    seconds: float  # from the start to the last digest's answer
    first_after: float | None = None  # the first message reached the API after ...
    lag: str = ""
    gc: str = ""
    transit: str = ""  # aiogram's session -> the API's handler
    client_peak: tuple[int, float] = (0, 0.0)  # busiest second as sent by the sender
    api_peak: tuple[int, float] = (0, 0.0)  # ... and as arrived at the API
    started_at: float = 0.0  # time.monotonic(), shared with the API process (same clock)
    worst_lag_at: float = 0.0
    tracemalloc_peak_mb: float | None = None
    rss_before: float = 0.0
    rss_after: float = 0.0
    scans: list[str] = field(default_factory=list)


async def prepare(ctx: SchedulerContext, when: dt.datetime, wanted: int | None) -> int:
    """Free today's digest keys, then, when fewer than all digests are wanted, record the
    others as decided so the production code plans exactly ``wanted``. Returns how many
    digests are due (people with a due deal)."""
    async with ctx.session_factory() as session, session.begin():
        await session.execute(
            delete(SentNotification).where(SentNotification.key.like(f"{Daily.digest.value}:%"))
        )
        reminders = ctx.crm(session).reminders
        people = await reminders.daily_due(Daily.digest, when)
        day = {p.id: slot.day for p, slot in people}
        # Everybody's local day is the same at the benchmark's moments (09:00 Moscow).
        with_due = await session.scalars(
            select(func.distinct(Deal.owner_id))
            .where(
                Deal.status == StageKind.open,
                Deal.deleted_at.is_(None),
                Deal.next_action_on <= max(day.values(), default=when.date()),
            )
            .order_by(Deal.owner_id)
        )
        owners = [o for o in with_due if o in day]
        if wanted is not None and wanted < len(owners):
            keep = set(owners[:wanted])
            others = [(uid, d) for uid, d in day.items() if uid not in keep]
            await reminders.mark_decided([(daily_key(Daily.digest, u, d), u) for u, d in others])
            return wanted
    return len(owners)


async def deliver_sender(
    ctx: SchedulerContext,
    clock: BenchClock,
    when: dt.datetime,
    api: FakeApiProcess,
    traced: bool,
    stalls: Stalls,
) -> Delivery:
    clock.now = when
    lag = LoopLag()
    budget = digests.STAGE_BUDGET_SECONDS
    digests.STAGE_BUDGET_SECONDS = math.inf  # the whole wave in one go (see the docstring)
    rss_before = rss_mb()
    if traced:
        tracemalloc.start()
    lag.start()
    stalls.start()
    started = time.monotonic()
    try:
        with GcWatch() as gc_watch:
            sent = await digests.run_daily(ctx, when, Daily.digest, render_digest)
    finally:
        digests.STAGE_BUDGET_SECONDS = budget
    seconds = time.monotonic() - started
    result = Delivery("sender", 0, sent, seconds, lag=await lag.stop(), started_at=started)
    result.worst_lag_at = lag.worst_at
    result.gc = gc_watch.line() + await stalls.stop()
    if traced:
        result.tracemalloc_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result.rss_before, result.rss_after = rss_before, rss_mb()
    stats = await api.stats()
    if stats["first_at"] is not None:  # CLOCK_MONOTONIC is shared by the two processes
        result.first_after = stats["first_at"] - started
    return result


async def deliver_scans(
    ctx: SchedulerContext,
    clock: BenchClock,
    when: dt.datetime,
    api: FakeApiProcess,
    expected: int,
    stalls: Stalls,
) -> Delivery:
    lag = LoopLag()
    rss_before = rss_mb()
    lag.start()
    stalls.start()
    started = time.monotonic()
    total = 0
    last_end = started
    lines: list[str] = []
    gc_watch = GcWatch().__enter__()
    for number in range(MAX_SCANS):
        elapsed = time.monotonic() - started
        now = when + dt.timedelta(seconds=elapsed)
        clock.now = now
        sent = await jobs.scan_once(ctx, now)
        ended = time.monotonic()
        total += sent["digests"]
        lines.append(
            f"    scan {number + 1} at +{elapsed:5.1f} s: {ended - started - elapsed:5.1f} s,"
            f" digests {sent['digests']:,} (total {total:,}), other stages"
            f" {sum(v for k, v in sent.items() if k != 'digests')}"
        )
        if sent["digests"]:
            last_end = ended
        if total >= expected or not sent["digests"]:
            break
        await asyncio.sleep(max(0.0, started + SCAN_EVERY * (number + 1) - time.monotonic()))
    result = Delivery(
        "scans", 0, total, last_end - started, lag=await lag.stop(), scans=lines, started_at=started
    )
    gc_watch.__exit__()
    result.worst_lag_at = lag.worst_at
    result.gc = gc_watch.line() + await stalls.stop()
    result.rss_before, result.rss_after = rss_before, rss_mb()
    stats = await api.stats()
    if stats["first_at"] is not None:
        result.first_after = stats["first_at"] - started
    return result


async def unconfirmed(engine: AsyncEngine) -> int:
    """Claims that never got ``sent_at``: a message lost between claim and confirm."""
    async with engine.connect() as conn:
        count = await conn.scalar(select(func.count()).where(SentNotification.sent_at.is_(None)))
    return count or 0


async def delivery_section(
    args: argparse.Namespace,
    engine: AsyncEngine,
    settings: Settings,
    clock: BenchClock,
    when: dt.datetime,
    due_digests: int,
    logs: LogCounter,
) -> tuple[bool, list[tuple[str, str, str]]]:
    api = await FakeApiProcess.start(args.latency_ms)
    api_settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=settings.database_url,
        telegram_api_url=api.url,
    )
    bot = create_bot(api_settings)  # production: AiohttpSession(api=TelegramAPIServer...)
    sends = SendTimes(bot)
    summary: list[tuple[str, str, str]] = []
    ok = True
    try:
        me = await bot.get_me()
        ctx = build_context(api_settings, engine, bot, clock)  # the production Sender
        limiter = ctx.sender.limiter
        rate = 1.0 / limiter.spacing
        modes = ["sender", "scans"] if args.delivery == "both" else [args.delivery]

        def stalls() -> Stalls:
            return Stalls(args.stall_ms, args.stall_every)

        print(
            f"\n(c) delivery through the production Sender and aiogram Bot (@{me.username}) to"
            f" the fake Bot API at {api.url} (its own process: > 30 messages in a sliding"
            f" second or > 1 per second per chat -> 429; {args.latency_ms:g} ms latency)"
        )
        print(
            f"  sender: {rate:g} messages/s overall, >= {limiter.per_chat:g} s per chat,"
            f" {ctx.sender.max_concurrency} in flight; stage budget in production"
            f" {digests.STAGE_BUDGET_SECONDS:g} s per scan, batches of {digests.CHUNK}"
        )
        for mode in modes:
            expected = await prepare(ctx, when, args.digests)
            await api.reset()
            sends.take()
            logs.take()
            if mode == "sender":
                print(f"  [{mode}] {expected:,} digests due: one run_daily, budget lifted ...")
                traced = not args.no_tracemalloc
                result = await deliver_sender(ctx, clock, when, api, traced, stalls())
            else:
                print(f"  [{mode}] {expected:,} digests due: scan_once every minute ...")
                result = await deliver_scans(ctx, clock, when, api, expected, stalls())
            result.expected = expected
            (attempts, sent), arrived = sends.take(), await api.arrivals()
            result.client_peak = busiest_second(attempts)
            result.api_peak = busiest_second([t for _, t in arrived])
            result.transit = transit(sent, arrived)
            if args.dump_timeline:
                dump = {"started": result.started_at, "attempts": attempts, "arrived": arrived}
                dump["sent"] = sent  # type: ignore[assignment]
                path = f"{args.dump_timeline}.{mode}.json"
                await asyncio.to_thread(Path(path).write_text, json.dumps(dump))
                print(f"  [{mode}] timeline written to {path}")
            stats = await api.stats()
            problems = logs.take(logging.INFO)
            met, lines = report(result, stats, rate, await unconfirmed(engine), problems)
            if mode == "sender":
                ok &= met
                summary += lines
            else:
                summary += [(what, figure, "(production cadence)") for what, figure, _ in lines]
    finally:
        await bot.session.close()
        await api.stop()
    return ok, summary


def report(
    result: Delivery,
    stats: dict[str, Any],
    rate: float,
    unconfirmed_claims: int,
    problems: list[logging.LogRecord],
) -> tuple[bool, list[tuple[str, str, str]]]:
    expected_seconds = result.expected / rate
    ratio = result.seconds / expected_seconds if expected_seconds else float("nan")
    throughput = result.sent / result.seconds if result.seconds else 0.0
    too_many = stats["too_many"]
    print(
        f"  [{result.mode}] sent {result.sent:,} of {result.expected:,}; the API accepted"
        f" {stats['accepted']:,} in {stats['chats']:,} chats, 429s {too_many} (overall"
        f" {stats['rejected_overall']}, per chat {stats['rejected_chat']}), bad requests"
        f" {stats['bad_requests']}{' (' + stats['first_bad'] + ')' if stats['first_bad'] else ''}"
    )
    for line in result.scans:
        print(line)
    first = f"{result.first_after:.2f} s" if result.first_after is not None else "-"
    print(
        f"  [{result.mode}] total {result.seconds:.1f} s; expected N / rate ="
        f" {result.expected:,} / {rate:g} = {expected_seconds:.1f} s; ratio {ratio:.3f};"
        f" throughput {throughput:.2f} messages/s; first message at the API after {first};"
        f" busiest sliding second: {result.client_peak[0]} messages as the sender sent"
        f" them{_at(result.client_peak[1], result)}, {result.api_peak[0]} as they arrived at"
        f" the API{_at(result.api_peak[1], result)} (limit 30; {stats['at_limit']} arrival(s)"
        f" filled a second to the limit); from aiogram's session to the API: {result.transit}"
    )
    traced = (
        f", tracemalloc peak {result.tracemalloc_peak_mb:.1f} MB"
        if result.tracemalloc_peak_mb is not None
        else ""
    )
    print(
        f"  [{result.mode}] memory: RSS {result.rss_before:.0f} MB before, {result.rss_after:.0f}"
        f" MB after{traced}; process peak (ru_maxrss) {peak_rss_mb():.0f} MB;"
        f" event-loop lag {result.lag} (the longest{_at(result.worst_lag_at, result)});"
        f" {result.gc}"
    )
    waits = [r for r in problems if "asks to wait" in r.getMessage()]
    bad = [r for r in problems if r.levelno >= logging.WARNING]
    print(
        f"  [{result.mode}] sender log: {len(waits)} retry_after wait(s), {len(bad)}"
        f" warning(s)/error(s); claims left unconfirmed: {unconfirmed_claims}"
    )
    for record in bad[:5]:
        print(f"    !! {record.name}: {record.getMessage()}")
    zero = too_many == 0
    within = abs(ratio - 1.0) <= TOLERANCE
    complete = result.sent == result.expected == stats["accepted"] - _others(result, stats)
    met = zero and within and complete and not bad and unconfirmed_claims == 0
    mode = "sender" if result.mode == "sender" else "scans every minute"
    return met, [
        (f"delivery ({mode}): 429s provoked", f"{too_many}", verdict(zero, "0")),
        (
            f"delivery ({mode}): time / (N / rate)",
            f"{result.seconds:.1f} s / {expected_seconds:.1f} s = {ratio:.3f}",
            verdict(within, "within 10%"),
        ),
        (
            f"delivery ({mode}): all sent, none lost",
            f"{result.sent:,} of {result.expected:,}, {unconfirmed_claims} unconfirmed",
            verdict(complete and unconfirmed_claims == 0, "all"),
        ),
        (
            f"delivery ({mode}): memory",
            f"RSS {result.rss_after:.0f} MB, peak {peak_rss_mb():.0f} MB"
            + (f", traced {result.tracemalloc_peak_mb:.1f} MB" if traced else ""),
            "(printed)",
        ),
    ]


def _at(moment: float | None, result: Delivery) -> str:
    """A monotonic moment as seconds since the delivery started."""
    return f" at +{moment - result.started_at:.1f} s" if moment else ""


def _others(result: Delivery, stats: dict[str, Any]) -> int:
    """Messages of other stages (timed reminders in the scans mode) the API accepted."""
    return max(0, stats["accepted"] - result.sent) if result.mode == "scans" else 0
