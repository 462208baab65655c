"""Bounded field types of callback data.

aiogram's ``CallbackData.unpack`` validates with pydantic: a value outside its field's range
fails to unpack, so the handler's filter does not match and the press reaches the fallback,
which answers "this button is out of date". A forged or mangled button thus never reaches a
handler with an id the database cannot hold (beyond BIGINT) or an index beyond its list."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from models.ids import MAX_ID, MAX_INT32

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A row id (deal, note, user, team...)."""
OptId = Annotated[int, Field(ge=0, le=MAX_ID)]
"""A row id, or 0 for "none" / "any"."""
Num = Annotated[int, Field(ge=0, le=MAX_INT32)]
"""A small non-negative number: a version, a page, an index, a packed date or time."""
