"""``python -m bot scheduler``: the scheduler alone, for installations with several bot
processes (those run ``python -m bot --no-scheduler``). No polling here: the ``Bot`` only
sends. A second scheduler process stands by: the lease in the database (scheduler/lease.py)
lets exactly one work, and the sent-log's unique keys would still keep a message from going
twice."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from bot.app import create_bot, prepare_database
from bot.settings import Settings
from models.db import create_engine

from .setup import start_scheduler, stop_scheduler

logger = logging.getLogger(__name__)


async def run_scheduler_only(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    bot = create_bot(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await prepare_database(engine)
        scheduler = start_scheduler(settings, engine, bot)
        await stop.wait()
        await stop_scheduler(scheduler)
    finally:
        await bot.session.close()
        await engine.dispose()
    logger.info("Scheduler stopped")
    return 0
