"""The real process: settings errors, start without network, a local Bot API server, SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings
from tests.conftest import ADMIN_ID
from tests.fake_bot_api import FakeBotApi
from tests.mocked_bot import TOKEN

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(
        BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        ADMIN_IDS=str(ADMIN_ID),
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def test_missing_token_is_one_clear_line(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(SettingsError, match=r"^setting BOT_TOKEN is required"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ADMIN_IDS", "12,abc", "setting ADMIN_IDS is invalid"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "setting DEFAULT_TIMEZONE is invalid"),
        ("DEFAULT_LANGUAGE", "de", "setting DEFAULT_LANGUAGE is invalid"),
        ("TELEGRAM_API_URL", "localhost:8081", "setting TELEGRAM_API_URL is invalid"),
        ("BOT_TOKEN", "not-a-token", "setting BOT_TOKEN is invalid"),
        ("LOG_LEVEL", "LOUD", "setting LOG_LEVEL is invalid"),
    ],
)
def test_malformed_setting_names_itself(monkeypatch, tmp_path, name, value, message) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=f"^{message}"):
        load_settings()


def test_settings_defaults_and_env_file(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for var in ("BOT_TOKEN", "ADMIN_IDS", "DATABASE_URL", "TELEGRAM_API_URL"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nADMIN_IDS=1, 2;3\n")
    settings = load_settings()
    assert settings.admin_ids == {1, 2, 3}
    assert settings.database_url == "sqlite+aiosqlite:///dealbot.db"
    assert settings.default_timezone == "Europe/Moscow" and settings.default_language == "ru"
    assert settings.telegram_api_url is None
    assert "TEST-token" not in repr(settings)  # the secret never shows in logs


def test_env_example_documents_every_setting() -> None:
    documented = {
        line.split("=")[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    assert {name.upper() for name in Settings.model_fields} <= documented


def test_cli_prints_one_line_for_a_bad_setting(tmp_path: Path) -> None:
    import subprocess

    env = _env(tmp_path, DEFAULT_TIMEZONE="Nowhere/City")
    proc = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "dealbot: setting DEFAULT_TIMEZONE is invalid: unknown IANA time zone 'Nowhere/City'"
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _read_until(stream: asyncio.StreamReader, needle: str, timeout: float) -> str:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = await asyncio.wait_for(stream.readline(), deadline - time.monotonic())
        if not line:
            break
        seen.append(line.decode())
        if needle in seen[-1]:
            return "".join(seen)
    raise AssertionError(f"{needle!r} not seen; got:\n{''.join(seen)}")


async def test_without_network_it_retries_then_exits_cleanly(tmp_path: Path) -> None:
    env = _env(tmp_path, TELEGRAM_API_URL=f"http://127.0.0.1:{_free_port()}")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=ROOT,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    try:
        log = await _read_until(proc.stderr, "Cannot reach the Telegram Bot API", 60)
        assert "retrying in" in log
        proc.send_signal(signal.SIGINT)  # Ctrl-C
        rest = (await asyncio.wait_for(proc.stderr.read(), 30)).decode()
        assert await asyncio.wait_for(proc.wait(), 30) == 0
        assert "Traceback" not in log + rest
        assert "Bye" in rest
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    # Migrations ran before the network was needed: the database is ready.
    with sqlite3.connect(tmp_path / "bot.db") as db:
        assert db.execute("select count(*) from stages").fetchone()[0] == 10


async def test_runs_against_a_local_bot_api_server_and_stops_on_sigterm(tmp_path: Path) -> None:
    api = FakeBotApi()
    base = await api.start()
    api.updates.append(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/start",
                "chat": {"id": ADMIN_ID, "type": "private"},
                "from": {
                    "id": ADMIN_ID,
                    "is_bot": False,
                    "first_name": "Анна",
                    "language_code": "ru",
                },
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
    )
    env = _env(tmp_path, TELEGRAM_API_URL=base)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--no-scheduler",
        cwd=ROOT,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    try:
        await asyncio.wait_for(api.called.wait(), 60)
        sent = [params for method, params in api.calls if method == "sendMessage"]
        assert "администратор" in sent[0]["text"]
        menus = [params for method, params in api.calls if method == "setMyCommands"]
        assert {m.get("language_code") for m in menus} == {None, "ru", "en"}
        proc.send_signal(signal.SIGTERM)
        rest = (await asyncio.wait_for(proc.stderr.read(), 30)).decode()
        assert await asyncio.wait_for(proc.wait(), 30) == 0, rest
        assert "Traceback" not in rest
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await api.stop()
    with sqlite3.connect(tmp_path / "bot.db") as db:
        assert db.execute(
            "select role from users where telegram_id = ?", (ADMIN_ID,)
        ).fetchone() == ("admin",)


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run must run exactly the command README.md gives a new user for the tests: as it
    is (SQLite) and with the PostgreSQL and Redis variables set, nothing added to it."""
    readme = (ROOT / "README.md").read_text()
    command = readme.split("**Run the tests**")[1].split("```sh\n")[1].split("\n")[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert f"TEST_COMMAND='{command}'" in ci
    # A run may sit in a subshell, "(suite ... > log", when two run side by side.
    runs = [line.lstrip("(") for line in ci.splitlines() if line.lstrip("(").startswith("suite ")]
    assert ['bash -c "$TEST_COMMAND"' in line for line in runs[:2]] == [True, True]
    assert "env $services" in runs[1]
