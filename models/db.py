"""Engine and session factory. SQLite is tuned for a bot: WAL, busy timeout, FK checks, and
write transactions that take the lock up front so concurrent updates wait instead of failing
with "database is locked"."""

from __future__ import annotations

import functools
import logging
import os
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from .errors import DatabaseFileGone

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Page cache per connection (SQLite's default is 2 MB): the index and deal pages a bot touches
# stay in memory instead of being read() again on every statement (halves SQLite's time on a
# note or a stage move at 100k deals). A memory map did as well but made every connection's
# mapping count in RSS.
SQLITE_CACHE_KIB = 16 * 1024
READ_ONLY_OPTION = "dealbot_read_only"


def create_engine(url: str, *, echo: bool = False, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    aiosqlite = parsed.get_backend_name() == "sqlite" and parsed.get_driver_name() == "aiosqlite"
    # One round trip to aiosqlite's thread per statement instead of 3-4.
    if aiosqlite and "module" not in kwargs and (module := _one_trip_module()) is not None:
        kwargs["module"] = module
    # A failed statement's message lists its parameters (contacts, names, note texts) and
    # lands in the ERROR log with the traceback: keep them out unless SQL is echoed.
    kwargs.setdefault("hide_parameters", not echo)
    engine = create_async_engine(url, echo=echo, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        _tune_sqlite(engine, _file_guard(parsed.database, parsed.query))
    return engine


class SqliteFileGuard:
    """Notices that the database file was deleted or replaced while the process runs.

    SQLite keeps writing into the open (now unlinked or superseded) file and answers every
    commit with success: the bot would say "saved" for data nobody will ever see. So each
    write transaction checks, at BEGIN and again right before COMMIT, that the path still
    names the file that was opened (same device and inode); from the first mismatch on, every
    write is refused until a restart opens the file that is there now."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.identity: tuple[int, int] | None = None
        self.gone = False

    def opened(self) -> None:
        if self.identity is None:
            try:
                st = os.stat(self.path)
            except OSError:
                return
            self.identity = (st.st_dev, st.st_ino)

    def check(self) -> None:
        if not self.gone and self.identity is not None:
            try:
                st = os.stat(self.path)
                current: tuple[int, int] | None = (st.st_dev, st.st_ino)
            except OSError:
                current = None
            if current != self.identity:
                self.gone = True
                logger.critical(
                    "The database file %s was %s while the bot runs: every write is refused "
                    "from now on. Restore the file (see README, Backup) and restart the bot.",
                    self.path,
                    "removed" if current is None else "replaced",
                )
        if self.gone:
            raise DatabaseFileGone()


def _file_guard(database: str | None, query: Any) -> SqliteFileGuard | None:
    if not database or database == ":memory:" or query.get("mode") == "memory":
        return None
    return SqliteFileGuard(os.path.abspath(database))


_GUARDS: weakref.WeakKeyDictionary[Any, SqliteFileGuard] = weakref.WeakKeyDictionary()


def file_guard_of(engine: AsyncEngine) -> SqliteFileGuard | None:
    """The file guard of a SQLite engine (None for other databases and in-memory SQLite)."""
    return _GUARDS.get(engine.sync_engine)


@functools.cache
def _one_trip_usable() -> bool:
    """The fast driver relies on SQLAlchemy's and aiosqlite's internals: when its self-check
    fails (a changed internal, or an import that is gone), the stock adapter takes over, and
    one line says so."""
    try:
        from .sqlite_driver import self_check

        problem = self_check()
    except ImportError as error:
        problem = f"ImportError: {error}"
    if problem:
        logger.warning(
            "The one-round-trip SQLite driver failed its self-check (%s); using SQLAlchemy's "
            "stock aiosqlite adapter (slower, same behaviour)",
            problem,
        )
    return not problem


def _one_trip_module() -> Any | None:
    if not _one_trip_usable():
        return None
    from .sqlite_driver import one_trip_dbapi

    return one_trip_dbapi()


def _tune_sqlite(engine: AsyncEngine, guard: SqliteFileGuard | None) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so that "begin" below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()
        if guard is not None:
            guard.opened()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            # A reader: a plain (deferred) BEGIN reads a WAL snapshot and takes no lock, so
            # long scans and reports never make the bot's writes wait.
            conn.exec_driver_sql("BEGIN")
            return
        if guard is not None:
            guard.check()
        # IMMEDIATE: the write lock is taken at BEGIN, where busy_timeout can wait for it.
        # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    if guard is not None:
        _GUARDS[sync_engine] = guard

        @event.listens_for(sync_engine, "commit")
        def _on_commit(conn: Any) -> None:
            if not conn.get_execution_options().get(READ_ONLY_OPTION):
                guard.check()


# session.info key: the open transaction has written something (an ORM flush, or a Core write
# that called ``note_write``). The bot tells a user whether an action that failed half-way
# had saved a part (bot/middlewares/db.py).
WROTE = "dealbot_wrote"


def note_write(session: Session | AsyncSession) -> None:
    session.info[WROTE] = True


class CrmSession(Session):
    """The sync session behind every AsyncSession of the bot: notes its flushes."""


@event.listens_for(CrmSession, "after_flush")
def _after_flush(session: Session, _flush_context: Any) -> None:
    note_write(session)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        engine, expire_on_commit=False, autoflush=True, sync_session_class=CrmSession
    )


def create_read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for work that only reads (scheduler scans, report building). On SQLite they
    don't take the write lock; a write through them is a bug (and may fail with "busy")."""
    return async_sessionmaker(
        engine.execution_options(**{READ_ONLY_OPTION: True}),
        expire_on_commit=False,
        autoflush=False,
    )
