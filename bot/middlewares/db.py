"""One session per update, and its writes committed BEFORE the bot says anything.

The update's work is committed when it ends, and also just before each Bot API call the
handler makes: SQLite has one writer, and a transaction must not hold the write lock across a
network round trip to Telegram (with 50 ms to Telegram, holding it cut throughput from ~85 to
~12 updates/s). It is also the honest order: "saved" is only said once it is saved. Handlers
keep their writes before their first message, so an update's change is still atomic; reads
after a call start a new transaction.

Exactly once: the first commit of an update that wrote anything also inserts its
processed-update record (models/update_log.py) in the same transaction. If the record exists,
the same update was handled before (Telegram redelivered it after a crash, or a second process
got it): everything is rolled back and the update ends silently, so nothing is applied twice."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, NoReturn

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject, Update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.update_ack import update_committed
from models.clock import Clock
from models.crm import Crm, CrmConfig
from models.db import WROTE
from models.update_log import already_processed, record_processed

logger = logging.getLogger(__name__)

# The session of the update being handled in this task (None outside updates).
_update_session: ContextVar[AsyncSession | None] = ContextVar("update_session", default=None)
SAVED = "dealbot_saved"  # session.info: some writes of this update are committed
GUARD = "dealbot_update_guard"  # session.info: (bot id, update id, clock) of the update
RECORDED = "dealbot_update_recorded"  # session.info: its processed-update record is written


class DuplicateUpdate(Exception):
    """This update was handled (and committed) before: its transaction was rolled back."""


async def commit_update(session: AsyncSession) -> None:
    if not session.in_transaction():
        return
    # (bot id, update id, clock) when this commit must also write the processed-update record
    guard: tuple[int, int, Clock] | None = None
    if session.info.get(WROTE, False) and not session.info.get(RECORDED):
        guard = session.info.get(GUARD)
    first_record = guard is not None
    if guard is not None:
        bot_id, update_id, clock = guard
        if not await record_processed(session, bot_id, update_id, clock()):
            await _duplicate(session, update_id)
        session.info[RECORDED] = True
    try:
        await session.commit()
    except DBAPIError as error:
        if guard is None or not already_processed(error):
            raise
        session.info.pop(RECORDED, None)
        await _duplicate(session, guard[1])
    if session.info.pop(WROTE, False):
        session.info[SAVED] = True
    if first_record:
        update_committed()


async def _duplicate(session: AsyncSession, update_id: int) -> NoReturn:
    await session.rollback()
    session.info.pop(WROTE, None)
    raise DuplicateUpdate(update_id)


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


# The Bot API sessions that have CommitBeforeSend already (a Bot may share its session).
_COMMITTING_SESSIONS: weakref.WeakSet[BaseSession] = weakref.WeakSet()


def install_commit_before_send(bot: Bot) -> None:
    """Idempotent; done by the middleware on the first update, so every Bot (production,
    tests, benchmarks) behaves the same without remembering to set it up."""
    if bot.session not in _COMMITTING_SESSIONS:
        bot.session.middleware(CommitBeforeSend())
        _COMMITTING_SESSIONS.add(bot.session)


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
        bot: Bot = data["bot"]
        install_commit_before_send(bot)
        async with self.session_factory() as session:
            if isinstance(event_, Update):
                session.info[GUARD] = (bot.id, event_.update_id, self.clock)
            data["crm"] = Crm(session, self.config, self.clock)
            token = _update_session.set(session)
            try:
                result = await handler(event_, data)
                await commit_update(session)
                return result
            except DuplicateUpdate as exc:
                # Handled before: rolled back already; say nothing (the first run replied).
                logger.info("update %s was handled before; skipped", exc.args[0])
                return None
            except BaseException:
                await session.rollback()
                # The error handler tells the user whether part of the change was saved.
                data["saved_before_error"] = bool(session.info.get(SAVED))
                raise
            finally:
                _update_session.reset(token)
