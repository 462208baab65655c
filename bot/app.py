"""Start-up and shutdown of the bot process: settings, database, Telegram, polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramServerError, TelegramUnauthorizedError
from aiogram.fsm.storage.base import BaseStorage
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.commands import publish_commands
from bot.dispatcher import build_dispatcher
from bot.outbound import budget_from, install_outbound
from bot.settings import Settings, SettingsError
from models import migrate
from models.db import create_engine, create_session_factory
from models.seed import seed_defaults

logger = logging.getLogger(__name__)

T = TypeVar("T")

SHUTDOWN_GRACE_SECONDS = 20
RETRY_DELAYS = (1, 2, 5, 10, 30, 60)


def create_storage(settings: Settings) -> BaseStorage | None:
    """Conversation state in Redis when several bot processes share the work, else memory."""
    if not settings.redis_url:
        return None
    try:
        from aiogram.fsm.storage.redis import RedisStorage
    except ImportError:  # the redis client is an optional extra
        raise SettingsError(
            "setting REDIS_URL is set but the redis client is missing: pip install -e '.[scale]'"
        ) from None
    return RedisStorage.from_url(settings.redis_url)


def create_bot(settings: Settings) -> Bot:
    session = None
    if settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    bot = Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    # The one outbound budget of this process: replies and the scheduler's Sender share it.
    install_outbound(bot, budget_from(settings))
    return bot


async def prepare_database(engine: AsyncEngine) -> None:
    """Bring the schema to the newest migration and make sure the default lists exist."""
    await migrate.upgrade(engine)
    async with create_session_factory(engine)() as session, session.begin():
        await seed_defaults(session)


async def wait_for_telegram(bot: Bot, api_base: str) -> bool:
    """Retry ``getMe`` until Telegram answers. False when the token itself is refused."""
    attempt = 0
    while True:
        try:
            me = await bot.get_me()
        except TelegramUnauthorizedError:
            logger.critical("Telegram refused BOT_TOKEN (401 Unauthorized); check the token")
            return False
        except (TelegramNetworkError, TelegramServerError, OSError) as exc:
            delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
            logger.warning(
                "Cannot reach the Telegram Bot API at %s (%s); retrying in %s s (Ctrl-C to stop)",
                api_base,
                exc,
                delay,
            )
            attempt += 1
            await asyncio.sleep(delay)
            continue
        logger.info("Connected to Telegram as @%s (id %s)", me.username, me.id)
        return True


async def _drain(dispatcher: Dispatcher) -> None:
    inflight = dispatcher["inflight"]
    if inflight.count:
        logger.info("Waiting for %s update(s) in flight", inflight.count)
    if not await inflight.wait_idle(SHUTDOWN_GRACE_SECONDS):
        logger.warning("Shutdown: %s update(s) did not finish in time", inflight.count)


async def run_bot(settings: Settings, *, with_scheduler: bool = True) -> int:
    engine = create_engine(settings.database_url)
    try:
        await prepare_database(engine)
        bot = create_bot(settings)
        dispatcher = build_dispatcher(
            settings, create_session_factory(engine), storage=create_storage(settings)
        )
        dispatcher.shutdown.register(_drain)
        api_base = settings.telegram_api_url or PRODUCTION.base.split("/bot")[0]
        try:
            if not await _until_signal(wait_for_telegram(bot, api_base)):
                return 1
            await publish_commands(bot, dispatcher["translator"])
            scheduler = None
            if with_scheduler:
                from scheduler import start_scheduler

                scheduler = start_scheduler(settings, engine, bot)
            try:
                await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=False)
            finally:
                if scheduler is not None:
                    from scheduler import stop_scheduler

                    await stop_scheduler(scheduler)
        except _Stopped:
            logger.info("Stopped before Telegram answered")
        finally:
            await bot.session.close()
    finally:
        await engine.dispose()
    logger.info("Bye")
    return 0


class _Stopped(Exception):
    pass


async def _until_signal(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` but end it on SIGINT/SIGTERM (polling installs its own handlers later)."""
    task = asyncio.ensure_future(coro)
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, task.cancel)
            installed.append(sig)
    try:
        return await task
    except asyncio.CancelledError:
        raise _Stopped from None
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def run_migrations(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await prepare_database(engine)
    finally:
        await engine.dispose()
    logger.info("Database is at the newest schema")
    return 0


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
