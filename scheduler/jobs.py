"""The scheduler's jobs: module-level async functions without arguments, registered under
stable ids. One periodic scan decides everything that is due (no job per deal: dates change
all the time, and a scan can never hold a stale job)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable

from bot.storage import EXPIRED_NOTICE_WINDOW
from models import update_log
from models.services import conversation_state

from . import (
    away,
    digests,
    early_reminders,
    followups,
    intake,
    nudges,
    pauses,
    reminders,
    summaries,
)
from .context import SchedulerContext, get_context

logger = logging.getLogger(__name__)

SCAN_JOB_ID = "dealbot.scan"
REMIND_JOB_ID = "dealbot.remind"
PRUNE_JOB_ID = "dealbot.prune"
LEASE_JOB_ID = "dealbot.lease"
# An escalation is sent once per overdue date while its key lives: keep keys a quarter.
SENT_LOG_DAYS = 90

Stage = Callable[[SchedulerContext, dt.datetime], Awaitable[int]]

# In order: the digest first (it is the day's plan), then timed reminders, follow-ups and
# escalations, then the leads' summaries.
STAGES: tuple[tuple[str, Stage], ...] = (
    # Paused deals whose day has come go back to work first: into today's digest.
    ("pauses", pauses.run_due),
    ("digests", digests.run_due),
    ("reminders", reminders.run_due),
    ("early_reminders", early_reminders.run_due),
    ("away", away.run_due),
    ("followups", followups.run_due),
    ("intake", intake.run_due),  # unclaimed web requests, the groups' won deals
    ("summaries", summaries.run_due),
    ("nudges", nudges.run_due),
)

# The production scan leaves timed reminders to their own job: a 09:00 wave of 10,000
# digests takes ~7 minutes at 25 messages/s, and a 09:05 reminder must not wait for it.
REMIND_STAGES = frozenset({"reminders", "early_reminders"})
SCAN_STAGES = tuple(stage for stage in STAGES if stage[0] not in REMIND_STAGES)

_scanning = False
_reminding = False
_stopping = False


async def scan() -> None:
    """Every minute (and once right at start, the catch-up after downtime)."""
    global _scanning
    if _stopping:
        return
    if _scanning:  # a long batch (thousands of digests at 25/s) may outlast a minute
        logger.info("scan skipped: the previous one is still running")
        return
    _scanning = True
    try:
        ctx = get_context()
        if not await leased(ctx):
            return
        await ctx.sender.recover(ctx.session_factory)  # once, before the first send
        now = ctx.clock()
        await scan_once(ctx, now, SCAN_STAGES)
        if ctx.lease is not None:
            ctx.lease.last_scan_at = now
    finally:
        _scanning = False


async def remind() -> None:
    """Every minute: timed reminders, beside a scan that may be busy with a big wave (both
    send through the one Sender, so Telegram's limits hold for the sum)."""
    global _reminding
    if _stopping or _reminding:
        return
    _reminding = True
    try:
        ctx = get_context()
        if not await leased(ctx):
            return
        await ctx.sender.recover(ctx.session_factory)
        now = ctx.clock()
        sent = await reminders.run_due(ctx, now)
        sent += await early_reminders.run_due(ctx, now)
        if sent:
            logger.info("timed reminders sent: %s", sent)
    except Exception:
        logger.exception("timed reminders failed")
    finally:
        _reminding = False


async def scan_once(
    ctx: SchedulerContext,
    now: dt.datetime,
    stages: tuple[tuple[str, Stage], ...] | None = None,
) -> dict[str, int]:
    """One pass at the instant ``now``; returns messages sent per stage. A failing stage is
    logged and the others still run. Safe to run concurrently with itself, in this process or
    another: the sent-log's unique keys decide who sends."""
    sent: dict[str, int] = {}
    for name, stage in STAGES if stages is None else stages:
        if _stopping or (ctx.lease is not None and not ctx.lease.held):
            break  # stopping, or the lease lapsed mid-scan: the new holder carries on
        try:
            sent[name] = await stage(ctx, now)
        except Exception:
            logger.exception("scheduler stage %s failed", name)
            sent[name] = 0
    if any(sent.values()):
        logger.info("scan at %s sent %s", now.isoformat(timespec="seconds"), sent)
    return sent


async def prune() -> None:
    """Nightly: forget sent-log rows older than ``SENT_LOG_DAYS`` and processed-update
    records older than ``update_log.KEEP_DAYS`` (Telegram redelivers for 24 hours only)."""
    ctx = get_context()
    if not await leased(ctx):
        return
    removed = await prune_sent_log(ctx, ctx.clock() - dt.timedelta(days=SENT_LOG_DAYS))
    if removed:
        logger.info("sent-log: %s old row(s) removed", removed)
    async with ctx.session_factory() as session, session.begin():
        # Prompts expired long enough ago that nobody is told "expired" about them any more.
        stale = await conversation_state.prune(session, ctx.clock() - EXPIRED_NOTICE_WINDOW)
    if stale:
        logger.info("conversation state: %s expired row(s) removed", stale)
    removed = await prune_update_log(ctx, ctx.clock() - dt.timedelta(days=update_log.KEEP_DAYS))
    if removed:
        logger.info("processed updates: %s old record(s) removed", removed)


async def prune_update_log(ctx: SchedulerContext, before: dt.datetime) -> int:
    total = 0
    while not _stopping:
        async with ctx.session_factory() as session, session.begin():
            removed = await update_log.prune_processed(session, before)
        total += removed
        if removed == 0:
            break
    return total


async def keep_lease() -> None:
    """Every third of the lease time: renew the lease, or (standing by) try to take it."""
    if _stopping:
        return
    lease = get_context().lease
    if lease is not None:
        await lease.renew()


async def leased(ctx: SchedulerContext) -> bool:
    """Whether this process may do scheduling work now (it holds the lease, or has none)."""
    return ctx.lease is None or await ctx.lease.holds()


async def prune_sent_log(ctx: SchedulerContext, before: dt.datetime) -> int:
    """In small transactions, so the bot's writes never wait long for the lock."""
    total = 0
    while not _stopping:
        async with ctx.session_factory() as session, session.begin():
            removed = await ctx.crm(session).reminders.prune_sent(before)
        total += removed
        if removed == 0:
            break
    return total


def stopping() -> bool:
    return _stopping


def request_stop(stop: bool = True) -> None:
    """Shutdown: the running scan finishes the messages in flight and starts nothing new."""
    global _stopping
    _stopping = stop


async def wait_idle(timeout: float) -> bool:
    """Wait for the running scan (if any) to end; False on timeout."""
    deadline = time.monotonic() + timeout
    while _scanning or _reminding:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True
