"""A quarter's /report of a 50-manager team on a base of 1,000,000 deals (issue 13, point 9:
< 1 s), with the query plans (no full scan of deals, notes or deal_events).

    python -m bench.report_bench                 # 1M deals, 20 teams x 50 managers
    python -m bench.report_bench --deals 50000   # a quick run (its own cached file)
    python -m bench.report_bench --database-url postgresql+asyncpg://postgres@/db?host=/sock

Seeds (or reuses) bench/out/report-<deals>.db (bench/report_seed.py), then builds the report
of team 1 as its lead sees it: the scope, the funnel, the sources and the managers (all three
sections, rendered to text), for the last quarter (full) and this quarter, ``--runs`` times
each in a fresh session; prints per-section and total medians, then SQLite's EXPLAIN QUERY
PLAN of every statement the report runs, flagging any full scan, and the charts' draw times.
With ``--database-url`` (a PostgreSQL server) the same base is copied into a database of the
run's own there (dropped at the end) and the same figures and EXPLAIN are printed for it.
A script, not a test."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bench.deals_bench import create_postgres_database, drop_postgres_database
from bench.report import load_average
from bench.report_seed import NOW, Sizes, ensure_base
from bot.callbacks.report import ReportView
from bot.i18n import Translator
from bot.render.report import ReportContext, render_funnel, render_managers, render_sources
from bot.render.report_chart import funnel_chart, plan_chart, sources_chart
from models import Deal, User
from models.catalog import Stage
from models.crm import Crm
from models.db import create_engine, create_session_factory
from models.periods import PeriodKind, preset
from models.services.staleness import stale_stmt
from models.staleness import cutoff
from models.timeutil import local_today

OUT = Path(__file__).parent / "out"
TARGET_S = 1.0
CHART_TARGET_MS = 150.0
FULL_SCAN_TABLES = ("deals", "notes", "deal_events")


def _clock() -> Any:
    return NOW


async def one_report(factory: Any, lead_id: int, kind: PeriodKind) -> dict[str, float]:
    """The three sections as the lead gets them; seconds per step."""
    tr = Translator().for_locale("ru")
    times: dict[str, float] = {}
    async with factory() as session:
        crm = Crm(session, clock=_clock)
        started = time.perf_counter()
        lead = await session.get(User, lead_id)
        assert lead is not None
        scope = await crm.team_reports.scope(lead)
        period = preset(kind, scope.today)
        times["scope"] = time.perf_counter() - started
        mark = time.perf_counter()
        funnel = await crm.team_reports.funnel(scope, period)
        render_funnel(ReportContext(scope, period, ReportView.funnel), funnel, tr, admin=False)
        times["funnel"] = time.perf_counter() - mark
        mark = time.perf_counter()
        sources = await crm.team_reports.sources(scope, period)
        render_sources(ReportContext(scope, period, ReportView.sources), sources, tr, admin=False)
        times["sources"] = time.perf_counter() - mark
        mark = time.perf_counter()
        managers = await crm.team_reports.managers(scope, period)
        ctx = ReportContext(scope, period, ReportView.managers)
        render_managers(ctx, managers, tr, admin=False)
        times["managers"] = time.perf_counter() - mark
        times["total"] = time.perf_counter() - started
        times["cohort"] = funnel.funnel.total
    return times


async def measure(factory: Any, lead_id: int, runs: int, label: str) -> float:
    print(f"\n== {label}: a quarter's report of team 1 (50 managers), {runs} runs each ==")
    worst = 0.0
    for kind in (PeriodKind.last_quarter, PeriodKind.this_quarter):
        await one_report(factory, lead_id, kind)  # warm the page cache and the statement cache
        samples = [await one_report(factory, lead_id, kind) for _ in range(runs)]
        med = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
        print(
            f"{kind.name:13s} cohort {int(med['cohort']):>6,} deals | "
            + " · ".join(
                f"{k} {med[k] * 1000:6.1f} ms" for k in ("scope", "funnel", "sources", "managers")
            )
            + f" | total median {med['total'] * 1000:7.1f} ms,"
            + f" max {max(s['total'] for s in samples) * 1000:7.1f} ms"
        )
        worst = max(worst, med["total"])
    verdict = "OK" if worst < TARGET_S else "OVER"
    print(f"target < {TARGET_S:.0f} s: {verdict} (worst median {worst * 1000:.0f} ms)")
    return worst


async def _statements(session: AsyncSession, lead_id: int) -> dict[str, Any]:
    crm = Crm(session, clock=_clock)
    lead = await session.get(User, lead_id)
    assert lead is not None
    scope = await crm.team_reports.scope(lead)
    period = preset(PeriodKind.last_quarter, scope.today)
    statements = await crm.team_reports.statements(scope, period)
    # The stale deals of the managers section (Staleness.for_owners): one range per owner.
    rows = await session.execute(
        select(Stage.id, Stage.stale_days).where(Stage.stale_days.is_not(None))
    )
    today = local_today(NOW, "Europe/Moscow")
    cutoffs = {sid: cutoff(today, days, "Europe/Moscow") for sid, days in rows}
    stale = stale_stmt([p.id for p in scope.people], cutoffs)
    statements["stale_counts"] = stale.with_only_columns(
        Deal.owner_id, func.count(Deal.id)
    ).group_by(Deal.owner_id)
    return statements


async def explain(engine: AsyncEngine, lead_id: int) -> int:
    """Every statement's plan; returns the number of full scans of the big tables."""
    postgres = engine.dialect.name == "postgresql"
    print(
        f"\n== query plans ({'EXPLAIN' if postgres else 'EXPLAIN QUERY PLAN'},"
        f" {engine.dialect.name}) =="
    )
    scans = 0
    async with create_session_factory(engine)() as session:
        for name, statement in (await _statements(session, lead_id)).items():
            sql = statement.compile(bind=engine, compile_kwargs={"literal_binds": True})
            prefix = "EXPLAIN" if postgres else "EXPLAIN QUERY PLAN"
            rows = (await session.execute(text(f"{prefix} {sql}"))).all()
            lines = [str(row[-1]) for row in rows]
            bad = [line for line in lines if _full_scan(line, postgres)]
            scans += len(bad)
            print(f"-- {name}{'  <-- FULL SCAN' if bad else ''}")
            for line in lines:
                print(f"   {line}")
    print(f"full scans of {', '.join(FULL_SCAN_TABLES)}: {scans}")
    return scans


def _full_scan(line: str, postgres: bool) -> bool:
    text_ = line.strip()
    if postgres:
        return "Seq Scan on" in text_ and any(f" on {t} " in text_ + " " for t in FULL_SCAN_TABLES)
    words = text_.split()
    # SQLite: "SCAN t" (or "SCAN t USING INDEX": every row of an index) reads a whole table;
    # "SEARCH t USING INDEX (...)" reads a range. A covering index scan is still a full scan.
    return len(words) >= 2 and words[0] == "SCAN" and words[1] in FULL_SCAN_TABLES


async def charts(factory: Any, lead_id: int, runs: int) -> None:
    tr = Translator().for_locale("ru")
    async with factory() as session:
        crm = Crm(session, clock=_clock)
        lead = await session.get(User, lead_id)
        assert lead is not None
        scope = await crm.team_reports.scope(lead)
        period = preset(PeriodKind.last_quarter, scope.today)
        funnel = await crm.team_reports.funnel(scope, period)
        sources = await crm.team_reports.sources(scope, period)
        managers = await crm.team_reports.managers(scope, period)
    print(f"\n== charts (bot/render/bars.py), {runs} runs each ==")
    for name, draw in (
        ("funnel", lambda: funnel_chart(funnel, tr)),
        ("sources", lambda: sources_chart(sources, tr)),
        ("plan per manager (25 bars)", lambda: plan_chart(managers, tr)),
    ):
        draw()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            png = draw()
            times.append((time.perf_counter() - start) * 1000)
        med = statistics.median(times)
        verdict = "OK" if med <= CHART_TARGET_MS else "OVER"
        print(
            f"{name:28s} median {med:6.1f} ms, max {max(times):6.1f} ms,"
            f" {len(png):,} bytes: {verdict}"
        )


async def copy_to_postgres(sqlite_db: Path, url: str) -> AsyncEngine:
    """The seeded SQLite base copied into an empty PostgreSQL database (migrations, then COPY
    of every row), ANALYZEd as a PostgreSQL server would be by autovacuum."""
    import sqlite3

    from bot.app import prepare_database

    engine = create_engine(url)
    await prepare_database(engine)
    source = sqlite3.connect(sqlite_db)
    raw = await engine.raw_connection()
    conn: Any = raw.driver_connection
    try:
        await conn.execute(
            "TRUNCATE deal_events, notes, plans, deals, users, teams RESTART IDENTITY CASCADE"
        )
        for table in ("teams", "users", "plans", "deals", "notes", "deal_events"):
            columns = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
            types = {r[1]: r[2].upper() for r in source.execute(f"PRAGMA table_info({table})")}
            started = time.perf_counter()
            cursor = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
            total = 0
            if table == "teams":
                await conn.execute("ALTER TABLE teams DISABLE TRIGGER ALL")
            while batch := cursor.fetchmany(100_000):
                records = [_pg_row(row, columns, types) for row in batch]
                await conn.copy_records_to_table(table, records=records, columns=columns)
                total += len(records)
            if table == "teams":
                await conn.execute("ALTER TABLE teams ENABLE TRIGGER ALL")
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
            print(f"   copied {table}: {total:,} rows in {time.perf_counter() - started:.1f} s")
        await conn.execute("ANALYZE")
    finally:
        raw.close()
        source.close()
    return engine


def _pg_row(row: tuple[Any, ...], columns: list[str], types: dict[str, str]) -> tuple[Any, ...]:
    import datetime as dt
    import decimal

    out = []
    for value, column in zip(row, columns, strict=True):
        kind = types[column]
        if value is None:
            out.append(None)
        elif kind == "DATETIME":
            out.append(dt.datetime.fromisoformat(value))
        elif kind == "DATE":
            out.append(dt.date.fromisoformat(value))
        elif kind == "TIME":
            out.append(dt.time.fromisoformat(value))
        elif kind == "BOOLEAN":
            out.append(bool(value))
        elif kind.startswith("NUMERIC"):
            out.append(decimal.Decimal(str(value)))
        else:
            out.append(value)
    return tuple(out)


async def main(args: argparse.Namespace) -> int:
    sizes = Sizes(deals=args.deals)
    db = args.db or OUT / f"report-{args.deals}.db"
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    base = await ensure_base(engine, db, sizes)
    how = "reused" if base.reused else "seeded"
    print(f"base {db}: {how} in {base.seconds:.1f} s; rows {base.rows}")
    print(f"machine: 2 cores shared with other work; load average {load_average()}")
    factory = create_session_factory(engine)
    worst = await measure(factory, base.lead_id, args.runs, "SQLite")
    scans = await explain(engine, base.lead_id)
    await charts(factory, base.lead_id, args.runs)
    await engine.dispose()
    if args.database_url:
        # A database of the run's own on that server, dropped at the end.
        url = await create_postgres_database(args.database_url)
        try:
            print(f"\n== PostgreSQL: copying the base into {make_url(url).database} ==")
            pg = await copy_to_postgres(db, url)
            pg_factory = create_session_factory(pg)
            worst = max(worst, await measure(pg_factory, base.lead_id, args.runs, "PostgreSQL"))
            scans += await explain(pg, base.lead_id)
            await pg.dispose()
        finally:
            await drop_postgres_database(url)
    print(f"\nload average {load_average()}")
    return 0 if worst < TARGET_S and scans == 0 else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.report_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="SQLite file (default bench/out/report-<deals>.db)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (any database on it): the base is copied into a database "
        "of the run's own",
    )
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse_args())))
