"""Migration 0009 (files on a deal) on a database that already holds deals: every row stays,
the new table works (a file of a deal, gone with a hard-deleted deal), and the downgrade
drops only the new table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, inspect, select

from models import Deal, DealFile, migrate
from models.db import create_engine
from tests.migration_support import seed_old


async def test_upgrade_keeps_every_row_and_downgrade_drops_only_the_files(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate.upgrade(engine, "0004")
        old = await seed_old(engine)  # at 0004's schema (a later migration may add columns)
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(Deal)) == 1
            assert await conn.scalar(select(Deal.version)) == 3
            await conn.execute(
                DealFile.__table__.insert().values(  # type: ignore[attr-defined]
                    deal_id=old.deal_id,
                    kind="document",
                    file_id="f",
                    file_unique_id="u",
                    name="КП.pdf",
                    size=1000,
                    created_at=func.current_timestamp(),
                )
            )
            await conn.commit()
            assert await conn.scalar(select(func.count()).select_from(DealFile)) == 1
        await migrate.downgrade(engine, "0004")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
            assert "deal_files" not in tables
            assert await conn.scalar(select(func.count()).select_from(Deal)) == 1
    finally:
        await engine.dispose()
