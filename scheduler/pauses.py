"""The return of paused deals on their day (models/services/pauses.py): back to work, due
today, and a notice to the owner, sent once (sent-log key ``resume:<deal>:<return date>``).
The deal is put back first, in its own transaction: a crash before the notice leaves it in
Today and the digest, only the notice is lost."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import DealAction, DealCb
from bot.keyboards.buttons import button, pack
from bot.render.format import clip
from bot.sender import Outgoing, SendResult, text_message
from models.services.pauses import Pauses, Resumed, resume_key

from .context import SchedulerContext


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    async with ctx.reader() as session:
        due = await Pauses(ctx.crm(session)).due_returns(now)
    if not due:
        return 0
    resumed: list[Resumed] = []
    async with ctx.session_factory() as session, session.begin():
        pauses = Pauses(ctx.crm(session))
        for deal_id in due:
            back = await pauses.resume(deal_id)
            if back is not None:
                resumed.append(back)
    batch = []
    for item in resumed:
        tr = ctx.translator.for_locale(item.language)
        text = tr("pause.resumed", deal_id=item.deal_id, title=clip(item.title, 80))
        open_ = pack(DealCb, action=DealAction.open, deal_id=item.deal_id)
        markup = InlineKeyboardMarkup(inline_keyboard=[[button(tr("pause.btn_open"), open_)]])
        batch.append(
            Outgoing(
                key=resume_key(item.deal_id, item.day),
                user_id=item.owner_id,
                chat_id=item.telegram_id,
                send=text_message(item.telegram_id, text, markup),
            )
        )
    results = await ctx.sender.deliver(batch, ctx.session_factory)
    return results[SendResult.sent]
