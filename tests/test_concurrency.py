"""Concurrent updates against one SQLite file: they wait for each other, none fails with
"database is locked", and every change is kept."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from models import User
from models.roles import Role
from tests.conftest import App


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
