"""The morning digest: each person at their own digest time (default 09:00), in their own
time zone, on their work days: today's and overdue deals, one line each, with buttons.

The same once-a-day machinery serves the afternoon follow-up (``scheduler.followups``):

* due = the local time has reached the person's time today, today is a work day, and the
  key ``<kind>:<user>:<local date>`` is not in the sent-log. So a scheduler that was down at
  09:00 and starts at 10:30 sends today's digest at start, and a past day is never looked at
  (its digest is stale and never sent);
* nothing due -> the key is recorded as a decision with no message (nothing is sent, and a
  deal dated today later in the day does not trigger a late digest);
* people are handled in batches of ``CHUNK``: two statements load the deals of a whole batch;
  a message is rendered when its turn to be sent comes;
* a stage stops starting new batches after ``STAGE_BUDGET_SECONDS`` (a safety valve: at 25
  messages/s a 09:00 wave of 10,000 digests takes ~7 minutes; timed reminders run in their own
  job meanwhile). The people not reached yet are still due (no key), so the next scan goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import AsyncGenerator, Callable
from typing import Any

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Tr
from bot.render.digest import own_titles, render_digest
from bot.render.staleness import with_stale_block
from bot.sender import Outgoing, SendFn, SendResult, text_message
from models.services.outcomes import Outcomes
from models.services.reminder_items import Daily, DueList, daily_key
from models.services.staleness import StaleList, stale_for_digest

from .context import SchedulerContext

logger = logging.getLogger(__name__)

CHUNK = 100  # people planned per batch (~4 s of sending at 25 messages/s)
STAGE_BUDGET_SECONDS = 15 * 60.0  # a safety valve; timed reminders have their own job

Render = Callable[[DueList, Tr], tuple[str, InlineKeyboardMarkup | None]]


async def due_batches(
    ctx: SchedulerContext,
    now: dt.datetime,
    kind: Daily,
    render: Render,
    *,
    overdue_only: bool = False,
) -> AsyncGenerator[list[Outgoing], None]:
    """Plan the ``kind`` messages due at ``now``, batch by batch (decisions with nothing to
    send are recorded on the way). Separate from sending so a benchmark can time it."""
    async with ctx.reader() as session:
        people = await ctx.crm(session).reminders.daily_due(kind, now)
    for start in range(0, len(people), CHUNK):
        part = people[start : start + CHUNK]
        async with ctx.session_factory() as session, session.begin():
            reminders = ctx.crm(session).reminders
            lists = await reminders.due_lists(part, overdue_only=overdue_only)
            stale = await stale_for_digest(ctx.crm(session), kind, part, lists)
            days = {p.id: slot.day for p, slot in part}
            await Outcomes(ctx.crm(session)).decorate(
                lists, list(days), days, add_no_next=not overdue_only
            )
            await reminders.mark_decided(
                [(daily_key(kind, p.id, slot.day), p.id) for p, slot in part if p.id not in lists]
            )
        yield [
            Outgoing(
                key=daily_key(kind, person.id, slot.day),
                user_id=person.id,
                chat_id=person.telegram_id,
                send=_rendered(
                    person.telegram_id,
                    own_titles(due, (person.email, person.full_name)),
                    render,
                    ctx.translator.for_locale(person.language),
                    stale.get(person.id),
                ),
            )
            for person, slot in part
            if (due := lists.get(person.id)) is not None
        ]


def _rendered(
    chat_id: int, due: DueList, render: Render, tr: Tr, stale: StaleList | None = None
) -> SendFn:
    """Render when the message's turn comes, not for the whole batch up front."""

    async def send(bot: Bot) -> Any:
        text, markup = render(due, tr)
        if stale is not None:
            text, markup = with_stale_block(text, markup, stale, tr)
        return await text_message(chat_id, text, markup)(bot)

    return send


async def run_daily(
    ctx: SchedulerContext,
    now: dt.datetime,
    kind: Daily,
    render: Render,
    *,
    overdue_only: bool = False,
) -> int:
    sent = 0
    started = time.monotonic()
    batches = due_batches(ctx, now, kind, render, overdue_only=overdue_only)
    async for batch in batches:
        if batch:
            results = await ctx.sender.deliver(batch, ctx.session_factory)
            sent += results[SendResult.sent]
        if time.monotonic() - started > STAGE_BUDGET_SECONDS:
            logger.info("%s: time budget spent; the next scan goes on", kind.value)
            break
        if ctx.sender.stopping:
            break
    await batches.aclose()
    return sent


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    return await run_daily(ctx, now, Daily.digest, render_digest)
