"""A forwarded message's text kept as a note with the day it was written (its
``forward_origin.date``, in the user's timezone), not the day it was forwarded. Used by
capture (a note on a found deal, note 01 of a new one) and by the New-deal wizard, which
keeps the texts forwarded into it (``remember_forward``) and adds them once the deal exists
(``add_pending_notes``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any

from aiogram.types import Message

from models.crm import Crm
from models.deals import Deal, Note
from models.services.notes import EARLIEST_NOTE_DAY, MAX_NOTE
from models.timeutil import local_now, local_today
from models.users import User

PENDING = "fwd_notes"  # the wizard data's list of {"text", "on"}
MAX_PENDING = 10


def forwarded_note(message: Message, timezone: str) -> dict[str, str] | None:
    """{"text", "on": ISO date} of a forwarded text (or caption), else None."""
    origin = message.forward_origin
    text = message.text or message.caption
    if origin is None or not text or not text.strip() or len(text) > MAX_NOTE:
        return None
    return {"text": text, "on": local_now(origin.date, timezone).date().isoformat()}


def remember_forward(data: MutableMapping[str, Any], message: Message, timezone: str) -> None:
    """In the wizard: a forwarded text is kept for the deal being created."""
    note = forwarded_note(message, timezone)
    pending = list(data.get(PENDING) or [])
    if note is not None and len(pending) < MAX_PENDING:
        data[PENDING] = [*pending, note]


def note_day(iso: str | None, crm: Crm, user: User) -> dt.date | None:
    """The note's day: the message's own, unless it is implausible (then today's)."""
    if not iso:
        return None
    day = dt.date.fromisoformat(iso)
    today = local_today(crm.clock(), user.timezone)
    return day if EARLIEST_NOTE_DAY <= day <= today else None


async def add_note(crm: Crm, user: User, deal: Deal, note: dict[str, str]) -> Note:
    day = note_day(note.get("on"), crm, user)
    return await crm.notes.add(user, deal, note["text"], happened_on=day)


async def add_pending_notes(crm: Crm, user: User, deal: Deal, data: dict[str, Any]) -> None:
    """The texts forwarded into the wizard become the new deal's first notes, in order."""
    for note in data.get(PENDING) or []:
        await add_note(crm, user, deal, note)
