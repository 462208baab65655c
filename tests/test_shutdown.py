"""Graceful shutdown waits for the update in flight before the database is closed."""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from models.roles import Role
from tests.conftest import App


async def test_shutdown_waits_for_the_update_in_flight(app: App) -> None:
    release = asyncio.Event()
    slow = Router(name="slow")

    async def slow_handler(message: Message) -> None:
        await release.wait()
        await message.answer("done")

    slow.message.register(slow_handler, Command("slow"))
    app.dp.include_router(slow)
    app.dp.sub_routers.insert(1, app.dp.sub_routers.pop())  # in front of the fallback
    client, _ = await app.add_user(Role.manager)
    inflight = app.dp["inflight"]

    task = asyncio.create_task(client.send("/slow"))
    for _ in range(100):
        if inflight.count:
            break
        await asyncio.sleep(0.01)
    assert inflight.count == 1
    assert await inflight.wait_idle(0.05) is False  # still busy: shutdown keeps waiting
    release.set()
    assert await inflight.wait_idle(5) is True
    await task
    assert client.last_message().text == "done"
