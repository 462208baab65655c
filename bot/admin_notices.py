"""Tells the admins about the bot's own trouble (a second poller, the database file gone),
each kind once per process: a warning that repeats on every update would bury the chat."""

from __future__ import annotations

import logging

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Translator
from models.crm import Crm
from models.db import create_read_session_factory

logger = logging.getLogger(__name__)


class AdminNotices:
    def __init__(
        self,
        translator: Translator,
        session_factory: async_sessionmaker[AsyncSession],
        admin_ids: frozenset[int],
    ) -> None:
        self.translator = translator
        # A reader: it must work when writes are refused (the database file gone).
        self.session_factory = create_read_session_factory(session_factory.kw["bind"])
        self.admin_ids = admin_ids
        self.told: set[str] = set()

    async def tell(self, bot: Bot, key: str) -> int:
        """Send the text ``key`` to every admin, the first time only; returns how many got it."""
        if key in self.told:
            return 0
        self.told.add(key)
        sent = 0
        for chat_id, language in await self._recipients():
            try:
                await bot.send_message(chat_id, self.translator.for_locale(language)(key))
                sent += 1
            except Exception as exc:
                logger.warning("could not tell admin chat %s about %s: %s", chat_id, key, exc)
        return sent

    async def _recipients(self) -> list[tuple[int, str]]:
        """Active admins from the database; the ADMIN_IDS setting when it cannot be read."""
        try:
            async with self.session_factory() as session:
                admins = await Crm(session).accounts.active_admins()
                return [(a.telegram_id, a.language) for a in admins]
        except Exception as exc:
            logger.warning("admins not readable from the database (%s); using ADMIN_IDS", exc)
            default = self.translator.default_language
            return [(telegram_id, default) for telegram_id in sorted(self.admin_ids)]
