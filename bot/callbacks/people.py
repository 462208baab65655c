"""Callback data of /people (the list, a person's card and its actions) and /profile."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId


class PeopleAction(IntEnum):
    page = 1  # the list, page ``page``
    open = 2  # a person's card
    deactivate = 3  # ask to confirm
    deactivate_yes = 4
    reactivate = 5
    roles = 6  # the role picker
    set_role = 7  # ``item``: index in ROLE_ORDER + 1
    teams = 8  # the team picker
    set_team = 9  # ``item``: team id, 0 for none
    handover = 10  # the new-owner picker
    handover_pick = 11  # ``item``: new owner; ask to confirm
    handover_yes = 12  # ``item``: new owner; do it


class PeopleCb(CallbackData, prefix="pp"):
    action: PeopleAction
    user_id: OptId = 0
    item: OptId = 0
    page: Num = 0


class ProfileAction(IntEnum):
    show = 1
    edit_name = 2  # ask for the name
    edit_email = 3  # ask for the e-mail
    clear_email = 4
    prefixes = 5  # the title prefix picker
    set_prefix = 6  # ``item``: index in PREFIX_ORDER


class ProfileCb(CallbackData, prefix="pf"):
    action: ProfileAction
    item: Num = 0
