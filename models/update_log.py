"""The processed-updates record: the guard that makes a redelivered Telegram update a no-op.

An update's row is written in the update's own transaction, just before its first commit, and
only when the update wrote something: a read-only update (open a list, a card) is harmless to
run twice and costs no write. The insert is ``ON CONFLICT DO NOTHING``: when the row exists,
another delivery of the same update (a redelivery after a crash, a second process) committed
first, and this transaction must be rolled back whole."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from .reliability import ProcessedUpdate
from .sql import UPSERT_DIALECTS, DialectInsert, affected_rows, dialect_insert, table_of
from .sqlite_driver import DeferredCheckFailed, execute_held_back

# Telegram keeps an unconfirmed update for 24 hours; three days leave room for a long outage.
KEEP_DAYS = 3
ALREADY_PROCESSED = "processed update recorded once"


def _insert_stmt(dialect: str) -> DialectInsert | None:
    insert = dialect_insert(dialect, table_of(ProcessedUpdate))
    if insert is None:
        return None
    return insert.on_conflict_do_nothing(index_elements=["bot_id", "update_id"])


_STATEMENTS = {name: _insert_stmt(name) for name in UPSERT_DIALECTS}


async def record_processed(
    session: AsyncSession, bot_id: int, update_id: int, now: dt.datetime
) -> bool:
    """Record the update as handled; False when it was handled (committed) already. On
    SQLite True is an answer in advance: the commit that follows checks it (and fails with
    an error that ``already_processed`` recognises)."""
    dialect = session.get_bind().dialect.name
    stmt = _STATEMENTS.get(dialect)
    if stmt is None:  # another database: a plain look-up first (no race guard beyond the PK)
        found = await session.get(ProcessedUpdate, (bot_id, update_id))
        if found is not None:
            return False
        session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id, processed_at=now))
        await session.flush()
        return True
    connection = await session.connection()
    # On SQLite the insert rides with the COMMIT that follows, and the check "one row
    # inserted" with it: a duplicate then fails that COMMIT with DeferredCheckFailed
    # (ALREADY_PROCESSED) before anything is committed (see bot/middlewares/db.py).
    params = {"bot_id": bot_id, "update_id": update_id, "processed_at": now}
    result = await execute_held_back(connection, stmt, params, check=ALREADY_PROCESSED)
    return result is None or bool(affected_rows(result))


def already_processed(error: BaseException) -> bool:
    """``error`` (from a commit) says this update's record existed: handled before."""
    orig = getattr(error, "orig", error)
    return isinstance(orig, DeferredCheckFailed) and orig.check == ALREADY_PROCESSED


async def was_processed(session: AsyncSession, bot_id: int, update_id: int) -> bool:
    found = await session.scalar(
        select(ProcessedUpdate.update_id).where(
            ProcessedUpdate.bot_id == bot_id, ProcessedUpdate.update_id == update_id
        )
    )
    return found is not None


async def prune_processed(session: AsyncSession, before: dt.datetime, limit: int = 5000) -> int:
    """Forget up to ``limit`` records older than ``before``; returns how many."""
    oldest = (
        select(ProcessedUpdate.bot_id, ProcessedUpdate.update_id)
        .where(ProcessedUpdate.processed_at < before)
        .order_by(ProcessedUpdate.processed_at)
        .limit(limit)
        .subquery()
    )
    result = await session.execute(
        delete(ProcessedUpdate).where(
            ProcessedUpdate.processed_at < before,
            ProcessedUpdate.update_id.in_(select(oldest.c.update_id)),
        )
    )
    return affected_rows(result)
