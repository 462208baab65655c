"""aiosqlite with one thread round trip per statement.

aiosqlite runs every sqlite3 call in the connection's worker thread and hands the result
back to the event loop. SQLAlchemy's aiosqlite adapter makes three or four such round trips
per statement (open a cursor, execute, fetch, close); on a 2-core host each costs ~0.1 ms,
more than SQLite needs to read a row by primary key. The cursor here runs the whole
statement (cursor, execute, fetch every row, close) as one function in that thread.

It replaces only the buffered cursor, through create_engine's documented ``module=``
(an alternate DBAPI module); transactions, connections and server-side cursors stay
SQLAlchemy's. The whole test suite runs on it, and ``bench/`` measures the difference.

Writes whose result nobody reads (an audit event, the FSM state, the processed-update record)
can also be held back (``deferred``): they run in the worker thread just before the next
statement of the transaction, or before its COMMIT, in that statement's round trip. The
database sees the same statements in the same order; only a failure of a held-back write
surfaces at the statement that carried it, as ``DeferredWriteFailed`` (never an
IntegrityError that a caller could take for its own). A rollback drops them.

It subclasses SQLAlchemy's adapter and calls aiosqlite's private ``_execute`` and ``_conn``,
so pyproject.toml pins both to the versions tested; ``self_check`` runs it once against an
in-memory database, and models.db falls back to the stock adapter when it fails."""

from __future__ import annotations

import asyncio
import collections
import functools
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

_Outcome = tuple[Any, list[Any], int, int | None]


class DeferredWriteFailed(sqlite3.DatabaseError):
    """A held-back write failed in the round trip of a later statement (its cause attached)."""


class DeferredCheckFailed(DeferredWriteFailed):
    """A held-back write changed another number of rows than it expected; ``check`` names
    the expectation (``deferred(..., check=...)``)."""

    def __init__(self, check: str, rowcount: int) -> None:
        super().__init__(f"held-back write {check!r} changed {rowcount} row(s)")
        self.check = check


@dataclass(frozen=True, slots=True)
class _Deferred:
    operation: str
    parameters: Any
    many: bool
    check: str | None  # None, or the name of "changes exactly one row"


def _run(connection: aiosqlite.Connection, operation: str, parameters: Any, many: bool) -> _Outcome:
    """In the worker thread: the statement from start to finish."""
    cursor = connection._conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        # After the fetch: with RETURNING, SQLite counts rows as they are stepped through.
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _run_deferred(connection: aiosqlite.Connection, held: Sequence[_Deferred]) -> None:
    """In the worker thread: the held-back writes, in the order they were made."""
    for entry in held:
        try:
            _description, _rows, rowcount, _lastrowid = _run(
                connection, entry.operation, entry.parameters, entry.many
            )
        except sqlite3.Error as error:
            raise DeferredWriteFailed(f"held-back write failed: {error}") from error
        if entry.check is not None and rowcount != 1:
            raise DeferredCheckFailed(entry.check, rowcount)


def _run_after(
    connection: aiosqlite.Connection,
    held: Sequence[_Deferred],
    operation: str,
    parameters: Any,
    many: bool,
) -> _Outcome:
    _run_deferred(connection, held)
    return _run(connection, operation, parameters, many)


def _commit_after(connection: aiosqlite.Connection, held: Sequence[_Deferred]) -> None:
    _run_deferred(connection, held)
    connection._conn.commit()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose execute is one round trip; the rows wait in memory (as the
    stock adapter's do after its fetchall)."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No aiosqlite cursor is opened here: that was a round trip of its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._rows: collections.deque[Any] = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        # sqlite3 gives None before any INSERT (typeshed: int | None); SQLAlchemy types it int
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._go(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        self._go(operation, seq_of_parameters, many=True)

    def _go(self, operation: Any, parameters: Any, *, many: bool) -> None:
        adapt: OneTripConnection = self._adapt_connection  # type: ignore[assignment]
        if adapt._deferring is not None:
            adapt._held.append(_Deferred(operation, parameters, many, adapt._deferring or None))
            self._description, self._rowcount, self._lastrowid = None, -1, None
            self._rows = collections.deque()
            return
        connection = self._connection
        held, adapt._held = adapt._held, []
        try:
            if held:
                outcome: _Outcome = await_(
                    connection._execute(_run_after, connection, held, operation, parameters, many)
                )
            else:
                outcome = await_(connection._execute(_run, connection, operation, parameters, many))
        except Exception as error:
            adapt._handle_exception(error)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _async_soft_close(self) -> None:
        """Nothing is open in the worker thread once execute has returned."""

    def close(self) -> None:
        self._rows.clear()

    def nextset(self) -> None:
        raise NotImplementedError("sqlite3 has no multiple result sets")

    def setinputsizes(self, *inputsizes: Any) -> None:
        """sqlite3 ignores input sizes."""


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_deferring", "_held")
    _cursor_cls: type[AsyncAdapt_aiosqlite_cursor] = OneTripCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._held: list[_Deferred] = []
        # None: statements run now; "" : held back; a name: held back, must change one row
        self._deferring: str | None = None

    def commit(self) -> None:
        held, self._held = self._held, []
        if not held or not self._connection._connection:
            super().commit()
            return
        try:
            await_(self._connection._execute(_commit_after, self._connection, held))
        except Exception as error:
            self._handle_exception(error)

    def rollback(self) -> None:
        self._held = []  # never written: nothing to undo
        super().rollback()

    def close(self) -> None:
        self._held = []
        super().close()


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module given to create_engine(module=...) for sqlite+aiosqlite URLs."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        stock = super().connect(*arg, **kw)
        return OneTripConnection(self, stock._connection)


@contextmanager
def deferred(connection: Any, *, check: str | None = None) -> Iterator[bool]:
    """Hold back the statements executed in the block on ``connection`` (a SQLAlchemy
    Connection or AsyncConnection) until the next statement or COMMIT; yields False (and
    holds nothing back) when the connection is not a one-trip SQLite one. ``check``: the
    block's statement must change exactly one row, else the carrying round trip raises
    DeferredCheckFailed(check)."""
    sync = getattr(connection, "sync_connection", None) or connection
    adapt = sync.connection.dbapi_connection
    if not isinstance(adapt, OneTripConnection) or adapt._deferring is not None:
        yield False
        return
    adapt._deferring = check or ""
    try:
        yield True
    finally:
        adapt._deferring = None


async def execute_held_back(
    connection: Any, statement: Any, parameters: Any, *, check: str | None = None
) -> Any:
    """``statement`` on an AsyncConnection, held back where ``deferred`` can (then None is
    returned), else run now (its CursorResult is returned). Through run_sync: a held-back
    statement awaits nothing, which AsyncConnection.execute refuses."""

    def run(sync: Any) -> Any:
        with deferred(sync, check=check) as held:
            result = sync.execute(statement, parameters)
        return None if held else result

    return await connection.run_sync(run)


def one_trip_dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)


async def _exercise() -> None:
    """What the bot relies on: one round trip, rows, RETURNING, rowcount, errors."""
    from sqlalchemy import exc, text
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    engine = create_async_engine("sqlite+aiosqlite://", module=one_trip_dbapi(), poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            await conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
            dbapi_connection = (await conn.get_raw_connection()).dbapi_connection
            if dbapi_connection is None:
                raise TypeError("the connection has no DBAPI connection")
            cursor = dbapi_connection.cursor()
            if not isinstance(cursor, OneTripCursor):
                raise TypeError(f"the connection gives {type(cursor).__name__} cursors")
            result = await conn.exec_driver_sql(
                "INSERT INTO t (v) VALUES ('a'), ('b') RETURNING id"
            )
            if sorted(result.scalars()) != [1, 2] or result.rowcount != 2:
                raise ValueError("INSERT ... RETURNING gave wrong rows or rowcount")
            try:
                await conn.exec_driver_sql("INSERT INTO t (v) VALUES ('a')")
            except exc.IntegrityError:
                pass
            else:
                raise ValueError("a UNIQUE violation was not an IntegrityError")
            held = await execute_held_back(conn, text("INSERT INTO t (v) VALUES ('c')"), {})
            if held is not None:
                raise ValueError("a write was not held back")
            rows = (await conn.exec_driver_sql("SELECT v FROM t ORDER BY id")).all()
            if [tuple(r) for r in rows] != [("a",), ("b",), ("c",)]:
                raise ValueError(f"SELECT gave {rows!r} (a held-back write must run first)")
    finally:
        await engine.dispose()


@functools.cache
def self_check() -> str | None:
    """None when the one-trip cursor works with the installed SQLAlchemy and aiosqlite, else
    what went wrong. Runs once per process, in a thread of its own (the caller may be inside
    a running event loop)."""
    problem: list[str] = []

    def run() -> None:
        try:
            asyncio.run(_exercise())
        except Exception as error:
            problem.append(f"{type(error).__name__}: {error}")

    thread = threading.Thread(target=run, name="sqlite-driver-self-check")
    thread.start()
    thread.join()
    return problem[0] if problem else None
