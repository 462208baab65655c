"""Last resort: anything no feature understood gets a hint, and every button an answer."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.chat_scope import command_of
from bot.i18n import Tr
from bot.keyboards.menu import main_menu
from bot.storage import consume_expired_prompt


async def unknown_message(message: Message, tr: Tr, state: FSMContext) -> None:
    name, _mention = command_of(message.text or "")
    if name:  # a command no feature knows (a typo, an old one): point to the list of them
        await message.answer(tr("help.unknown_command", name=name[:64]))
        return
    # Most likely an answer to a prompt left open too long: say so, not "choose an action".
    key = "state.expired" if await consume_expired_prompt(state) else "menu.placeholder"
    await message.answer(tr(key), reply_markup=main_menu(tr))


async def unknown_button(query: CallbackQuery, tr: Tr) -> None:
    # No handler took it: a button of an older version of the bot, or data that does not
    # unpack (bot/callbacks/fields.py bounds every id and number). Nothing was done.
    await query.answer(tr("error.button_outdated"))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_message)
    router.callback_query.register(unknown_button)
    return router
