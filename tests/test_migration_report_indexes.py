"""Migration 0013 (the period reports' indexes) on a database that already holds deals, notes
and events: every row stays, the five indexes exist after the upgrade and are gone after the
downgrade, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from models import Deal, DealEvent, Note, migrate
from models.db import create_engine
from tests.migration_support import NOW, old_insert, seed_old

NEW = {
    ("deals", "ix_deals_owner_created"),
    ("deals", "ix_deals_owner_status_closed"),
    ("notes", "ix_notes_author_created"),
    ("deal_events", "ix_deal_events_actor_kind_at"),
    ("deal_events", "ix_deal_events_deal_kind_at"),
}


@pytest.fixture(params=["sqlite", "postgresql"])
async def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
        return
    databases = request.getfixturevalue("postgres_databases")
    url = await databases.create(migrated=False)
    yield url
    await databases.drop(url)


async def _indexes(engine: AsyncEngine) -> set[tuple[str, str]]:
    async with engine.connect() as conn:

        def read(sync: Connection) -> set[tuple[str, str]]:
            found: set[tuple[str, str]] = set()
            inspector = inspect(sync)
            for table in ("deals", "notes", "deal_events"):
                found |= {(table, str(ix["name"])) for ix in inspector.get_indexes(table)}
            return found

        result: set[tuple[str, str]] = await conn.run_sync(read)
        return result


async def test_upgrade_keeps_rows_and_adds_the_indexes(blank_url: str) -> None:
    engine = create_engine(blank_url)
    try:
        await migrate.upgrade(engine, "0005")
        old = await seed_old(engine)
        async with engine.begin() as conn:
            await old_insert(
                conn, "deal_events",
                {"deal_id": old.deal_id, "actor_id": old.user_id, "at": NOW, "kind": "created",
                 "new": "Старая"},
                {"deal_id": old.deal_id, "actor_id": old.user_id, "at": NOW, "kind": "stage",
                 "old": "old_stage", "new": "won"},
            )  # fmt: skip
        assert not (await _indexes(engine)) & NEW
        await migrate.upgrade(engine, "0013")
        assert await _indexes(engine) >= NEW
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(Deal)) == 1
            assert await conn.scalar(select(func.count()).select_from(Note)) == 1
            assert await conn.scalar(select(func.count()).select_from(DealEvent)) == 2
            assert await conn.scalar(select(Deal.version)) == 3
            version = await conn.scalar(text("SELECT version_num FROM alembic_version"))
            assert version == "0013"
        await migrate.downgrade(engine, "0005")
        assert not (await _indexes(engine)) & NEW
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(DealEvent)) == 2
        await migrate.upgrade(engine)
        assert await _indexes(engine) >= NEW
    finally:
        await engine.dispose()
