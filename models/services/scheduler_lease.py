"""The scheduler lease (table ``scheduler_leases``): which process runs the scheduler of this
database. Taken and renewed with one conditional write each, atomic on SQLite (one writer at
a time) and PostgreSQL (the UPDATE re-checks its WHERE on a row another transaction changed):
whoever matches "mine, or expired" holds it, everyone else stands by. Services never commit:
the caller runs each call in a short transaction of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import UTCDateTime
from models.reliability import SchedulerLease
from models.sql import affected_rows, dialect_insert, table_of

_TABLE = table_of(SchedulerLease)


@dataclass(frozen=True, slots=True)
class LeaseRow:
    name: str
    holder: str
    acquired_at: dt.datetime
    expires_at: dt.datetime


async def take_or_renew(
    session: AsyncSession, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta
) -> bool:
    """Hold the lease until ``now + ttl`` if it is ours or has expired (or does not exist
    yet); False if another holder's lease is still valid."""
    c = _TABLE.c
    renewed = await session.execute(
        update(_TABLE)
        .where(c.name == name, or_(c.holder == holder, c.expires_at <= now))
        .values(
            holder=holder,
            acquired_at=case(
                (c.holder == holder, c.acquired_at), else_=literal(now, UTCDateTime())
            ),
            expires_at=now + ttl,
        )
    )
    if affected_rows(renewed):
        return True
    values = {"name": name, "holder": holder, "acquired_at": now, "expires_at": now + ttl}
    dialect = session.get_bind().dialect.name
    insert = dialect_insert(dialect, _TABLE)
    if insert is None:  # pragma: no cover - the two databases we run on
        raise NotImplementedError(dialect)
    created = await session.execute(
        insert.values(**values).on_conflict_do_nothing(index_elements=[c.name])
    )
    return bool(affected_rows(created))


async def take_over(
    session: AsyncSession, name: str, dead: str, holder: str, now: dt.datetime, ttl: dt.timedelta
) -> bool:
    """Take the lease from ``dead`` (a holder known to be gone) before it expires; False when
    the row changed meanwhile (someone else took it)."""
    c = _TABLE.c
    result = await session.execute(
        update(_TABLE)
        .where(c.name == name, c.holder == dead)
        .values(holder=holder, acquired_at=now, expires_at=now + ttl)
    )
    return bool(affected_rows(result))


async def release(session: AsyncSession, name: str, holder: str, now: dt.datetime) -> bool:
    """A clean shutdown: the lease ends now (a standby takes it at its next try). The row
    stays, naming the last holder."""
    c = _TABLE.c
    result = await session.execute(
        update(_TABLE).where(c.name == name, c.holder == holder).values(expires_at=now)
    )
    return bool(affected_rows(result))


async def current(session: AsyncSession, name: str) -> LeaseRow | None:
    """The lease as the database has it (for a health check: who holds it, until when)."""
    c = _TABLE.c
    row = (
        await session.execute(
            select(c.name, c.holder, c.acquired_at, c.expires_at).where(c.name == name)
        )
    ).first()
    return LeaseRow(row.name, row.holder, row.acquired_at, row.expires_at) if row else None
