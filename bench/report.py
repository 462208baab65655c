"""Printing: versions, the result table against the targets, the time split, query plans."""

from __future__ import annotations

import cProfile
import datetime as dt
import importlib.metadata
import io
import math
import os
import pstats
import random
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.actions import Population
from bench.breakdown import Split
from bench.measure import Mixed, Result
from bench.plans import Plan, SqlCapture, explain, hand_written, sql_of
from bench.seed import bench_phone
from models import User
from models.crm import Crm, CrmConfig
from models.roles import Role
from models.timeutil import local_today

P50_TARGET_MS = 5.0
P99_TARGET_MS = 25.0
RATIO_TARGET = 3.0
PACKAGES = ("aiogram", "SQLAlchemy", "aiosqlite", "greenlet", "pydantic", "pydantic-core")


def versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)


def verdict(result: Result, floor_p50: float) -> list[str]:
    missed = []
    if result.p50 > P50_TARGET_MS:
        missed.append(f"p50>{P50_TARGET_MS:g}")
    if result.p99 > P99_TARGET_MS:
        missed.append(f"p99>{P99_TARGET_MS:g}")
    if result.p50 / floor_p50 > RATIO_TARGET:
        missed.append(f"ratio>{RATIO_TARGET:g}")
    return missed


def print_table(results: list[Result], floor_p50: float) -> bool:
    """The result table; True when every deal action met every target without errors."""
    head = (
        f"{'action':<14} {'update':<32} {'n':>4} {'p50 ms':>7} {'p99 ms':>7} {'mean ms':>7}"
        f" {'upd/s':>6} {'x floor':>7} {'SQL/upd':>7} {'errors':>6}  targets"
    )
    print(head)
    print("-" * len(head))
    all_met = True
    for r in results:
        sql = sum(r.sql_per_update) / len(r.sql_per_update) if r.sql_per_update else 0.0
        if r.action.floor:
            mark = "(floor)" if r.action.name == "FLOOR" else "(orientation)"
        else:
            missed = verdict(r, floor_p50)
            if r.problems:
                missed.append("errors")
            all_met = all_met and not missed
            mark = "MET" if not missed else "MISSED " + ", ".join(missed)
        print(
            f"{r.action.name:<14} {r.action.what[:32]:<32} {len(r.samples):>4} {r.p50:>7.2f}"
            f" {r.p99:>7.2f} {r.mean:>7.2f} {r.per_second:>6.0f} {r.p50 / floor_p50:>7.2f}"
            f" {sql:>7.1f} {r.problems:>6}  {mark}"
        )
    for r in results:
        if r.first_problem:
            print(
                f"  ! {r.action.name}: {r.problems} update(s) went wrong, first: {r.first_problem}"
            )
    return all_met


def print_mixed(mixed: Mixed, api_latency_ms: float) -> None:
    ordered = sorted(mixed.samples)
    p50 = ordered[len(ordered) // 2] / 1e6
    p99 = ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)] / 1e6
    print(
        f"\nmixed load: {len(ordered)} updates of all deal actions, {mixed.workers} in flight"
        f" at once, Bot API calls taking {api_latency_ms:g} ms:"
        f" {len(ordered) / mixed.seconds:.0f} updates/s, latency p50 {p50:.2f} ms,"
        f" p99 {p99:.2f} ms, max {ordered[-1] / 1e6:.0f} ms, errors {mixed.problems}"
    )


def print_breakdown(splits: dict[str, Split]) -> None:
    head = (
        f"{'action':<14} {'n':>4} {'mean ms':>7} {'DB calls':>8} {'DB wait':>7}"
        f" {'SQLite':>7} {'hops':>7} {'Python':>7}"
    )
    print(head)
    print("-" * len(head))
    for name, s in splits.items():
        total, wall, inside = s.per_update_ms(s.total_ns), s.per_update_ms(s.wall_ns), 0.0
        inside = s.per_update_ms(s.sqlite_ns)
        print(
            f"{name:<14} {s.updates:>4} {total:>7.2f} {s.calls / max(s.updates, 1):>8.1f}"
            f" {wall:>7.2f} {inside:>7.2f} {wall - inside:>7.2f} {total - wall:>7.2f}"
        )
    print(
        "(ms per update, means. DB calls: aiosqlite thread round trips; DB wait: the loop"
        " waiting for them, of which SQLite: inside sqlite3, hops: thread hand-offs;"
        " Python: the rest on the event loop: aiogram, middlewares, ORM, rendering)"
    )


def print_plan(plan: Plan, full_sql: bool) -> bool:
    """Print one plan; True when it has no full scan of a big table."""
    sql = " ".join(plan.sql.split())
    shown = sql if full_sql or len(sql) <= 110 else sql[:107] + "..."
    scans = plan.full_scans
    if scans:
        mark = "FAIL: full scan"
    elif plan.error:
        mark = "not planned"
    elif plan.chosen_scans:
        mark = "ok: an index serves it; the planner prefers a seq scan at this size"
    else:
        mark = "ok"
    print(f"  [{mark}] {plan.name}: {shown}")
    if plan.error:
        print(f"      {plan.error}")
    for line in plan.lines:
        print(f"      {line}")
    if plan.forced:
        print("      with enable_seqscan = off:")
        for line in plan.forced:
            print(f"      {line}")
    return not scans


async def plans_section(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    capture: SqlCapture,
    population: Population,
    results: list[Result],
    rng: random.Random,
    *,
    full_sql: bool = False,
) -> bool:
    ok = True
    manager, deal_id = population.pick(rng)
    async with session_factory() as session:
        user = await session.get(User, manager.user_id)
        assert user is not None
        today = local_today(dt.datetime.now(dt.UTC), user.timezone)
        phone = bench_phone(deal_id)
        named: dict[str, Any] = dict(hand_written(user, today, phone))
        # A lead's lists span the team (owner_id IN (the team's users)): planned too.
        lead = await session.scalar(select(User).where(User.role == Role.lead).limit(1))
        try:
            crm = Crm(session, CrmConfig())
            for who, actor in (("manager", user), ("lead", lead)):
                if actor is None:
                    continue
                statements = crm.lists.statements(actor, phone=phone, day=today)
                named.update(
                    {f"{name}, {who} (DealLists.statements)": s for name, s in statements.items()}
                )
        except (ImportError, AttributeError) as exc:
            print(f"  (the lists service exposes no statements() yet: {exc!r})")
    print(f"\nQuery plans for manager #{user.id}, today {today}, phone {phone}:")
    for name, statement in named.items():
        for sql, params in await sql_of(engine, capture, statement):
            ok &= print_plan(await explain(engine, name, sql, params), full_sql)
    print("\nQuery plans of every statement the actions sent (seen during warm-up):")
    for r in results:
        if not r.statements:
            continue
        print(f" {r.action.name}:")
        for i, (sql, params) in enumerate(r.statements.items(), start=1):
            times = r.repeats.get(sql, 1)
            label = f"#{i}" + (f" (x{times} in one update)" if times > 1 else "")
            plan = await explain(engine, label, sql, params)
            if plan.lines or plan.error or full_sql:
                ok &= print_plan(plan, full_sql)
            else:
                print(f"  [ok] {label}: {' '.join(sql.split())[:110]}")
    return ok


def _owner(path: str, func: str) -> str:
    """Who a function belongs to: a site-packages package, the project, or the stdlib."""
    if "poll' of 'select.epoll" in func:
        return "idle: loop waiting in epoll (for the SQLite thread)"
    if path.endswith("/copy.py"):
        return "stdlib copy (deepcopy)"
    if "/asyncio/" in path or path.endswith("selectors.py"):
        return "stdlib asyncio"
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    for package in ("bench", "bot", "handlers", "models"):
        if f"/{package}/" in path:
            return f"dealbot {package}/"
    return "stdlib / builtins"


def print_profile(profiler: cProfile.Profile, name: str) -> None:
    """Self time by owner (which library the time is spent in), then the top functions.
    cProfile inflates many small calls (deepcopy, pydantic): read shares, not absolutes."""
    stats = pstats.Stats(profiler)
    dump = Path("bench/out") / f"profile-{name.replace(' ', '-')}.prof"
    dump.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(dump)  # for pstats / snakeviz: callers and callees
    by_owner: dict[str, float] = {}
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (path, _line, func), (_cc, _nc, tottime, _ct, _callers) in raw.items():
        owner = _owner(path, func)
        by_owner[owner] = by_owner.get(owner, 0.0) + tottime
    total = sum(by_owner.values()) or 1.0
    print(f"\ncProfile of '{name}' (saved to {dump}): self time by owner")
    for owner, seconds in sorted(by_owner.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {seconds / total:6.1%}  {owner}")
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(25)
        print(f"\ncProfile of '{name}', sorted by {key}:")
        print(out.getvalue())


def load_average() -> str:
    """Other processes on a 2-core machine move the figures: say how busy it was."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
