"""The deal's history: its event timeline, newest first, paged, shown in place of the card."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import HistoryCb
from bot.i18n import Tr
from bot.render.deal_history import render_history
from handlers.deal_edit import show_in_place
from models.crm import Crm
from models.users import User


async def show_history(
    query: CallbackQuery, callback_data: DealCb | HistoryCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    page = callback_data.page if isinstance(callback_data, HistoryCb) else 0
    history = await crm.editing.history(user, callback_data.deal_id, page)  # may refuse
    await query.answer()
    await show_in_place(query, bot, *render_history(history, user, tr))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(show_history, DealCb.filter(F.action == DealAction.history))
    router.callback_query.register(show_history, HistoryCb.filter())
    return router
