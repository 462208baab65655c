"""Delete (to the trash, restorable), restore, and delete forever (admin, two confirmations).

The card message turns into the confirmation and then into the deleted / restored card.
Double taps are harmless: the confirming buttons carry the deal version, so a second tap is
stale and only re-renders the current card."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import RemoveAction, RemoveCb
from bot.i18n import Tr
from bot.render.deal_edit import delete_confirm, hard_delete_confirm, hard_deleted_text
from handlers.cards import edit_card, stale_or_fresh
from handlers.deal_edit import chat_of, show_in_place
from models.crm import Crm
from models.errors import AccessDenied
from models.roles import can_hard_delete
from models.users import User


async def ask_delete(
    query: CallbackQuery, callback_data: DealCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    deal = await crm.editing.load(user, callback_data.deal_id, include_deleted=True)
    await query.answer()
    if deal.deleted_at is not None:  # an old card's button: show the deal as it is now
        await edit_card(
            query.message, bot, chat_of(query), crm, user, tr, deal.id, include_deleted=True
        )
        return
    await show_in_place(query, bot, *delete_confirm(deal, tr))


async def confirm_delete(
    query: CallbackQuery, callback_data: RemoveCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    deal = await crm.editing.load(user, callback_data.deal_id, include_deleted=True)
    if not await stale_or_fresh(
        query, bot, crm, user, tr, deal, callback_data.v, include_deleted=True
    ):
        return
    await crm.editing.soft_delete(user, deal)
    await query.answer(tr("delete.done"))
    await edit_card(
        query.message, bot, chat_of(query), crm, user, tr, deal.id, include_deleted=True
    )


async def restore(
    query: CallbackQuery, callback_data: DealCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    deal = await crm.editing.load(user, callback_data.deal_id, include_deleted=True)
    if not await stale_or_fresh(
        query, bot, crm, user, tr, deal, callback_data.v, include_deleted=True
    ):
        return
    restored = await crm.editing.restore(user, deal)
    await query.answer()
    notice = tr("delete.restored") if restored else None
    await edit_card(
        query.message,
        bot,
        chat_of(query),
        crm,
        user,
        tr,
        deal.id,
        notice=notice,
        include_deleted=True,
    )


async def ask_hard_delete(
    query: CallbackQuery, callback_data: DealCb | RemoveCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    """Both confirmations of "delete forever"; refused to anyone but an admin."""
    if not can_hard_delete(user.role):
        raise AccessDenied("delete.hard_not_allowed")
    deal = await crm.editing.load(user, callback_data.deal_id, include_deleted=True)
    # Restoring bumps the version: a restored deal's old button is stale here.
    if not await stale_or_fresh(
        query, bot, crm, user, tr, deal, callback_data.v, include_deleted=True
    ):
        return
    await query.answer()
    again = isinstance(callback_data, RemoveCb)
    await show_in_place(query, bot, *hard_delete_confirm(deal, tr, again=again))


async def hard_delete(
    query: CallbackQuery, callback_data: RemoveCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    if not can_hard_delete(user.role):
        raise AccessDenied("delete.hard_not_allowed")
    deal = await crm.editing.load(user, callback_data.deal_id, include_deleted=True)
    if not await stale_or_fresh(
        query, bot, crm, user, tr, deal, callback_data.v, include_deleted=True
    ):
        return
    deal_id, title = deal.id, deal.title
    await crm.editing.hard_delete(user, deal)
    await query.answer()
    await show_in_place(query, bot, hard_deleted_text(deal_id, title, tr), None)


async def back_to_card(
    query: CallbackQuery, callback_data: RemoveCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    deal = await crm.editing.load(user, callback_data.deal_id, include_deleted=True)
    await query.answer()
    await edit_card(
        query.message, bot, chat_of(query), crm, user, tr, deal.id, include_deleted=True
    )


def build_router() -> Router:
    router = Router(name=__name__)
    cb = router.callback_query
    cb.register(ask_delete, DealCb.filter(F.action == DealAction.delete))
    cb.register(restore, DealCb.filter(F.action == DealAction.restore))
    cb.register(ask_hard_delete, DealCb.filter(F.action == DealAction.hard_delete))
    cb.register(ask_hard_delete, RemoveCb.filter(F.action == RemoveAction.hard_sure))
    cb.register(hard_delete, RemoveCb.filter(F.action == RemoveAction.hard_final))
    cb.register(confirm_delete, RemoveCb.filter(F.action == RemoveAction.confirm))
    cb.register(back_to_card, RemoveCb.filter(F.action == RemoveAction.back))
    return router
