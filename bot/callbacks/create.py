"""Callback data of the deal creation wizard (prefix "nd": new deal).

Every button carries the wizard's token ``w`` (a new one per wizard) and the step ``s`` it
was drawn for, so a button of a closed or older wizard, or a second tap on a button whose
step is already done, is recognised and answered instead of applied twice. Date buttons
are ``bot.keyboards.dates.DateCb`` with ``ctx=0`` (the card's date buttons use the deal id)."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId


class Step(IntEnum):
    """Wizard steps; names equal the FSM state names of handlers.create_steps.CreateDeal."""

    client = 1
    contacts = 2
    duplicates = 3
    pipeline = 4
    source = 5
    amount = 6
    next_date = 7
    next_time = 8
    owner = 9
    confirm = 10
    title = 11
    quick_fix = 12


class CreateAction(IntEnum):
    back = 1
    cancel = 2
    skip = 3
    done = 4
    undo = 5  # remove the last contact
    pipeline = 6  # i = pipeline id
    source = 7  # i = source id
    page = 8  # i = page number of the list on this step
    owner = 9  # i = user id
    open_dup = 10  # i = deal id
    create_anyway = 11
    create = 12
    edit_title = 13
    reset_title = 14
    drop_bad = 15  # continue without the contact that could not be parsed


class CreateCb(CallbackData, prefix="nd"):
    action: CreateAction
    w: Num
    s: Step
    i: OptId = 0
