"""PostgreSQL twins of the SQLite plan checks: big tables (PostgreSQL's planner reads small
tables sequentially whatever the indexes, and rightly so, so a plan check needs production-like
sizes and fresh statistics) and the plan of a statement as text lines."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from models import Pipeline, Stage, StageKind, User
from tests.conftest import START, App

BIG_TABLES = ("deals", "contacts", "sent_notifications", "deal_events", "notes")

# Made on the server: tens of thousands of rows in well under a second.
_SEED = (
    "INSERT INTO users (telegram_id, full_name, role, timezone, language, digest_time,"
    " followup_time, summary_time, work_days, is_active, is_reachable, created_at)"
    " SELECT :first + n, 'Менеджер ' || n, 'manager', 'Europe/Moscow', 'ru', '09:00', '14:00',"
    " '19:00', '12345', true, true, :now FROM generate_series(1, :managers) n",
    # Dates spread over a year around today, for every user (the test's own ones included).
    "INSERT INTO deals (title, client_name, pipeline_id, stage_id, status, owner_id,"
    " created_by_id, next_action_on, created_at, updated_at, version, search_text)"
    " SELECT 'Сделка ' || u.id || '-' || n, 'Клиент ' || n, :pipeline, :stage, 'open', u.id,"
    " u.id, CAST(:today AS date) + (n * 37 % 365 - 180), :now, :now, 1, 'сделка ' || n"
    " FROM users u CROSS JOIN generate_series(1, :deals_per_user) n",
    "INSERT INTO contacts (deal_id, kind, value, normalized)"
    " SELECT id, 'phone', '+7 900 ' || lpad(id::text, 7, '0'), '7900' || lpad(id::text, 7, '0')"
    " FROM deals",
    # The sent-log keeps weeks of a few keys per person a day: the biggest table.
    "INSERT INTO sent_notifications (key, user_id, created_at, sent_at)"
    " SELECT 'digest:' || u.id || ':' || n, u.id, :now, :now"
    " FROM users u CROSS JOIN generate_series(1, :sent_per_user) n",
    "ANALYZE",
)


async def seed_big_tables(
    app: App, *, managers: int = 10_000, deals_per_user: int = 4, sent_per_user: int = 10
) -> None:
    """``managers`` more managers, ``deals_per_user`` open deals with a phone contact for
    every user, ``sent_per_user`` sent-log rows each, then ANALYZE. The scan statements probe
    a batch of 500 users: a twentieth of them here, as in a real installation."""
    async with app.engine.begin() as conn:
        params = {
            "pipeline": await conn.scalar(select(func.min(Pipeline.id))),
            "stage": await conn.scalar(
                select(func.min(Stage.id)).where(Stage.kind == StageKind.open)
            ),
            "first": await conn.scalar(select(func.coalesce(func.max(User.telegram_id), 0))),
            "now": START.replace(tzinfo=None),
            "today": START.date(),
            "managers": managers,
            "deals_per_user": deals_per_user,
            "sent_per_user": sent_per_user,
        }
        for statement in _SEED:
            await conn.execute(text(statement), params)


async def plan(conn: AsyncConnection, sql: Any, *, seqscan: bool = True) -> list[str]:
    """PostgreSQL's plan of ``sql`` (a compiled statement or text), one line per node.
    ``seqscan=False`` prices sequential scans out: the plan then shows whether an index can
    serve the statement at all (where no index can, PostgreSQL still scans, and says so)."""
    if not seqscan:
        await conn.exec_driver_sql("SET enable_seqscan = off")
    try:
        rows = await conn.exec_driver_sql(f"EXPLAIN {sql}")
    finally:
        if not seqscan:
            await conn.exec_driver_sql("RESET enable_seqscan")
    return [row[0].strip() for row in rows]


def reads_by_index(lines: list[str], table: str) -> bool:
    pattern = rf"(Index Scan using \S+|Index Only Scan using \S+|Bitmap Heap Scan) on {table}\b"
    return any(re.search(pattern, line) for line in lines)


def sequential_scans_of_big_tables(lines: list[str]) -> list[str]:
    """Plan lines that read a big table sequentially, except the one pass that builds the
    hash of a hashed SubPlan: for ``NOT EXISTS`` under an OR (the sent-log check of the
    daily-due statements) PostgreSQL hashes the sent-log once per statement instead of probing
    its unique index for each of the thousands of people it checks, when its cost model says
    that is cheaper; a scan per person (a plain SubPlan over a Seq Scan) is still caught."""
    hashed = set(re.findall(r"hashed (SubPlan \d+)", "\n".join(lines)))
    found = []
    for index, line in enumerate(lines):
        if any(f"Seq Scan on {table} " in line for table in BIG_TABLES):
            builds_hash = index > 0 and lines[index - 1] in hashed
            if not builds_hash:
                found.append(line)
    return found
