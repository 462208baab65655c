"""The one aiohttp application of the HTTP side."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Dispatcher
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from models.clock import Clock, utc_now
from models.db import create_read_session_factory, create_session_factory, file_guard_of

from . import health, intake
from .webhook import MAX_UPDATE_BYTES, WebhookHandler
from .webhook import setup as setup_webhook

WEBHOOK_KEY = web.AppKey("webhook", WebhookHandler)
INTAKE_KEY = web.AppKey("intake", intake.IntakeEndpoint)


def build_web_app(
    settings: Settings,
    engine: AsyncEngine,
    dispatcher: Dispatcher | None = None,
    bot: Bot | None = None,
    *,
    clock: Clock = utc_now,
) -> web.Application:
    """The webhook route exists when WEBHOOK_URL is set (and a dispatcher is given);
    GET /healthz and POST /intake/<token> always (the intake's messages need ``bot``)."""
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
    endpoint = build_intake(settings, engine, bot, clock)
    intake.setup(app, endpoint)
    app[INTAKE_KEY] = endpoint
    return app


def build_intake(
    settings: Settings, engine: AsyncEngine, bot: Bot | None, clock: Clock
) -> intake.IntakeEndpoint:
    session_factory = create_session_factory(engine)
    delivery = None
    if bot is not None:
        from bot.i18n import Translator
        from bot.intake_delivery import IntakeDelivery
        from bot.outbound import budget_of
        from bot.sender import Sender

        translator = Translator(settings.default_language)
        # The bot's one outbound budget: these messages yield to replies like reminders do.
        sender = Sender(bot, budget=budget_of(bot), translator=translator, clock=clock)
        delivery = IntakeDelivery(
            sender,
            session_factory,
            translator,
            read_factory=create_read_session_factory(engine),
            default_language=settings.default_language,
            clock=clock,
        )
    return intake.IntakeEndpoint(
        session_factory,
        clock,
        per_token=settings.intake_rate_per_token,
        per_address=settings.intake_rate_per_address,
        trust_forwarded=settings.intake_trust_forwarded,
        delivery=delivery,
        redis=_redis(settings),
    )


def _redis(settings: Settings) -> Any:
    """The rate limits' Redis client when REDIS_URL is set (several workers share them)."""
    if not settings.redis_url:
        return None
    try:
        from redis.asyncio import Redis
    except ImportError:  # the optional extra; the limits then count in this process
        return None
    return Redis.from_url(settings.redis_url)
