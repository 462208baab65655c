"""The deal card's one SELECT: the deal with its relations, its last notes and its number of
files (models.services.deals.Deals.get_for). Kept apart from the service: the statement is
built once per dialect (building an ORM select with its options and its cache key costs
~0.2 ms, as much as a round trip to SQLite), and its notes column needs parsing."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from sqlalchemy import Text, bindparam, cast, func, select
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from ..catalog import Stage
from ..deals import Deal, Note
from ..files import DealFile
from ..sql import AnySelect

LAST_NOTES_ON_CARD = 3

# The card's last notes as one JSON column of the deal's row, not as joined rows: joined,
# every note multiplied the rows of the contacts and persons, and the ORM built a Note per
# row (~0.17 ms of a card's 0.75). Every column of Note but deal_id, which is the deal's.
_NOTE_FIELDS = ("id", "number", "text", "happened_on", "author_id", "created_at")


def _last_notes_column(dialect: str) -> Any:
    last = (
        select(*(getattr(Note, name) for name in _NOTE_FIELDS))
        .where(Note.deal_id == Deal.id)
        .order_by(Note.number.desc())
        .limit(LAST_NOTES_ON_CARD)
        .correlate(Deal)
        .subquery("last_notes")
    )
    fields = [last.c[name] for name in _NOTE_FIELDS]
    if dialect == "postgresql":
        rows = func.json_agg(func.json_build_array(*fields))
    else:
        rows = func.json_group_array(func.json_array(*fields))
    # As text: asyncpg would decode json into a list, which the joined load's uniquing cannot
    # hash; both databases give a string, parsed by _notes_of.
    return select(cast(rows, Text)).scalar_subquery()


@cache
def load_statement(with_stage: bool, dialect: str) -> AnySelect:
    stmt = (
        select(Deal, _last_notes_column(dialect).label("last_notes"))
        .where(Deal.id == bindparam("deal_id"))
        .options(
            joinedload(Deal.stage),
            joinedload(Deal.pipeline),
            joinedload(Deal.source),
            joinedload(Deal.owner),
            joinedload(Deal.contacts),
            joinedload(Deal.persons),
        )
    )
    if with_stage:
        stmt = stmt.add_columns(Stage).outerjoin(Stage, Stage.id == bindparam("stage_id"))
    # The card's 📎 count in the same query (an index lookup), not a statement of its own.
    files = select(func.count(DealFile.id)).where(DealFile.deal_id == Deal.id).correlate(Deal)
    return stmt.add_columns(files.scalar_subquery().label("files_total"))


def notes_of(session: Session, deal: Deal, value: Any) -> list[Note]:
    """The JSON column of ``_last_notes_column`` as the session's Note objects, oldest
    first: as if the ORM had loaded them (one already in the session is that one, unchanged;
    the others join it, so a change to a note shows on the card rendered after it)."""
    rows = json.loads(value) if isinstance(value, str | bytes) else (value or [])
    notes = []
    for note_id, number, text, happened_on, author_id, created_at in rows:
        if note_id is None:  # json_agg over no row gives NULL, json_group_array gives []
            continue
        note = session.identity_map.get(identity_key(Note, note_id))
        if note is None:
            note = Note(
                id=note_id,
                deal_id=deal.id,
                number=number,
                text=text,
                happened_on=dt.date.fromisoformat(happened_on),
                author_id=author_id,
                # stored as naive UTC (models/base.py); SQLite's text or PostgreSQL's ISO form
                created_at=dt.datetime.fromisoformat(created_at).replace(tzinfo=dt.UTC),
            )
            make_transient_to_detached(note)
            session.add(note)  # persistent and clean: nothing to write
        notes.append(note)
    return sorted(notes, key=lambda note: note.number)
