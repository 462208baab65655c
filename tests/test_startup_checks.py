"""Honest start-up: a bad DATABASE_URL, an unreachable database or a missing folder is one
line naming the setting; an installation nobody can enter is warned about; the logs can be
JSON; APScheduler's job chatter stays below INFO; webhook mode demands its secret."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logging_setup import JsonFormatter, configure_logging
from bot.settings import SettingsError, load_settings
from tests.mocked_bot import TOKEN
from tests.test_startup import ROOT, _env


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite:///x.db", "pysqlite is not an async driver; write the URL as sqlite+aiosqlite"),
        ("postgresql://u@h/db", "write the URL as postgresql+asyncpg"),
        ("mysql+aiomysql://u@h/db", "database 'mysql' is not supported"),
        ("not a url", "must be an SQLAlchemy URL"),
        ("sqlite+aiosqlite:////no/such/folder/x.db", "the folder /no/such/folder"),
    ],
)
def test_a_bad_database_url_is_one_line(monkeypatch, tmp_path: Path, url: str, says: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SettingsError, match=r"^setting DATABASE_URL is invalid") as caught:
        load_settings()
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_unreachable_database_server_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = _env(tmp_path, DATABASE_URL=f"postgresql+asyncpg://bot:pw@127.0.0.1:{port}/crm")
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("dealbot: setting DATABASE_URL: cannot open the database")
    assert "pw" not in line  # the password is hidden


def test_webhook_mode_requires_its_secret(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.com/hook")
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET is required with WEBHOOK_URL"):
        load_settings()
    monkeypatch.setenv("WEBHOOK_SECRET", "short")
    with pytest.raises(SettingsError, match=r"^setting WEBHOOK_SECRET is invalid"):
        load_settings()
    monkeypatch.setenv("WEBHOOK_SECRET", "a" * 32)
    settings = load_settings()
    assert settings.webhook_path == "/hook" and settings.listen_port == 8080


def test_json_logs_are_one_object_per_line() -> None:
    record = logging.LogRecord("bot.x", logging.WARNING, __file__, 1, "hello %s", ("мир",), None)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "hello мир" and entry["level"] == "WARNING"
    assert "\n" not in line


def test_apscheduler_chatter_is_below_info() -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("INFO")
        assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
        assert logging.getLogger("apscheduler").isEnabledFor(logging.WARNING)
        assert logging.getLogger("bot.app").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        logging.getLogger("apscheduler").setLevel(logging.NOTSET)


async def test_an_installation_nobody_can_enter_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.app import prepare_database, warn_without_admins
    from models.db import create_engine
    from tests.conftest import make_settings

    url = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    engine = create_engine(url)
    try:
        await prepare_database(engine)
        with caplog.at_level(logging.WARNING, logger="bot.app"):
            await warn_without_admins(engine, make_settings(url, admin_ids=frozenset()))
            assert any("ADMIN_IDS is empty" in r.getMessage() for r in caplog.records)
            caplog.clear()
            await warn_without_admins(engine, make_settings(url))  # ADMIN_IDS set: quiet
            assert caplog.records == []
    finally:
        await engine.dispose()
