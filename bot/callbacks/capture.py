"""Callback data of capture: a forwarded message, a shared contact or a typed phone/e-mail
shown with its matching deals."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId


class CaptureAct(IntEnum):
    note = 1  # add the forwarded text as a note of deal_id
    open = 2  # open deal_id
    new = 3  # a new deal pre-filled with what was found
    cancel = 4


class CaptureCb(CallbackData, prefix="cap"):
    act: CaptureAct
    deal_id: OptId = 0
    # Which capture the button belongs to (the captured message's id): a button of an older
    # capture finds other data and is answered "out of date".
    t: Num = 0
