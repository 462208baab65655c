"""Pausing asks "until when?" (1 week / 2 weeks / 1 month / a calendar, or no date) in the
card, after the reason; the return date is kept on the deal (models/services/pauses.py) and
the scheduler brings the deal back into Today on that day."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.callbacks.pauses import PauseAct, PauseCb
from bot.i18n import Tr
from bot.keyboards.dates import int_to_date
from bot.keyboards.pauses import pause_calendar, pause_keyboard
from bot.render.format import fmt_date
from handlers.work_flow import Work, pressed_id
from models.catalog import StageKind
from models.crm import Crm
from models.deals import Deal
from models.errors import InvalidInput
from models.services.pauses import Pauses
from models.users import User


async def ask_until(
    work: Work,
    message_id: int | None,
    deal: Deal,
    *,
    before: str | None = None,
    answer: CallbackQuery | None = None,
) -> None:
    notice = work.tr("pause.ask_until")
    if before:
        notice = f"{before}\n{notice}"
    markup = pause_keyboard(work.today, deal.id, work.tr)
    await work.show(message_id, deal.id, notice=notice, markup=markup, answer=answer)


def _day(callback_data: PauseCb) -> dt.date:
    try:
        return int_to_date(callback_data.d)
    except ValueError:
        raise InvalidInput("error.invalid_input") from None


async def pause_pressed(
    query: CallbackQuery,
    callback_data: PauseCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    work = Work.of(query, bot, crm, user, tr, state)
    deal = await crm.deals.get_for(user, callback_data.deal_id, for_edit=True)
    if deal.status is not StageKind.paused:
        raise InvalidInput("pause.not_paused")
    message_id = pressed_id(query)
    if callback_data.act is PauseAct.calendar:
        month = _day(callback_data)
        await query.answer()
        markup = pause_calendar(month, work.today, deal.id, tr)
        await work.show(message_id, deal.id, notice=tr("pause.ask_until"), markup=markup)
        return
    if callback_data.act is PauseAct.later:
        await query.answer()
        back = await work.leave(deal.id)
        await work.show(message_id, deal.id, notice=tr("pause.later"), back=back)
        return
    day = _day(callback_data)
    await Pauses(crm).set_until(user, deal, day)  # refuses a past day (a forged button)
    await query.answer()
    back = await work.leave(deal.id)  # the list a stage flow from a row came from, if any
    notice = tr("pause.until_set", date=fmt_date(day, tr))
    await work.show(message_id, deal.id, notice=notice, back=back)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(pause_pressed, PauseCb.filter(F.deal_id > 0))
    return router
