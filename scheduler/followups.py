"""The afternoon follow-up and the leads' escalations.

* Follow-up: at each person's follow-up time (default 14:00 local) on their work days, if
  overdue deals remain, one message lists them (key ``followup:<user>:<local date>``).
* Escalation: at a team lead's follow-up time on the lead's work days, the team's deals
  overdue for more than ``OVERDUE_ESCALATION_DAYS`` (counted in each owner's own calendar)
  are reported in one message. Each deal is reported once per overdue date (key
  ``escalate:<deal>:<next_action_on>``, claimed together with the message); a deal moved and
  overdue again later is reported again. The lead's daily check is recorded under
  ``escalations:<lead>:<local date>`` so later scans that day skip them cheaply.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.render.digest import render_escalation, render_followup
from bot.sender import Outgoing, SendResult, text_message
from models.services.reminder_items import Daily, daily_key

from .context import SchedulerContext
from .digests import run_daily

logger = logging.getLogger(__name__)

LEAD_CHUNK = 5


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    sent = await run_daily(ctx, now, Daily.followup, render_followup, overdue_only=True)
    return sent + await escalate(ctx, now)


async def escalate(ctx: SchedulerContext, now: dt.datetime) -> int:
    days = ctx.settings.overdue_escalation_days
    async with ctx.reader() as session:
        leads = await ctx.crm(session).reminders.daily_due(Daily.escalations, now)
    sent = 0
    # A few leads per transaction: on the first day a team may have thousands of old overdue
    # deals, and every SQLite transaction holds the write lock the bot's updates wait for.
    for start in range(0, len(leads), LEAD_CHUNK):
        part = leads[start : start + LEAD_CHUNK]
        async with ctx.session_factory() as session, session.begin():
            reminders = ctx.crm(session).reminders
            found = await reminders.escalations([lead for lead, _ in part], now, days)
            await reminders.mark_decided(
                [
                    (daily_key(Daily.escalations, lead.id, slot.day), lead.id)
                    for lead, slot in part
                    if lead.id not in found
                ]
            )
        batch = []
        for lead, slot in part:
            items = found.get(lead.id)
            if not items:
                continue
            tr = ctx.translator.for_locale(lead.language)
            text, markup = render_escalation(items, days, tr)
            batch.append(
                Outgoing(
                    key=daily_key(Daily.escalations, lead.id, slot.day),
                    user_id=lead.id,
                    chat_id=lead.telegram_id,
                    send=text_message(lead.telegram_id, text, markup),
                    extra_keys=tuple(item.key for item in items),
                )
            )
        if batch:
            results = await ctx.sender.deliver(batch, ctx.session_factory)
            sent += results[SendResult.sent]
        if ctx.sender.stopping:
            break
    return sent
