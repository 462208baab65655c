"""Callback data of editing a deal: the field menu and pickers, history pages, delete /
restore / hard delete confirmations, and the new-owner picker.

Buttons that change the deal carry its version ``v``: a stale one re-renders the card."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id, Num, OptId


class EditField(IntEnum):
    none = 0
    title = 1
    client = 2
    company = 3
    contacts = 4
    pipeline = 5
    source = 6
    amount = 7


class EditAction(IntEnum):
    menu = 1  # show the field menu
    ask = 2  # open the editor of ``field`` (a prompt, a picker or the contact list)
    page = 3  # another page of the picker of ``field``
    pipeline = 4  # move to pipeline ``item``
    source = 5  # set source ``item`` (0: none)
    clear = 6  # empty the optional ``field``
    add_contact = 7  # ask for a new contact
    remove_contact = 8  # remove contact ``item``
    close = 9  # back to the card


class EditCb(CallbackData, prefix="ef"):
    action: EditAction
    deal_id: Id
    v: Num = 0
    field: EditField = EditField.none
    item: OptId = 0
    page: Num = 0


class HistoryCb(CallbackData, prefix="eh"):
    deal_id: Id
    page: Num = 0


class RemoveAction(IntEnum):
    confirm = 1  # yes, move to the trash
    hard_sure = 2  # first "delete forever" confirmation passed: ask once more
    hard_final = 3  # delete forever
    back = 4  # back to the (deleted) card


class RemoveCb(CallbackData, prefix="ex"):
    action: RemoveAction
    deal_id: Id
    v: Num = 0


class ReassignAction(IntEnum):
    page = 1  # page ``item`` of the candidates
    pick = 2  # hand the deal to user ``item``


class ReassignCb(CallbackData, prefix="er"):
    action: ReassignAction
    deal_id: Id
    v: Num = 0
    item: OptId = 0
