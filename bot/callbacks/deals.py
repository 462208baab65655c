"""Callback data of the deal card: one class, the action says which button it is."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id, Num


class DealAction(IntEnum):
    open = 1
    note = 2
    stage = 3
    next_date = 4
    edit = 5
    history = 6
    delete = 7
    reassign = 8
    restore = 9
    hard_delete = 10
    refresh = 11


class DealCb(CallbackData, prefix="d"):
    action: DealAction
    deal_id: Id
    # The deal version the button was drawn for (0: any). A button of an older version is
    # stale: the handler re-renders the current card instead of applying it.
    v: Num = 0
