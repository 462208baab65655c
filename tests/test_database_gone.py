"""The SQLite file removed or replaced under the running bot: writes are refused with a clear
message and an admin is told; the bot never says "saved" for something that is lost."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from models.db import file_guard_of
from models.roles import Role
from tests.conftest import App, sqlite_only
from tests.factories import make_deal

TODAY = dt.date(2026, 11, 27)

# The SQLite file itself is what these tests are about.
pytestmark = sqlite_only


def _db_path(app: App) -> Path:
    return Path(app.engine.url.database or "")


def _notes_in(path: Path, deal_id: int) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM notes WHERE deal_id = ?", (deal_id,)).fetchone()[
            0
        ]


async def test_a_removed_database_file_refuses_writes_and_tells_an_admin(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    await ivan.send(f"/note {deal.id} До удаления файла")
    path = _db_path(app)
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")

    for i in range(3):
        await ivan.send(f"/note {deal.id} После удаления {i}")
        reply = ivan.last_message().text
        assert "Не могу сохранить" in reply
        assert "сохранен" not in reply.lower().replace("не могу сохранить", "")
    notices = [m for m in app.telegram.chat(admin.chat.id) if "Файл базы данных" in m.text]
    assert len(notices) == 1  # told once, not on every refused write
    guard = file_guard_of(app.engine)
    assert guard is not None and guard.gone


async def test_a_replaced_database_file_refuses_writes(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    path = _db_path(app)
    other = path.with_name("other.db")
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    os.replace(other, path)  # e.g. a restore copied over the live file

    await ivan.send(f"/note {deal.id} Эта заметка пропала бы")
    assert "Не могу сохранить" in ivan.last_message().text


async def test_reads_and_writes_work_while_the_file_is_in_place(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    await ivan.send(f"/note {deal.id} Обычная заметка")
    assert "Не могу сохранить" not in ivan.last_message().text
    guard = file_guard_of(app.engine)
    assert guard is not None and not guard.gone and guard.identity is not None
    await app.engine.dispose()  # checkpoint, then count in the file itself
    assert _notes_in(_db_path(app), deal.id) == 1
