"""Benchmark of the deal features through the production dispatcher (issue 3, item 14).

    python -m bench.deals_bench                      # 100k deals, 1k managers, 300k notes
    python -m bench.deals_bench --deals 2000 --managers 20 --notes 6000 --updates 50  # smoke
    python -m bench.deals_bench --database-url postgresql+asyncpg://postgres@/x?host=/sock

Seeds (or reuses, see ``--db``) a SQLite base built by the real migrations, feeds the
production dispatcher real ``Update`` objects one at a time, and prints per action p50 / p99
latency, updates/s and the ratio to the floor: a bare dispatcher whose one handler opens a
session and reads one user by primary key, measured in the same run. Then SQLite's plan of
the Today / Overdue / phone-search queries and of every statement each action sent. With
``--database-url`` the same passes run on PostgreSQL too (a base seeded the same way in a
database of the run's own), then one table of both side by side.

A script, not a test: nothing here runs under pytest. See bench/README.md."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import logging
import os
import platform
import random
import resource
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from bench.actions import card_actions, floor_actions
from bench.actions import load_population as load_people
from bench.features import feature_actions
from bench.measure import ErrorLog, Result, Runner, breakdown, measure, mixed_load
from bench.plans import SqlCapture
from bench.report import (
    P50_TARGET_MS,
    P99_TARGET_MS,
    RATIO_TARGET,
    load_average,
    plans_section,
    print_breakdown,
    print_mixed,
    print_profile,
    print_table,
    versions,
)
from bench.seed import Seeded, Sizes, ensure_database, seed_postgres
from bench.telegram import TOKEN, Updates, make_bot
from bot.dispatcher import build_dispatcher
from bot.settings import Settings
from models import User
from models.clock import utc_now
from models.db import create_engine, create_session_factory


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.deals_bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--managers", type=int, default=1_000)
    parser.add_argument("--notes", type=int, default=300_000)
    parser.add_argument("--updates", type=int, default=300, help="measured updates per action")
    parser.add_argument("--warmup", type=int, default=20, help="uncounted updates per action")
    parser.add_argument(
        "--db",
        type=Path,
        help="SQLite file to keep; reused when it was seeded with the same sizes "
        "(default: a temporary file, deleted at the end)",
    )
    parser.add_argument(
        "--database-url",
        help="also run every pass on PostgreSQL (postgresql+asyncpg://...): a database of the"
        " run's own is created on that server, seeded the same way and dropped at the end",
    )
    parser.add_argument("--seed", type=int, default=14, help="random seed of data and picks")
    parser.add_argument("--only", help="comma-separated action names to run (floors always run)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=8,
        metavar="K",
        help="updates in flight in the mixed-load pass (0: skip it)",
    )
    parser.add_argument(
        "--mixed", type=int, help="updates of the mixed-load pass (default: 2 x --updates)"
    )
    parser.add_argument(
        "--api-latency",
        type=float,
        default=0.0,
        metavar="MS",
        help="in the mixed-load pass, every Bot API call takes this long (a network)",
    )
    parser.add_argument(
        "--breakdown",
        type=int,
        metavar="N",
        help="updates per action of the pass that splits DB and Python time (0: skip;"
        " default: --updates / 3, at most 50)",
    )
    parser.add_argument("--profile", metavar="ACTION", help="cProfile one action's updates")
    parser.add_argument("--sql", action="store_true", help="print every statement's full SQL")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target is missed or a plan scans"
    )
    args = parser.parse_args(argv)
    if min(args.deals, args.managers, args.updates) < 1 or args.notes < 0 or args.warmup < 0:
        parser.error("sizes and --updates must be positive")
    if args.database_url and make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("--database-url must be a postgresql+asyncpg:// URL")
    if args.mixed is None:
        args.mixed = 2 * args.updates
    if args.breakdown is None:
        args.breakdown = min(50, max(10, args.updates // 3))
    return args


async def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    errors = ErrorLog()
    error_logger = logging.getLogger("bot.errors")
    error_logger.setLevel(logging.INFO)
    error_logger.addHandler(errors)
    error_logger.propagate = False

    print("dealbot deal benchmark (issue 3, item 14; PostgreSQL beside SQLite: issue 9)")
    print(f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {versions()}")
    print(f"{platform.platform()}, {os.cpu_count()} CPU(s), load average {load_average()}")
    sizes = Sizes(args.deals, args.managers, args.notes, args.seed)
    outcomes: dict[str, Outcome] = {}

    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="dealbot-bench-")
        path = Path(tmp.name) / "bench.db"
    else:
        path = args.db.resolve()
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    try:
        print("\n=== SQLite ===")
        seeded = await ensure_database(engine, path, sizes, dt.datetime.now(dt.UTC))
        how = "reused" if seeded.reused else "seeded"
        print(f"database {path}: {how} in {seeded.seconds:.1f} s ({_rows(seeded)})")
        outcomes["SQLite"] = await bench_database(engine, url, errors, args)
    finally:
        await engine.dispose()
        if tmp is not None:
            tmp.cleanup()

    if args.database_url:
        pg_url = await create_postgres_database(args.database_url)
        engine = create_engine(pg_url)
        try:
            async with engine.connect() as conn:
                server = await conn.scalar(text("SHOW server_version"))
            print(f"\n=== PostgreSQL {server} ===")
            seeded = await seed_postgres(engine, sizes, dt.datetime.now(dt.UTC))
            print(f"database {_shown(pg_url)}: seeded in {seeded.seconds:.1f} s ({_rows(seeded)})")
            outcomes["PostgreSQL"] = await bench_database(engine, pg_url, errors, args)
        finally:
            await engine.dispose()
            await drop_postgres_database(pg_url)
        print_side_by_side(outcomes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB; load average now {load_average()}")
    passed = all(o.met and o.plans_ok for o in outcomes.values())
    return 0 if passed or not args.check else 1


@dataclass
class Outcome:
    results: list[Result]
    met: bool
    plans_ok: bool


def _rows(seeded: Seeded) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in seeded.rows.items())


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


async def _on_server(url: str, statement: str) -> None:
    admin = create_engine(
        make_url(url).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    try:
        async with admin.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await admin.dispose()


async def create_postgres_database(server_url: str) -> str:
    """A database of this run's own on ``server_url``'s server, dropped at the end."""
    url = make_url(server_url)
    name = f"{url.database or 'dealbot'}_deals_bench_{os.getpid()}"
    await _on_server(server_url, f'CREATE DATABASE "{name}" TEMPLATE template0')
    return url.set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    await _on_server(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


async def bench_database(
    engine: AsyncEngine, url: str, errors: ErrorLog, args: argparse.Namespace
) -> Outcome:
    """Every pass on one seeded database; prints its tables."""
    population = await load_people(engine)
    # Steady state: the managers are active, so their "last seen" is recent and an update
    # does not write it (that write comes at most once per 5 minutes per person: see
    # models/services/accounts.py SEEN_EVERY). A run lasts less than that.
    async with engine.begin() as conn:
        await conn.execute(update(User).values(last_seen_at=utc_now()))
    print(
        f"actors: {len(population.managers)} managers with {population.deals:,} open deals;"
        f" {args.warmup} warm-up + {args.updates} measured updates per action, one at a time"
    )
    session_factory = create_session_factory(engine)
    settings = Settings(_env_file=None, bot_token=TOKEN, database_url=url)  # type: ignore[call-arg]
    bot = make_bot()
    dp = build_dispatcher(settings, session_factory)
    updates = Updates(bot)
    capture = SqlCapture(engine)
    actions = floor_actions(updates, population, session_factory)
    actions += card_actions(dp, updates, population)
    actions += feature_actions(dp, bot, updates, population, session_factory)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        actions = [a for a in actions if a.floor or a.name in wanted]

    rng = random.Random(args.seed)
    runner = Runner(bot, capture, errors)
    if args.profile:
        runner.profiler = cProfile.Profile()
    started = time.perf_counter()
    results = await measure(
        runner, actions, rng, warmup=args.warmup, updates=args.updates, profile=args.profile
    )
    took = time.perf_counter() - started
    floor = next(r for r in results if r.action.name == "FLOOR")
    print(f"\nmeasured in {took:.1f} s; floor p50 {floor.p50 * 1000:.0f} us\n")
    met = print_table(results, floor.p50)
    print(
        f"\ntargets per deal action: p50 <= {P50_TARGET_MS:g} ms, p99 <= {P99_TARGET_MS:g} ms,"
        f" p50 <= {RATIO_TARGET:g} x floor: {'all MET' if met else 'MISSED (see above)'}"
    )
    if args.concurrency:
        bot.session.latency = args.api_latency / 1000  # type: ignore[attr-defined]
        mixed = await mixed_load(
            bot, errors, actions, population, args.concurrency, args.mixed, args.seed
        )
        bot.session.latency = 0.0  # type: ignore[attr-defined]
        print_mixed(mixed, args.api_latency)
    if args.breakdown and engine.dialect.name == "sqlite":  # it times aiosqlite's calls
        n = args.breakdown
        print(f"\nwhere the time goes ({n} more updates per action, SQLite calls timed):")
        print_breakdown(await breakdown(runner, actions, args.breakdown, rng))
    plans_ok = await plans_section(
        engine, session_factory, capture, population, results, rng, full_sql=args.sql
    )
    verdict_ = "no full scan of a big table" if plans_ok else "FULL SCANS (FAIL)"
    print(f"\nquery plans: {verdict_}")
    if runner.profiler is not None:
        print_profile(runner.profiler, args.profile)
    await bot.session.close()
    return Outcome(results, met, plans_ok)


def print_side_by_side(outcomes: dict[str, Outcome]) -> None:
    """One line per action: p50 / p99 / updates/s on each database, and the ratio."""
    names = list(outcomes)
    print(f"\n=== per action: {' vs '.join(names)} (one update at a time) ===")
    head = f"{'action':<14}" + "".join(
        f" {name[:10] + ' p50':>14} {'p99':>7} {'upd/s':>6}" for name in names
    )
    head += f" {'p50 ' + names[-1][:2] + '/' + names[0][:2]:>9}"
    print(head)
    print("-" * len(head))
    by_name = [{r.action.name: r for r in o.results} for o in outcomes.values()]
    for name in by_name[0]:
        rows = [b.get(name) for b in by_name]
        line = f"{name:<14}"
        for r in rows:
            line += (
                f" {r.p50:>14.2f} {r.p99:>7.2f} {r.per_second:>6.0f}"
                if r
                else f" {'-':>14} {'-':>7} {'-':>6}"
            )
        first, last = rows[0], rows[-1]
        line += f" {last.p50 / first.p50:>9.2f}" if first and last else ""
        print(line)
    for name, outcome in outcomes.items():
        plans = "no full scan of a big table" if outcome.plans_ok else "FULL SCANS"
        targets = "all MET" if outcome.met else "MISSED"
        print(f"{name}: targets {targets}; plans: {plans}")


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
