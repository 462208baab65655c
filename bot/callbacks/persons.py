"""Callback data of a deal's contact persons and labelled links (handlers/deal_persons.py).

Buttons that change the deal carry its version ``v``: a stale one re-renders the card."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id, Num, OptId


class PersonAction(IntEnum):
    list = 1  # the deal's persons
    open = 2  # person ``person``
    add = 3  # ask the name of a new person
    rename = 4  # ask a new name of ``person``
    position = 5  # ask the position of ``person``
    clear_position = 6
    add_contact = 7  # ask an e-mail or phone of ``person``
    remove_contact = 8  # remove contact ``item`` of ``person``
    remove = 9  # ask to confirm removing ``person``
    remove_yes = 10
    links = 11  # the deal's labelled links
    add_link = 12  # ask a link
    remove_link = 13  # remove link ``item``


class PersonCb(CallbackData, prefix="dp"):
    action: PersonAction
    deal_id: Id
    v: Num = 0
    person: OptId = 0
    item: OptId = 0
