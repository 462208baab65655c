"""Callback data of the daily rhythm: stale limits ("stl"), early reminders ("erl"), the week
view ("wkv") and out of office ("awy")."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId


class StaleAction(IntEnum):
    show = 1  # the list of stages and their limits
    stage = 2  # a stage was picked: type its limit
    off = 3  # switch the stage's limit off


class StaleCb(CallbackData, prefix="stl"):
    action: StaleAction
    stage_id: OptId = 0


class EarlyCb(CallbackData, prefix="erl"):
    """``minutes`` = 0 shows the picker; 1..: that choice (EARLY_OFF: off)."""

    minutes: Num = 0


class WeekCb(CallbackData, prefix="wkv"):
    """Show the week view: ``edit`` = 1 redraws the message (its own refresh button), 0 sends
    it anew (from the Today list)."""

    edit: Num = 0


class AwayAction(IntEnum):
    day = 1  # value = the last day away, YYYYMMDD
    substitute = 2  # value = the colleague's user id (0: nobody)
    off = 3  # end the absence now
    cancel = 4


class AwayCb(CallbackData, prefix="awy"):
    action: AwayAction
    value: Num = 0
    until: Num = 0  # the chosen day (YYYYMMDD), carried to the colleague picker
