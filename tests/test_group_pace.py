"""Telegram allows 20 messages a minute in one group: the outbound budget keeps new messages
to a group (a negative chat id) 3 s apart, replies and proactive messages alike, while private
chats keep their one a second."""

from __future__ import annotations

import asyncio
import itertools

from bot.outbound import OutboundBudget, Priority
from tests.virtual_time import TimeLine

GROUP = -1001234567890


async def test_a_group_gets_at_most_20_new_messages_a_minute() -> None:
    line = TimeLine()
    budget = OutboundBudget(25, 1.0, 20, monotonic=line.monotonic, sleep=line.sleep)
    stamps: dict[int, list[float]] = {GROUP: [], 42: []}

    async def take(chat: int, priority: Priority) -> None:
        await budget.acquire(chat, priority)
        stamps[chat].append(line.now)

    tasks = [
        asyncio.create_task(take(GROUP, priority))
        for priority in (Priority.reply, Priority.proactive) * 15
    ] + [asyncio.create_task(take(42, Priority.reply)) for _ in range(5)]
    await line.run(tasks)
    group = sorted(stamps[GROUP])
    assert len(group) == 30
    assert min(b - a for a, b in itertools.pairwise(group)) >= 3.0 - 1e-9
    in_first_minute = [t for t in group if t - group[0] < 60.0]
    assert len(in_first_minute) == 20
    private = sorted(stamps[42])
    assert max(b - a for a, b in itertools.pairwise(private)) < 1.5  # not slowed to 3 s


async def test_edits_in_a_group_are_not_held_to_the_group_pace() -> None:
    line = TimeLine()
    budget = OutboundBudget(25, 1.0, 20, monotonic=line.monotonic, sleep=line.sleep)
    stamps: list[float] = []

    async def edit() -> None:
        await budget.acquire(GROUP, Priority.reply, per_chat=False)
        stamps.append(line.now)

    await line.run([asyncio.create_task(edit()) for _ in range(5)])
    assert max(stamps) - min(stamps) < 1.0


async def test_workers_sharing_redis_keep_a_group_3_s_apart() -> None:
    """With REDIS_URL the slot is booked in Redis too: the second message to one group waits
    about 3 s whichever worker sends it (asked of Redis, not slept)."""
    import time

    import pytest

    from bot.shared_pace import shared_pace_from_url
    from tests.conftest import TEST_REDIS_URL

    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    bot_id = int(time.time() * 1000)
    one = shared_pace_from_url(TEST_REDIS_URL, bot_id, 25.0, 1.0)
    two = shared_pace_from_url(TEST_REDIS_URL, bot_id, 25.0, 1.0)
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    try:
        await one.wait(GROUP, True, record)
        await two.wait(GROUP, True, record)
    finally:
        await one.close()
        await two.close()
    assert len(waits) == 1 and 2.9 <= waits[0] <= 3.01, waits
