"""What polling and webhook mode share around their work: SIGINT/SIGTERM setting a stop event,
and the dispatcher's start-up and shutdown hooks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator

from aiogram import Bot, Dispatcher

logger = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def stop_on_signals() -> AsyncIterator[asyncio.Event]:
    """An event set by SIGINT or SIGTERM while the block runs."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def received(sig: signal.Signals) -> None:
        logger.info("Received %s: finishing the updates in flight", sig.name)
        stop.set()

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, received, sig)
            installed.append(sig)
    try:
        yield stop
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


@contextlib.asynccontextmanager
async def dispatcher_hooks(dispatcher: Dispatcher, bot: Bot) -> AsyncIterator[None]:
    """``emit_startup`` before the block, ``emit_shutdown`` after it, with the data aiogram's
    own runners pass."""
    workflow = {"dispatcher": dispatcher, "bots": [bot], **dispatcher.workflow_data}
    workflow.pop("bot", None)
    await dispatcher.emit_startup(bot=bot, **workflow)
    try:
        yield
    finally:
        await dispatcher.emit_shutdown(bot=bot, **workflow)
