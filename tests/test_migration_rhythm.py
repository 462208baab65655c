"""Migration 0012 on a database with data: every row kept, stale limits filled for the
handbook's stages, each deal's last contact taken from its notes and stage moves (its
creation when it has neither)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from models import migrate
from models.db import create_engine

REVISION = "0012"
BEFORE = "0004"


@pytest.fixture(params=["sqlite", "postgresql"])
async def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
        return
    databases = request.getfixturevalue("postgres_databases")
    url = await databases.create(migrated=False)
    yield url
    await databases.drop(url)


ROWS = [
    "INSERT INTO pipelines (id, code, name, position, is_unsorted, is_archived)"
    " VALUES (1, 'site', 'Сайт', 1, false, false)",
    "INSERT INTO stages (id, code, name, position, kind, is_archived) VALUES"
    " (1, 'contacts', 'Найти все контакты', 1, 'open', false),"
    " (2, 'closing', 'Договор', 7, 'open', false),"
    " (3, 'won', 'Выиграли', 8, 'won', false),"
    " (4, NULL, 'Своя стадия', 9, 'open', false)",
    "INSERT INTO users (id, telegram_id, full_name, role, timezone, language, digest_time,"
    " followup_time, summary_time, work_days, is_active, is_reachable, created_at) VALUES"
    " (1, 111, 'Анна', 'manager', 'Europe/Moscow', 'ru', '09:00:00', '14:00:00', '19:00:00',"
    " '12345', true, true, '2026-11-01 08:00:00.000000')",
    "INSERT INTO deals (id, title, pipeline_id, stage_id, status, owner_id, created_at,"
    " updated_at, version, search_text) VALUES"
    " (1, 'С заметкой', 1, 1, 'open', 1, '2026-11-01 10:00:00.000000',"
    " '2026-11-20 10:00:00.000000', 3, ''),"
    " (2, 'Без событий', 1, 2, 'open', 1, '2026-11-02 10:00:00.000000',"
    " '2026-11-02 10:00:00.000000', 1, '')",
    "INSERT INTO deal_events (deal_id, at, kind, field, old, new) VALUES"
    " (1, '2026-11-01 10:00:00.000000', 'created', NULL, NULL, 'С заметкой'),"
    " (1, '2026-11-05 10:00:00.000000', 'stage', NULL, 'contacts', 'closing'),"
    " (1, '2026-11-10 12:30:00.000000', 'note', NULL, NULL, '01'),"
    " (1, '2026-11-20 10:00:00.000000', 'note', 'happened_on', '01: x', '01: y'),"
    " (1, '2026-11-21 10:00:00.000000', 'next_action', NULL, NULL, '2026-11-25'),"
    " (2, '2026-11-02 10:00:00.000000', 'created', NULL, NULL, 'Без событий')",
]


async def test_upgrade_keeps_rows_and_backfills(blank_url: str) -> None:
    engine = create_engine(blank_url)
    try:
        await migrate.upgrade(engine, BEFORE)
        async with engine.begin() as conn:
            for statement in ROWS:
                await conn.execute(text(statement))
        await migrate.upgrade(engine, REVISION)
        async with engine.connect() as conn:
            limits: dict[int, int | None] = dict(
                (await conn.execute(text("SELECT id, stale_days FROM stages ORDER BY id"))).all()
            )
            deals = (
                await conn.execute(
                    text("SELECT id, title, version, last_contact_at FROM deals ORDER BY id")
                )
            ).all()
            users = (await conn.execute(text("SELECT remind_before FROM users"))).all()
            events = (await conn.execute(text("SELECT count(*) FROM deal_events"))).scalar()
        assert limits == {1: 3, 2: 14, 3: None, 4: None}
        # The last note (not the note's date edit, not a next-date change), else creation.
        assert [(d[0], d[1], d[2]) for d in deals] == [(1, "С заметкой", 3), (2, "Без событий", 1)]
        assert [_naive(d[3]) for d in deals] == [
            dt.datetime(2026, 11, 10, 12, 30),
            dt.datetime(2026, 11, 2, 10, 0),
        ]
        assert users == [(None,)] and events == 6
        # And back: the columns and the table go, the rows stay.
        await migrate.downgrade(engine, BEFORE)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM deals"))).scalar() == 2
            assert (await conn.execute(text("SELECT count(*) FROM stages"))).scalar() == 4
    finally:
        await engine.dispose()


def _naive(value: object) -> dt.datetime:
    if isinstance(value, str):  # SQLite through text(): the stored string
        return dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=None)
