"""Migration 0009 (files on a deal) on a database that already holds deals: every row stays,
the new table works (a file of a deal, gone with a hard-deleted deal), and the downgrade
drops only the new table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, inspect, select

from models import Deal, DealFile, migrate
from models.crm import Crm
from models.db import create_engine, create_session_factory
from models.roles import Role
from models.seed import seed_defaults
from models.services.accounts import Profile
from models.services.deals import DealDraft


async def test_upgrade_keeps_every_row_and_downgrade_drops_only_the_files(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate.upgrade(engine, "0004")
        async with create_session_factory(engine)() as session, session.begin():
            await seed_defaults(session)
            crm = Crm(session)
            user = crm.accounts._new_user(Profile(5, "Иван Петров"), Role.manager, None, "ru")
            session.add(user)
            await session.flush()
            deal = await crm.deals.create(user, DealDraft(client_name="Старая"))
            deal.version = 3
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(Deal)) == 1
            assert await conn.scalar(select(Deal.version)) == 3
            await conn.execute(
                DealFile.__table__.insert().values(  # type: ignore[attr-defined]
                    deal_id=1,
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
