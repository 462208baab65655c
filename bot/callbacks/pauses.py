"""Callback data of "paused until when?" (handlers/pauses.py)."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id, Num


class PauseAct(IntEnum):
    until = 1  # d = the return date (YYYYMMDD)
    calendar = 2  # d = the first day of the month to show
    later = 3  # no date now: the deal goes on the "no next step" list


class PauseCb(CallbackData, prefix="pz"):
    act: PauseAct
    deal_id: Id
    d: Num = 0
