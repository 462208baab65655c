"""Webhook mode over real HTTP (aiohttp's test server): the secret is checked, bad bodies are
refused, an update is answered only once it is committed, a redelivery changes nothing, and
GET /healthz reports the database, the migration and the scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
from collections.abc import AsyncIterator

import pytest
from aiogram.methods import GetUpdates
from aiohttp.test_utils import TestClient, TestServer

from models import Note, ProcessedUpdate, SchedulerLease
from models.health import HEAD
from models.roles import Role
from tests.conftest import App, make_settings, sqlite_only
from tests.factories import make_deal
from web import build_web_app

TODAY = dt.date(2026, 11, 27)
SECRET = "s3cret-token-for-the-tests_0123456789"
PATH = "/tg/hook"


@pytest.fixture
async def http(app: App) -> AsyncIterator[TestClient]:
    settings = make_settings(
        str(app.engine.url),
        webhook_url=f"https://bot.example.com{PATH}",
        webhook_secret=SECRET,
    )
    web_app = build_web_app(settings, app.engine, app.dp, app.bot, clock=app.clock)
    async with TestClient(TestServer(web_app)) as client:
        yield client


def _headers(secret: str = SECRET) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": secret}


async def test_a_note_by_webhook_is_saved_once_even_when_posted_twice(
    app: App, http: TestClient
) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    update = ivan.message_update(text=f"/note {deal.id} Договорились о встрече во вторник")
    body = update.model_dump(mode="json", exclude_none=True)
    for _ in range(2):  # Telegram redelivers when it did not see our 200
        response = await http.post(PATH, json=body, headers=_headers())
        assert response.status == 200
    assert await app.count(Note, Note.deal_id == deal.id) == 1
    assert await app.count(ProcessedUpdate) == 1
    assert any("Заметка" in m.text or "заметк" in m.text for m in app.telegram.chat(ivan.chat.id))


@pytest.mark.parametrize("secret", ["", "wrong-secret-wrong-secret", SECRET + "x"])
async def test_a_request_without_the_secret_is_refused(
    app: App, http: TestClient, secret: str
) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    update = ivan.message_update(text=f"/note {deal.id} Поддельное обновление")
    response = await http.post(
        PATH, json=update.model_dump(mode="json", exclude_none=True), headers=_headers(secret)
    )
    assert response.status == 401
    assert await app.count(Note) == 0
    assert app.telegram.chat(ivan.chat.id) == []


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'{"update_id": "x"}', b'{"message": {}}', b"\xff\xfe"]
)
async def test_a_body_that_is_not_an_update_is_refused(http: TestClient, body: bytes) -> None:
    response = await http.post(PATH, data=body, headers=_headers())
    assert response.status == 400
    assert (await response.json())["ok"] is False


async def test_a_huge_body_is_refused(http: TestClient) -> None:
    response = await http.post(PATH, data=b"x" * (2 * 1024 * 1024), headers=_headers())
    assert response.status == 413


async def test_the_answer_waits_for_the_commit_not_for_the_reply(
    app: App, http: TestClient
) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    release = asyncio.Event()
    original = app.bot.session.make_request

    async def slow_send(bot, method, timeout=None):
        if not isinstance(method, GetUpdates):
            await release.wait()  # the reply waits (a 429, a busy budget)
        return await original(bot, method, timeout)

    app.bot.session.make_request = slow_send  # type: ignore[method-assign]  # a stand-in
    update = ivan.message_update(text=f"/note {deal.id} Заметка до ответа Telegram")
    response = await asyncio.wait_for(
        http.post(PATH, json=update.model_dump(mode="json", exclude_none=True), headers=_headers()),
        timeout=5,
    )
    assert response.status == 200
    assert await app.count(Note, Note.deal_id == deal.id) == 1  # committed before the 200
    release.set()


async def test_healthz_reports_database_migration_and_scheduler(
    app: App, http: TestClient
) -> None:
    response = await http.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body["ok"] is True
    assert body["migration"] == body["migration_head"] == HEAD
    assert body["scheduler_lease_seconds_left"] is None
    async with app.session_factory() as session, session.begin():
        session.add(
            SchedulerLease(
                name="scheduler",
                holder="host:1:x",
                acquired_at=app.clock() - dt.timedelta(seconds=42),
                expires_at=app.clock() + dt.timedelta(seconds=18),
            )
        )
    body = await (await http.get("/healthz")).json()
    assert body["scheduler_lease_seconds_left"] == 18.0


@sqlite_only
async def test_healthz_fails_when_the_database_file_is_gone(app: App, http: TestClient) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    path = app.engine.url.database or ""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")
    await ivan.send(f"/note {deal.id} после удаления")  # the first write notices
    response = await http.get("/healthz")
    assert response.status == 503
    assert "refusing writes" in (await response.json())["database"]
