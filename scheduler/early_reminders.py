"""Early reminders: N minutes (the owner's choice in /settings) before a timed next step,
besides the on-time reminder of ``scheduler.reminders``. Runs in the minute-by-minute
reminder job; the key ``early:<deal>:<moment>`` (models/services/early_reminders.py) makes it
go out once, across restarts too, and a moved step is reminded before its new moment only.
Paused while the owner is away (/away)."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Tr
from bot.render.digest import deal_buttons
from bot.render.format import esc
from models.services.early_reminders import EarlyDue

from .context import SchedulerContext
from .reminders import deliver_to_owners


def render_early(item: EarlyDue, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    deal = item.deal
    at = deal.next_action_time.strftime("%H:%M") if deal.next_action_time else ""
    lines = [
        tr("early.remind_title", minutes=item.minutes, time=at),
        f"<b>#{deal.id}</b> {esc(deal.title)}",
    ]
    who = " · ".join(x for x in (deal.client_name, deal.company) if x)
    if who:
        lines.append(f"👤 {esc(who)}")
    buttons = deal_buttons(deal.id, deal.version, tr("rem.btn_open"), tr)
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[buttons[:2], buttons[2:]])


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    async with ctx.reader() as session:
        crm = ctx.crm(session)
        due = await crm.early_reminders.due(now)
        away = await crm.absences.away_ids([(d.owner.id, d.owner.timezone) for d in due], now)
    return await deliver_to_owners(ctx, due, away, render_early)
