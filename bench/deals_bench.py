"""Benchmark of the deal features through the production dispatcher (issue 3, item 14).

    python -m bench.deals_bench                      # 100k deals, 1k managers, 300k notes
    python -m bench.deals_bench --deals 2000 --managers 20 --notes 6000 --updates 50  # smoke

Seeds (or reuses, see ``--db``) a SQLite base built by the real migrations, feeds the
production dispatcher real ``Update`` objects one at a time, and prints per action p50 / p99
latency, updates/s and the ratio to the floor: a bare dispatcher whose one handler opens a
session and reads one user by primary key, measured in the same run. Then SQLite's plan of
the Today / Overdue / phone-search queries and of every statement each action sent.

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
from pathlib import Path

from bench.actions import card_actions, floor_actions
from bench.actions import load_population as load_people
from bench.features import feature_actions
from bench.measure import ErrorLog, Runner, breakdown, measure, mixed_load
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
from bench.seed import Sizes, ensure_database
from bench.telegram import TOKEN, Updates, make_bot
from bot.dispatcher import build_dispatcher
from bot.settings import Settings
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

    print("dealbot deal benchmark (issue 3, item 14)")
    print(f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {versions()}")
    print(f"{platform.platform()}, {os.cpu_count()} CPU(s), load average {load_average()}")

    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="dealbot-bench-")
        path = Path(tmp.name) / "bench.db"
    else:
        path = args.db.resolve()
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    try:
        sizes = Sizes(args.deals, args.managers, args.notes, args.seed)
        seeded = await ensure_database(engine, path, sizes, dt.datetime.now(dt.UTC))
        how = "reused" if seeded.reused else "seeded"
        rows = ", ".join(f"{k} {v:,}" for k, v in seeded.rows.items())
        print(f"database {path}: {how} in {seeded.seconds:.1f} s ({rows})")
        population = await load_people(engine)
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
        if args.breakdown:
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
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MB; load average now {load_average()}")
        await bot.session.close()
    finally:
        await engine.dispose()
        if tmp is not None:
            tmp.cleanup()
    return 0 if (met and plans_ok) or not args.check else 1


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
