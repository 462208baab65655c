"""/help by role, and an unknown command pointing to it (handlers/help_page.py,
handlers/fallback.py)."""

from __future__ import annotations

import re

import pytest

from bot.commands import COMMANDS
from handlers import get_routers
from models.roles import Role
from tests.conftest import App


def commands_in(text: str) -> set[str]:
    return set(re.findall(r"/([a-z]+)", text))


def registered_commands() -> set[str]:
    names: set[str] = set()
    for router in get_routers():
        for handler in router.message.handlers:
            for flt in handler.filters or ():
                names |= {c for c in getattr(flt.callback, "commands", ()) if isinstance(c, str)}
    return names


@pytest.mark.parametrize(
    ("role", "has", "has_not"),
    [
        (Role.manager, {"new", "today", "find", "stats", "settings"}, {"plan", "invite"}),
        (Role.lead, {"new", "today", "stats", "plan", "invite"}, set()),
        (Role.operator, {"new", "find", "deal", "note"}, {"plan", "invite", "stats"}),
        (Role.admin, {"new", "stats", "plan", "invite"}, set()),
    ],
)
async def test_help_lists_the_commands_of_the_role(
    app: App, role: Role, has: set[str], has_not: set[str]
) -> None:
    client, _user = await app.add_user(role)
    sent = await client.send("/help")
    text = sent[-1].text
    assert "dealbot" in text
    shown = commands_in(text)
    assert has <= shown
    assert not has_not & shown
    # every command help names really exists (help stays true to the bot)
    assert shown <= registered_commands(), shown - registered_commands()


async def test_help_in_english(app: App) -> None:
    client, _user = await app.add_user(Role.manager, language="en")
    text = (await client.send("/help"))[-1].text
    assert "Your role: manager" in text and "/today" in text


async def test_help_for_a_stranger_is_no_access(app: App) -> None:
    stranger = app.client()
    text = (await stranger.send("/help"))[-1].text
    assert str(stranger.user.id) in text and "/today" not in text


def test_help_is_in_telegrams_command_menu() -> None:
    assert "help" in COMMANDS


@pytest.mark.parametrize("command", ["/unknowncommand", "/foo bar", "/Today"])
async def test_an_unknown_command_points_to_help(app: App, command: str) -> None:
    client, _user = await app.add_user(Role.manager)
    sent = await client.send(command)
    text = sent[-1].text
    assert "/help" in text
    assert "Выберите действие" not in text


async def test_an_unknown_command_mid_flow_points_to_help(app: App) -> None:
    client, _user = await app.add_user(Role.manager)
    await client.send("/new")
    sent = await client.send("/nosuchthing")
    assert "/help" in sent[-1].text


async def test_plain_text_outside_a_flow_still_gets_the_menu_hint(app: App) -> None:
    client, _user = await app.add_user(Role.manager)
    sent = await client.send("привет")
    assert "/help" not in sent[-1].text
