"""Shared fixtures: the production dispatcher over a fresh database per test, a fake
Telegram, a controllable clock and chat clients.

The database is SQLite unless TEST_DATABASE_URL names a PostgreSQL server
(``postgresql+asyncpg://postgres@/dealbot_test?host=/var/run/postgresql``): then one database
is migrated per session and put back to its seeded rows before every test (see
PostgresDatabases; the bot commits per update, so a rolled-back outer transaction would not
isolate tests). The database named in the URL is only a prefix for the names of the databases
made; the server's ``postgres`` database is used to create and drop them. With TEST_REDIS_URL
set, conversation state lives in that Redis database (flushed before every test) through
``bot.app.create_storage``."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import shutil
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import ForeignKeyConstraint, MetaData, Table, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.ddl import sort_tables_and_constraints

from bot.app import create_storage, prepare_database
from bot.dispatcher import build_dispatcher
from bot.outbound import OutboundBudget, install_outbound
from bot.settings import Settings
from models import User
from models.crm import Crm, CrmConfig
from models.db import create_engine, create_session_factory
from models.roles import Role
from models.services.accounts import Profile
from tests.client import ChatClient
from tests.mocked_bot import TOKEN, FakeTelegram, make_bot
from tests.virtual_time import VirtualTime

ADMIN_ID = 100
START = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC)  # 09:00 in Moscow, a Friday

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
ON_POSTGRES = bool(TEST_DATABASE_URL)
if ON_POSTGRES and make_url(TEST_DATABASE_URL).get_backend_name() != "postgresql":
    raise pytest.UsageError("TEST_DATABASE_URL must be a postgresql+asyncpg:// URL")
# For tests that only make sense on one database (their own SQLite engine, EXPLAIN syntax).
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite-only check (TEST_DATABASE_URL set)")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="needs TEST_DATABASE_URL (PostgreSQL)")


@dataclass
class FakeClock:
    now: dt.datetime = START

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, now: dt.datetime) -> None:
        assert now.tzinfo is not None
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class App:
    dp: Dispatcher
    bot: Bot
    telegram: FakeTelegram
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    settings: Settings
    clock: FakeClock
    _user_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1001))

    def client(self, user_id: int | None = None, **kwargs: Any) -> ChatClient:
        return ChatClient(
            self.dp, self.bot, self.telegram, user_id or next(self._user_ids), **kwargs
        )

    def crm(self, session: AsyncSession) -> Crm:
        config = CrmConfig(self.settings.default_timezone, self.settings.default_language)
        return Crm(session, config, self.clock)

    async def add_user(
        self,
        role: Role = Role.manager,
        *,
        name: str = "Мария Смирнова",
        language: str = "ru",
        team_id: int | None = None,
        **client_kwargs: Any,
    ) -> tuple[ChatClient, User]:
        """A registered user without going through the invite conversation (that has its
        own tests), and a chat client for them."""
        client = self.client(first_name=name.split()[0], language_code=language, **client_kwargs)
        async with self.session_factory() as session, session.begin():
            crm = self.crm(session)
            profile = Profile(client.user.id, name)
            user = crm.accounts._new_user(profile, role, team_id, language)
            session.add(user)
            await session.flush()
        return client, user

    async def count(self, model: Any, *where: Any) -> int:
        async with self.session_factory() as session:
            return int(
                await session.scalar(select(func.count()).select_from(model).where(*where)) or 0
            )

    async def scalar(self, statement: Any) -> Any:
        async with self.session_factory() as session:
            return await session.scalar(statement)

    async def all(self, statement: Any) -> list[Any]:
        async with self.session_factory() as session:
            return list(await session.scalars(statement))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database built once by the real migrations and seed; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await prepare_database(engine)
        await engine.dispose()  # the last connection to close checkpoints the WAL

    _run_aside(build)
    assert not path.with_name(path.name + "-wal").exists()
    return path


class SqliteDatabases:
    """Fresh SQLite files in the test's directory: a copy of the template, or an empty one."""

    def __init__(self, template: Path, directory: Path) -> None:
        self.template = template
        self.directory = directory
        self._numbers = itertools.count(1)

    async def create(self, *, migrated: bool) -> str:
        path = self.directory / f"test{next(self._numbers)}.db"
        if migrated:
            shutil.copy(self.template, path)
        return f"sqlite+aiosqlite:///{path}"

    async def drop(self, url: str) -> None:
        """The test's directory goes with the test."""


class PostgresDatabases:
    """Databases on the TEST_DATABASE_URL server, named ``<its database>_<pid>[_<n>]`` so
    that two runs against one server never meet.

    The migrated database is built once per session and put back to its just-seeded rows
    before every test: every table emptied in foreign-key order, the seed rows inserted again
    and every sequence set back. That costs tens of milliseconds, where ``CREATE DATABASE ...
    TEMPLATE`` (a checkpoint each) took 0.1-1 s per test on this 2-core machine. Connections
    a previous test left open are ended first, so nothing of it survives."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.migrated = f"{self.url.database or 'dealbot_test'}_{os.getpid()}"
        self._numbers = itertools.count(1)
        self._tables: list[Table] = []  # in foreign-key order
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self._sequences: list[tuple[str, int, bool]] = []
        self._cycle: list[ForeignKeyConstraint] = []
        self._superuser = False

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    async def execute(self, *statements: str) -> None:
        admin = create_engine(
            self.url_of("postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        try:
            async with admin.connect() as conn:
                for statement in statements:
                    await conn.execute(text(statement))
        finally:
            await admin.dispose()

    async def build(self) -> None:
        await self.execute(
            f'DROP DATABASE IF EXISTS "{self.migrated}" WITH (FORCE)',
            f'CREATE DATABASE "{self.migrated}" TEMPLATE template0',
        )
        engine = create_engine(self.url_of(self.migrated), poolclass=NullPool)
        try:
            await prepare_database(engine)
            async with engine.connect() as conn:
                metadata = MetaData()
                await conn.run_sync(lambda c: metadata.reflect(c))
                order = sort_tables_and_constraints(metadata.tables.values())
                self._tables = [
                    t for t, _ in order if t is not None and t.name != "alembic_version"
                ]
                # A cycle (teams.lead_id <-> users.team_id): emptied before the deletes.
                self._cycle = [fk for t, fks in order if t is None for fk in fks]
                for table in self._tables:
                    rows = await conn.execute(select(table))
                    self._rows[table.name] = [dict(row._mapping) for row in rows]
                sequences = await conn.execute(
                    text("SELECT sequencename, last_value FROM pg_sequences")
                )
                self._sequences = [
                    (name, value or 1, value is not None) for name, value in sequences
                ]
                self._superuser = bool(
                    await conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = user"))
                )
        finally:
            await engine.dispose()

    async def reset(self) -> None:
        await self.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{self.migrated}' AND pid <> pg_backend_pid()"
        )
        engine = create_engine(self.url_of(self.migrated), poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                if self._superuser:
                    # Every table is emptied: no foreign-key trigger needs to check each
                    # deleted row (20 s after a big-table test).
                    await conn.execute(text("SET LOCAL session_replication_role = replica"))
                else:
                    for fk in self._cycle:
                        values = {c: None for c in fk.columns}
                        await conn.execute(fk.table.update().values(values))
                for table in reversed(self._tables):
                    await conn.execute(table.delete())
                if self._superuser:
                    await conn.execute(text("SET LOCAL session_replication_role = origin"))
                for table in self._tables:
                    if self._rows[table.name]:
                        await conn.execute(table.insert(), self._rows[table.name])
                for name, value, called in self._sequences:
                    await conn.execute(
                        text("SELECT setval(CAST(:name AS regclass), :value, :called)"),
                        {"name": name, "value": value, "called": called},
                    )
        finally:
            await engine.dispose()

    async def create(self, *, migrated: bool) -> str:
        if migrated:
            await self.reset()
            return self.url_of(self.migrated)
        name = f"{self.migrated}_{next(self._numbers)}"
        await self.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url_of(name)

    async def drop(self, url: str) -> None:
        name = make_url(url).database
        if name != self.migrated:  # that one is reset by the next test, dropped at the end
            await self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    """The migrated and seeded database on the PostgreSQL server (only with TEST_DATABASE_URL)."""
    if not ON_POSTGRES:
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    databases = PostgresDatabases(TEST_DATABASE_URL)
    _run_aside(databases.build)
    yield databases
    _run_aside(lambda: databases.execute(f'DROP DATABASE "{databases.migrated}" WITH (FORCE)'))


def _run_aside(work: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """asyncio.run in a thread of its own: this may be reached inside a test's running loop
    (a fixture asking for a session fixture with request.getfixturevalue)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(work())
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.fixture
def databases(
    request: pytest.FixtureRequest, tmp_path: Path
) -> SqliteDatabases | PostgresDatabases:
    """Where this test's fresh databases come from: TEST_DATABASE_URL's server, else SQLite
    files. (Chosen outside the test's event loop: the session fixtures use asyncio.run.)"""
    if ON_POSTGRES:
        return request.getfixturevalue("postgres_databases")
    return SqliteDatabases(request.getfixturevalue("template_db"), tmp_path)


@pytest.fixture
async def database_url(databases: SqliteDatabases | PostgresDatabases) -> AsyncIterator[str]:
    """URL of a fresh, migrated and seeded database of this test's own (SQLite or PostgreSQL)."""
    url = await databases.create(migrated=True)
    yield url
    await databases.drop(url)


@pytest.fixture
async def empty_database_url(
    databases: SqliteDatabases | PostgresDatabases,
) -> AsyncIterator[str]:
    """URL of a fresh database without any table (for the migrations' own tests)."""
    url = await databases.create(migrated=False)
    yield url
    await databases.drop(url)


async def _redis_storage(settings: Settings, engine: AsyncEngine) -> Any:
    """Conversation state and the per-user lock in the TEST_REDIS_URL database, emptied
    first."""
    from redis.asyncio import Redis

    client = Redis.from_url(TEST_REDIS_URL)
    try:
        await client.flushdb()
    finally:
        await client.aclose()
    return create_storage(settings, engine)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "database_url": database_url,
        "admin_ids": frozenset({ADMIN_ID}),
        "default_timezone": "Europe/Moscow",
        "default_language": "ru",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[App]:
    url = database_url
    engine = create_engine(url)
    session_factory = create_session_factory(engine)
    settings = make_settings(url, redis_url=TEST_REDIS_URL or None)
    storage, isolation = await _redis_storage(settings, engine) if TEST_REDIS_URL else (None, None)
    clock = FakeClock()
    telegram = FakeTelegram()
    bot = make_bot(telegram)
    # The production budget and middleware, on a virtual clock: paced, but never sleeps.
    outbound = VirtualTime()
    install_outbound(bot, OutboundBudget(monotonic=outbound.monotonic, sleep=outbound.sleep))
    dp = build_dispatcher(
        settings, session_factory, clock=clock, storage=storage, events_isolation=isolation
    )
    yield App(dp, bot, telegram, engine, session_factory, settings, clock)
    await bot.session.close()
    if storage is not None:
        await storage.close()
    await engine.dispose()
