"""The evening nudge stage of the scan (see models/services/nudges.py): one message per
person and local day, through the Sender (claimed in the sent-log at its send slot, so never
twice, across restarts too)."""

from __future__ import annotations

import datetime as dt

from bot.keyboards.outcomes import no_next_keyboard
from bot.sender import Outgoing, SendResult, text_message
from models.services.nudges import Nudges, nudge_key

from .context import SchedulerContext


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    async with ctx.reader() as session:
        due = await Nudges(ctx.crm(session)).due(now, ctx.settings.evening_nudge_time)
    batch = []
    for person, slot, count in due:
        tr = ctx.translator.for_locale(person.language)
        batch.append(
            Outgoing(
                key=nudge_key(person.id, slot.day),
                user_id=person.id,
                chat_id=person.telegram_id,
                send=text_message(
                    person.telegram_id, tr("oc.nudge", count=count), no_next_keyboard(tr, count)
                ),
            )
        )
    if not batch:
        return 0
    results = await ctx.sender.deliver(batch, ctx.session_factory)
    return results[SendResult.sent]
