"""Start-up and shutdown of the bot process: settings, database, Telegram, polling."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramServerError, TelegramUnauthorizedError
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.commands import publish_commands
from bot.dispatcher import build_dispatcher
from bot.isolation import OrderedEventIsolation
from bot.lifecycle import dispatcher_hooks, stop_on_signals
from bot.outbound import budget_from, install_outbound
from bot.polling import run_polling
from bot.settings import Settings, SettingsError
from bot.storage import DatabaseStorage, create_redis_storage
from models import migrate
from models.crm import Crm
from models.db import create_engine, create_session_factory
from models.seed import seed_defaults
from web.webhook import WebhookHandler

logger = logging.getLogger(__name__)

T = TypeVar("T")

SHUTDOWN_GRACE_SECONDS = 20
RETRY_DELAYS = (1, 2, 5, 10, 30, 60)


def create_storage(
    settings: Settings, engine: AsyncEngine
) -> tuple[BaseStorage, BaseEventIsolation]:
    """Conversation state and the per-user lock: in Redis when REDIS_URL is set (several
    bot processes share them), else the state in the database, cached in this process (the
    one that polls) and the lock in memory."""
    if not settings.redis_url:
        # A webhook process may be one of several workers: no process cache then (another
        # worker may have changed the state). Several workers also need Redis for the lock.
        storage = DatabaseStorage(engine, ttl=settings.state_ttl, cache=not settings.webhook_url)
        if settings.webhook_url:
            logger.info(
                "Webhook mode without REDIS_URL: run ONE worker process (the per-user lock "
                "lives in memory); set REDIS_URL for several"
            )
        return storage, SimpleEventIsolation()
    try:
        from aiogram.fsm.storage.redis import RedisEventIsolation
    except ImportError:  # the redis client is an optional extra
        raise SettingsError(
            "setting REDIS_URL is set but the redis client is missing: pip install -e '.[scale]'"
        ) from None
    redis_storage = create_redis_storage(settings.redis_url, settings.state_ttl)
    return redis_storage, OrderedEventIsolation(RedisEventIsolation(redis=redis_storage.redis))


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
    """Bring the schema to the newest migration and make sure the default lists exist. A
    database that cannot be opened at all ends start-up with one line naming DATABASE_URL."""
    await check_database_reachable(engine)
    await migrate.upgrade(engine)
    async with create_session_factory(engine)() as session, session.begin():
        await seed_defaults(session)


async def check_database_reachable(engine: AsyncEngine) -> None:
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, SQLAlchemyError) as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise SettingsError(
            f"setting DATABASE_URL: cannot open the database {where}: {reason}"
        ) from None


async def warn_without_admins(engine: AsyncEngine, settings: Settings) -> None:
    if settings.admin_ids:
        return
    async with create_session_factory(engine)() as session:
        admins = await Crm(session).accounts.active_admins()
    if not admins:
        logger.warning(
            "ADMIN_IDS is empty and the database has no admin: nobody can register. Put your "
            "Telegram id into ADMIN_IDS (the bot's 'no access' answer shows it) and restart."
        )


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
        await warn_without_admins(engine, settings)
        bot = create_bot(settings)
        storage, isolation = create_storage(settings, engine)
        dispatcher = build_dispatcher(
            settings, create_session_factory(engine), storage=storage, events_isolation=isolation
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
                await serve_updates(settings, engine, dispatcher, bot)
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


def settle_heap() -> None:
    """Once start-up is done: what it built (aiogram's and pydantic's models, SQLAlchemy's
    mappers, the app) is moved out of the garbage collector's sight (``gc.freeze``). Without
    it a full collection walks all of it now and then: 360 ms at once in the intake
    benchmark on a loaded 2-core host, its p99."""
    gc.collect()
    gc.freeze()


async def serve_updates(
    settings: Settings, engine: AsyncEngine, dispatcher: Dispatcher, bot: Bot
) -> None:
    """Webhook mode when WEBHOOK_URL is set, else long polling; the HTTP side (health check,
    intake) runs in both when it has a port."""
    from web import build_web_app
    from web.app import WEBHOOK_KEY

    app = build_web_app(settings, engine, dispatcher, bot)
    runner = None
    port = settings.listen_port
    if port is not None:
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        # reuse_port: several webhook workers may listen on one port behind the proxy.
        site = web.TCPSite(runner, settings.web_host, port, reuse_port=bool(settings.webhook_url))
        await site.start()
        logger.info("HTTP side listening on %s:%s", settings.web_host, port)
    settle_heap()
    try:
        if settings.webhook_url:
            await _run_webhook(settings, dispatcher, bot, app[WEBHOOK_KEY])
        else:
            await bot.delete_webhook(drop_pending_updates=False)  # getUpdates needs none
            notices = dispatcher["admin_notices"]
            await run_polling(
                dispatcher,
                bot,
                on_conflict=lambda: notices.tell(bot, "ops.second_poller"),
                shutdown_grace=SHUTDOWN_GRACE_SECONDS,
            )
    finally:
        if runner is not None:
            await runner.cleanup()


async def _run_webhook(
    settings: Settings, dispatcher: Dispatcher, bot: Bot, handler: WebhookHandler
) -> None:
    assert settings.webhook_url and settings.webhook_secret
    await bot.set_webhook(
        settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=dispatcher.resolve_used_update_types(),
        drop_pending_updates=False,
    )
    logger.info("Webhook mode: Telegram posts updates to %s", settings.webhook_path)
    async with stop_on_signals() as stop, dispatcher_hooks(dispatcher, bot):
        await stop.wait()
        await handler.drain(SHUTDOWN_GRACE_SECONDS)


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
