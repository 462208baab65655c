"""Real webhook worker and scheduler processes (``python -m bot --no-scheduler`` with
WEBHOOK_URL, ``python -m bot scheduler``) for tests/test_multiprocess.py and
bench/webhook_bench.py. Every process started through a ``Processes`` is killed by its
``kill_all()``; every wait is bounded; traffic stays on 127.0.0.1."""

from __future__ import annotations

import contextlib
import itertools
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.fault_procs import ROOT

SECRET = "multiprocess-webhook-secret_0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PATH = "/tg/hook"
READY_LINE = "Webhook mode: Telegram posts updates"  # bot/app.py, after setWebhook


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def worker_env(env: dict[str, str], port: int) -> dict[str, str]:
    """``env`` plus what makes a webhook worker listening on ``port``."""
    return {
        **env,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        "WEBHOOK_SECRET": SECRET,
        "WEB_HOST": "127.0.0.1",
        "WEB_PORT": str(port),
    }


class Processes:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.started: list[subprocess.Popen[bytes]] = []

    def start(
        self, name: str, args: list[str], env: dict[str, str], module: str = "bot"
    ) -> subprocess.Popen[bytes]:
        with (
            open(self.tmp / f"{name}.err", "ab") as err,
            open(self.tmp / f"{name}.out", "ab") as out,
        ):
            process = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                cwd=self.tmp,  # no .env of the repository is read
                env=env,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.err"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def wait_for_line(
        self, name: str, process: subprocess.Popen[bytes], needle: str, timeout: float
    ) -> None:
        """Until ``needle`` is in the process's log; AssertionError on exit or timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle.lower() in self.log(name).lower():
                return
            if process.poll() is not None:
                raise AssertionError(f"{name} exited ({process.returncode}):\n{self.log(name)}")
            time.sleep(0.1)
        raise AssertionError(f"{name} not ready in {timeout} s:\n{self.log(name)[-3000:]}")

    def kill_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
        for process in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)


_message_ids = itertools.count(1)


def message_update(update_id: int, telegram_id: int, text: str) -> dict[str, Any]:
    """A private text message as Telegram posts it to a webhook."""
    person = {"id": telegram_id, "is_bot": False, "first_name": f"User{telegram_id}"}
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": {"id": telegram_id, "type": "private", "first_name": person["first_name"]},
        "from": {**person, "language_code": "ru"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


__all__ = ["ROOT", "Processes", "free_port", "message_update", "worker_env"]
