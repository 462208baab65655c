"""``python -m bot backup PATH``: a consistent copy while another process writes, and a restore
the bot starts on. Real processes: a writer (our engine, WAL) inserting notes in a loop, and
the CLI itself."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot.dispatcher import build_dispatcher
from models.backup import BackupError, backup_sqlite, pg_dump_command
from models.db import create_engine, create_session_factory
from models.migrate import alembic_config
from models.roles import Role
from tests.conftest import App, make_settings, sqlite_only
from tests.factories import make_deal
from tests.mocked_bot import FakeTelegram, make_bot

ROOT = Path(__file__).resolve().parents[1]

# A separate process committing one note per transaction through the bot's own engine (WAL),
# as fast as it can, until the stop file appears. It never checkpoints (as when a long read
# holds the checkpoint back), so what it committed stays in the -wal file, where a plain copy
# of the database file misses it.
WRITER = """
import asyncio, datetime as dt, pathlib, sys
from sqlalchemy import event
from models.db import create_engine, create_session_factory
from models.deals import Note

async def main(url, deal_id, author_id, stop):
    engine = create_engine(url)

    @event.listens_for(engine.sync_engine, "connect")
    def no_checkpoint(dbapi_connection, _record):
        dbapi_connection.cursor().execute("PRAGMA wal_autocheckpoint=0")

    sessions = create_session_factory(engine)
    number = 0
    while not pathlib.Path(stop).exists():
        number += 1
        async with sessions() as session, session.begin():
            now = dt.datetime.now(dt.UTC)
            session.add(Note(deal_id=deal_id, number=number, text=f"writer {number}",
                             happened_on=now.date(), author_id=author_id, created_at=now))
        if number == 1:
            print("writing", flush=True)
    await engine.dispose()
    print(number, flush=True)

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
"""

# The SQLite file itself is what these tests are about.
pytestmark = sqlite_only


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(
        BOT_TOKEN="4242:TEST-token-abcdefghijklmnopqrstuvwxyz",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
    )
    return env


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _size(path: Path) -> int:
    return path.stat().st_size


def _touch(path: Path) -> None:
    path.touch()


def _listing(folder: Path) -> list[Path]:
    return list(folder.iterdir())


def _remove_wal_and_shm(database: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def _notes(path: Path, where: str = "") -> list[int]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute(f"SELECT id FROM notes {where} ORDER BY id")]


async def test_backup_while_another_process_writes(app: App, tmp_path: Path) -> None:
    _, owner = await app.add_user(Role.manager, name="Мария Смирнова")
    deal = await make_deal(app, owner, "ООО Ромашка")
    source = Path(app.settings.database_url.split("///", 1)[1])
    stop = tmp_path / "stop"
    writer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        WRITER,
        app.settings.database_url,
        str(deal.id),
        str(owner.id),
        str(stop),
        cwd=ROOT,
        env=_env(app.settings.database_url),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert writer.stdout is not None
        assert (await asyncio.wait_for(writer.stdout.readline(), 60)).strip() == b"writing"
        committed: list[int] = []
        for _ in range(200):  # some dozens of commits, the newest of them only in the WAL
            await asyncio.sleep(0.05)
            committed = _notes(source)  # every row a reader sees was committed before
            if len(committed) >= 50:
                break
        assert len(committed) >= 50 and _size(Path(f"{source}-wal")) > 0
        plain_copy = tmp_path / "plain-copy.db"  # what `cp dealbot.db` gives
        shutil.copy(source, plain_copy)
        assert len(_notes(plain_copy)) < len(committed)
        target = tmp_path / "backups" / "dealbot-backup.db"
        cli = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "backup",
            str(target),
            cwd=tmp_path,
            env=_env(app.settings.database_url),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(cli.communicate(), 60)
        assert cli.returncode == 0, err.decode()
        assert writer.returncode is None, "the writer must still be writing after the backup"
        during = _notes(source)  # commits made while the backup ran
    finally:
        _touch(stop)
        final, _ = await asyncio.wait_for(writer.communicate(), 30)
    lines = out.decode().splitlines()
    assert lines[0].startswith(f"backup written: {target} (")
    assert f"migration {_head()}" in lines[0] and "integrity_check ok" in lines[1]
    assert "deals 1" in lines[1] and "notes " in lines[1]

    # The backup is one self-contained, sound file at the newest migration...
    assert sorted(p.name for p in _listing(target.parent)) == [target.name]  # no -wal, no .tmp
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (_head(),)
    # ...holding every note committed before it started, and a snapshot: no gap in the ids.
    saved = _notes(target)
    assert set(committed) <= set(saved)
    assert saved == list(range(saved[0], saved[0] + len(saved)))
    assert f"notes {len(saved)}" in lines[1]
    # The writer went on meanwhile (the backup never blocked it): it wrote at least as much.
    assert len(during) > len(committed)
    assert int(final.strip().splitlines()[-1]) >= len(saved)


def test_backup_refuses_to_overwrite_unless_forced(template_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "dealbot.db"
    shutil.copy(template_db, source)
    target = tmp_path / "b.db"
    target.write_bytes(b"precious")
    env = _env(f"sqlite+aiosqlite:///{source}")
    run = [sys.executable, "-m", "bot", "backup", str(target)]
    proc = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert (
        proc.stderr.strip()
        == f"dealbot: backup failed: {target} exists; use --force to overwrite it"
    )
    assert target.read_bytes() == b"precious"
    proc = subprocess.run(
        [*run, "--force"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert target.stat().st_size > 100_000
    with pytest.raises(BackupError, match="the database itself"):
        backup_sqlite(source, source, force=True)
    with pytest.raises(BackupError, match="no database file"):
        backup_sqlite(tmp_path / "missing.db", tmp_path / "x.db")


def test_postgresql_is_pointed_at_pg_dump(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://crm:s3cret@db.local:5432/dealbot"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "backup", "crm.dump"],
        cwd=tmp_path,
        env=_env(url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    expected = "pg_dump --format=custom --file crm.dump postgresql://crm@db.local:5432/dealbot"
    assert proc.stderr.strip().splitlines() == [
        f"dealbot: a PostgreSQL database is backed up with pg_dump: {expected}"
    ]
    assert "s3cret" not in proc.stderr
    assert pg_dump_command(url, "x y.dump").startswith("pg_dump --format=custom --file 'x y.dump'")


async def test_restore_the_backup_and_open_a_deal(app: App, tmp_path: Path) -> None:
    manager, owner = await app.add_user(Role.manager, name="Мария Смирнова")
    deal = await make_deal(app, owner, "ООО Ромашка", contacts=("ivan@firm.ru",))
    await manager.send(f"/note {deal.id} Позвонил, договорились о встрече")
    source = Path(app.settings.database_url.split("///", 1)[1])
    backup = tmp_path / "backup.db"
    report = backup_sqlite(source, backup)
    assert report.rows["deals"] == 1 and report.rows["notes"] == 1

    # The README's restore: the bot stopped, the backup copied to DATABASE_URL's path, the old
    # database's -wal / -shm removed, the bot started.
    restored = tmp_path / "restored" / "dealbot.db"
    restored.parent.mkdir()
    restored.with_name("dealbot.db-wal").write_bytes(b"stale wal of the old database")
    shutil.copy(backup, restored)
    _remove_wal_and_shm(restored)
    url = f"sqlite+aiosqlite:///{restored}"
    engine = create_engine(url)
    try:
        telegram = FakeTelegram()
        bot = make_bot(telegram)
        dp = build_dispatcher(make_settings(url), create_session_factory(engine), clock=app.clock)
        again = App(
            dp, bot, telegram, engine, create_session_factory(engine), app.settings, app.clock
        )
        client = again.client(manager.user.id)
        await client.send(f"/deal {deal.id}")
        card = client.last_message().text
        assert "ООО Ромашка" in card and "ivan@firm.ru" in card and "Позвонил" in card
        await client.send(f"/note {deal.id} После восстановления")
        with sqlite3.connect(restored) as conn:
            assert conn.execute("SELECT count(*) FROM notes").fetchone() == (2,)
        await bot.session.close()
    finally:
        await engine.dispose()
