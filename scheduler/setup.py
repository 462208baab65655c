"""Builds and starts the AsyncIOScheduler (UTC inside) with every job under a stable id."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Translator
from bot.outbound import OutboundBudget, budget_from, budget_of, install_outbound
from bot.sender import IN_FLIGHT_GRACE_SECONDS, Sender
from bot.settings import Settings
from models.clock import Clock, utc_now
from models.db import create_read_session_factory, create_session_factory

from . import jobs
from .context import SchedulerContext, get_context, set_context
from .lease import SchedulerLeaseKeeper

logger = logging.getLogger(__name__)

# A scan that could not start on time (event loop busy, laptop asleep) still runs if it is at
# most this late; older runs are coalesced into one. The next scan catches up anyway.
MISFIRE_GRACE_SECONDS = 50
SHUTDOWN_GRACE_SECONDS = 15.0


def shared_budget(bot: Bot, settings: Settings) -> OutboundBudget:
    """The budget installed on ``bot`` (``create_bot`` does it), or a new one installed."""
    return budget_of(bot) or install_outbound(bot, budget_from(settings))


def build_context(
    settings: Settings, engine: AsyncEngine, bot: Bot, clock: Clock = utc_now
) -> SchedulerContext:
    translator = Translator(settings.default_language)
    session_factory = create_session_factory(engine)
    return SchedulerContext(
        session_factory=session_factory,
        read_factory=create_read_session_factory(engine),
        # The bot's own outbound budget: the replies' budget, so replies go first.
        sender=Sender(bot, budget=shared_budget(bot, settings), translator=translator, clock=clock),
        translator=translator,
        settings=settings,
        clock=clock,
        # The lease runs on the real clock whatever clock the CRM is given (like APScheduler).
        lease=SchedulerLeaseKeeper(
            session_factory, ttl=dt.timedelta(seconds=settings.scheduler_lease_seconds)
        ),
    )


def start_scheduler(
    settings: Settings, engine: AsyncEngine, bot: Bot, clock: Clock = utc_now
) -> AsyncIOScheduler:
    """Start the scan every minute on the minute, and once right now (catch-up after a
    downtime). Call from inside the running event loop; ``shutdown()`` it on exit. The jobs
    work only while this process holds the scheduler lease (scheduler/lease.py)."""
    ctx = build_context(settings, engine, bot, clock)
    set_context(ctx)
    scheduler = AsyncIOScheduler(timezone=dt.UTC)
    assert ctx.lease is not None
    scheduler.add_job(
        jobs.keep_lease,
        IntervalTrigger(seconds=ctx.lease.renew_every.total_seconds(), timezone=dt.UTC),
        id=jobs.LEASE_JOB_ID,
        name="take or renew the scheduler lease",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        next_run_time=dt.datetime.now(dt.UTC),
    )
    scheduler.add_job(
        jobs.scan,
        CronTrigger(second=0, timezone=dt.UTC),
        id=jobs.SCAN_JOB_ID,
        name="scan due reminders, digests and summaries",
        replace_existing=True,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        coalesce=True,
        max_instances=1,
        # APScheduler runs on the real clock, whatever clock the CRM is given.
        next_run_time=dt.datetime.now(dt.UTC),
    )
    scheduler.add_job(
        jobs.remind,
        CronTrigger(second=0, timezone=dt.UTC),
        id=jobs.REMIND_JOB_ID,
        name="timed reminders",
        replace_existing=True,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        coalesce=True,
        max_instances=1,
        next_run_time=dt.datetime.now(dt.UTC),
    )
    scheduler.add_job(
        jobs.prune,
        CronTrigger(hour=3, minute=17, timezone=dt.UTC),
        id=jobs.PRUNE_JOB_ID,
        name="prune the sent-log",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    jobs.request_stop(False)
    scheduler.start()
    logger.info("Scheduler started with %s job(s)", len(scheduler.get_jobs()))
    return scheduler


async def stop_scheduler(
    scheduler: AsyncIOScheduler, timeout: float = SHUTDOWN_GRACE_SECONDS
) -> None:
    """Stop gracefully: no new scans; the running one sends the messages already in flight
    (each recorded in the sent-log), and those waiting for a send slot or out a 429 stop
    waiting unclaimed (the next process sends them); then shut APScheduler down (it cancels
    whatever is still running; a cancelled request in flight still finishes, see
    ``bot.sender``)."""
    jobs.request_stop()
    ctx: SchedulerContext | None = None
    with contextlib.suppress(RuntimeError):  # no context: nothing was running
        ctx = get_context()
        ctx.sender.stopping = True
    if scheduler.running:
        scheduler.pause()
    if not await jobs.wait_idle(timeout):
        logger.warning("Scheduler: the running scan did not finish in %s s", timeout)
    if ctx is not None and ctx.lease is not None:
        await ctx.lease.release()  # a standby process takes over at once
    if scheduler.running:
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        # The cancelled senders record what their last requests did before the bot closes.
        await jobs.wait_idle(IN_FLIGHT_GRACE_SECONDS)
    set_context(None)
    jobs.request_stop(False)
