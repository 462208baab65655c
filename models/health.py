"""What the health check reports: the database answers, the schema is at the newest migration,
and when the scheduler last showed signs of life."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from .migrate import alembic_config
from .reliability import SchedulerLease


@dataclass(frozen=True)
class Health:
    database: bool
    revision: str | None
    head: str
    scheduler_seen_at: dt.datetime | None  # the scheduler lease's last renewal

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
    seen = await session.scalar(select(SchedulerLease.acquired_at).order_by(SchedulerLease.name))
    return Health(True, revision, HEAD, seen)
