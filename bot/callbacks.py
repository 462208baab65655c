"""Every CallbackData of the bot, each with a short unique prefix and typed fields.

Telegram allows 64 bytes of callback data; ids are ints and actions IntEnums to stay small."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData


class LangCb(CallbackData, prefix="lg"):
    code: str


class Nav(IntEnum):
    """Generic wizard navigation."""

    back = 1
    cancel = 2
    skip = 3


class NavCb(CallbackData, prefix="nv"):
    action: Nav


class InviteCb(CallbackData, prefix="iv"):
    role: str
