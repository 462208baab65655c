"""SQL seen by the benchmark and the database's plan for it: SQLite's EXPLAIN QUERY PLAN or
PostgreSQL's EXPLAIN.

A plan step "SCAN <big table>" (SQLite) or "Seq Scan on <big table>" (PostgreSQL) reads the
whole table: with 100k deals that is milliseconds per query, so it is reported as a failure.
PostgreSQL's planner may also choose a sequential scan where an index exists, when its
statistics say that is cheaper (a small base, a condition most rows meet); such a plan is
planned again with sequential scans priced out (``enable_seqscan = off``), and only a plan
that still reads a big table sequentially, where no index can serve, fails."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import Executable

from models import Contact, Deal, User
from models.access import visible_deals
from models.catalog import StageKind
from models.contacts import ContactKind

BIG_TABLES = frozenset({"deals", "contacts", "notes", "deal_events"})
_SCAN = re.compile(r"\bSCAN (\w+)")
_SEQ_SCAN = re.compile(r"\bSeq Scan on (\w+)")
_SKIP = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE")


@dataclass
class Plan:
    name: str
    sql: str
    params: Any
    lines: list[str] = field(default_factory=list)
    # PostgreSQL: the plan again with sequential scans priced out, when ``lines`` has one.
    forced: list[str] = field(default_factory=list)
    error: str = ""  # PostgreSQL could not plan it (an untyped parameter): not checked

    @property
    def chosen_scans(self) -> list[str]:
        """Plan steps that read a big table from end to end."""
        return _big_scans(self.lines)

    @property
    def full_scans(self) -> list[str]:
        """Full scans no index can avoid (PostgreSQL: those left with seq scans priced out)."""
        return _big_scans(self.forced) if self.forced else self.chosen_scans


def _big_scans(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        for pattern in (_SCAN, _SEQ_SCAN):
            match = pattern.search(line)
            if match and re.sub(r"_\d+$", "", match.group(1)) in BIG_TABLES:
                found.append(line.strip())
    return found


class SqlCapture:
    """Records the statements the application sends to SQLite while ``active``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.active = False
        self.statements: list[tuple[str, Any]] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(
        self, _conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, many: bool
    ) -> None:
        if self.active and not statement.lstrip().upper().startswith(_SKIP):
            self.statements.append((statement, params))

    def take(self) -> list[tuple[str, Any]]:
        taken, self.statements = self.statements, []
        return taken


async def explain(engine: AsyncEngine, name: str, sql: str, params: Any) -> Plan:
    plan = Plan(name, sql, params)
    if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH")):
        return plan  # a plain INSERT has nothing to plan
    if engine.dialect.name == "postgresql":
        return await _explain_postgres(engine, plan)
    async with engine.connect() as conn:
        rows = (await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)).all()
        await conn.rollback()
    depth: dict[int, int] = {0: 0}
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        plan.lines.append("  " * (depth[node] - 1) + str(detail))
    return plan


async def _explain_postgres(engine: AsyncEngine, plan: Plan) -> Plan:
    async with engine.connect() as conn:
        try:
            rows = await conn.exec_driver_sql(f"EXPLAIN {plan.sql}", plan.params)
            plan.lines = [str(row[0]) for row in rows]
            if plan.chosen_scans:
                await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
                rows = await conn.exec_driver_sql(f"EXPLAIN {plan.sql}", plan.params)
                plan.forced = [str(row[0]) for row in rows]
        except DBAPIError as exc:
            plan.error = str(exc.orig).splitlines()[0][:160]
        finally:
            await conn.rollback()
    return plan


async def sql_of(engine: AsyncEngine, capture: SqlCapture, statement: Executable) -> list[Any]:
    """The exact SQL and parameters SQLAlchemy sends for ``statement`` (run once, rolled
    back), so EXPLAIN sees what the application sends and not a re-rendered copy."""
    capture.take()
    capture.active = True
    try:
        async with engine.connect() as conn:
            await conn.execute(statement)
            await conn.rollback()
    finally:
        capture.active = False
    return capture.take()


def hand_written(user: User, today: dt.date, phone: str) -> dict[str, Executable]:
    """The queries Today / Overdue / phone search / the scheduler's due scan need, written
    by hand for the indexes ix_deals_owner_status_next, ix_deals_status_next and
    ix_contacts_kind_normalized (what the services should at least match)."""
    mine = visible_deals(user)
    alive = Deal.deleted_at.is_(None)
    is_open = Deal.status == StageKind.open
    return {
        "today (hand)": select(Deal)
        .where(mine, alive, is_open, Deal.next_action_on == today)
        .order_by(Deal.next_action_time, Deal.id)
        .limit(8),
        "overdue (hand)": select(Deal)
        .where(mine, alive, is_open, Deal.next_action_on < today)
        .order_by(Deal.next_action_on, Deal.next_action_time, Deal.id)
        .limit(8),
        "phone search (hand)": select(Deal)
        .join(Contact, Contact.deal_id == Deal.id)
        .where(Contact.kind == ContactKind.phone, Contact.normalized == phone, mine, alive)
        .limit(8),
        "scheduler due scan (hand)": select(Deal.id, Deal.owner_id).where(
            is_open, Deal.next_action_on <= today, alive
        ),
    }
