"""Read access to the admin-editable lists: pipelines, stages, sources."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..catalog import Pipeline, Source, Stage


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
