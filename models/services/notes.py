"""Notes of a deal: the text of a letter or the protocol of a call, with the day it happened,
numbered 01, 02, ... per deal in creation order."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import BindParameter, bindparam, func, insert, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.dml import ReturningInsert

from ..deals import Deal, EventKind, Note
from ..errors import InvalidInput, NotFound
from ..sql import table_of
from ..timeutil import local_today
from ..users import User
from .deal_writes import insert_events
from .deals import clean_text

if TYPE_CHECKING:
    from ..crm import Crm

# Telegram's limit for one message: whatever a user can send is kept whole.
MAX_NOTE = 4096
# A call "happened" on a day of this century; older dates are typos.
EARLIEST_NOTE_DAY = dt.date(2000, 1, 1)


@cache
def _insert_note() -> ReturningInsert[int, int]:
    """Built once (building and keying it costs ~0.2 ms); the values are bound parameters."""
    table = table_of(Note)
    deal_id: BindParameter[int] = bindparam("deal_id")
    number = (
        select(func.coalesce(func.max(table.c.number), 0) + 1)
        .where(table.c.deal_id == deal_id)
        .scalar_subquery()
    )
    return (
        insert(table)
        .values(
            deal_id=deal_id,
            number=number,
            text=bindparam("text"),
            happened_on=bindparam("happened_on"),
            author_id=bindparam("author_id"),
            created_at=bindparam("created_at"),
        )
        .returning(table.c.id, table.c.number)
    )


class Notes:
    def __init__(self, crm: Crm) -> None:
        self.session = crm.session
        self.clock = crm.clock
        self.deals = crm.deals

    def today(self, actor: User) -> dt.date:
        return local_today(self.clock(), actor.timezone)

    async def add(
        self, actor: User, deal: Deal, text: str | None, *, happened_on: dt.date | None = None
    ) -> Note:
        """A new note numbered max + 1. ``deal`` comes from ``crm.deals.get_for(actor, id,
        for_edit=True)``, which checked the rights. The text is kept whole (refused, never
        cut, above ``MAX_NOTE``)."""
        body = clean_text(text, MAX_NOTE, key="note")
        if body is None:
            raise InvalidInput("note.empty")
        day = self._checked_day(actor, happened_on) if happened_on else self.today(actor)
        # The deal first: its UPDATE (version + update time) serialises concurrent notes of
        # one deal (a row lock on PostgreSQL, the write lock on SQLite) before the max is read.
        # A note is a contact with the client (models/staleness.py): same statement.
        # One statement: the number (max + 1) is computed by the INSERT itself, which rides
        # with the deal's UPDATE (one round trip on SQLite).
        values = {
            "deal_id": deal.id,
            "text": body,
            "happened_on": day,
            "author_id": actor.id,
            "created_at": self.clock(),
        }
        inserted = await self.deals.write(
            deal, {"last_contact_at": self.clock()}, then=(_insert_note(), values)
        )
        assert inserted is not None
        note_id, number = (int(value) for value in inserted.one())  # RETURNING id, number
        # The row as an object (detached: it is written already) for the card and buttons.
        note = Note(id=note_id, number=number, **values)
        make_transient_to_detached(note)
        self.deals.noted(deal, note)
        await insert_events(
            self.session, [self.deals.event(deal, actor, EventKind.note, new=f"{number:02d}")]
        )
        return note

    async def get_for(self, actor: User, note_id: int) -> tuple[Note, Deal]:
        """The note and its deal, if ``actor`` may change the deal (rights as for the deal)."""
        note = await self.session.get(Note, note_id)
        if note is None:
            raise NotFound("note.gone")
        deal = await self.deals.get_for(actor, note.deal_id, for_edit=True)
        return note, deal

    async def set_happened_on(self, actor: User, note: Note, deal: Deal, day: dt.date) -> bool:
        """Change the day the call or letter happened; False when it already was that day.
        A note date change is a DealEvent(kind=note, field="happened_on"), so reports that
        count new notes must count Note rows (or note events without a field)."""
        day = self._checked_day(actor, day)
        if note.happened_on == day:
            return False
        self.deals.record(
            deal,
            actor,
            EventKind.note,
            field="happened_on",
            old=f"{note.number:02d}: {note.happened_on.isoformat()}",
            new=f"{note.number:02d}: {day.isoformat()}",
        )
        note.happened_on = day
        self.deals.touch(deal)  # the card shows the date: its buttons must notice
        await self.session.flush()
        return True

    def _checked_day(self, actor: User, day: dt.date) -> dt.date:
        if day > self.today(actor):
            raise InvalidInput("note.date_future")
        if day < EARLIEST_NOTE_DAY:
            raise InvalidInput("note.date_too_old")
        return day
