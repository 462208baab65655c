"""What the health check reports: the database answers, the schema is at the newest migration,
and when the scheduler last showed signs of life."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from .migrate import alembic_config
from .reliability import SchedulerLease


@dataclass(frozen=True)
class Health:
    database: bool
    revision: str | None
    head: str
    # The scheduler renews its lease every third of its time (scheduler/lease.py): a lease
    # that has lapsed means no scheduler ran lately.
    scheduler_lease_until: dt.datetime | None

    @property
    def migrations_at_head(self) -> bool:
        return self.revision == self.head


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


HEAD = head_revision()


async def check(session: AsyncSession) -> Health:
    await session.execute(text("SELECT 1"))
    revision = await session.scalar(text("SELECT version_num FROM alembic_version"))
    until = await session.scalar(select(func.max(SchedulerLease.expires_at)))
    if until is not None and until.tzinfo is None:  # max() bypasses the column's type
        until = until.replace(tzinfo=dt.UTC)
    return Health(True, revision, HEAD, until)
