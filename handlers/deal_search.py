"""Search: ``/find <text>``, or the Search button and then the query as the next message.

The query is kept in FSM data (it does not fit in callback data) with the id of the message
that asked it; the result buttons carry that id, so a button of an older search never pages
through a newer one."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks.lists import ListCb, SearchAction, SearchCb
from bot.filters import TextKey
from bot.i18n import Tr, Translator
from bot.keyboards.menu import MENU_KEYS
from bot.render.deal_list import render_deal_list
from bot.storage import remember_data
from handlers.deal_lists import show_in_place
from models.crm import Crm
from models.services.deal_lists import ListKind
from models.users import User

QUERY_KEY = "dl_search"
SERIAL_KEY = "dl_search_n"


class SearchStates(StatesGroup):
    query = State()


def _cancel_keyboard(tr: Tr) -> InlineKeyboardMarkup:
    data = SearchCb(action=SearchAction.cancel).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=tr("common.cancel"), callback_data=data)]]
    )


async def _ask(message: Message, state: FSMContext, tr: Tr) -> None:
    await state.set_state(SearchStates.query)
    await message.answer(tr("search.prompt"), reply_markup=_cancel_keyboard(tr))


async def search_button(message: Message, state: FSMContext, tr: Tr) -> None:
    await state.clear()  # a menu button leaves whatever wizard was running
    await _ask(message, state, tr)


async def find_command(
    message: Message, command: CommandObject, state: FSMContext, crm: Crm, user: User, tr: Tr
) -> None:
    await state.clear()
    if not (command.args or "").strip():
        await _ask(message, state, tr)
        return
    await _search(message, state, crm, user, tr, command.args or "")


async def query_typed(
    message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr, translator: Translator
) -> None:
    if message.contact is not None:  # a shared contact: find the deal by its phone
        await _search(message, state, crm, user, tr, message.contact.phone_number)
        return
    text = message.text
    if text is None:
        await message.answer(tr("search.text_only"))
        return
    if (
        text.startswith("/")
        or message.reply_to_message is not None
        or any(text in translator.variants(key) for key in MENU_KEYS)
    ):
        # A command, another menu button or a reply to a card is not a query: leave the
        # search and let the feature it belongs to have it.
        await state.clear()
        raise SkipHandler
    await _search(message, state, crm, user, tr, text)


async def _search(
    message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr, raw: str
) -> None:
    # A too short or too long query raises InvalidInput: the error handler says why and the
    # user stays in the search state to try again.
    page = await crm.lists.search(user, raw)
    # The query message's id names this search: unique in the chat even after the FSM data
    # was cleared, so an older result list never pages through a newer query.
    serial = message.message_id
    await state.set_state(None)
    # For the page buttons only: kept in memory (a restart makes them say "search again").
    query_text = page.query.text if page.query else raw
    await remember_data(state, **{QUERY_KEY: query_text, SERIAL_KEY: serial})
    text, markup = render_deal_list(page, user, tr, q=serial)
    await message.answer(text, reply_markup=markup)


async def page_pressed(
    query: CallbackQuery,
    callback_data: ListCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    data = await state.get_data()
    raw = data.get(QUERY_KEY)
    if not raw or data.get(SERIAL_KEY) != callback_data.q:
        await query.answer(tr("search.expired"), show_alert=True)
        return
    page = await crm.lists.search(user, raw, callback_data.page)
    await query.answer()
    text, markup = render_deal_list(page, user, tr, q=callback_data.q)
    await show_in_place(query, bot, text, markup)


async def search_action(
    query: CallbackQuery, callback_data: SearchCb, state: FSMContext, bot: Bot, tr: Tr
) -> None:
    await query.answer()
    chat_id = query.message.chat.id if query.message else query.from_user.id
    if callback_data.action is SearchAction.again:
        await state.set_state(SearchStates.query)
        await bot.send_message(chat_id, tr("search.prompt"), reply_markup=_cancel_keyboard(tr))
        return
    if await state.get_state() == SearchStates.query.state:
        await state.set_state(None)
    await show_in_place(query, bot, tr("search.cancelled"), None)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(search_button, TextKey("menu.search"))
    router.message.register(find_command, Command("find", "search"))
    router.message.register(query_typed, StateFilter(SearchStates.query))
    router.callback_query.register(page_pressed, ListCb.filter(F.kind == ListKind.search))
    router.callback_query.register(search_action, SearchCb.filter())
    return router
