"""One session per update, and its writes committed BEFORE the bot says anything.

The update's work is committed when it ends, and also just before each Bot API call the
handler makes: SQLite has one writer, and a transaction must not hold the write lock across a
network round trip to Telegram (with 50 ms to Telegram, holding it cut throughput from ~85 to
~12 updates/s). It is also the honest order: "saved" is only said once it is saved. Handlers
keep their writes before their first message, so an update's change is still atomic; reads
after a call start a new transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.clock import Clock
from models.crm import Crm, CrmConfig
from models.db import WROTE

# The session of the update being handled in this task (None outside updates).
_update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)
SAVED = "dealbot_saved"  # session.info: some writes of this update are committed


async def commit_update(session: AsyncSession) -> None:
    if session.in_transaction():
        await session.commit()
        if session.info.pop(WROTE, False):
            session.info[SAVED] = True


class CommitBeforeSend(BaseRequestMiddleware):
    """A Bot API request middleware: commit the current update's transaction first."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        session = _update_session.get()
        if session is not None:
            await commit_update(session)
        return await make_request(bot, method)


def install_commit_before_send(bot: Bot) -> None:
    """Idempotent; done by the middleware on the first update, so every Bot (production,
    tests, benchmarks) behaves the same without remembering to set it up."""
    if not getattr(bot.session, "_dealbot_commit_before_send", False):
        bot.session.middleware(CommitBeforeSend())
        bot.session._dealbot_commit_before_send = True  # type: ignore[attr-defined]


class DbSessionMiddleware(BaseMiddleware):
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], config: CrmConfig, clock: Clock
    ) -> None:
        self.session_factory = session_factory
        self.config = config
        self.clock = clock

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event_: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        install_commit_before_send(data["bot"])
        async with self.session_factory() as session:
            data["crm"] = Crm(session, self.config, self.clock)
            token = _update_session.set(session)
            try:
                result = await handler(event_, data)
                await commit_update(session)
                return result
            except BaseException:
                await session.rollback()
                # The error handler tells the user whether part of the change was saved.
                data["saved_before_error"] = bool(session.info.get(SAVED))
                raise
            finally:
                _update_session.reset(token)
