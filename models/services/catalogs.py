"""Read access to the admin-editable lists: pipelines, stages, sources.

Read from the update's session every time, never cached in the process: an admin's change
(models/services/catalog_admin.py) is seen by every picker and every process at once."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..catalog import Pipeline, Source, Stage
from ..deals import Deal
from ..users import User

# The pickers put first what this person used in this many days.
RECENT_DAYS = 180

Item = TypeVar("Item", Pipeline, Source)


class Catalogs:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def pipelines(self) -> list[Pipeline]:
        rows = await self.session.scalars(
            select(Pipeline).where(Pipeline.is_archived.is_(False)).order_by(Pipeline.position)
        )
        return list(rows)

    async def sources(self) -> list[Source]:
        rows = await self.session.scalars(
            select(Source).where(Source.is_archived.is_(False)).order_by(Source.position)
        )
        return list(rows)

    async def stages(self) -> list[Stage]:
        rows = await self.session.scalars(
            select(Stage).where(Stage.is_archived.is_(False)).order_by(Stage.position)
        )
        return list(rows)

    async def pipeline(self, pipeline_id: int) -> Pipeline | None:
        return await self.session.get(Pipeline, pipeline_id)

    async def source(self, source_id: int) -> Source | None:
        return await self.session.get(Source, source_id)

    # -- for the pickers: most used first ---------------------------------------------------
    async def pipelines_for(self, user: User, now: dt.datetime) -> list[Pipeline]:
        """Active pipelines, those of ``user``'s recent deals first (most deals first), then
        the catalog's order."""
        return _ranked(await self.pipelines(), await self._usage(Deal.pipeline_id, user, now))

    async def sources_for(self, user: User, now: dt.datetime) -> list[Source]:
        return _ranked(await self.sources(), await self._usage(Deal.source_id, user, now))

    async def _usage(self, column: Any, user: User, now: dt.datetime) -> dict[int, int]:
        """Deals per item among those ``user`` owns or entered lately: one person's deals,
        read through the owner / creator indexes (not a count over the whole company)."""
        since = now - dt.timedelta(days=RECENT_DAYS)
        rows = await self.session.execute(
            select(column, func.count(Deal.id))
            .where(
                or_(Deal.owner_id == user.id, Deal.created_by_id == user.id),
                Deal.created_at >= since,
                Deal.deleted_at.is_(None),
            )
            .group_by(column)
        )
        return {int(item_id): int(n) for item_id, n in rows if item_id is not None}


def _ranked(items: list[Item], usage: dict[int, int]) -> list[Item]:
    # sorted() is stable: equal counts keep the catalog's order.
    return sorted(items, key=lambda item: -usage.get(item.id, 0))
