"""Private data stays in private chats: one gate for every update from a group.

Deal lists, cards, searches, stats and anything else personal are only answered in a
private chat with the bot. A command sent in a group or supergroup gets one short answer
("I work in a private chat", with a t.me link to the bot when its username is known) and
nothing else; a button pressed under a message in a group gets the same as a pop-up alert;
every other message in a group (people talking, replies, stickers) is ignored. Nothing of it
touches the database.

It is an outer middleware on the update, ahead of the database session and the
authentication, so no handler ever runs for a group update unless it is allowed here.

Allowing a group feature (the hook for the intake's team feed): a command that must work in
a group (``/bindteam`` sent by an admin in the team's group) and the callback data prefixes of
buttons pressed in a group (a Claim button) are put on the allow-list with
:func:`allow_in_groups`, called where that feature builds its router, e.g.::

    from bot.chat_scope import allow_in_groups
    allow_in_groups(commands={"bindteam"}, callback_prefixes={ClaimCb.__prefix__})

An allowed update goes on through the usual middlewares and routers; its handler checks the
sender's rights itself, and must post nothing personal to the group."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, Update

from bot.i18n import Translator

logger = logging.getLogger(__name__)

PRIVATE = "private"

#: Commands (without "/" and "@bot") that may run in a group chat.
GROUP_COMMANDS: set[str] = set()
#: Callback data prefixes (a CallbackData's ``__prefix__``) that may be pressed in a group.
GROUP_CALLBACK_PREFIXES: set[str] = set()


def allow_in_groups(*, commands: Iterable[str] = (), callback_prefixes: Iterable[str] = ()) -> None:
    """Let these commands / button prefixes through in groups (see the module doc)."""
    GROUP_COMMANDS.update(commands)
    GROUP_CALLBACK_PREFIXES.update(callback_prefixes)


def command_of(text: str) -> tuple[str, str | None]:
    """``"/today@dealbot x"`` -> ``("today", "dealbot")``; ``("", None)`` for no command."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return "", None
    head = text[1:].split(maxsplit=1)[0]
    name, _, mention = head.partition("@")
    return name, mention or None


def _callback_prefix(data: str) -> str:
    return data.split(":", 1)[0]


class ChatScopeMiddleware(BaseMiddleware):
    def __init__(self, translator: Translator) -> None:
        self.translator = translator

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        chat: Chat | None = data.get("event_chat")
        if chat is None or chat.type == PRIVATE:
            return await handler(event, data)
        bot: Bot = data["bot"]
        if event.message is not None:
            return await self._group_message(event.message, bot, handler, event, data)
        if event.callback_query is not None:
            query = event.callback_query
            if _callback_prefix(query.data or "") in GROUP_CALLBACK_PREFIXES:
                return await handler(event, data)
            await self._refuse_button(query, bot)
            return None
        if event.my_chat_member is not None:
            # The bot itself added to / removed from a group: the team feed unbinds it.
            return await handler(event, data)
        return None  # edited messages, others' member updates... of a group: nothing to do

    async def _group_message(
        self,
        message: Message,
        bot: Bot,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
    ) -> Any:
        name, mention = command_of(message.text or message.caption or "")
        if not name:
            return None  # people talking in the group: not for us
        username = await _username(bot)
        if mention is not None and username is not None and mention.lower() != username.lower():
            return None  # a command for another bot in the same group
        if name in GROUP_COMMANDS:
            return await handler(event, data)
        logger.info("group chat %s: /%s answered with the private-chat hint", message.chat.id, name)
        tr = self.translator.for_locale(
            self.translator.language_for(message.from_user.language_code)
            if message.from_user
            else None
        )
        text = tr("group.private_only")
        if username:
            text += "\n" + tr("group.open_private", link=f"https://t.me/{username}")
        await bot.send_message(message.chat.id, text)
        return None

    async def _refuse_button(self, query: CallbackQuery, bot: Bot) -> None:
        tr = self.translator.for_locale(self.translator.language_for(query.from_user.language_code))
        await bot.answer_callback_query(query.id, tr("group.private_only"), show_alert=True)


async def _username(bot: Bot) -> str | None:
    """The bot's username (aiogram caches getMe), or None when Telegram can't say."""
    try:
        return (await bot.me()).username
    except TelegramAPIError:
        return None
