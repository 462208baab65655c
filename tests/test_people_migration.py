"""Migration 0006 on a database with people in it: every row kept, titles keep starting with
the e-mail (else the name) as before, nobody counted as seen yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text

from models import migrate
from models.db import create_engine


async def test_0006_keeps_every_user(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate.upgrade(engine, "0004")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (telegram_id, full_name, email, role, timezone, language,"
                    " digest_time, followup_time, summary_time, work_days, is_active,"
                    " is_reachable, created_at) VALUES (1, 'Анна', 'anna@firm.ru', 'admin',"
                    " 'UTC', 'ru', '09:00:00', '14:00:00', '19:00:00', '12345', 1, 1, :now)"
                ),
                {"now": dt.datetime(2026, 12, 1)},
            )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT full_name, title_prefix, last_seen_at FROM users"))
            ).all()
        assert [tuple(r) for r in rows] == [("Анна", "email", None)]
        await migrate.downgrade(engine, "0004")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM users"))).scalar_one() == 1
    finally:
        await engine.dispose()
