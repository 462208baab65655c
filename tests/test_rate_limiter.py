"""The outbound budget keeps its pace after an event-loop stall (a long GC pause wakes
every delayed timer at once): no burst that Telegram would answer with 429."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.outbound import REPLY_BURST, OutboundBudget, Priority
from tests.virtual_time import TimeLine, assert_paced


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
    if priority is Priority.proactive:  # strictly spaced
        gaps = [b - a for a, b in itertools.pairwise(sorted(sent))]
        assert min(gaps) >= 1 / 25 - 1e-6, "a burst after the stall"
    # Replies may go REPLY_BURST slots ahead of the pace, no more, even after the stall; and
    # never more than 25 in a sliding second (Telegram allows ~30; we promise 25).
    assert_paced(sent, 25, REPLY_BURST if priority is Priority.reply else 0)
