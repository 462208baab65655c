"""Reassign a deal (lead: within the team, admin: anybody): pick the new owner from a list;
the card is refreshed and the new owner gets a message with an Open button."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import CallbackQuery

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import ReassignAction, ReassignCb
from bot.i18n import Tr, Translator
from bot.render.deal_edit import REASSIGN_PAGE, reassign_notification, reassign_picker
from handlers.cards import edit_card, stale_or_fresh
from handlers.deal_edit import chat_of, show_in_place
from models.access import can_reassign
from models.crm import Crm
from models.errors import AccessDenied
from models.services.deal_editing import Reassigned
from models.users import User

logger = logging.getLogger(__name__)


async def show_candidates(
    query: CallbackQuery,
    callback_data: DealCb | ReassignCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    if not can_reassign(user):
        raise AccessDenied("reassign.not_allowed")
    deal = await crm.editing.load(user, callback_data.deal_id)
    page = callback_data.item if isinstance(callback_data, ReassignCb) else 0
    candidates = await crm.editing.reassign_candidates(user, deal, page, REASSIGN_PAGE)
    await query.answer()
    await show_in_place(query, bot, *reassign_picker(deal, candidates, user, tr))


async def pick_owner(
    query: CallbackQuery,
    callback_data: ReassignCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    translator: Translator,
) -> None:
    if not can_reassign(user):
        raise AccessDenied("reassign.not_allowed")
    deal = await crm.editing.load(user, callback_data.deal_id)
    if not await stale_or_fresh(query, bot, crm, user, tr, deal, callback_data.v):
        return
    done = await crm.editing.reassign(user, deal, callback_data.item)
    if done is None:
        await query.answer(tr("reassign.same"))
        await edit_card(query.message, bot, chat_of(query), crm, user, tr, deal.id)
        return
    await query.answer()
    notice = tr("reassign.done", owner=done.new_owner.display_name)
    await edit_card(query.message, bot, chat_of(query), crm, user, tr, deal.id, notice=notice)
    if done.new_owner.id != user.id:
        await _notify(bot, crm, translator, user, done)


async def _notify(
    bot: Bot, crm: Crm, translator: Translator, actor: User, done: Reassigned
) -> None:
    """Tell the new owner; a blocked bot or a vanished chat doesn't undo the reassignment."""
    owner = done.new_owner
    text, markup = reassign_notification(done.deal, actor, translator.for_locale(owner.language))
    try:
        await bot.send_message(owner.telegram_id, text, reply_markup=markup)
    except TelegramForbiddenError:
        logger.info(
            "user %s blocked the bot: reassignment of deal %s not delivered", owner.id, done.deal.id
        )
        await crm.accounts.mark_unreachable(owner.id)
    except TelegramBadRequest as exc:
        logger.warning(
            "reassignment of deal %s not delivered to user %s: %s",
            done.deal.id,
            owner.id,
            exc.message,
        )


def build_router() -> Router:
    router = Router(name=__name__)
    cb = router.callback_query
    cb.register(show_candidates, DealCb.filter(F.action == DealAction.reassign))
    cb.register(show_candidates, ReassignCb.filter(F.action == ReassignAction.page))
    cb.register(pick_owner, ReassignCb.filter(F.action == ReassignAction.pick))
    return router
