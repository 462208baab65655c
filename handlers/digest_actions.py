"""Buttons of proactive messages: Snooze (+1 hour, the next work day, pick a date, cancel).
Open, Done and Stage are ``DealCb`` buttons handled by the deal card's own flows; "pick a
date" starts the next-date flow the same way."""

from __future__ import annotations

import contextlib

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.digest import SnoozeAction, SnoozeCb
from bot.i18n import Tr
from bot.render.digest import render_snooze_menu, render_snoozed
from bot.render.format import fmt_next_action
from handlers.cards import stale_or_fresh
from models.crm import Crm
from models.errors import InvalidInput
from models.services.reminder_items import Snooze
from models.services.reminder_queries import next_work_day
from models.timeutil import local_today
from models.users import User

_CHOICES = {SnoozeAction.hour: Snooze.hour, SnoozeAction.next_day: Snooze.next_day}


def _chat_id(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message else query.from_user.id


async def snooze_menu(
    query: CallbackQuery, callback_data: SnoozeCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    # Not a change yet: the menu shows the deal as it is now and its buttons carry the current
    # version, so a digest button drawn for an older version still opens it (re-rendering a
    # card over the digest would lose the whole list).
    deal = await crm.deals.get_for(user, callback_data.deal_id, for_edit=True)
    if not deal.is_open:
        raise InvalidInput("rem.snooze_closed")
    await query.answer()
    today = local_today(crm.clock(), deal.owner.timezone)
    text, markup = render_snooze_menu(deal, tr, today, next_work_day(today, deal.owner.work_days))
    await bot.send_message(_chat_id(query), text, reply_markup=markup)


async def snooze_apply(
    query: CallbackQuery, callback_data: SnoozeCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    deal = await crm.deals.get_for(user, callback_data.deal_id, for_edit=True)
    if not await stale_or_fresh(query, bot, crm, user, tr, deal, callback_data.v):
        return  # a second tap (the first one changed the version) lands here: harmless
    await crm.reminders.snooze(user, deal, _CHOICES[callback_data.action])
    await query.answer(tr("rem.snoozed_toast", when=fmt_next_action(deal, tr)))
    text, markup = render_snoozed(deal, tr)
    await _replace(query, bot, text, markup)


async def snooze_cancel(query: CallbackQuery, bot: Bot, tr: Tr) -> None:
    await query.answer()
    await _replace(query, bot, tr("rem.snooze_cancelled"), None)


async def _replace(
    query: CallbackQuery, bot: Bot, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Turn the snooze menu into its outcome; a message too old to edit gets a new one."""
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await bot.edit_message_text(
                text=text,
                chat_id=query.message.chat.id,
                message_id=query.message.message_id,
                reply_markup=markup,
            )
            return
    await bot.send_message(_chat_id(query), text, reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(snooze_menu, SnoozeCb.filter(F.action == SnoozeAction.menu))
    router.callback_query.register(
        snooze_apply, SnoozeCb.filter(F.action.in_({SnoozeAction.hour, SnoozeAction.next_day}))
    )
    router.callback_query.register(snooze_cancel, SnoozeCb.filter(F.action == SnoozeAction.cancel))
    return router
