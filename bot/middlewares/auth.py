"""Who is writing: the current ``User`` from the database on every message and button press.

Unknown and deactivated people get one polite "no access" (with their Telegram id) and nothing
is written; only ``/start`` passes through, where admins bootstrap and invites are redeemed."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from aiogram.types import User as TgUser

from bot.i18n import Translator
from models.crm import Crm

logger = logging.getLogger(__name__)


def _is_start_command(event: Update) -> bool:
    message = event.message
    return bool(message and message.text and message.text.split()[0].split("@")[0] == "/start")


class AuthMiddleware(BaseMiddleware):
    def __init__(self, translator: Translator) -> None:
        self.translator = translator

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        from_user: TgUser | None = data.get("event_from_user")
        if from_user is None or from_user.is_bot:
            return None  # channel posts and other bots: nothing for a CRM to do
        crm: Crm = data["crm"]
        if event.my_chat_member is not None:
            # The bot's own membership of a group changed (added, removed): news about the
            # chat, not a request of the person who did it, who may be unknown to the CRM.
            data["user"] = None
            return await handler(event, data)
        user = await crm.accounts.active_by_telegram_id(from_user.id)
        data["user"] = user
        data["tr"] = self.translator.for_locale(
            user.language if user else self.translator.language_for(from_user.language_code)
        )
        if user is None and not _is_start_command(event):
            await self._deny(event, data)
            return None
        if user is not None:
            await crm.accounts.seen(user)  # last seen; reachable again: they write to us
        return await handler(event, data)

    async def _deny(self, event: Update, data: dict[str, Any]) -> None:
        bot: Bot = data["bot"]
        tr = data["tr"]
        from_user: TgUser = data["event_from_user"]
        logger.info("denied update %s from unknown telegram id %s", event.update_id, from_user.id)
        text = tr("access.no_access", telegram_id=from_user.id)
        query: CallbackQuery | None = event.callback_query
        if query is not None:
            await bot.answer_callback_query(query.id, tr("access.button_denied"), show_alert=True)
            return
        message: Message | None = event.message
        if message is not None and message.chat.type == "private":
            await bot.send_message(message.chat.id, text)
