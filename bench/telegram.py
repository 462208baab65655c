"""The Telegram side of the benchmark: a minimal fast Bot API session and Update builders.

The session answers like Telegram (a parsed ``Message`` for sends and edits, ``True`` for
answers) but keeps no chat history and validates nothing, so its cost stays in the tens of
microseconds; tests/mocked_bot.py is the strict one. Updates are validated with the bot in
the context, as the polling loop does, so ``feed_update`` needs no JSON round trip."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import InlineKeyboardMarkup, Message, Update

BOT_ID = 4242
TOKEN = f"{BOT_ID}:BENCH-token-abcdefghijklmnopqrstuvwxyz"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "DealBot", "username": "dealbot_bench_bot"}


class FastSession(BaseSession):
    """Answers sendMessage / editMessageText / answerCallbackQuery (and any method that
    returns ``True``) and remembers the calls of the current update for the checks."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self._ids = itertools.count(10_000)
        # Seconds each call takes, as the network to Telegram would (0: answer at once).
        self.latency = 0.0

    async def close(self) -> None:
        pass

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        self.calls.append(method)
        if self.latency:
            await asyncio.sleep(self.latency)
        if isinstance(method, SendMessage):
            return self._message(bot, int(method.chat_id), next(self._ids), method.text)
        if isinstance(method, EditMessageText):
            return self._message(bot, int(method.chat_id or 0), method.message_id, method.text)
        if isinstance(method, EditMessageReplyMarkup):
            return self._message(bot, int(method.chat_id or 0), method.message_id, "…")
        if isinstance(method, AnswerCallbackQuery) or method.__returning__ is bool:
            return True
        raise NotImplementedError(f"the bench session does not answer {type(method).__name__}")

    @staticmethod
    def _message(bot: Bot, chat_id: int, message_id: int | None, text: str) -> Message:
        # Parsed from a dict with the bot in the context, like a real response.
        return Message.model_validate(
            {
                "message_id": message_id or 1,
                "date": int(dt.datetime.now(dt.UTC).timestamp()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
                "text": text,
            },
            context={"bot": bot},
        )


def make_bot() -> Bot:
    """Configured as bot.app.create_bot does, over the fast session."""
    return Bot(
        TOKEN,
        session=FastSession(),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


class Updates:
    """Builds updates as Telegram sends them (JSON dicts) and validates them for the bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    @staticmethod
    def _person(telegram_id: int, language: str) -> dict[str, Any]:
        return {
            "id": telegram_id,
            "is_bot": False,
            "first_name": "Bench",
            "last_name": "Manager",
            "language_code": language,
        }

    def message(self, telegram_id: int, text: str, language: str = "ru") -> Update:
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        return Update.model_validate(
            {
                "update_id": next(self._update_ids),
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(dt.datetime.now(dt.UTC).timestamp()),
                    "chat": {"id": telegram_id, "type": "private", "first_name": "Bench"},
                    "from": self._person(telegram_id, language),
                    "text": text,
                    "entities": entities or None,
                },
            },
            context={"bot": self.bot},
        )

    def callback(
        self,
        telegram_id: int,
        data: str,
        language: str = "ru",
        message_text: str = "card",
        markup: InlineKeyboardMarkup | None = None,
    ) -> Update:
        """A button pressed on a message the bot sent earlier to this chat (Telegram sends
        that message along, with its keyboard)."""
        update_id = next(self._update_ids)
        return Update.model_validate(
            {
                "update_id": update_id,
                "callback_query": {
                    "id": str(update_id),
                    "from": self._person(telegram_id, language),
                    "chat_instance": f"ci{telegram_id}",
                    "data": data,
                    "message": {
                        "message_id": 7,
                        "date": int(dt.datetime.now(dt.UTC).timestamp()),
                        "chat": {"id": telegram_id, "type": "private", "first_name": "Bench"},
                        "from": BOT_USER,
                        "text": message_text,
                        "reply_markup": markup.model_dump(exclude_none=True) if markup else None,
                    },
                },
            },
            context={"bot": self.bot},
        )
