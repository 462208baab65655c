"""aiosqlite with one thread round trip per statement.

aiosqlite runs every sqlite3 call in the connection's worker thread and hands the result
back to the event loop. SQLAlchemy's aiosqlite adapter makes three or four such round trips
per statement (open a cursor, execute, fetch, close); on a 2-core host each costs ~0.1 ms,
more than SQLite needs to read a row by primary key. The cursor here runs the whole
statement (cursor, execute, fetch every row, close) as one function in that thread.

It replaces only the buffered cursor, through create_engine's documented ``module=``
(an alternate DBAPI module); transactions, connections and server-side cursors stay
SQLAlchemy's. The whole test suite runs on it, and ``bench/`` measures the difference.

It subclasses SQLAlchemy's adapter and calls aiosqlite's private ``_execute`` and ``_conn``,
so pyproject.toml pins both to the versions tested; ``self_check`` runs it once against an
in-memory database, and models.db falls back to the stock adapter when it fails."""

from __future__ import annotations

import asyncio
import collections
import functools
import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

_Outcome = tuple[Any, list[Any], int, int | None]


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
        connection = self._connection
        try:
            outcome: _Outcome = await_(
                connection._execute(_run, connection, operation, parameters, many)
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
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
    __slots__ = ()
    _cursor_cls: type[AsyncAdapt_aiosqlite_cursor] = OneTripCursor


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module given to create_engine(module=...) for sqlite+aiosqlite URLs."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        stock = super().connect(*arg, **kw)
        return OneTripConnection(self, stock._connection)


def one_trip_dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)


async def _exercise() -> None:
    """What the bot relies on: one round trip, rows, RETURNING, rowcount, errors."""
    from sqlalchemy import exc
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
            rows = (await conn.exec_driver_sql("SELECT v FROM t ORDER BY id")).all()
            if [tuple(r) for r in rows] != [("a",), ("b",)]:
                raise ValueError(f"SELECT gave {rows!r}")
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
