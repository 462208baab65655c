"""Callback data of the generic parts: language, invites, wizard navigation."""

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
