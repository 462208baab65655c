"""Conversation state in Redis (REDIS_URL): the same guarantees through the real dispatcher.
Runs when TEST_REDIS_URL names a Redis to use (CI starts one); skipped otherwise."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiogram import Dispatcher
from aiogram.fsm.storage.base import DefaultKeyBuilder
from sqlalchemy import select

from bot.dispatcher import build_dispatcher
from bot.storage import create_redis_storage
from models import Note
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal

REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")

NOTE_TEXT = "Позвонил, клиент просит КП до понедельника"


@asynccontextmanager
async def redis_dispatcher(app: App, prefix: str, ttl: dt.timedelta) -> AsyncIterator[Dispatcher]:
    """A bot process with its state in Redis (a fresh connection: as after a restart)."""
    from aiogram.fsm.storage.redis import RedisEventIsolation

    assert REDIS_URL is not None
    storage = create_redis_storage(REDIS_URL, ttl, key_builder=DefaultKeyBuilder(prefix=prefix))
    isolation = RedisEventIsolation(storage.redis, key_builder=storage.key_builder)
    try:
        yield build_dispatcher(
            app.settings,
            app.session_factory,
            clock=app.clock,
            storage=storage,
            events_isolation=isolation,
        )
    finally:
        await storage.close()


def on(dp: Dispatcher, app: App, client: ChatClient) -> ChatClient:
    again = ChatClient(dp, app.bot, app.telegram, client.user.id)
    again.user, again.chat = client.user, client.chat
    return again


async def _notes(app: App, deal_id: int) -> list[str]:
    return list(await app.all(select(Note.text).where(Note.deal_id == deal_id)))


async def test_a_prompt_in_redis_survives_a_restart(app: App) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    async with redis_dispatcher(app, prefix, dt.timedelta(hours=1)) as dp:
        person = on(dp, app, ivan)
        await person.send(f"/deal {deal.id}")
        await person.press("📝 Заметка")
    async with redis_dispatcher(app, prefix, dt.timedelta(hours=1)) as dp:
        await on(dp, app, ivan).send(NOTE_TEXT)
    assert await _notes(app, deal.id) == [NOTE_TEXT]


async def test_an_expired_prompt_in_redis_says_so(app: App) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    async with redis_dispatcher(app, prefix, dt.timedelta(seconds=1)) as dp:
        person = on(dp, app, ivan)
        await person.send(f"/deal {deal.id}")
        await person.press("📝 Заметка")
        await asyncio.sleep(2.1)  # Redis expires the state (whole seconds)
        await person.send(NOTE_TEXT)
        assert ivan.last_message().text.startswith("Этот запрос устарел")
        assert await _notes(app, deal.id) == []
        await person.send("ещё текст")  # told once
        assert ivan.last_message().text == "Выберите действие в меню ниже."


async def test_one_users_updates_run_in_order_with_redis_isolation(app: App) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    async with redis_dispatcher(app, prefix, dt.timedelta(hours=1)) as dp:
        person = on(dp, app, ivan)
        await person.send(f"/deal {deal.id}")
        await asyncio.gather(person.press("📝 Заметка"), person.send(NOTE_TEXT))
    assert await _notes(app, deal.id) == [NOTE_TEXT]
