"""Rows written into a database at an OLD revision, for the upgrade-with-data tests.

The ORM models describe the newest schema, so a test that writes through them at an old
revision breaks as soon as a later migration adds a column. These helpers reflect the tables
as they are in the database and fill only the columns that exist there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, MetaData, Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class OldRows:
    user_id: int
    pipeline_id: int
    stage_id: int
    source_id: int
    deal_id: int


def insert_row(conn: Connection, table_name: str, **values: Any) -> int:
    """Insert into the table as the database has it now; values for missing columns are
    dropped. Returns the new row's id."""
    table = Table(table_name, MetaData(), autoload_with=conn)
    present = {name: _stored(value) for name, value in values.items() if name in table.c}
    key = conn.execute(table.insert().values(**present)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _stored(value: Any) -> Any:
    """A reflected table has plain column types: an aware datetime goes in as naive UTC, as
    models.base.UTCDateTime stores it."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _seed(conn: Connection, telegram_id: int) -> OldRows:
    pipeline = insert_row(
        conn, "pipelines", code="old_pipe", name="Старая воронка", name_en="Old pipeline",
        position=99, is_unsorted=False, is_archived=False,
    )  # fmt: skip
    stage = insert_row(
        conn, "stages", code="old_stage", pipeline_id=None, name="Старый этап",
        name_en="Old stage", position=99, kind="open", is_archived=False,
    )  # fmt: skip
    source = insert_row(
        conn, "sources", code="old_source", name="Старый источник", name_en="Old source",
        position=99, is_archived=False,
    )  # fmt: skip
    user = insert_row(
        conn, "users", telegram_id=telegram_id, full_name="Иван Петров", role="manager",
        timezone="Europe/Moscow", language="ru", digest_time=dt.time(9, 0),
        followup_time=dt.time(18, 0), summary_time=dt.time(19, 0), work_days="01234",
        is_active=True, is_reachable=True, created_at=NOW,
    )  # fmt: skip
    deal = insert_row(
        conn, "deals", title="Иван Петров — Старая", client_name="Старая", pipeline_id=pipeline,
        stage_id=stage, status="open", source_id=source, owner_id=user, created_by_id=user,
        created_at=NOW, updated_at=NOW, version=3, search_text="старая",
    )  # fmt: skip
    insert_row(
        conn, "notes", deal_id=deal, number=1, text="Первая заметка", happened_on=NOW.date(),
        author_id=user, created_at=NOW,
    )  # fmt: skip
    insert_row(
        conn, "contacts", deal_id=deal, kind="phone", value="+7 916 123-45-67",
        normalized="+79161234567",
    )  # fmt: skip
    return OldRows(user, pipeline, stage, source, deal)


async def seed_old(engine: AsyncEngine, telegram_id: int = 5) -> OldRows:
    """A user, a pipeline, a stage, a source and a deal with a note and a phone, written at
    the database's current revision."""
    async with engine.begin() as conn:
        return await conn.run_sync(_seed, telegram_id)


async def old_insert(conn: AsyncConnection, table_name: str, *rows: dict[str, Any]) -> list[int]:
    """``insert_row`` for each of ``rows`` on an async connection; their ids."""

    def run(sync: Connection) -> list[int]:
        return [insert_row(sync, table_name, **row) for row in rows]

    return await conn.run_sync(run)
