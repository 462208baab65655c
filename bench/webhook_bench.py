"""Webhook throughput with one and with two worker processes on PostgreSQL + Redis (issue 9,
point 9): real ``python -m bot --no-scheduler`` workers with WEBHOOK_URL, a port each, the
fake Bot API (bench/fake_limited_api.py) in a process of its own with its limits off and a
small latency, and N updates (``/note <deal> <text>`` from seeded managers, each a write:
the note, its deal event, the processed-update record, then the reply) posted concurrently
over HTTP with the secret header, round-robin over the workers::

    export $(bash .ci/services)   # or any PostgreSQL server and Redis
    python -m bench.webhook_bench --database-url "$TEST_DATABASE_URL" --redis-url "$TEST_REDIS_URL"

A database of its own (``<the URL's database>_webhook_bench``) is created on that server and
dropped at the end. Throughput is counted as Telegram sees it: updates answered 200 per second
of wall time (an answer comes once the update's writes are committed). The replies leave
through each process's outbound budget (OUTBOUND_RATE, at most 30/s per process, as
Telegram allows), so they lag behind; their count is printed too. Target: two workers >= 1.7x
one on a 2-core machine. At the end every posted note must be in the database exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bench.fault_procs import FakeApi, bot_env, migrate, seed
from bench.report import load_average, versions
from bench.webhook_procs import (
    READY_LINE,
    SECRET,
    SECRET_HEADER,
    WEBHOOK_PATH,
    Processes,
    free_port,
    message_update,
    worker_env,
)
from models import Note
from models.db import create_engine

TARGET_RATIO = 1.7


BUDGETS = {"telegram": "bot", "lifted": "bench.unbudgeted_bot"}  # budget -> module run


def _cpu_by_process() -> dict[int, tuple[str, float]]:
    """Every process's name and CPU seconds so far (Linux /proc; read only)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        out[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / tick)
    return out


def _cpu_total() -> float:
    """CPU seconds of the whole machine, idle and iowait excluded."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


class CpuWindow:
    """CPU seconds spent during a window, by role: the workers, the fake Bot API, this
    script (the HTTP client), PostgreSQL, Redis, and everything else on the machine (other
    users of its cores: the figures are only as good as the machine was quiet)."""

    def __init__(self, workers: list[int], api: int) -> None:
        self.roles = {pid: "workers" for pid in workers} | {api: "fake API", os.getpid(): "client"}
        self.before = _cpu_by_process()
        self.total_before = _cpu_total()

    def stop(self) -> dict[str, float]:
        after = _cpu_by_process()
        spent: dict[str, float] = dict.fromkeys(
            ["workers", "PostgreSQL", "client", "fake API", "Redis", "other"], 0.0
        )
        for pid, (name, cpu) in after.items():
            used = cpu - self.before.get(pid, (name, 0.0))[1]
            if pid in self.roles:
                role = self.roles[pid]
            elif name == "postgres":
                role = "PostgreSQL"
            elif name.startswith("redis"):
                role = "Redis"
            else:
                continue
            spent[role] += used
        known = sum(spent.values())
        spent["other"] = max(0.0, _cpu_total() - self.total_before - known)
        return spent


@dataclass
class Run:
    budget: str
    workers: int
    updates: int
    seconds: float
    replies: int  # replies the fake API had accepted when the last answer came
    cpu: dict[str, float]  # CPU seconds by role during the measured window

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("TEST_REDIS_URL", ""))
    parser.add_argument("--updates", type=int, default=1500, help="measured updates per run")
    parser.add_argument("--warmup", type=int, default=100, help="uncounted updates per run")
    parser.add_argument("--concurrency", type=int, default=32, help="posts in flight")
    parser.add_argument("--managers", type=int, default=100)
    parser.add_argument("--latency-ms", type=float, default=5.0, help="fake Bot API latency")
    parser.add_argument("--repeat", type=int, default=1, help="runs per worker count (best)")
    parser.add_argument(
        "--budget",
        choices=["telegram", "lifted", "both"],
        default="both",
        help="telegram: the real outbound budget (OUTBOUND_RATE=30 per process); lifted: none"
        " (bench/unbudgeted_bot.py), so the workers' CPU is what is measured",
    )
    args = parser.parse_args()
    if make_url(args.database_url or "sqlite://").get_backend_name() != "postgresql":
        parser.error("--database-url must be a postgresql+asyncpg:// URL (or TEST_DATABASE_URL)")
    if not args.redis_url:
        parser.error("--redis-url is needed: two workers share the per-user lock in Redis")
    return args


async def _admin(url: str, *statements: str) -> None:
    engine = create_engine(
        make_url(url).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


class _Connection:
    """One keep-alive HTTP/1.1 connection that posts prebuilt requests: the load generator
    shares the machine's two cores with the workers, so it must cost little (aiohttp's
    client spent ~2 ms of CPU per request, a fifth of a worker's)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.head = (
            f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\n{SECRET_HEADER}: {SECRET}\r\n"
        ).encode()

    async def post(self, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _post_all(ports: list[int], bodies: list[bytes], concurrency: int) -> float:
    """Post every body, ``concurrency`` at a time (connections spread over ``ports``); the
    seconds."""
    queue = iter(bodies)
    failures: list[int] = []

    async def client(connection: _Connection) -> None:
        for body in queue:
            status = await connection.post(body)
            if status != 200:
                failures.append(status)

    connections = [_Connection(ports[n % len(ports)]) for n in range(concurrency)]
    began = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.gather(*(client(c) for c in connections)), 120)
    finally:
        for connection in connections:
            connection.close()
    seconds = time.perf_counter() - began
    if failures:
        raise SystemExit(f"{len(failures)} update(s) not answered 200: {failures[:5]}")
    return seconds


class Bodies:
    """Distinct /note updates, each from a manager on their own deal."""

    def __init__(self, managers: list[dict[str, Any]]) -> None:
        self.managers = managers
        self.update_id = 1_000_000
        self.texts: list[str] = []

    def take(self, count: int) -> list[bytes]:
        bodies = []
        for _ in range(count):
            self.update_id += 1
            manager = self.managers[self.update_id % len(self.managers)]
            note = f"wbench-{self.update_id}"
            self.texts.append(note)
            text = f"/note {manager['deals'][0]} {note}"
            update = message_update(self.update_id, manager["telegram_id"], text)
            bodies.append(json.dumps(update).encode())
        return bodies


def run_workers(
    budget: str,
    count: int,
    env: dict[str, str],
    procs: Processes,
    api: FakeApi,
    bodies: Bodies,
    args: argparse.Namespace,
) -> Run:
    ports = [free_port() for _ in range(count)]
    workers: list[subprocess.Popen[bytes]] = []
    for n, port in enumerate(ports):
        name = f"{budget}-w{count}-{n}"
        workers.append(
            procs.start(name, ["--no-scheduler"], worker_env(env, port), BUDGETS[budget])
        )
    for n, worker in enumerate(workers):
        procs.wait_for_line(f"{budget}-w{count}-{n}", worker, READY_LINE, 90.0)
    try:
        asyncio.run(_post_all(ports, bodies.take(args.warmup), args.concurrency))
        sent_before = len(api.sent())
        window = CpuWindow([w.pid for w in workers], api.process.pid)
        seconds = asyncio.run(_post_all(ports, bodies.take(args.updates), args.concurrency))
        cpu = window.stop()
        replies = len(api.sent()) - sent_before
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=40)
            except subprocess.TimeoutExpired:
                worker.kill()
    return Run(budget, count, args.updates, seconds, replies, cpu)


async def _note_counts(url: str, texts: list[str]) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(Note.text, func.count())
                .where(Note.text.like("wbench-%"))
                .group_by(Note.text)
            )
            counts = dict(rows.all())
    finally:
        await engine.dispose()
    missing = sum(1 for t in texts if t not in counts)
    twice = sum(1 for n in counts.values() if n > 1)
    return missing, twice


def main() -> None:
    args = parse_args()
    base = make_url(args.database_url)
    name = f"{base.database or 'dealbot'}_webhook_bench"
    url = base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    )
    with tempfile.TemporaryDirectory(prefix="webhook-bench-") as tmp_name:
        tmp = Path(tmp_name)
        procs = Processes(tmp)
        api = FakeApi.start(tmp, limits=False, latency_ms=args.latency_ms)
        try:
            env = bot_env(
                tmp,
                api.url,
                DATABASE_URL=url,
                REDIS_URL=args.redis_url,
                OUTBOUND_PER_CHAT_SECONDS="0",
                OUTBOUND_RATE="30",
            )
            migrate(env, tmp)
            spec = {"admin": 1, "managers": args.managers, "deals_each": 1, "due_in_days": 5}
            bodies = Bodies(seed(env, tmp, spec)["managers"])
            runs: dict[tuple[str, int], Run] = {}
            budgets = list(BUDGETS) if args.budget == "both" else [args.budget]
            for budget in budgets:
                for count in (1, 2):
                    for _ in range(args.repeat):
                        run = run_workers(budget, count, env, procs, api, bodies, args)
                        best = runs.get((budget, count))
                        if best is None or run.rate > best.rate:
                            runs[budget, count] = run
            missing, twice = asyncio.run(_note_counts(url, bodies.texts))
        finally:
            procs.kill_all()
            api.stop()
            asyncio.run(_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print_report(runs, args, missing, twice)


def print_report(
    runs: dict[tuple[str, int], Run], args: argparse.Namespace, missing: int, twice: int
) -> None:
    print(f"# webhook throughput on PostgreSQL + Redis ({versions()}; load {load_average()})")
    print(
        f"# {args.updates} /note updates per run (+{args.warmup} warm-up), {args.concurrency} in"
        f" flight, {args.managers} managers, fake Bot API latency {args.latency_ms:g} ms,"
        f" best of {args.repeat}"
    )
    print(
        f"{'outbound budget':<16}  {'workers':>7}  {'updates/s':>9}  {'seconds':>7}"
        f"  {'replies sent meanwhile':>22}"
    )
    for (budget, count), run in runs.items():
        print(f"{budget:<16}  {count:>7}  {run.rate:>9.1f}  {run.seconds:>7.2f}  {run.replies:>22}")
    print()
    roles = list(next(iter(runs.values())).cpu)
    print("CPU ms per update during the window (2 cores = 2000 ms of CPU per second)")
    print(f"{'outbound budget':<16}  {'workers':>7}  " + "  ".join(f"{r:>10}" for r in roles))
    for (budget, count), run in runs.items():
        per = [1000 * run.cpu[r] / run.updates for r in roles]
        print(f"{budget:<16}  {count:>7}  " + "  ".join(f"{v:>10.2f}" for v in per))
    print()
    for budget in dict.fromkeys(b for b, _ in runs):
        ratio = runs[budget, 2].rate / runs[budget, 1].rate
        verdict = "ok" if ratio >= TARGET_RATIO else "MISSED"
        print(f"{budget}: two workers / one: {ratio:.2f}x (target >= {TARGET_RATIO}x: {verdict})")
    print(f"notes: {missing} missing, {twice} saved twice (both must be 0)")


if __name__ == "__main__":
    main()
