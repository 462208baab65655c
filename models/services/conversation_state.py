"""Conversation state rows (table ``fsm_states``): the SQL behind the bot's FSM storage.

One row per conversation key holds the state name, the data as JSON text and when both stop
counting. No row means "no state, no data". A row whose ``expires_at`` has passed is kept (until
pruned) so the bot can tell a person that the prompt they answer has expired. Every function
works on the session it is given and never commits: inside an update that is the update's own
transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import Executable, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.reliability import FsmState
from models.sql import UPSERT_DIALECTS, affected_rows, dialect_insert, table_of

EMPTY_DATA = "{}"


@dataclass(frozen=True, slots=True)
class StoredState:
    state: str | None
    data: str  # JSON text of a dict
    expires_at: dt.datetime | None

    def live(self, now: dt.datetime) -> bool:
        return self.expires_at is None or now < self.expires_at

    @property
    def empty(self) -> bool:
        return self.state is None and self.data == EMPTY_DATA


# Core statements over the table (no ORM objects): the state is read on every update.
_TABLE = table_of(FsmState)
_SELECT = select(_TABLE.c.state, _TABLE.c.data, _TABLE.c.expires_at)


async def load(session: AsyncSession, key: str) -> StoredState | None:
    row = (await session.execute(_SELECT.where(_TABLE.c.key == key))).first()
    if row is None:
        return None
    return StoredState(row.state, row.data, row.expires_at)


async def load_all(session: AsyncSession, limit: int) -> dict[str, StoredState] | None:
    """Every row, or None when there are more than ``limit`` (the caller then reads per key)."""
    query = select(_TABLE.c.key, _TABLE.c.state, _TABLE.c.data, _TABLE.c.expires_at)
    result = (await session.execute(query.limit(limit + 1))).all()
    if len(result) > limit:
        return None
    return {row.key: StoredState(row.state, row.data, row.expires_at) for row in result}


def _upsert(dialect: str) -> Executable | None:
    insert = dialect_insert(dialect, _TABLE)
    if insert is None:
        return None
    return insert.on_conflict_do_update(
        index_elements=[_TABLE.c.key],
        set_={name: insert.excluded[name] for name in _WRITTEN if name != "key"},
    )


_WRITTEN = ("key", "state", "data", "updated_at", "expires_at")
# Built once: the state is written by most updates that change anything, and building an
# upsert (its ``excluded`` columns) cost more than running it.
_UPSERTS = {name: _upsert(name) for name in UPSERT_DIALECTS}
_DELETE = delete(_TABLE).where(_TABLE.c.key == bindparam("key"))
_INSERT = _TABLE.insert()

Statement: TypeAlias = tuple[Executable, dict[str, Any]]


def write_statements(dialect: str, key: str, row: StoredState, now: dt.datetime) -> list[Statement]:
    """The statements (with their parameters) that make the row ``row`` (an empty one: no
    row). One where the dialect has an upsert. Built apart from their execution: the bot's
    storage runs them when the update's transaction commits (one statement however many
    times a handler changed the state)."""
    if row.empty:
        return [(_DELETE, {"key": key})]
    values = {
        "key": key,
        "state": row.state,
        "data": row.data,
        "updated_at": now,
        "expires_at": row.expires_at,
    }
    upsert = _UPSERTS.get(dialect)
    if upsert is None:  # no upsert: replace the row (same transaction, so nobody sees the gap)
        return [(_DELETE, {"key": key}), (_INSERT, values)]
    return [(upsert, values)]


async def prune(session: AsyncSession, before: dt.datetime) -> int:
    """Forget rows that expired before ``before`` (nobody will be told about them any more)."""
    result = await session.execute(delete(_TABLE).where(_TABLE.c.expires_at < before))
    return affected_rows(result)
