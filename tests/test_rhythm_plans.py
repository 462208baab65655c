"""The rhythm's scan statements walk indexes, never the deals table (SQLite's plans; the
statements are the ones the services run)."""

from __future__ import annotations

import datetime as dt

from models.services.early_reminders import early_due_stmt
from models.services.staleness import stale_stmt
from tests.conftest import START, App
from tests.test_scheduler import sqlite_only


async def _plan(app: App, stmt: object) -> list[str]:
    sql = stmt.compile(  # type: ignore[attr-defined]
        dialect=app.engine.dialect,
        compile_kwargs={"literal_binds": True, "render_postcompile": True},
    )
    async with app.engine.connect() as conn:
        rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in rows]


@sqlite_only
async def test_stale_and_early_statements_use_their_indexes(app: App) -> None:
    cutoffs = {n: START - dt.timedelta(days=n) for n in range(1, 8)}
    stale = await _plan(app, stale_stmt(list(range(1, 501)), cutoffs))
    early = await _plan(app, early_due_stmt(START))
    for steps in (stale, early):
        assert not any(step.startswith("SCAN deals") for step in steps), steps
    assert any("ix_deals_owner_status" in s for s in stale), stale
    assert any("ix_deals_next_action_at" in s for s in early), early
