"""``python -m bot check`` (Docker's HEALTHCHECK): one line per check, exit 0 only when the
database answers at the newest migration and Telegram accepts the token."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.fake_bot_api import FakeBotApi
from tests.test_startup import ROOT, _env


async def _check(env: dict[str, str], *args: str) -> tuple[int, list[str]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "check",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _err = await asyncio.wait_for(proc.communicate(), 90)
    return proc.returncode or 0, out.decode().strip().splitlines()


async def test_check_passes_on_a_ready_installation(tmp_path: Path) -> None:
    api = FakeBotApi()
    base = await api.start()
    try:
        env = _env(tmp_path, TELEGRAM_API_URL=base)
        migrate = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "migrate",
            cwd=ROOT,
            env=env,
            stderr=asyncio.subprocess.DEVNULL,
        )
        assert await asyncio.wait_for(migrate.wait(), 90) == 0
        code, lines = await _check(env)
    finally:
        await api.stop()
    assert code == 0, lines
    assert [line.split()[0] for line in lines] == ["ok"] * 4
    assert lines[-1] == "ok   Telegram: @dealbot_test_bot"


async def test_check_fails_before_migrations_and_without_telegram(tmp_path: Path) -> None:
    env = _env(tmp_path, TELEGRAM_API_URL="http://127.0.0.1:9")
    code, lines = await _check(env)
    assert code == 1
    assert lines[0] == "ok   settings"
    assert any(line.startswith("FAIL migrations") for line in lines)
    assert lines[-1].startswith("FAIL Telegram")
    code, lines = await _check(env, "--no-telegram")
    assert code == 1 and not any("Telegram" in line for line in lines)
