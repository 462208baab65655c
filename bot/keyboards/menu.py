"""The persistent main menu and small generic keyboards."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import LangCb
from bot.i18n import Tr

MENU_KEYS = (
    "menu.new_deal",
    "menu.today",
    "menu.overdue",
    "menu.my_deals",
    "menu.search",
    "menu.stats",
    "menu.report",
)


def main_menu(tr: Tr) -> ReplyKeyboardMarkup:
    buttons = [KeyboardButton(text=tr(key)) for key in MENU_KEYS]
    return ReplyKeyboardMarkup(
        keyboard=[buttons[0:2], buttons[2:4], buttons[4:7]],
        resize_keyboard=True,
        is_persistent=True,
        input_field_placeholder=tr("menu.placeholder")[:64],
    )


def language_keyboard(tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("lang.ru"), callback_data=LangCb(code="ru"))
    builder.button(text=tr("lang.en"), callback_data=LangCb(code="en"))
    return builder.as_markup()
