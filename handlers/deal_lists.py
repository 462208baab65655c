"""Today, Overdue, My deals and Recently deleted: main-menu buttons and commands, paging in
place, filter pickers, and opening a deleted deal's card (where Restore lives).

Main-menu buttons work in any conversation state: pressing one leaves the current wizard."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.lists import Back, DeletedOpenCb, ListCb, ListPickCb, Pick
from bot.callbacks.pipeline_filters import ListSetCb
from bot.filters import TextKey
from bot.i18n import Tr
from bot.render.deal_list import (
    render_deal_list,
    render_owner_picker,
    render_pipeline_picker,
    render_stage_picker,
)
from handlers import pipeline_filters
from handlers.cards import send_card, show_in_place
from handlers.outcomes import SOURCES, render_page
from models.crm import Crm
from models.services.deal_lists import DealPage, ListFilter, ListKind
from models.users import User


async def _send_list(
    message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr, kind: ListKind
) -> None:
    await state.clear()  # a menu button leaves whatever wizard was running
    page = await crm.lists.page(user, kind)
    text, markup = await _rendered(crm, user, tr, page)
    await message.answer(text, reply_markup=markup)


async def _rendered(
    crm: Crm, user: User, tr: Tr, page: DealPage, *, q: int = 0, back: Back = Back.none
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Today, Overdue and "no next step" get phones and one-tap outcome rows; ``q``: the
    search serial or pipeline set of the other lists' page buttons; ``back``: the list "no
    next step" was opened from."""
    if page.kind in SOURCES:
        return await render_page(crm, user, tr, page, back=back)
    return render_deal_list(page, user, tr, q=q)


async def today(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    await _send_list(message, state, crm, user, tr, ListKind.today)


async def overdue(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    await _send_list(message, state, crm, user, tr, ListKind.overdue)


async def my_deals(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    await _send_list(message, state, crm, user, tr, ListKind.mine)


async def deleted(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    await _send_list(message, state, crm, user, tr, ListKind.deleted)


def _filters(data: ListCb | ListPickCb) -> ListFilter:
    return ListFilter(data.pipeline or None, data.stage or None, data.owner or None)


async def page_pressed(
    query: CallbackQuery,
    callback_data: ListCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    # A pipeline set (group / name part) rides as q; an older set's button is refused.
    filters = await pipeline_filters.filters_of(state, callback_data, _filters(callback_data))
    # The service refuses a forged owner filter before anything is answered.
    page = await crm.lists.page(user, callback_data.kind, callback_data.page, filters)
    text, markup = await _rendered(crm, user, tr, page, q=callback_data.q, back=callback_data.back)
    await query.answer()
    await show_in_place(query, bot, text, markup)


async def pick_pressed(
    query: CallbackQuery,
    callback_data: ListPickCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    kind, filters = callback_data.kind, _filters(callback_data)
    # The pipeline set of the list (if any) is kept through the stage and people pickers.
    kept = None if filters.pipeline_id else await pipeline_filters.current_set(state)
    q = int(kept["n"]) if kept else 0
    filters = pipeline_filters.with_set(filters, kept)
    if callback_data.what is Pick.owner:
        owners = await crm.lists.owner_choices(user, callback_data.page)  # may refuse
        text, markup = render_owner_picker(kind, filters, owners, tr, q=q)
    elif callback_data.what is Pick.stage:
        stages = await crm.lists.stage_choices(filters.pipeline_id)
        text, markup = render_stage_picker(kind, filters, stages, tr, q=q)
    elif kind is ListKind.mine:
        text, markup = await pipeline_filters.pipeline_picker(
            crm, user, kind, filters, callback_data.page, q, tr
        )
    else:
        pipelines = await crm.lists.pipeline_choices()
        text, markup = render_pipeline_picker(kind, filters, pipelines, tr)
    await query.answer()
    await show_in_place(query, bot, text, markup)


async def deleted_open(
    query: CallbackQuery, callback_data: DeletedOpenCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    chat_id = query.message.chat.id if query.message else query.from_user.id
    # Loading the card is the first thing and may refuse (gone for good, no rights): the
    # error handler answers with the alert then.
    await send_card(bot, chat_id, crm, user, tr, callback_data.deal_id, include_deleted=True)
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(today, TextKey("menu.today"))
    router.message.register(overdue, TextKey("menu.overdue"))
    router.message.register(my_deals, TextKey("menu.my_deals"))
    router.message.register(today, Command("today"))
    router.message.register(overdue, Command("overdue"))
    # With an argument: a pipeline group or a part of a name (handlers/pipeline_filters.py).
    router.message.register(pipeline_filters.my_command, Command("mydeals", "my"))
    router.message.register(deleted, Command("deleted", "trash"))
    router.callback_query.register(page_pressed, ListCb.filter(F.kind != ListKind.search))
    router.callback_query.register(pick_pressed, ListPickCb.filter(F.kind != ListKind.search))
    router.callback_query.register(deleted_open, DeletedOpenCb.filter())
    router.callback_query.register(pipeline_filters.set_pressed, ListSetCb.filter())
    return router
