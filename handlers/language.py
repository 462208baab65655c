"""/lang: switch the interface between Russian and English, per user."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import LangCb
from bot.i18n import LANGUAGES, Tr, Translator
from bot.keyboards.menu import language_keyboard, main_menu
from models import User
from models.crm import Crm


async def lang_command(
    message: Message, command: CommandObject, crm: Crm, user: User, tr: Tr, translator: Translator
) -> None:
    code = (command.args or "").strip().lower()
    if not code:
        await message.answer(tr("lang.choose"), reply_markup=language_keyboard(tr))
        return
    if code not in LANGUAGES:
        await message.answer(tr("lang.unknown"))
        return
    await crm.accounts.set_language(user, code)
    tr = translator.for_locale(code)
    await message.answer(tr("lang.set"), reply_markup=main_menu(tr))


async def lang_pressed(
    query: CallbackQuery,
    callback_data: LangCb,
    crm: Crm,
    user: User,
    tr: Tr,
    translator: Translator,
) -> None:
    if callback_data.code not in LANGUAGES:  # forged, or a language since removed
        await query.answer(tr("error.button_outdated"))
        return
    await crm.accounts.set_language(user, callback_data.code)
    tr = translator.for_locale(callback_data.code)
    await query.answer(tr("lang.set"))
    if query.message is not None:
        # A reply keyboard can only be replaced by a new message, so the menu follows.
        await query.message.answer(tr("lang.set"), reply_markup=main_menu(tr))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(lang_command, Command("lang", "language"))
    router.callback_query.register(lang_pressed, LangCb.filter())
    return router
