"""Timed reminders: when a deal's next action has a time, its owner is reminded within a
minute of it (the scan runs on every minute).

Key ``remind:<deal>:<next_action_at ISO>``: a moved date or time is a new key, so the deal is
reminded at the new moment only and never at the old one. A moment more than
``REMIND_STALE_AFTER`` (2 hours) in the past is stale (the scheduler was down): it is dropped
rather than delivered hours late; the next morning digest lists the deal as overdue anyway.
Reminders ignore work days: a time was set on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import Protocol, TypeVar

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Tr
from bot.render.digest import render_reminder
from bot.sender import Outgoing, SendResult, text_message
from models.services.reminder_items import Recipient

from .context import SchedulerContext


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    async with ctx.reader() as session:
        crm = ctx.crm(session)
        due = await crm.reminders.timed_due(now)
        # Paused while the owner is away (/away, scheduler/away.py).
        away = await crm.absences.away_ids([(d.owner.id, d.owner.timezone) for d in due], now)
    return await deliver_to_owners(ctx, due, away, lambda item, tr: render_reminder(item.deal, tr))


class _OwnersItem(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def owner(self) -> Recipient: ...


Item = TypeVar("Item", bound=_OwnersItem)


async def deliver_to_owners(
    ctx: SchedulerContext,
    due: Sequence[Item],
    away: Collection[int],
    render: Callable[[Item, Tr], tuple[str, InlineKeyboardMarkup | None]],
) -> int:
    """Each item to its owner, in the owner's language, except to those away; how many went
    out now (the on-time and the early reminders)."""
    batch = []
    for item in due:
        if item.owner.id in away:
            continue
        text, markup = render(item, ctx.translator.for_locale(item.owner.language))
        batch.append(
            Outgoing(
                key=item.key,
                user_id=item.owner.id,
                chat_id=item.owner.telegram_id,
                send=text_message(item.owner.telegram_id, text, markup),
            )
        )
    if not batch:
        return 0
    results = await ctx.sender.deliver(batch, ctx.session_factory)
    return results[SendResult.sent]
