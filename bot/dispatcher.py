"""The dispatcher factory: ``python -m bot`` and the tests build the bot through this one
function, so tests exercise exactly what production runs."""

from __future__ import annotations

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.admin_notices import AdminNotices
from bot.chat_scope import ChatScopeMiddleware
from bot.errors import build_error_router
from bot.gates import install_gates
from bot.i18n import Translator
from bot.middlewares import (
    AuthMiddleware,
    DbSessionMiddleware,
    InFlightMiddleware,
)
from bot.middlewares.update_id import UpdateIdMiddleware
from bot.settings import Settings
from bot.storage import DatabaseStorage
from handlers import get_routers
from models.clock import Clock, utc_now
from models.crm import CrmConfig


def build_dispatcher(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    clock: Clock = utc_now,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    """``storage``: the conversation state; None is the database with the process cache
    (right for the one process that polls; see DatabaseStorage). ``events_isolation``: one
    update at a time per user, taken BEFORE aiogram reads the state (a double tap cannot run
    two changes side by side, and each update sees the state its predecessor left); None is
    a lock in this process (RedisEventIsolation when several processes share the state)."""
    translator = Translator(settings.default_language)
    if storage is None:
        storage = DatabaseStorage(
            session_factory.kw["bind"], ttl=settings.state_ttl, clock=clock, cache=True
        )
    dp = Dispatcher(
        storage=storage,
        events_isolation=events_isolation or SimpleEventIsolation(),
        settings=settings,
        translator=translator,
        clock=clock,
    )
    config = CrmConfig(
        timezone=settings.default_timezone,
        language=settings.default_language,
        overdue_escalation_days=settings.overdue_escalation_days,
    )
    dp["admin_notices"] = AdminNotices(translator, session_factory, settings.admin_ids)
    inflight = InFlightMiddleware()
    dp["inflight"] = inflight  # shutdown waits on it (see bot.app)
    # Before aiogram's FSM middleware (its per-user lock): an update waiting for the lock is
    # in flight too, and shutdown waits for it.
    dp.update.outer_middleware.unregister(dp.fsm)
    dp.update.outer_middleware(UpdateIdMiddleware())  # log lines name the update
    dp.update.outer_middleware(inflight)
    dp.update.outer_middleware(dp.fsm)
    # Groups get no personal data; refused before the database is touched (bot/chat_scope.py).
    dp.update.outer_middleware(ChatScopeMiddleware(translator))
    dp.update.outer_middleware(DbSessionMiddleware(session_factory, config, clock))
    dp.update.outer_middleware(AuthMiddleware(translator))
    dp.include_router(build_error_router(translator))
    routers = get_routers()
    install_gates(routers)
    dp.include_routers(*routers)
    return dp
