"""Callback data of deal lists and search. A list button carries the whole list state (kind,
page, filters), so paging needs no server-side state; only the search text lives in FSM data
(it does not fit in 64 bytes) and ``q`` says which search a button was drawn for."""

from __future__ import annotations

from enum import IntEnum
from typing import Self

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id, Num, OptId
from models.services.deal_lists import ListKind


class Back(IntEnum):
    """The list "no next step" was opened from (its ListKind value), for "‹ back"."""

    none = 0
    today = ListKind.today.value
    overdue = ListKind.overdue.value


class ListCb(CallbackData, prefix="dl"):
    """Show a page of a list (pages, the counter, filter choices, "back to the list")."""

    kind: ListKind
    page: Num = 1
    pipeline: OptId = 0
    stage: OptId = 0
    owner: OptId = 0
    q: Num = 0  # the search serial number (search lists only)
    back: Back = Back.none  # "no next step" opened from Today / Overdue: "‹ back" to it

    @classmethod
    def unpack(cls, value: str) -> Self:
        """Buttons drawn before ``back`` existed (one field less) still work: no back."""
        if value.count(cls.__separator__) == len(cls.model_fields) - 1:
            value += cls.__separator__ + "0"
        return super().unpack(value)


class Pick(IntEnum):
    pipeline = 1
    stage = 2
    owner = 3


class ListPickCb(CallbackData, prefix="dlf"):
    """Open a filter picker over the list; the current filters ride along for "Back"."""

    kind: ListKind
    what: Pick
    pipeline: OptId = 0
    stage: OptId = 0
    owner: OptId = 0
    page: Num = 1  # page of the picker itself (people)


class DeletedOpenCb(CallbackData, prefix="dlx"):
    """Open a soft-deleted deal's card (where Restore lives)."""

    deal_id: Id


class SearchAction(IntEnum):
    cancel = 1
    again = 2


class SearchCb(CallbackData, prefix="dls"):
    action: SearchAction
