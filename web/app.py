"""The one aiohttp application of the HTTP side."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from models.clock import Clock, utc_now
from models.db import create_read_session_factory, file_guard_of

from . import health
from .webhook import MAX_UPDATE_BYTES, WebhookHandler
from .webhook import setup as setup_webhook

WEBHOOK_KEY = web.AppKey("webhook", WebhookHandler)


def build_web_app(
    settings: Settings,
    engine: AsyncEngine,
    dispatcher: Dispatcher | None = None,
    bot: Bot | None = None,
    *,
    clock: Clock = utc_now,
) -> web.Application:
    """The webhook route exists when WEBHOOK_URL is set (and a dispatcher is given);
    GET /healthz always."""
    app = web.Application(client_max_size=MAX_UPDATE_BYTES)
    guard = file_guard_of(engine)
    health.setup(
        app,
        create_read_session_factory(engine),
        clock,
        writes_refused=lambda: bool(guard and guard.gone),
    )
    if settings.webhook_url and dispatcher is not None and bot is not None:
        assert settings.webhook_secret is not None  # the settings demand it
        handler = WebhookHandler(dispatcher, bot, settings.webhook_secret.get_secret_value())
        setup_webhook(app, handler, settings.webhook_path)
        app[WEBHOOK_KEY] = handler
    return app
