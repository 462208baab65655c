"""The hot writes (a stage move, a next date, a note's bump of its deal) as prebuilt Core
statements.

An ORM flush of one UPDATE and one INSERT costs ~0.8 ms of Python on this stack, several
times what SQLite needs for them. Here the deal's row is written by one prebuilt UPDATE that
also checks the version the deal was loaded at (a change by someone else in between is a
Conflict, not a silent overwrite), its events by one INSERT, and the loaded Deal takes the
new values as its committed state: the session has nothing left to flush, and the card
rendered next shows them. Less frequent changes (edits, deletes, creation) use the ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Final

from sqlalchemy import CursorResult, Executable, Insert, Update, bindparam, insert, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from ..catalog import Stage
from ..db import note_write
from ..deals import Deal, DealEvent
from ..errors import Conflict
from ..sql import table_of
from ..sqlite_driver import DeferredCheckFailed, deferred, execute_held_back

# The columns a hot write may change.
# The name of the version check when it rides with the statement after it (SQLite).
DEAL_UNCHANGED: Final = "deal unchanged since it was loaded"
WRITABLE: Final = frozenset(
    {
        "stage_id",
        "status",
        "reason",
        "closed_at",
        "amount",
        "next_action_on",
        "next_action_time",
        "next_action_at",
        "last_contact_at",
    }
)


@cache
def _update_deal(columns: tuple[str, ...]) -> Update:
    """One prebuilt UPDATE per set of changed columns (a handful: a note's bump, a next
    date, the stage moves)."""
    table = table_of(Deal)
    return (
        update(table)
        .where(table.c.id == bindparam("w_id"), table.c.version == bindparam("w_seen"))
        .values({name: bindparam(f"w_{name}") for name in (*columns, "version", "updated_at")})
    )


@cache
def _insert_events() -> Insert:
    return insert(table_of(DealEvent))


async def write_deal(
    session: AsyncSession,
    deal: Deal,
    changes: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    now: dt.datetime,
    *,
    stage: Stage | None = None,
    then: tuple[Executable, Mapping[str, Any]] | None = None,
) -> CursorResult[Any] | None:
    """Write ``changes`` (column -> value, columns of WRITABLE) to ``deal`` with the version
    bumped and ``events`` (rows from ``Deals.event``); ``stage``: the Stage object of a new
    ``stage_id``, so ``deal.stage`` follows. ``then``: a statement (with its parameters) that
    belongs to the same change and runs right after the UPDATE, in its round trip on SQLite
    (the version check still comes first: it never runs on a changed deal); its result is
    returned."""
    unknown = changes.keys() - WRITABLE
    if unknown:
        raise ValueError(f"not a hot-writable deal column: {sorted(unknown)}")
    values = {**changes, "version": deal.version + 1, "updated_at": now}
    params = {f"w_{name}": value for name, value in values.items()}
    params["w_id"], params["w_seen"] = deal.id, deal.version
    statement = _update_deal(tuple(sorted(changes)))
    connection = await session.connection()
    # The statements in one greenlet (sync SQLAlchemy), not one hand-over per statement.
    carried = await connection.run_sync(_write_statements, statement, params, then, events)
    note_write(session)
    for name, value in values.items():
        set_committed_value(deal, name, value)
    if stage is not None:
        set_committed_value(deal, "stage", stage)
    return carried


def _write_statements(
    connection: Connection,
    statement: Update,
    params: Mapping[str, Any],
    then: tuple[Executable, Mapping[str, Any]] | None,
    events: Sequence[Mapping[str, Any]],
) -> CursorResult[Any] | None:
    """write_deal's statements: the version-checked UPDATE, ``then``, the events (held back:
    nobody reads them, on SQLite they ride with the next statement or the COMMIT)."""
    carried: CursorResult[Any] | None = None
    if then is None:
        if connection.execute(statement, params).rowcount != 1:
            raise Conflict("deal.changed")  # changed (or deleted) since it was loaded
    else:
        with deferred(connection, check=DEAL_UNCHANGED) as held:
            result = connection.execute(statement, params)
        if not held and result.rowcount != 1:
            raise Conflict("deal.changed")
        try:
            carried = connection.execute(*then)
        except DBAPIError as error:
            if isinstance(error.orig, DeferredCheckFailed) and error.orig.check == DEAL_UNCHANGED:
                raise Conflict("deal.changed") from None  # ``then`` did not run
            raise
    if events:
        with deferred(connection):
            connection.execute(_insert_events(), list(events))
    return carried


async def insert_events(session: AsyncSession, events: Sequence[Mapping[str, Any]]) -> None:
    if events:
        connection = await session.connection()
        note_write(session)
        # Nobody reads the result: on SQLite it rides with the next statement (or COMMIT)
        # instead of a thread round trip of its own (models/sqlite_driver.py).
        await execute_held_back(connection, _insert_events(), list(events))
