"""The lead's daily team summary, sent by the periodic scan (``scheduler.jobs.scan``).

A lead gets it once per local work day, at their ``summary_time`` or, if the bot was down
then, as soon as it is back on the same local day; never for a day that has passed. The
sent-log key ``summary:<lead id>:<local date>`` makes it go out at most once, across restarts
and several scheduler runs. A quiet day (no activity, nothing overdue) sends nothing: its key
is recorded as a decision, so later scans that day skip the lead cheaply."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from bot.i18n import Tr
from bot.render.calendar_lines import pause_line, team_no_next_line
from bot.render.chart_worker import render_png
from bot.render.summary import render_summary, split_summary, split_text
from bot.sender import SendResult, photo_message, text_message
from models.services.outcomes import Outcomes
from models.services.pauses import Pauses
from models.services.reports import TeamSummary, summary_key
from models.users import User

from .context import SchedulerContext
from .rhythm_summary import rhythm_blocks

logger = logging.getLogger(__name__)

CHUNK = 50  # leads whose summaries are built (and charts kept in memory) per batch


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    """Send every summary that is due at ``now``; returns how many went out."""
    async with ctx.reader() as session:
        due = await ctx.crm(session).reports.leads_due_for_summary(now)
    gate = asyncio.Semaphore(ctx.sender.max_concurrency)

    async def one(lead: User, summary: TeamSummary) -> bool:
        async with gate:
            try:
                return await send_summary(ctx, lead, summary)
            except Exception:  # one lead's failure must not stop the others' summaries
                logger.exception("summary for lead %s of %s failed", lead.id, summary.day)
                return False

    sent = 0
    for start in range(0, len(due), CHUNK):
        ready = await build_summaries(ctx, due[start : start + CHUNK])
        results = await asyncio.gather(*(one(lead, summary) for lead, summary in ready))
        sent += sum(results)
    return sent


async def build_summaries(
    ctx: SchedulerContext, due: list[tuple[User, dt.date]]
) -> list[tuple[User, TeamSummary]]:
    """The summaries with something to say; quiet days are recorded as decided."""
    ready: list[tuple[User, TeamSummary]] = []
    quiet: list[tuple[str, int]] = []
    for lead, day in due:
        # A reader: building a report takes no write lock the bot's updates would wait for.
        async with ctx.reader() as session, session.begin():
            summary = await ctx.crm(session).reports.daily_summary(lead, day)
        if summary is None:
            quiet.append((summary_key(lead.id, day), lead.id))
        else:
            ready.append((lead, summary))
    if quiet:
        async with ctx.session_factory() as session, session.begin():
            await ctx.crm(session).reminders.mark_decided(quiet)
    return ready


async def send_summary(ctx: SchedulerContext, lead: User, summary: TeamSummary) -> bool:
    """The plan chart with the text as its caption (or the title, the text following in
    messages when it is longer than a caption may be); a team without plans gets the text
    alone, with a line saying why there is no chart. True when it went out now."""
    tr = ctx.translator.for_locale(lead.language)
    text, panels = render_summary(summary, tr)
    text = f"{text}\n\n{await calendar_lines(ctx, lead, tr)}"
    text += await rhythm_blocks(ctx, lead, tr)  # stale deals, who is away (issue 11.2, 11.6)
    chat_id = lead.telegram_id
    key = summary_key(lead.id, summary.day)
    if panels is None:
        first, *follow_ups = split_text(text)
        send = text_message(chat_id, first)
    else:
        # The chart is CPU work: drawn in the chart worker, the event loop stays free.
        png = await render_png(panels)
        caption, follow_ups = split_summary(text, tr)
        send = photo_message(chat_id, png, caption, filename=f"summary-{summary.day}.png")
    result = await ctx.sender.send_once(key, lead.id, chat_id, send, ctx.session_factory)
    if result is not SendResult.sent:
        return False
    # Each follow-up has its own key: the sender paces it (1 message/s per chat).
    for number, message in enumerate(follow_ups, start=1):
        await ctx.sender.send_once(
            f"{key}:{number}", lead.id, chat_id, text_message(chat_id, message), ctx.session_factory
        )
    logger.info("summary of %s sent to lead %s", summary.day, lead.id)
    return True


async def calendar_lines(ctx: SchedulerContext, lead: User, tr: Tr) -> str:
    """The team's deals without a next step and its paused deals (the calendar rules)."""
    async with ctx.reader() as session:
        crm = ctx.crm(session)
        no_next = await Outcomes(crm).no_next_count(lead)
        paused = await Pauses(crm).stats(lead)
    return f"{team_no_next_line(no_next, tr)}\n{pause_line(paused, tr)}"
