"""The next step's date: chips (Today / Tomorrow / +3 days / Next week), a month calendar, a
typed date ("30.11", or "30.11 15:00" with its time). A next step is all-day: the time is
asked only after "⏰ Time" (one tap less for the usual case). Started by the card's Next date
button and after every note or stage change on an open deal (``Work.ask_next_step``).

The date is saved as soon as it is picked (an abandoned time step loses nothing); the time
step then only adds or removes the time. Date buttons are ``DateCb`` with ctx = the deal id."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import DealAction, DealCb
from bot.callbacks.work import WorkAct, WorkCb
from bot.i18n import Tr
from bot.keyboards.dates import (
    DateAction,
    DateCb,
    date_to_int,
    int_to_date,
    parse_date,
    parse_time,
)
from bot.keyboards.work import THEN_TIME, calendar_keyboard, next_step_keyboard, time_keyboard
from bot.render.format import fmt_date, fmt_next_action
from handlers.work_flow import PlainText, Work, WorkFlow, ask_next_notice, pressed_id
from models.crm import Crm
from models.deals import Deal
from models.errors import InvalidInput
from models.users import User


def _unpacked(callback_data: DateCb) -> tuple[dt.date, dt.time | None]:
    """The day (and time) a date button carries; a forged impossible value is refused."""
    try:
        day = int_to_date(callback_data.d)
        at = None
        if callback_data.action is DateAction.time:
            at = dt.time(*divmod(callback_data.t, 100))
    except ValueError:
        raise InvalidInput("error.invalid_input") from None
    return day, at


def parse_day_and_time(text: str, today: dt.date) -> tuple[dt.date, dt.time | None] | None:
    """A typed next step: "30.11" (all-day) or "30.11 15:00"; None when it is neither."""
    day = parse_date(text, today)
    if day is not None:
        return day, None
    head, _, tail = text.strip().rpartition(" ")
    at = parse_time(tail) if head else None
    day = parse_date(head, today) if at is not None else None
    return (day, at) if day is not None and at is not None else None


async def _ask_time(work: Work, message_id: int | None, deal: Deal) -> None:
    day = deal.next_action_on
    assert day is not None
    notice = work.tr("work.ask_time", date=fmt_date(day, work.tr))
    markup = time_keyboard(day, deal.id, work.tr)
    await work.prompt(
        message_id, deal.id, WorkFlow.next_time, notice=notice, markup=markup, d=date_to_int(day)
    )


async def _done(work: Work, message_id: int | None, deal: Deal) -> None:
    back = await work.leave(deal.id)  # the list "✓" was pressed on, if any: offered
    notice = work.tr("work.next_saved", when=fmt_next_action(deal, work.tr))
    await work.show(message_id, deal.id, notice=notice, back=back)


# -- buttons ---------------------------------------------------------------------------------


async def next_date_pressed(
    query: CallbackQuery,
    callback_data: DealCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    work = Work.of(query, bot, crm, user, tr, state)
    found = await work.deal_of(query, callback_data)
    if found is None:
        return
    deal, card_id = found
    if not deal.is_open:
        raise InvalidInput("next.not_open")
    await work.forget_back(deal.id)  # a flow of the card's: no way back to a list
    await work.ask_next_step(card_id, deal, answer=query)  # answered once the state is set


async def work_button(
    query: CallbackQuery,
    callback_data: WorkCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    """Close a picker (the plain card again), or go back to the date chips."""
    work = Work.of(query, bot, crm, user, tr, state)
    deal = await crm.deals.get_for(user, callback_data.deal_id, for_edit=True)
    if callback_data.act is WorkAct.dates and deal.is_open:
        await work.ask_next_step(pressed_id(query), deal, answer=query)  # with the state
        return
    await query.answer()
    if callback_data.act is WorkAct.timed and deal.is_open:
        markup = next_step_keyboard(work.today, deal.id, tr, timed=True)
        timed = f"{ask_next_notice(deal, tr)}\n{tr('work.ask_next_timed')}"
        shown = await work.show(pressed_id(query), deal.id, notice=timed, markup=markup)
        await work.enter(WorkFlow.next_day, deal_id=deal.id, msg_id=shown)
        return
    back = await work.leave(deal.id)
    notice: str | None = None
    if deal.is_open and deal.next_action_on is None:  # "Not now": listed and chased
        notice = tr("oc.not_now_notice")
    await work.show(pressed_id(query), deal.id, notice=notice, back=back)


async def date_noop(query: CallbackQuery) -> None:
    await query.answer()  # a calendar header, a past day, an empty cell


async def date_calendar(
    query: CallbackQuery,
    callback_data: DateCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    """Open the month calendar or turn its page: only the keyboard changes."""
    work = Work.of(query, bot, crm, user, tr, state)
    deal = await crm.deals.get_for(user, callback_data.ctx, for_edit=True)
    month, _ = _unpacked(callback_data)
    await query.answer()
    markup = calendar_keyboard(month.year, month.month, work.today, deal.id, tr)
    message_id = pressed_id(query)
    if message_id is None:  # the picker's message is too old to edit: a fresh card
        await work.show(None, deal.id, notice=ask_next_notice(deal, tr), markup=markup)
        return
    await bot.edit_message_reply_markup(
        chat_id=work.chat_id, message_id=message_id, reply_markup=markup
    )


async def date_picked(
    query: CallbackQuery,
    callback_data: DateCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    work = Work.of(query, bot, crm, user, tr, state)
    deal = await crm.deals.get_for(user, callback_data.ctx, for_edit=True)
    day, at = _unpacked(callback_data)
    if callback_data.action is DateAction.pick:
        await crm.stage_moves.set_next_action(user, deal, day, keep_time=True)
        await query.answer()
        if callback_data.t == THEN_TIME:
            await _ask_time(work, pressed_id(query), deal)
        else:
            await _done(work, pressed_id(query), deal)
        return
    await crm.stage_moves.set_next_action(user, deal, day, at)  # a time, or "without time"
    await query.answer()
    await _done(work, pressed_id(query), deal)


# -- typed -----------------------------------------------------------------------------------


async def day_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    work = Work.of(message, bot, crm, user, tr, state)
    parsed = parse_day_and_time(message.text or "", work.today)
    if parsed is None:
        await message.answer(tr("work.bad_date"))
        return
    day, at = parsed
    data = await state.get_data()
    deal = await crm.deals.get_for(user, data["deal_id"], for_edit=True)
    await crm.stage_moves.set_next_action(user, deal, day, at, keep_time=at is None)
    await _done(work, data["msg_id"], deal)


async def time_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    at = parse_time(message.text or "")
    if at is None:
        await message.answer(tr("work.bad_time"))
        return
    work = Work.of(message, bot, crm, user, tr, state)
    data = await state.get_data()
    deal = await crm.deals.get_for(user, data["deal_id"], for_edit=True)
    await crm.stage_moves.set_next_action(user, deal, int_to_date(data["d"]), at)
    await _done(work, data["msg_id"], deal)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        next_date_pressed, DealCb.filter(F.action == DealAction.next_date)
    )
    router.callback_query.register(work_button, WorkCb.filter())
    # ctx 0 is the creation wizard's; every other ctx is a deal id.
    mine = F.ctx != 0
    picks = {DateAction.pick, DateAction.time, DateAction.no_time}
    pages = {DateAction.calendar, DateAction.month}
    router.callback_query.register(date_noop, DateCb.filter(mine & (F.action == DateAction.noop)))
    router.callback_query.register(date_calendar, DateCb.filter(mine & F.action.in_(pages)))
    router.callback_query.register(date_picked, DateCb.filter(mine & F.action.in_(picks)))
    router.message.register(day_typed, StateFilter(WorkFlow.next_day), PlainText())
    router.message.register(time_typed, StateFilter(WorkFlow.next_time), PlainText())
    return router
