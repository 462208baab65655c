"""Commands that work anywhere: /cancel and /menu."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.i18n import Tr
from bot.keyboards.menu import main_menu


async def cancel(message: Message, state: FSMContext, tr: Tr) -> None:
    had_state = await state.get_state() is not None
    await state.clear()
    key = "common.cancelled" if had_state else "common.nothing_to_cancel"
    await message.answer(tr(key), reply_markup=main_menu(tr))


async def menu(message: Message, tr: Tr) -> None:
    await message.answer(tr("menu.shown"), reply_markup=main_menu(tr))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cancel, Command("cancel"))
    router.message.register(menu, Command("menu"))
    return router
