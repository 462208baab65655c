"""Migration 0015 (the intake's outbox) on a database that already holds a web request:
every row stays, the outbox takes a row for the request (gone with it), and the downgrade
drops only the outbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import delete, func, inspect, select

from models import IntakeOutbox, IntakeRequest, migrate
from models.db import create_engine
from tests.migration_support import NOW, old_insert, seed_old


async def test_upgrade_keeps_the_requests_and_downgrade_drops_only_the_outbox(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate.upgrade(engine, "0013")
        old = await seed_old(engine)
        async with engine.begin() as conn:
            [form] = await old_insert(
                conn, "intake_forms", {"name": "Лендинг", "token_hash": "h" * 64, "created_at": NOW}
            )
            [request] = await old_insert(
                conn,
                "intake_requests",
                {"form_id": form, "deal_id": old.deal_id, "kind": "new", "created_at": NOW},
            )
        await migrate.upgrade(engine, "0015")
        async with engine.begin() as conn:
            assert await conn.scalar(select(IntakeRequest.id)) == request
            await conn.execute(
                IntakeOutbox.__table__.insert().values(  # type: ignore[attr-defined]
                    request_id=request, payload="{}", created_at=dt.datetime.now(dt.UTC)
                )
            )
        async with engine.begin() as conn:
            assert await conn.scalar(select(func.count()).select_from(IntakeOutbox)) == 1
            await conn.execute(delete(IntakeRequest))
            # Gone with its request (ON DELETE CASCADE; SQLite's foreign keys are on).
            assert await conn.scalar(select(func.count()).select_from(IntakeOutbox)) == 0
        await migrate.downgrade(engine, "0013")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
            assert "intake_outbox" not in tables and "intake_requests" in tables
    finally:
        await engine.dispose()
