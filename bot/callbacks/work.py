"""Callback data of working on a deal from its card: notes, stage moves, the next-step picker.

The date buttons themselves are ``bot.keyboards.dates.DateCb`` with ``ctx`` = the deal id
(never 0: ctx 0 belongs to the creation wizard)."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id, Num, OptId


class StageAct(IntEnum):
    pick = 1  # a stage of the picker (stage_id)
    reason = 2  # a listed reason for lost / paused (r = index in the reason list)
    other = 3  # "Other reason": type it
    confirm = 4  # won: the amount shown is right
    amount = 5  # won: type another amount
    picker = 6  # (back to) the list of stages


class StageCb(CallbackData, prefix="ws"):
    act: StageAct
    deal_id: Id
    stage_id: OptId = 0
    # The deal version the button was drawn for: a stale button re-renders the card.
    v: Num = 0
    r: Num = 0


class NoteAct(IntEnum):
    date_menu = 1  # show "when did it happen" chips
    days_ago = 2  # happened ``days`` days ago (0 = today)
    type_date = 3  # type the date
    back = 4  # back to the "note saved" view


class NoteCb(CallbackData, prefix="wn"):
    act: NoteAct
    note_id: Id
    days: Num = 0


class WorkAct(IntEnum):
    close = 1  # leave the picker: the plain card again
    dates = 2  # (back to) the next-step date chips
    timed = 3  # "⏰ time": the chips again, and a picked day then asks its time


class WorkCb(CallbackData, prefix="wk"):
    act: WorkAct
    deal_id: Id
