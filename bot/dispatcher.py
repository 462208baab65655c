"""The dispatcher factory: ``python -m bot`` and the tests build the bot through this one
function, so tests exercise exactly what production runs."""

from __future__ import annotations

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import build_error_router
from bot.gates import install_gates
from bot.i18n import Translator
from bot.middlewares import (
    AuthMiddleware,
    DbSessionMiddleware,
    InFlightMiddleware,
    PerUserSerializeMiddleware,
)
from bot.middlewares.update_id import UpdateIdMiddleware
from bot.settings import Settings
from handlers import get_routers
from models.clock import Clock, utc_now
from models.crm import CrmConfig


def build_dispatcher(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    clock: Clock = utc_now,
    storage: BaseStorage | None = None,
) -> Dispatcher:
    translator = Translator(settings.default_language)
    dp = Dispatcher(storage=storage, settings=settings, translator=translator, clock=clock)
    config = CrmConfig(
        timezone=settings.default_timezone,
        language=settings.default_language,
        overdue_escalation_days=settings.overdue_escalation_days,
    )
    inflight = InFlightMiddleware()
    dp["inflight"] = inflight  # shutdown waits on it (see bot.app)
    dp.update.outer_middleware(UpdateIdMiddleware())  # log lines name the update
    dp.update.outer_middleware(inflight)
    dp.update.outer_middleware(PerUserSerializeMiddleware())
    dp.update.outer_middleware(DbSessionMiddleware(session_factory, config, clock))
    dp.update.outer_middleware(AuthMiddleware(translator))
    dp.include_router(build_error_router(translator))
    routers = get_routers()
    install_gates(routers)
    dp.include_routers(*routers)
    return dp
