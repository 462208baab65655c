"""The next-step date of the New-deal wizard: chosen on its calendar buttons (DateCb with
ctx=0) or typed, with an optional time."""

from __future__ import annotations

import contextlib
import datetime as dt

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks.create import Step
from bot.i18n import Tr
from bot.keyboards import create as kb
from bot.keyboards.dates import DateAction, DateCb, int_to_date, parse_time
from handlers.create_input import parse_when
from handlers.create_steps import (
    Ctx,
    answer_stale,
    forward,
    make_ctx,
    show,
)
from models.crm import Crm
from models.timeutil import local_now
from models.users import User


async def date_chosen(ctx: Ctx, day: dt.date, at: dt.time | None, *, timed: bool) -> None:
    """A day (and maybe a time) for the next step: the past is refused; without a time the
    time step follows; with one (or "without time") the wizard goes on."""
    if day < ctx.today:
        await show(ctx, Step.next_date, "⚠️ " + ctx.tr("date.past"))
        return
    if not timed:
        ctx.data["day"] = day.isoformat()
        await show(ctx, Step.next_time)
        return
    now = local_now(ctx.crm.clock(), ctx.user.timezone)
    if at is not None and day == now.date() and at < now.time().replace(second=0, microsecond=0):
        ctx.data["day"] = day.isoformat()
        await show(ctx, Step.next_time, "⚠️ " + ctx.tr("create.time_past"))
        return
    draft = ctx.draft
    draft.next_action_on, draft.next_action_time = day, at
    ctx.keep(draft)
    await forward(ctx, Step.next_date)


async def date_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    text = message.text or ""
    when = parse_when(text, ctx.today)
    if when is None:
        await show(ctx, Step.next_date, "⚠️ " + tr("create.date_bad", raw=text[:40]))
        return
    await date_chosen(ctx, when[0], when[1], timed=when[1] is not None)


async def time_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    text = message.text or ""
    at = parse_time(text)
    if at is not None:
        await date_chosen(ctx, dt.date.fromisoformat(ctx.data["day"]), at, timed=True)
        return
    when = parse_when(text, ctx.today)  # another date typed instead
    if when is not None:
        await date_chosen(ctx, when[0], when[1], timed=when[1] is not None)
        return
    await show(ctx, Step.next_time, "⚠️ " + tr("create.time_bad", raw=text[:40]))


async def date_pressed(
    query: CallbackQuery,
    callback_data: DateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    action = callback_data.action
    try:
        day = int_to_date(callback_data.d)
        at = dt.time(*divmod(callback_data.t, 100)) if action is DateAction.time else None
    except ValueError:  # a header, an empty cell, or forged data
        await query.answer()
        return
    if action is DateAction.noop:
        await query.answer()
        return
    if action in (DateAction.calendar, DateAction.month):
        await query.answer()
        markup = kb.calendar_keyboard(tr, ctx.w, day.replace(day=1), ctx.today)
        if ctx.message is not None:
            with contextlib.suppress(TelegramBadRequest):
                await ctx.message.edit_reply_markup(reply_markup=markup)
        return
    if day < ctx.today:
        await query.answer(tr("date.past"), show_alert=True)
        return
    await query.answer()
    # A day chip is an all-day step (one tap less); a time is typed with it ("28.11 15:00").
    await date_chosen(ctx, day, at, timed=True)


async def stale_date(query: CallbackQuery, state: FSMContext, tr: Tr) -> None:
    await answer_stale(query, state, tr, None)
