"""Real processes for the fault script (bench/faults.py): the fake Bot API
(bench/fake_limited_api.py), ``python -m bot`` (migrate, run), the seeding process
(bench/faults_seed.py), and read-only looks into the scenario's SQLite file.

Every process started here is registered and killed by ``kill_all()`` (the script calls it
on every exit, Ctrl-C included). Every wait is bounded. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "4242:FAKEFAKEFAKEFAKEFAKEFAKE"  # the shape @BotFather gives; the fake takes any
ADMIN_TELEGRAM_ID = 1
START_TIMEOUT = 90.0  # seconds for a bot to reach its first getUpdates (a loaded machine)

_started: list[subprocess.Popen[bytes]] = []


def kill_all() -> None:
    """Kill every process this script started that is still running (by its own pid)."""
    for process in _started:
        if process.poll() is None:
            process.kill()
    for process in _started:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


def _register(process: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    _started.append(process)
    return process


# -- the fake Bot API ---------------------------------------------------------------------------
class FakeApi:
    def __init__(self, process: subprocess.Popen[bytes], url: str) -> None:
        self.process = process
        self.url = url

    @classmethod
    def start(cls, tmp: Path, *, limits: bool, latency_ms: float = 20.0) -> FakeApi:
        args = [sys.executable, "-m", "bench.fake_limited_api", "--latency-ms", str(latency_ms)]
        if not limits:
            args.append("--no-limits")
        err = open(tmp / "fake_api.err", "ab")  # noqa: SIM115 - the child keeps it
        process = _register(
            subprocess.Popen(
                args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err
            )
        )
        line = _readline(process, 30.0)
        if not line.startswith("LISTENING "):
            process.kill()
            raise SystemExit(f"the fake Bot API did not start: {line!r}")
        return cls(process, line.split()[1])

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.load(response)

    def post(self, path: str, body: Any) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def inject(self, items: list[dict[str, Any]]) -> list[int]:
        ids: list[int] = self.post("/inject", items)["update_ids"]
        return ids

    def sent(self, since: int = 0) -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = self.get(f"/sent?since={since}")
        return sent

    def updates(self) -> dict[str, Any]:
        status: dict[str, Any] = self.get("/updates")
        return status

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.get("/stats")
        return stats

    def stop(self) -> None:
        if self.process.poll() is None and self.process.stdin is not None:
            self.process.stdin.close()  # end of its stdin: it stops
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _readline(process: subprocess.Popen[bytes], timeout: float) -> str:
    box: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout
    thread = threading.Thread(target=lambda: box.append(stdout.readline().decode()), daemon=True)
    thread.start()
    thread.join(timeout)
    return box[0] if box else ""


# -- the bot ------------------------------------------------------------------------------------
def bot_env(tmp: Path, api_url: str, **extra: str) -> dict[str, str]:
    """A clean environment: only what the bot needs, nothing of the caller's settings."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env.update(
        BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
        TELEGRAM_API_URL=api_url,
        ADMIN_IDS=str(ADMIN_TELEGRAM_ID),
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def migrate(env: dict[str, str], tmp: Path) -> None:
    with open(tmp / "migrate.err", "ab") as err:
        process = _register(
            subprocess.Popen([sys.executable, "-m", "bot", "migrate"], cwd=tmp, env=env, stderr=err)
        )
        code = process.wait(timeout=180)
    if code != 0:
        raise SystemExit(f"python -m bot migrate failed ({code}); see {tmp / 'migrate.err'}")


def seed(env: dict[str, str], tmp: Path, spec: dict[str, Any]) -> dict[str, Any]:
    spec_path = tmp / "seed.json"
    spec_path.write_text(json.dumps(spec))
    process = _register(
        subprocess.Popen(
            [sys.executable, "-m", "bench.faults_seed", env["DATABASE_URL"], str(spec_path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
        )
    )
    out, _ = process.communicate(timeout=180)
    if process.returncode != 0:
        raise SystemExit("seeding failed")
    seeded: dict[str, Any] = json.loads(out)
    return seeded


class BotProcess:
    """One ``python -m bot``; every start appends to ``<name>.out`` / ``<name>.err``."""

    def __init__(self, env: dict[str, str], tmp: Path, name: str = "bot") -> None:
        self.env = env
        self.tmp = tmp
        self.name = name
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.start_seconds: list[float] = []  # start -> first getUpdates, per start

    @property
    def err_path(self) -> Path:
        return self.tmp / f"{self.name}.err"

    def start(self) -> None:
        self.starts += 1
        with open(self.err_path, "ab") as err, open(self.tmp / f"{self.name}.out", "ab") as out:
            err.write(f"=== faults: start {self.starts} at {time.time():.3f}\n".encode())
            err.flush()
            self.process = _register(
                subprocess.Popen(
                    [sys.executable, "-m", "bot"],
                    cwd=self.tmp,  # no .env of the repository is read
                    env=self.env,
                    stdout=out,
                    stderr=err,
                    start_new_session=True,  # Ctrl-C reaches the script only; it kills us
                )
            )

    def start_and_wait(self, api: FakeApi) -> bool:
        """Start and wait (bounded) until the fake API got a getUpdates from a new poller."""
        calls = api.updates()["calls"]
        began = time.monotonic()
        self.start()
        while time.monotonic() - began < START_TIMEOUT:
            if not self.alive:
                return False
            if api.updates()["calls"] > calls:
                self.start_seconds.append(time.monotonic() - began)
                return True
            time.sleep(0.05)
        return False

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def kill9(self) -> None:
        if self.alive:
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def terminate(self, timeout: float = 40.0) -> float | None:
        """SIGTERM and wait; the seconds it took, None when it had to be killed."""
        if not self.alive:
            return 0.0
        assert self.process is not None
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            return None
        return time.monotonic() - began

    def log_lines(self, *needles: str) -> list[str]:
        if not self.err_path.exists():
            return []
        text = self.err_path.read_text(encoding="utf-8", errors="replace")
        low = [n.lower() for n in needles]
        return [line for line in text.splitlines() if any(n in line.lower() for n in low)]


# -- the database, read only ---------------------------------------------------------------------
def query(tmp: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the scenario's SQLite file (WAL: a reader sees what was committed)."""
    uri = f"file:{tmp / 'bot.db'}?mode=ro"
    for attempt in range(20):
        try:
            with sqlite3.connect(uri, uri=True, timeout=10) as db:
                return list(db.execute(sql, params))
        except sqlite3.OperationalError as exc:  # locked or a table of newer code missing
            if "no such" in str(exc) or attempt == 19:
                raise
            time.sleep(0.1)
    return []


def has_table(tmp: Path, name: str) -> bool:
    rows = query(tmp, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name)
    return bool(rows)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
