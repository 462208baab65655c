"""Showing the deal card from any feature: send it, or edit it in place."""

from __future__ import annotations

import contextlib
import datetime as dt

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.i18n import Tr
from bot.render.deal_card import render_deal_card
from models.crm import Crm
from models.deals import Deal
from models.timeutil import local_today
from models.users import User


def today_of(crm: Crm, user: User) -> dt.date:
    return local_today(crm.clock(), user.timezone)


async def send_card(
    bot: Bot,
    chat_id: int,
    crm: Crm,
    user: User,
    tr: Tr,
    deal_id: int,
    *,
    notice: str | None = None,
    include_deleted: bool = False,
) -> Message:
    card = await crm.deals.card(user, deal_id, include_deleted=include_deleted)
    text, markup = render_deal_card(card, user, tr, today_of(crm, user), notice=notice)
    return await bot.send_message(chat_id, text, reply_markup=markup)


async def edit_card(
    message: Message | InaccessibleMessage | None,
    bot: Bot,
    chat_id: int,
    crm: Crm,
    user: User,
    tr: Tr,
    deal_id: int,
    *,
    notice: str | None = None,
    include_deleted: bool = False,
) -> None:
    """Edit the card message in place; send a new card when the old message can't be edited
    (too old, deleted). "Message is not modified" is not an error: the card is current."""
    card = await crm.deals.card(user, deal_id, include_deleted=include_deleted)
    text, markup = render_deal_card(card, user, tr, today_of(crm, user), notice=notice)
    if isinstance(message, Message):
        try:
            await bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message.message_id, reply_markup=markup
            )
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
    await bot.send_message(chat_id, text, reply_markup=markup)


async def edit_card_by_id(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    crm: Crm,
    user: User,
    tr: Tr,
    deal_id: int,
    *,
    notice: str | None = None,
) -> None:
    """Refresh a card known only by its message id (e.g. kept in FSM data)."""
    card = await crm.deals.card(user, deal_id)
    text, markup = render_deal_card(card, user, tr, today_of(crm, user), notice=notice)
    if message_id is not None:
        try:
            await bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
    await bot.send_message(chat_id, text, reply_markup=markup)


async def stale_or_fresh(
    query: CallbackQuery,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    deal: Deal,
    version: int,
    *,
    include_deleted: bool = False,
) -> bool:
    """True when the button was drawn for the deal's current version. Otherwise the current
    card replaces the stale one, the user is told, and nothing is applied.
    ``include_deleted``: the current card may be the deleted one (buttons of deleted deals)."""
    if version in (0, deal.version):
        return True
    with contextlib.suppress(TelegramBadRequest):
        await query.answer(tr("deal.changed"), show_alert=True)
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await edit_card(
        query.message, bot, chat_id, crm, user, tr, deal.id, include_deleted=include_deleted
    )
    return False


async def show_in_place(
    query: CallbackQuery, bot: Bot, text: str, markup: InlineKeyboardMarkup | None
) -> int:
    """Replace the pressed message with ``text`` (or send it, when that message can't be
    edited: too old, gone); returns the id of the message showing it."""
    message = query.message
    chat_id = message.chat.id if message else query.from_user.id
    if isinstance(message, Message):
        try:
            await bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message.message_id, reply_markup=markup
            )
            return message.message_id
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return message.message_id
    sent = await bot.send_message(chat_id, text, reply_markup=markup)
    return sent.message_id
