"""Process-level check of the intake's outbox (bot/intake_outbox.py): a kill -9 of the web
process while the Claim messages of accepted requests are queued or in flight, then a
restart on the same database.

    python -m bench.intake_faults                      # 40 requests, Telegram answering in 1.5 s
    python -m bench.intake_faults --requests 80 --latency-ms 3000 --kill-after 1.0

Real processes: the fake Bot API (bench/fake_limited_api.py, its own process, so it keeps
what it received across the kill), the production web application (bench/intake_bench.py
--serve) on a SQLite file, killed with SIGKILL ``--kill-after`` seconds after the last answer,
then started again and stopped with SIGTERM once its outbox is empty. Every request's
contact is unique, so the messages the fake received are counted per request.

What must hold (printed, with OK or FAILED): no request got two Claim messages; a request
without one is one whose key the kill left in doubt (handed to Telegram, unconfirmed: the
next recover reports it, nothing sends it again); the outbox is empty. A script, not a test:
it prints and asserts nothing."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from bench.fault_procs import ROOT, FakeApi, _readline, _register, kill_all, load_average
from bench.intake_bench import _prepare

EMAIL = "fault{}@firm.ru"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server(url: str, port: int, api_url: str, log: Path) -> subprocess.Popen[bytes]:
    args = [
        sys.executable, "-m", "bench.intake_bench", "--serve", "--port", str(port),
        "--database-url", url, "--api-url", api_url,
    ]  # fmt: skip
    err = open(log, "ab")  # noqa: SIM115 - the child keeps it
    process = _register(subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=err))
    if _readline(process, 90.0).strip() != "ready":
        kill_all()
        raise SystemExit(f"the web process did not start; see {log}")
    return process


def _post(port: int, token: str, i: int) -> int:
    body = json.dumps({"name": f"Клиент {i}", "email": EMAIL.format(i), "message": "Сайт"})
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/intake/{token}",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _query(db: Path, sql: str) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return list(conn.execute(sql))


def _delivered(api: FakeApi, requests: int) -> Counter[int]:
    counts: Counter[int] = Counter()
    for message in api.sent():
        text = str(message.get("text") or "")
        for i in range(requests):
            if EMAIL.format(i) in text:
                counts[i] += 1
    return counts


def run(args: argparse.Namespace) -> bool:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "intake.db"
        url = f"sqlite+aiosqlite:///{db}"
        tokens = asyncio.run(_prepare(url))
        api = FakeApi.start(tmp, limits=False, latency_ms=args.latency_ms)
        port = _free_port()
        first = _server(url, port, api.url, tmp / "web.err")
        statuses = Counter(_post(port, tokens[i % len(tokens)], i) for i in range(args.requests))
        time.sleep(args.kill_after)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        before = sum(_delivered(api, args.requests).values())
        queued = _query(db, "SELECT count(*) FROM intake_outbox")[0][0]
        second = _server(url, port, api.url, tmp / "web.err")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if _query(db, "SELECT count(*) FROM intake_outbox")[0][0] == 0:
                break
            time.sleep(0.2)
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
        delivered = _delivered(api, args.requests)
        left = _query(db, "SELECT count(*) FROM intake_outbox")[0][0]
        doubt = {
            str(key)
            for (key,) in _query(
                db,
                "SELECT key FROM sent_notifications WHERE sent_at IS NULL"
                " AND handed_at IS NOT NULL",
            )
        }
        ids = dict(_query(db, "SELECT id, deal_id FROM intake_requests"))
        api.stop()
    twice = [i for i, n in delivered.items() if n > 1]
    # Request ids follow the posting order (one writer, one request at a time).
    keys_of = {i: f"intake:{request_id}:" for i, request_id in enumerate(sorted(ids))}
    missing = [i for i in range(args.requests) if delivered[i] == 0]
    unexplained = [i for i in missing if not any(k.startswith(keys_of.get(i, "?")) for k in doubt)]
    print(f"intake faults: {args.requests} requests, Telegram answering in {args.latency_ms} ms,")
    print(f"  kill -9 {args.kill_after} s after the last answer; load {load_average()}")
    print(f"answers             {dict(sorted(statuses.items()))}")
    print(f"delivered at kill   {before}  (outbox rows left {queued})")
    print(f"delivered in all    {sum(delivered.values())} to {len(delivered)} requests")
    print(f"in doubt (reported) {len(doubt)}  missing {len(missing)}")
    print(f"outbox after        {left}")
    ok = not twice and not unexplained and left == 0 and statuses == {201: args.requests}
    print(f"twice {len(twice)}, missing and not in doubt {len(unexplained)}: "
          f"{'OK' if ok else 'FAILED'}")  # fmt: skip
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--latency-ms", type=float, default=1500.0)
    parser.add_argument("--kill-after", type=float, default=0.5)
    args = parser.parse_args()
    try:
        run(args)
    finally:
        kill_all()


if __name__ == "__main__":
    main()
