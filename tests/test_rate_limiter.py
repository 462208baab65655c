"""The outbound budget keeps its pace after an event-loop stall (a long GC pause wakes
every delayed timer at once): no burst that Telegram would answer with 429."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.outbound import OutboundBudget, Priority
from tests.virtual_time import TimeLine


@pytest.mark.parametrize("priority", list(Priority))
async def test_no_burst_after_a_stall(priority: Priority) -> None:
    clock = TimeLine()
    budget = OutboundBudget(25, 1.0, 25, monotonic=clock.monotonic, sleep=clock.sleep)
    sent: list[float] = []

    async def send(chat_id: int) -> None:
        await budget.acquire(chat_id, priority)
        sent.append(clock.now)

    tasks = [asyncio.create_task(send(chat)) for chat in range(120)]
    await clock.run(tasks, stall_at=1.0, stall=0.4)
    assert len(sent) == 120
    gaps = [b - a for a, b in itertools.pairwise(sorted(sent))]
    assert min(gaps) >= 1 / 25 - 1e-6, "a burst after the stall"
    busiest = max(sum(1 for t in sent if s <= t < s + 1.0) for s in sent)
    assert busiest <= 25  # Telegram allows ~30 a second overall; we promise 25
