"""Where an update's time goes, measured in a separate pass after the timed one.

Every call into SQLite from the event loop goes through one funnel: aiosqlite's
``Connection._execute`` queues a function for the connection's worker thread and awaits
it. Wrapping that funnel gives, per update, the number of thread round trips (SQLAlchemy's
aiosqlite adapter makes 3-4 per statement: cursor, execute, fetchall, close), the time the
event loop waited for them, and the part of it SQLite itself worked (timed in the worker
thread); what is left of the update is Python on the loop: aiogram, middlewares, the ORM,
rendering."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import aiosqlite.core


@dataclass
class DbTime:
    calls: int = 0
    wall_ns: int = 0  # the loop waiting for the worker thread
    sqlite_ns: int = 0  # the worker thread inside sqlite3

    def reset(self) -> None:
        self.calls = self.wall_ns = self.sqlite_ns = 0


@contextlib.contextmanager
def timed_sqlite() -> Iterator[DbTime]:
    """Time every aiosqlite round trip while the block runs (bench only: restored after)."""
    original = aiosqlite.core.Connection._execute
    stats = DbTime()

    async def _execute(self: Any, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        inside = [0]

        def work() -> Any:
            started = time.perf_counter_ns()
            try:
                return fn(*args, **kwargs)
            finally:
                inside[0] = time.perf_counter_ns() - started

        started = time.perf_counter_ns()
        try:
            return await original(self, work)
        finally:
            stats.calls += 1
            stats.wall_ns += time.perf_counter_ns() - started
            stats.sqlite_ns += inside[0]

    aiosqlite.core.Connection._execute = _execute  # type: ignore[method-assign]
    try:
        yield stats
    finally:
        aiosqlite.core.Connection._execute = original  # type: ignore[method-assign]


@dataclass
class Split:
    updates: int = 0
    total_ns: int = 0
    calls: int = 0
    wall_ns: int = 0
    sqlite_ns: int = 0

    def add(self, total_ns: int, db: DbTime) -> None:
        self.updates += 1
        self.total_ns += total_ns
        self.calls += db.calls
        self.wall_ns += db.wall_ns
        self.sqlite_ns += db.sqlite_ns

    def per_update_ms(self, ns: int) -> float:
        return ns / self.updates / 1e6 if self.updates else 0.0
