"""The dispatcher's one error handler: log with the update id, tell the user nothing was saved.

It runs after the per-update transaction was rolled back, so the message is true."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import ErrorEvent, Update

from bot.admin_notices import AdminNotices
from bot.i18n import Tr, Translator
from models.errors import CrmError, DatabaseFileGone

logger = logging.getLogger(__name__)


def _harmless(exc: Exception) -> bool:
    """Telegram's complaints that mean "nothing to do", never worth a user's attention."""
    if not isinstance(exc, TelegramBadRequest):
        return False
    text = exc.message.lower()
    return "message is not modified" in text or "query is too old" in text


async def _tell(bot: Bot, update: Update, text: str) -> None:
    query = update.callback_query
    if query is not None:
        try:
            await bot.answer_callback_query(query.id, text, show_alert=True)
            return
        except TelegramBadRequest:  # the handler had answered already: say it in the chat
            if query.message is None:
                return
            await bot.send_message(query.message.chat.id, text)
            return
    if update.message is not None:
        await bot.send_message(update.message.chat.id, text)


def build_error_router(translator: Translator) -> Router:
    router = Router(name=__name__)

    @router.error()
    async def on_error(
        event: ErrorEvent,
        bot: Bot,
        tr: Tr | None = None,
        saved_before_error: bool = False,
        admin_notices: AdminNotices | None = None,
    ) -> None:
        exc = event.exception
        update = event.update
        if _harmless(exc):
            logger.debug("update %s: ignored %s", update.update_id, exc)
            return
        if isinstance(exc, DatabaseFileGone):
            logger.error("update %s: refused, the database file is gone", update.update_id)
            if admin_notices is not None:
                await admin_notices.tell(bot, "ops.database_gone")
        if isinstance(exc, CrmError):
            # The parameters are what the person typed (a contact, a name): DEBUG only.
            logger.info("update %s: refused with %s", update.update_id, exc.key)
            logger.debug("update %s: refusal parameters %r", update.update_id, exc.params)
            key, params = exc.key, exc.params
        else:
            logger.error("update %s failed", update.update_id, exc_info=exc)
            # Writes are committed before each message (bot.middlewares.db): say so honestly.
            key = "error.unexpected_partial" if saved_before_error else "error.unexpected"
            params = {}
        if tr is None:  # failed before the auth middleware knew the user's language
            from_user = getattr(update.event, "from_user", None)
            code = getattr(from_user, "language_code", None)
            tr = translator.for_locale(translator.language_for(code))
        text = tr(key, **params)
        try:
            await _tell(bot, update, text)
        except Exception:  # the apology itself failing must not hide the original error
            logger.exception("update %s: could not tell the user about the error", update.update_id)

    return router
