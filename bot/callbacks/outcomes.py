"""Callback data of the one-tap outcomes on list and digest rows (handlers/outcomes.py).

A row button carries the deal, the version it was drawn for and the list it sits on (that
list's page and owner filter), so the handler can tell a stale row and redraw the right list
in place, as the user saw it. Only the owner filter rides along: it is the one Today and
Overdue offer (a lead's "whose"); with pipeline and stage too the data could pass Telegram's
64 bytes (at most 50 with the owner)."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId


class Out(IntEnum):
    no_answer = 1  # a "no answer" note, then tomorrow
    plus1 = 2
    plus3 = 3
    next_week = 4
    more = 5  # show this row's other choices
    less = 6  # back to the short row
    rest = 7  # "move the rest to tomorrow?"
    rest_yes = 8
    rest_no = 9
    note = 10  # "✓": the card's note flow, the next date, then "back to the list" on the card
    back = 11  # that card's "back": the list it came from, redrawn in the card's place
    stage = 12  # "🔀": the card's stage flow, then "back to the list" on the card, as "✓"
    dates = 13  # "📅": the card's next-date flow, idem


class Src(IntEnum):
    """The message a row sits on (redrawn in place after an outcome)."""

    today = 1
    overdue = 2
    digest = 3
    no_next = 4


class OutCb(CallbackData, prefix="oc"):
    act: Out
    src: Src
    deal_id: OptId = 0
    v: Num = 0
    page: Num = 1
    owner: OptId = 0  # the list's owner filter (0: none); checked against the viewer's rights
