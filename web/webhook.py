"""POST <webhook path>: Telegram's updates in webhook mode.

Telegram redelivers an update until it gets a 2xx, so the answer is held back until the update
is safe: its writes and its processed-update record are committed (or, for an update that
writes nothing, its handling finished). A crash before that makes Telegram send it again, and
the processed-update record (bot/middlewares/db.py) makes it take effect once. The reply may
still be waiting for its send slot when Telegram gets its 200, as in polling mode."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from bot.update_ack import set_committed_hook

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1024 * 1024  # an update is a few KB; Telegram's own files come by file_id


class WebhookHandler:
    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret: str) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.secret = secret.encode()
        self.tasks: set[asyncio.Task[None]] = set()
        self.handled = 0

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            logger.warning("webhook: a request without the right secret from %s", request.remote)
            return web.json_response({"ok": False, "error": "unauthorized"}, status=401)
        try:
            raw = await request.json()
            update = Update.model_validate(raw, context={"bot": self.bot})
        except (ValueError, ValidationError):
            return web.json_response({"ok": False, "error": "not an update"}, status=400)
        safe = asyncio.Event()
        task = asyncio.create_task(self._handle(update, safe))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        await safe.wait()
        return web.json_response({"ok": True})

    async def _handle(self, update: Update, safe: asyncio.Event) -> None:
        set_committed_hook(safe.set)
        try:
            result: Any = await self.dispatcher.feed_update(self.bot, update)
            if isinstance(result, TelegramMethod):
                await self.bot(result)
        except Exception:
            logger.exception("update %s failed outside its handlers", update.update_id)
        finally:
            self.handled += 1
            safe.set()

    async def drain(self, timeout: float) -> None:
        """Shutdown: let the updates in flight finish (their replies included)."""
        if not self.tasks:
            return
        logger.info("Waiting for %s webhook request(s) in flight", len(self.tasks))
        _done, pending = await asyncio.wait(set(self.tasks), timeout=timeout)
        if pending:
            logger.warning("Shutdown: %s webhook request(s) did not finish in time", len(pending))
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)


def setup(app: web.Application, handler: WebhookHandler, path: str) -> None:
    app.router.add_post(path, handler.handle)
