"""Callback data of the generic parts: language and invites."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from models.roles import Role


class LangCb(CallbackData, prefix="lg"):
    code: str


class InviteCb(CallbackData, prefix="iv"):
    role: Role  # not a role: the button does not unpack (the fallback answers)
