"""The schema is managed by Alembic: upgrade -> downgrade -> upgrade works on a fresh database,
and the migrations produce exactly what the models declare."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from models import Base, Pipeline, Source, Stage, StageKind, migrate
from models.db import create_engine, create_session_factory
from models.seed import PIPELINES, SOURCES, STAGES, seed_defaults


async def test_stairway_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 's.db'}")
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
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
        assert diff == [], f"models and migrations disagree: {diff}"
    finally:
        await engine.dispose()


async def test_seed_is_complete_and_idempotent(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'seed.db'}")
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
            assert [p.name for p in pipelines if p.is_unsorted] == ["Неразобранные"]
            names = set(await session.scalars(select(Source.name)))
            assert len(names) == len(SOURCES)
            assert {"Авито", "Fl.ru", "Холодный звонок", "Тендерная площадка"} <= names
    finally:
        await engine.dispose()


async def test_sqlite_is_tuned(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 't.db'}")
    try:
        async with engine.connect() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            busy = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (mode, fks) == ("wal", 1) and busy >= 5000
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
