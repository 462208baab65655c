"""The schema is managed by Alembic: upgrade -> downgrade -> upgrade works on a fresh database,
and the migrations produce exactly what the models declare."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from models import Base, Pipeline, Source, Stage, StageKind, Team, User, migrate
from models.db import create_engine, create_session_factory
from models.roles import Role
from models.seed import PIPELINES, SOURCES, STAGES, seed_defaults

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["sqlite", "postgresql"])
async def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database on each of the two databases the bot supports (PostgreSQL only with
    TEST_DATABASE_URL): the comparison below runs on both in one run."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 's.db'}"
        return
    databases = request.getfixturevalue("postgres_databases")
    url = await databases.create(migrated=False)
    yield url
    await databases.drop(url)


async def _model_diff(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata
            )
        )


async def test_stairway_upgrade_downgrade_upgrade(blank_url: str) -> None:
    engine = create_engine(blank_url)
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"deals", "users", "notes", "deal_events", "sent_notifications"} <= tables
        await migrate.downgrade(engine, "base")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert tables <= {"alembic_version"}
        await migrate.upgrade(engine)
        diff = await _model_diff(engine)
        assert diff == [], f"models and migrations disagree: {diff}"
    finally:
        await engine.dispose()


async def test_a_team_lead_must_be_a_user(blank_url: str) -> None:
    """teams.lead_id -> users.id exists on both databases (0001 left it out on PostgreSQL;
    0004 adds it), and deleting the lead empties the field (ON DELETE SET NULL)."""
    engine = create_engine(blank_url)
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            keys = await conn.run_sync(lambda c: inspect(c).get_foreign_keys("teams"))
        assert [(k["constrained_columns"], k["referred_table"]) for k in keys] == [
            (["lead_id"], "users")
        ]
        now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(insert(Team).values(name="Юг", lead_id=999, created_at=now))
        async with engine.begin() as conn:
            team_id = (
                await conn.execute(
                    insert(Team).values(name="Юг", created_at=now).returning(Team.id)
                )
            ).scalar_one()
            await conn.execute(
                insert(User).values(
                    telegram_id=1,
                    full_name="Анна",
                    role=Role.lead,
                    team_id=team_id,
                    timezone="UTC",
                    language="ru",
                    created_at=now,
                )
            )
            lead_id = (await conn.execute(select(User.id))).scalar_one()
            await conn.execute(update(Team).values(lead_id=lead_id))
            await conn.execute(delete(User))
            assert (await conn.execute(select(Team.lead_id))).scalar_one() is None
    finally:
        await engine.dispose()


async def test_alembic_cli_uses_database_url(tmp_path: Path) -> None:
    """``alembic upgrade head`` (for developers) migrates DATABASE_URL, not alembic.ini's."""
    import asyncio
    import os
    import sys

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "DATABASE_URL": url}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "alembic",
        "upgrade",
        "head",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(proc.communicate(), 60))[0].decode()
    assert proc.returncode == 0, output
    engine = create_engine(url)
    try:
        assert await _model_diff(engine) == []
    finally:
        await engine.dispose()


async def test_seed_is_complete_and_idempotent(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        await migrate.upgrade(engine)
        factory = create_session_factory(engine)
        for _ in range(2):
            async with factory() as session, session.begin():
                await seed_defaults(session)
        async with factory() as session:
            stages = list(await session.scalars(select(Stage).order_by(Stage.position)))
            assert [s.name for s in stages] == [name for _, name, _, _ in STAGES]
            assert [s.kind for s in stages][-3:] == [
                StageKind.won,
                StageKind.paused,
                StageKind.lost,
            ]
            pipelines = list(await session.scalars(select(Pipeline)))
            assert len(pipelines) == len(PIPELINES)
            assert [p.name for p in pipelines if p.is_unsorted] == ["10 Неразобранные"]
            names = list(await session.scalars(select(Source.name).order_by(Source.position)))
            assert len(names) == len(SOURCES) == 26
            assert names[:3] == ["Avito", "Cetera.ru", "Fl.ru"] and names[-1] == "Сателиты"
    finally:
        await engine.dispose()


async def test_sqlite_is_tuned(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 't.db'}")
    try:
        async with engine.connect() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            busy = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (mode, fks) == ("wal", 1) and busy is not None and busy >= 5000
    finally:
        await engine.dispose()


async def test_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """Write transactions take the lock at BEGIN (IMMEDIATE); read-only sessions (scheduler
    scans, reports) use a deferred BEGIN and read their WAL snapshot meanwhile."""
    import asyncio

    from models.db import create_read_session_factory

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    try:
        await migrate.upgrade(engine)
        writer = create_session_factory(engine)
        async with writer() as session, session.begin():
            await seed_defaults(session)
        reader = create_read_session_factory(engine)
        async with writer() as holding, holding.begin():
            holding.add(Source(name="Выставка", position=99))
            await holding.flush()  # the write lock is held until this block ends

            async def read() -> int:
                async with reader() as session, session.begin():
                    return len(list(await session.scalars(select(Source))))

            assert await asyncio.wait_for(read(), 5) == len(SOURCES)  # the old snapshot
        async with reader() as session:
            assert len(list(await session.scalars(select(Source)))) == len(SOURCES) + 1
    finally:
        await engine.dispose()
