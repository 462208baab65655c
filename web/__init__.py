"""The HTTP side: one aiohttp application (Telegram webhook, GET /healthz, later web-form
intake). Thin like handlers/: parse and validate, call models/, answer."""

from .app import build_web_app

__all__ = ["build_web_app"]
