"""The messages of a web request go out after the HTTP answer, from the intake's outbox:
exactly once, also when the process dies between the request's commit and the send, or
between the send and its confirmation, and when two workers drain the same rows."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import select

from bot.intake_outbox import OutboxDrainer
from bot.sender import Sender
from models import IntakeOutbox, IntakePost, IntakeRequest, SentNotification, TeamChat
from models.roles import Role
from models.services.intake_outbox import IntakeOutboxes
from tests.conftest import App
from tests.intake_support import drain, make_form, web_client
from web.app import INTAKE_KEY

BODY = {"name": "Анна Кузнецова", "email": "anna@firm.ru", "message": "Нужен сайт"}


def _claim_messages(app: App, chat_id: int) -> list[str]:
    return [m.text for m in app.telegram.chat(chat_id) if "Заявка с сайта" in m.text]


async def _nothing_drained(_self: OutboxDrainer) -> int:
    return 0  # the process died right after the request's commit


async def test_the_answer_does_not_wait_for_telegram(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    gate = asyncio.Event()
    original = app.bot.session.make_request

    async def slow(bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if isinstance(method, SendMessage):
            await gate.wait()  # Telegram hangs
        return await original(bot, method, timeout)

    monkeypatch.setattr(app.bot.session, "make_request", slow)
    async with web_client(app) as http:
        response = await asyncio.wait_for(http.post(f"/intake/{token}", json=BODY), 5)
        assert response.status == 201  # answered while the Claim message hangs
        assert _claim_messages(app, admin_client.chat.id) == []
        gate.set()
        await drain(http)
    assert len(_claim_messages(app, admin_client.chat.id)) == 1
    assert await app.count(IntakeOutbox) == 0
    assert await app.count(IntakePost) == 1


async def test_a_restart_between_the_commit_and_the_send_sends_it_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    with monkeypatch.context() as dead:
        dead.setattr(OutboxDrainer, "drain_once", _nothing_drained)
        async with web_client(app) as http:
            assert (await http.post(f"/intake/{token}", json=BODY)).status == 201
            await drain(http)
    assert _claim_messages(app, admin_client.chat.id) == []
    assert await app.count(IntakeOutbox) == 1  # the request left its messages behind
    async with web_client(app) as http:  # the next start
        await drain(http)
    assert len(_claim_messages(app, admin_client.chat.id)) == 1
    assert await app.count(IntakeOutbox) == 0
    [post] = await app.all(select(IntakePost))
    request = await app.scalar(select(IntakeRequest))
    assert (post.request_id, post.chat_id) == (request.id, admin_client.chat.id)
    async with web_client(app) as http:  # and the one after: nothing again
        await drain(http)
    assert len(_claim_messages(app, admin_client.chat.id)) == 1


async def test_a_crash_after_the_send_before_its_confirmation_never_sends_twice(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)

    async def crash(_self: IntakeOutboxes, _ids: Any) -> None:
        raise RuntimeError("killed before the confirming transaction committed")

    with monkeypatch.context() as dying:
        dying.setattr(IntakeOutboxes, "done", crash)
        async with web_client(app) as http:
            assert (await http.post(f"/intake/{token}", json=BODY)).status == 201
            with pytest.raises(RuntimeError):
                await drain(http)
    assert len(_claim_messages(app, admin_client.chat.id)) == 1  # Telegram has it
    assert await app.count(IntakeOutbox) == 1  # its confirmation was rolled back
    [claim] = await app.all(select(SentNotification))
    assert claim.handed_at is not None and claim.sent_at is None
    async with web_client(app) as http:  # the next start: the key is taken, not sent again
        await drain(http)
    assert len(_claim_messages(app, admin_client.chat.id)) == 1
    assert await app.count(IntakeOutbox) == 0
    # The scheduler's start-up reports it once as possibly not delivered.
    await Sender(app.bot).recover(app.session_factory)
    [claim] = await app.all(select(SentNotification))
    assert claim.reported_at is not None


async def test_two_workers_draining_the_same_rows_send_each_message_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    with monkeypatch.context() as dead:
        dead.setattr(OutboxDrainer, "drain_once", _nothing_drained)
        async with web_client(app) as http:
            for i in range(12):  # more than one group of the Sender (max_concurrency 8)
                body = {**BODY, "email": f"client{i}@firm.ru"}
                assert (await http.post(f"/intake/{token}", json=body)).status == 201
    async with web_client(app) as first, web_client(app) as second:
        one, two = first.app[INTAKE_KEY].outbox, second.app[INTAKE_KEY].outbox
        assert one is not None and two is not None
        await asyncio.gather(one.flush(), two.flush(), one.flush())
    assert len(_claim_messages(app, admin_client.chat.id)) == 12
    assert await app.count(IntakeOutbox) == 0
    assert await app.count(IntakePost) == 12


async def test_a_refused_message_is_tried_again_then_given_up(app: App) -> None:
    from aiogram.exceptions import TelegramBadRequest

    admin_client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    refusal = TelegramBadRequest(SendMessage(chat_id=admin_client.chat.id, text="x"), "Bad")
    app.telegram.errors.extend([refusal, refusal, refusal])
    async with web_client(app) as http:
        assert (await http.post(f"/intake/{token}", json=BODY)).status == 201
        for _ in range(3):  # a failed row waits for the next drain
            await drain(http)
    # Three drains, three refusals: given up (logged), the row gone, no key held.
    assert _claim_messages(app, admin_client.chat.id) == []
    assert await app.count(IntakeOutbox) == 0
    assert await app.count(SentNotification) == 0

    app.telegram.errors.extend([refusal])
    async with web_client(app) as http:
        assert (await http.post(f"/intake/{token}", json={**BODY, "email": "b@firm.ru"})).status
        await drain(http)
        await drain(http)
    assert len(_claim_messages(app, admin_client.chat.id)) == 1  # the second drain sent it


async def test_one_drain_of_many_teams_tells_each_team_its_own_requests(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.intake_support import make_team

    admin_client, admin = await app.add_user(Role.admin)
    _sales, (sales_lead, _), _ = await make_team(app, "Продажи", managers=0)
    _web, (web_lead, _), _ = await make_team(app, "Веб", managers=0)
    forms = {
        "sales": await make_form(app, admin, "Форма продаж", team="Продажи"),
        "web": await make_form(app, admin, "Форма веба", team="Веб"),
        "none": await make_form(app, admin, "Без команды"),
    }
    with monkeypatch.context() as held:
        held.setattr(OutboxDrainer, "drain_once", _nothing_drained)
        async with web_client(app) as http:
            for name, token in forms.items():
                for i in range(2):
                    body = {"name": f"{name} {i}", "email": f"{name}{i}@firm.ru"}
                    assert (await http.post(f"/intake/{token}", json=body)).status == 201
    async with web_client(app) as http:
        await drain(http)  # all six in one batch

    def names(client: Any) -> list[str]:
        """Whose requests this person got (by the contact each message shows)."""
        return sorted(
            name
            for text in _claim_messages(app, client.chat.id)
            for name in forms
            for i in range(2)
            if f"{name}{i}@firm.ru" in text
        )

    assert names(sales_lead) == ["sales", "sales"]
    assert names(web_lead) == ["web", "web"]
    assert names(admin_client) == ["none", "none"]


class _Killed(Exception):
    """The process dies."""


def _kill_after_first_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process dies right after its first batch's transactions committed (a group's
    refusal recorded) and before anything else; dead, it sends nothing more."""
    import bot.intake_outbox

    original = bot.intake_outbox.send_batch
    dead: list[bool] = []

    async def send_batch(sender: Sender, *args: Any, **kwargs: Any) -> Any:
        if dead:
            raise _Killed
        await original(sender, *args, **kwargs)
        dead.append(True)
        raise _Killed

    monkeypatch.setattr(bot.intake_outbox, "send_batch", send_batch)


async def _refused_by_the_group(app: App) -> tuple[Any, str]:
    from aiogram.exceptions import TelegramForbiddenError

    from tests.intake_support import GROUP_ID, in_group, make_team

    _admin_client, admin = await app.add_user(Role.admin)
    _team, (lead_client, _lead), _people = await make_team(app, managers=0)
    await in_group(lead_client).send("/bindteam")
    token = await make_form(app, admin, team="Продажи")
    app.telegram.errors.append(
        TelegramForbiddenError(method=SendMessage(chat_id=GROUP_ID, text="x"), message="kicked")
    )
    return lead_client, token


async def test_a_crash_after_the_group_refused_still_tells_the_leads_once(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_client, token = await _refused_by_the_group(app)
    with monkeypatch.context() as dying:
        _kill_after_first_batch(dying)
        async with web_client(app) as http:
            assert (await http.post(f"/intake/{token}", json=BODY)).status == 201
            with pytest.raises(_Killed):
                await drain(http)
    assert _claim_messages(app, lead_client.chat.id) == []  # died before the fallback
    assert await app.count(IntakeOutbox) == 1  # the row is kept for the leads
    async with web_client(app) as http:  # the next start
        await drain(http)
    assert len(_claim_messages(app, lead_client.chat.id)) == 1
    assert await app.count(IntakeOutbox) == 0
    assert await app.count(TeamChat) == 0  # the group is unbound
    [post] = await app.all(select(IntakePost))
    assert post.chat_id == lead_client.chat.id  # a claim edits the lead's copy
    async with web_client(app) as http:  # and the one after: nothing again
        await drain(http)
    assert len(_claim_messages(app, lead_client.chat.id)) == 1


async def test_a_crash_after_the_leads_fallback_before_its_confirmation_never_sends_twice(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_client, token = await _refused_by_the_group(app)

    async def crash(_self: IntakeOutboxes, ids: Any) -> None:
        if ids:  # a row deleted: the lead's message is being confirmed
            raise _Killed

    with monkeypatch.context() as dying:
        dying.setattr(IntakeOutboxes, "done", crash)
        async with web_client(app) as http:
            assert (await http.post(f"/intake/{token}", json=BODY)).status == 201
            with pytest.raises(_Killed):
                await drain(http)
    assert len(_claim_messages(app, lead_client.chat.id)) == 1  # Telegram has it
    assert await app.count(IntakeOutbox) == 1
    async with web_client(app) as http:  # the next start: the key is taken, not sent again
        await drain(http)
    assert len(_claim_messages(app, lead_client.chat.id)) == 1
    assert await app.count(IntakeOutbox) == 0
