"""Shared fixtures: the production dispatcher over a fresh SQLite database per test, a fake
Telegram, a controllable clock and chat clients."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import prepare_database
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
            return int(await session.scalar(select(func.count()).select_from(model).where(*where)))

    async def scalar(self, statement: Any) -> Any:
        async with self.session_factory() as session:
            return await session.scalar(statement)

    async def all(self, statement: Any) -> list[Any]:
        async with self.session_factory() as session:
            return list(await session.scalars(statement))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once by the real migrations and seed; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await prepare_database(engine)
        await engine.dispose()  # the last connection to close checkpoints the WAL

    asyncio.run(build())
    assert not path.with_name(path.name + "-wal").exists()
    return path


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "database_url": database_url,
        "admin_ids": frozenset({ADMIN_ID}),
        "default_timezone": "Europe/Moscow",
        "default_language": "ru",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def app(template_db: Path, tmp_path: Path) -> AsyncIterator[App]:
    path = tmp_path / "test.db"
    shutil.copy(template_db, path)
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    session_factory = create_session_factory(engine)
    settings = make_settings(url)
    clock = FakeClock()
    telegram = FakeTelegram()
    bot = make_bot(telegram)
    # The production budget and middleware, on a virtual clock: paced, but never sleeps.
    outbound = VirtualTime()
    install_outbound(bot, OutboundBudget(monotonic=outbound.monotonic, sleep=outbound.sleep))
    dp = build_dispatcher(settings, session_factory, clock=clock)
    yield App(dp, bot, telegram, engine, session_factory, settings, clock)
    await bot.session.close()
    await engine.dispose()
