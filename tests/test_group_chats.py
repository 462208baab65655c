"""Group chats get no personal data (bot/chat_scope.py): a command in a group is answered once
with the private-chat hint and a t.me link, a deal card button pressed there with a pop-up;
ordinary group talk is ignored; an allow-listed command (the team feed's hook) runs."""

from __future__ import annotations

import datetime as dt

import pytest
from aiogram.types import Chat

from bot import chat_scope
from bot.callbacks import DealAction, DealCb
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import BOT_USERNAME

TODAY = dt.date(2026, 11, 27)
GROUP_ID = -1001234567890


def in_group(client: ChatClient) -> ChatClient:
    """The same person, writing in a supergroup."""
    group = ChatClient(client.dp, client.bot, client.telegram, client.user.id)
    group.user = client.user
    group.chat = Chat(id=GROUP_ID, type="supergroup", title="Отдел продаж")
    return group


async def test_today_in_a_group_is_one_hint_and_no_list(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    await make_deal(app, owner, "ООО Секретная Ромашка", next_action_on=TODAY)
    group = in_group(ivan)
    sent = await group.send("/today")
    assert len(sent) == 1
    text = sent[0].text
    assert "личном чате" in text
    assert f"https://t.me/{BOT_USERNAME}" in text
    assert "Ромашка" not in text
    assert ivan.messages() == []  # nothing went to the private chat either
    # the same command in the private chat works
    private = await ivan.send("/today")
    assert "Ромашка" in private[-1].text


@pytest.mark.parametrize(
    "command", ["/mydeals", "/overdue", "/find Ромашка", "/deal 1", "/stats", "/new", "/help"]
)
async def test_personal_commands_in_a_group_are_refused(app: App, command: str) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка", next_action_on=TODAY)
    group = in_group(ivan)
    sent = await group.send(command.replace("1", str(deal.id)))
    assert [m.text for m in sent] == [sent[0].text]
    assert "Ромашка" not in sent[0].text and "личном чате" in sent[0].text


async def test_group_talk_and_other_bots_commands_are_ignored(app: App) -> None:
    ivan, _owner = await app.add_user(Role.manager)
    group = in_group(ivan)
    assert await group.send("коллеги, кто звонил Ромашке?") == []
    assert await group.send("/today@some_other_bot") == []
    sent = await group.send(f"/today@{BOT_USERNAME}")
    assert len(sent) == 1 and "личном чате" in sent[0].text


async def test_unknown_person_in_a_group_gets_only_the_hint(app: App) -> None:
    stranger = in_group(app.client())
    sent = await stranger.send("/today")
    assert len(sent) == 1 and "личном чате" in sent[0].text
    assert str(stranger.user.id) not in sent[0].text  # no "no access, your id is ..." either


async def test_deal_card_button_pressed_in_a_group_shows_nothing(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка")
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    group = in_group(ivan)
    group.telegram.alerts.clear()
    data = DealCb(action=DealAction.history, deal_id=deal.id, v=1).pack()
    sent = await group.press_data(data, card)
    assert sent == []
    assert group.last_alert() is not None and "личном чате" in (group.last_alert() or "")
    assert group.messages() == []


async def test_english_speaker_gets_the_hint_in_english(app: App) -> None:
    john, _owner = await app.add_user(Role.manager, name="John Smith", language="en")
    group = in_group(john)
    sent = await group.send("/today")
    assert "private chat" in sent[0].text


async def test_an_allowed_group_command_reaches_its_handler(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook the team feed uses: a command on the allow-list runs in the group."""
    monkeypatch.setattr(chat_scope, "GROUP_COMMANDS", set())
    chat_scope.allow_in_groups(commands={"today"})
    ivan, owner = await app.add_user(Role.manager)
    await make_deal(app, owner, "ООО Ромашка", next_action_on=TODAY)
    sent = await in_group(ivan).send("/today")
    assert "Ромашка" in sent[-1].text  # the handler ran (a real feed posts nothing personal)
    monkeypatch.setattr(chat_scope, "GROUP_COMMANDS", set())
    sent = await in_group(ivan).send("/today")
    assert "Ромашка" not in sent[-1].text


def test_command_of() -> None:
    assert chat_scope.command_of("/today@DealBot x") == ("today", "DealBot")
    assert chat_scope.command_of("/today") == ("today", None)
    assert chat_scope.command_of("today") == ("", None)
    assert chat_scope.command_of("/") == ("", None)
    assert chat_scope.command_of("/ x") == ("", None)
