"""The scan's intake stage: web requests nobody claimed in INTAKE_ESCALATE_MINUTES go to the
team's leads / admins (and the team's group when its feed takes escalations), and deals won
since the last scan go to their team's group; each message once (sent-log keys
``intake-esc:<request>:<user or g<chat>>`` and ``feed-won:<deal>:<chat>``)."""

from __future__ import annotations

import datetime as dt

from bot.intake_delivery import IntakeDelivery

from .context import SchedulerContext


def delivery_of(ctx: SchedulerContext, now: dt.datetime) -> IntakeDelivery:
    return IntakeDelivery(
        ctx.sender,
        ctx.session_factory,
        ctx.translator,
        read_factory=ctx.reader,
        default_language=ctx.settings.default_language,
        clock=lambda: now,
    )


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    delivery = delivery_of(ctx, now)
    sent = await delivery.escalate_due(ctx.settings.intake_escalate_minutes)
    return sent + await delivery.post_won()
