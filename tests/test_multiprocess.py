"""Several processes on PostgreSQL + Redis (issue 9, point 5), as REAL processes: two webhook
workers (``python -m bot --no-scheduler`` with WEBHOOK_URL, a port each) and one scheduler
(``python -m bot scheduler``), all against a fake Bot API in a process of its own
(bench/fake_limited_api.py, limits off). Updates are posted over HTTP with the secret header,
some to BOTH workers at once (a redelivery racing on two processes): each note is saved once.
The seeded managers' digests are due: each is sent once, by the scheduler process only."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bench.fault_procs import FakeApi, bot_env, migrate, seed
from bench.faults import DIGEST_MARK, midday_zone
from bench.webhook_procs import (
    READY_LINE,
    SECRET,
    SECRET_HEADER,
    WEBHOOK_PATH,
    Processes,
    free_port,
    message_update,
    worker_env,
)
from models import Note, ProcessedUpdate, SchedulerLease, SentNotification
from models.db import create_engine
from tests.conftest import ON_POSTGRES, TEST_REDIS_URL

pytestmark = pytest.mark.skipif(
    not (ON_POSTGRES and TEST_REDIS_URL),
    reason="needs TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL (Redis)",
)

MANAGERS = 6
NOTES_EACH = 4  # the even ones go to both workers at once
START_TIMEOUT = 60.0
DIGEST_TIMEOUT = 45.0


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Processes]:
    processes = Processes(tmp_path)
    try:
        yield processes
    finally:
        processes.kill_all()


@pytest.fixture
def fake_api(tmp_path: Path) -> Iterator[FakeApi]:
    api = FakeApi.start(tmp_path, limits=False, latency_ms=5.0)
    try:
        yield api
    finally:
        api.stop()


async def _post(http: aiohttp.ClientSession, port: int, update: dict[str, Any]) -> int:
    async with http.post(
        f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        data=json.dumps(update),
        headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
        timeout=aiohttp.ClientTimeout(total=30),
    ) as response:
        return response.status


def _digests(api: FakeApi, chats: set[int]) -> Counter[int]:
    return Counter(
        s["chat_id"]
        for s in api.sent()
        if s["method"] == "sendMessage"
        and s["chat_id"] in chats
        and s["text"].startswith(DIGEST_MARK)
    )


async def test_two_webhook_workers_and_a_scheduler_handle_each_update_and_digest_once(
    empty_database_url: str, tmp_path: Path, procs: Processes, fake_api: FakeApi
) -> None:
    env = bot_env(
        tmp_path,
        fake_api.url,
        DATABASE_URL=empty_database_url,
        REDIS_URL=TEST_REDIS_URL,
        OUTBOUND_PER_CHAT_SECONDS="0",
    )
    migrate(env, tmp_path)
    seeded = seed(
        env,
        tmp_path,
        {
            "admin": 1,
            "managers": MANAGERS,
            "deals_each": 1,
            "due_in_days": 0,  # due today: in the digest
            "timezone": midday_zone(),
            "digest_time": "00:00",  # passed: the scheduler's first scan sends every digest
        },
    )
    managers = seeded["managers"]
    chats = {m["telegram_id"] for m in managers}

    ports = [free_port(), free_port()]
    workers = [
        procs.start(f"worker{n}", ["--no-scheduler"], worker_env(env, port))
        for n, port in enumerate(ports)
    ]
    for n, worker in enumerate(workers):
        procs.wait_for_line(f"worker{n}", worker, READY_LINE, START_TIMEOUT)
    scheduler = procs.start("scheduler", ["scheduler"], env)

    updates: list[tuple[dict[str, Any], list[int]]] = []
    update_ids = iter(range(100_000, 200_000))
    for k in range(NOTES_EACH):
        for i, manager in enumerate(managers):
            text = f"/note {manager['deals'][0]} multiproc-{manager['telegram_id']}-{k}"
            update = message_update(next(update_ids), manager["telegram_id"], text)
            both = k % 2 == 0
            updates.append((update, ports if both else [ports[(i + k) % 2]]))
    async with aiohttp.ClientSession() as http:
        statuses = await asyncio.gather(
            *(_post(http, port, update) for update, targets in updates for port in targets)
        )
        # A plain redelivery after the answer, to the other worker: it changes nothing.
        again = [update for update, targets in updates if len(targets) == 1][:MANAGERS]
        statuses += await asyncio.gather(*(_post(http, ports[0], u) for u in again))
        statuses += await asyncio.gather(*(_post(http, ports[1], u) for u in again))
    assert set(statuses) == {200}, Counter(statuses)

    # Every digest, then a few seconds more in which a second one would show.
    deadline = time.monotonic() + DIGEST_TIMEOUT
    while len(_digests(fake_api, chats)) < len(chats) and time.monotonic() < deadline:
        assert scheduler.poll() is None, procs.log("scheduler")
        await asyncio.sleep(0.25)
    await asyncio.sleep(3)
    assert all(w.poll() is None for w in workers), [procs.log(f"worker{n}") for n in (0, 1)]

    digests = _digests(fake_api, chats)
    assert digests == Counter({chat: 1 for chat in chats}), procs.log("scheduler")[-3000:]

    engine = create_engine(empty_database_url)
    try:
        async with engine.connect() as conn:
            notes = Counter(
                dict(
                    (
                        await conn.execute(
                            select(Note.text, func.count())
                            .where(Note.text.like("multiproc-%"))
                            .group_by(Note.text)
                        )
                    ).all()
                )
            )
            processed = await conn.scalar(
                select(func.count()).where(ProcessedUpdate.update_id >= 100_000)
            )
            digest_rows = await conn.scalar(
                select(func.count()).where(
                    SentNotification.key.like("digest:%"),
                    SentNotification.user_id.in_([m["user_id"] for m in managers]),
                )
            )
            holder = await conn.scalar(select(SchedulerLease.holder))
    finally:
        await engine.dispose()
    expected = {u["message"]["text"].split(" ", 2)[2] for u, _ in updates}
    assert notes == Counter({text: 1 for text in expected})
    assert processed == len(updates)
    assert digest_rows == len(chats)
    # The digests came from the scheduler process: it holds the lease, the workers never ran one.
    assert holder is not None and f":{scheduler.pid}:" in holder
    for n in (0, 1):
        assert "scan at" not in procs.log(f"worker{n}")
