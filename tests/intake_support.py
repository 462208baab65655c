"""Helpers of the intake tests: a form made through the service, the real web application
over aiohttp's test server, a team with a lead and managers, a group chat client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram.types import Chat
from aiohttp.test_utils import TestClient, TestServer

from models import Team, User
from models.roles import Role
from models.services.intake_forms import IntakeForms
from tests.client import ChatClient
from tests.conftest import App, make_settings
from web import build_web_app
from web.app import INTAKE_KEY

GROUP_ID = -1009876543210


async def make_form(app: App, admin: User, name: str = "Лендинг", **options: Any) -> str:
    async with app.session_factory() as session, session.begin():
        actor = await session.get(User, admin.id)
        assert actor is not None
        _form, token = await IntakeForms(app.crm(session)).create_form(actor, name, **options)
    return token


@asynccontextmanager
async def web_client(app: App, **settings: Any) -> AsyncIterator[TestClient]:
    config = make_settings(str(app.engine.url), **settings)
    web_app = build_web_app(config, app.engine, app.dp, app.bot, clock=app.clock)
    async with TestClient(TestServer(web_app)) as client:
        client.app[INTAKE_KEY]  # the intake is there
        yield client


async def drain(client: TestClient) -> None:
    """Wait for the messages of the accepted requests (they go out after the answer)."""
    await client.app[INTAKE_KEY].drain()


async def make_team(
    app: App, name: str = "Продажи", managers: int = 2
) -> tuple[Team, tuple[ChatClient, User], list[tuple[ChatClient, User]]]:
    lead_client, lead = await app.add_user(Role.lead, name="Олег Лидов")
    async with app.session_factory() as session, session.begin():
        team = Team(name=name, lead_id=lead.id, created_at=app.clock())
        session.add(team)
        await session.flush()
        user = await session.get(User, lead.id)
        assert user is not None
        user.team_id = team.id
    lead.team_id = team.id
    people = [
        await app.add_user(Role.manager, name=f"Менеджер{i} Иванов", team_id=team.id)
        for i in range(managers)
    ]
    return team, (lead_client, lead), people


def in_group(client: ChatClient, chat_id: int = GROUP_ID, title: str = "Продажи") -> ChatClient:
    """The same person, writing in a group chat."""
    group = ChatClient(
        client.dp,
        client.bot,
        client.telegram,
        client.user.id,
        first_name=client.user.first_name,
        last_name=client.user.last_name,
    )
    group.chat = Chat(id=chat_id, type="supergroup", title=title)
    return group
