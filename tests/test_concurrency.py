"""Concurrent updates against one SQLite file: they wait for each other, none fails with
"database is locked", and every change is kept."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy import select

from bot.dispatcher import build_dispatcher
from bot.storage import DatabaseStorage
from models import Note, User
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal


async def test_many_users_writing_at_once(app: App) -> None:
    clients = [(await app.add_user(Role.manager, name=f"Менеджер {i}"))[0] for i in range(25)]
    await asyncio.gather(*(c.send("/lang en") for c in clients))
    for client in clients:
        assert client.last_message().text == "Interface language: English."
    languages = await app.all(select(User.language))
    assert languages == ["en"] * 25


async def test_one_users_updates_are_serialised(app: App) -> None:
    client, user = await app.add_user(Role.manager)
    # Interleaved switches from one person are applied in order: the last one wins.
    await asyncio.gather(*(client.send(f"/lang {code}") for code in ["en", "ru"] * 5 + ["en"]))
    assert await app.scalar(select(User.language).where(User.id == user.id)) == "en"


@pytest.mark.parametrize("cache", [True, False])
async def test_the_state_is_read_after_the_users_lock(app: App, cache: bool) -> None:
    """A press that opens a prompt and the answer typed right after it arrive together: the
    answer waits for the press (aiogram's events isolation locks BEFORE the state is read),
    so it sees the prompt's state and becomes the note. With the state read before the lock
    (the old per-user middleware) the answer saw no prompt and got the generic hint."""
    storage = DatabaseStorage(app.engine, ttl=app.settings.state_ttl, clock=app.clock, cache=cache)
    dp = build_dispatcher(app.settings, app.session_factory, clock=app.clock, storage=storage)
    client, owner = await app.add_user(Role.manager)
    client.dp = dp
    deal = await make_deal(app, owner)
    await client.send(f"/deal {deal.id}")

    await asyncio.gather(client.press("📝 Заметка"), client.send("Позвонил, всё решили"))

    notes = await app.all(select(Note.text).where(Note.deal_id == deal.id))
    assert notes == ["Позвонил, всё решили"]
    assert "✅ Заметка 01 сохранена" in client.last_message().text


async def test_an_update_waiting_for_the_users_lock_counts_as_in_flight(app: App) -> None:
    """Shutdown waits for the updates in flight: one queued behind the same user's lock is
    one of them."""
    client, _ = await app.add_user(Role.manager)
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow(message: Message) -> None:
        entered.set()
        await release.wait()

    app.dp.message.register(slow, Command("slow"))
    first = asyncio.create_task(client.send("/slow"))
    await asyncio.wait_for(entered.wait(), 5)
    second = asyncio.create_task(client.send("/menu"))
    await asyncio.sleep(0.05)
    assert app.dp["inflight"].count == 2 and not second.done()
    release.set()
    await asyncio.gather(first, second)
    assert app.dp["inflight"].count == 0
