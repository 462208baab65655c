"""Replies' burst allowance (bot/outbound.py): a reply that comes right after a proactive
message took a slot goes at once when the sliding second has room, instead of waiting the
overall spacing (bench/summary_load.py: ~40 ms at p99 under a summary wave); 26 replies at
once still get spaced; and a mixed load never breaks the limits the way
bench/fake_limited_api.py (Telegram's) judges them."""

from __future__ import annotations

import asyncio
import itertools

from bench.fake_limited_api import LimitedBotApi
from bot.outbound import REPLY_BURST, OutboundBudget, Priority
from tests.virtual_time import TimeLine, assert_paced, busiest_second


async def test_a_reply_right_after_a_proactive_message_goes_at_once() -> None:
    line = TimeLine()
    budget = OutboundBudget(25, 1.0, 20, monotonic=line.monotonic, sleep=line.sleep)
    await line.run([asyncio.create_task(budget.acquire(1, Priority.reply))])  # people active
    line.now = 5.0
    await line.run([asyncio.create_task(budget.acquire(100, Priority.proactive))])
    line.now = 5.005  # 5 ms later a person writes
    reply = asyncio.create_task(budget.acquire(2, Priority.reply))
    await line.run([reply])
    assert reply.result() == 5.005  # no wait for the 40 ms spacing
    # The next proactive message waits for the pace the reply used: the sum stays 25/s.
    proactive = asyncio.create_task(budget.acquire(101, Priority.proactive))
    await line.run([proactive])
    assert proactive.result() >= 5.0 + 2 / 25 - 1e-9


async def test_the_burst_stays_bounded_with_a_proactive_message_just_sent() -> None:
    line = TimeLine()
    budget = OutboundBudget(25, 1.0, 20, monotonic=line.monotonic, sleep=line.sleep)
    await line.run([asyncio.create_task(budget.acquire(100, Priority.proactive))])
    replies = [asyncio.create_task(budget.acquire(200 + n, Priority.reply)) for n in range(6)]
    await line.run(replies)
    moments = [r.result() for r in replies]
    at_once = [m for m in moments if m == 0.0]
    # With the proactive slot, 1 + REPLY_BURST slots at one moment, then the even pace.
    assert len(at_once) == REPLY_BURST
    assert_paced([0.0, *moments], 25, REPLY_BURST)


async def test_26_replies_in_one_second_still_get_spaced() -> None:
    line = TimeLine()
    budget = OutboundBudget(25, 1.0, 20, monotonic=line.monotonic, sleep=line.sleep)
    replies = [asyncio.create_task(budget.acquire(300 + n, Priority.reply)) for n in range(26)]
    await line.run(replies)
    moments = sorted(r.result() for r in replies)
    assert moments[: 1 + REPLY_BURST] == [0.0] * (1 + REPLY_BURST)  # the burst
    gaps = [b - a for a, b in itertools.pairwise(moments[REPLY_BURST:])]
    assert min(gaps) >= 1 / 25 - 1e-9  # then spaced
    assert moments[-1] >= 1.0 - 1e-9  # the 26th waits until the first leaves the second
    assert busiest_second(moments) <= 25


async def test_a_mixed_load_draws_no_429_from_the_fake_telegram() -> None:
    """A summary wave, replies in bursts and alone, some to one chat, a stalled loop, and
    arrivals 10-60 ms after their slot (network jitter): bench/fake_limited_api.py's judge
    (30 in a sliding second, 1 s per chat, by arrival) accepts every message."""
    line = TimeLine()
    budget = OutboundBudget(25, 1.0, 20, monotonic=line.monotonic, sleep=line.sleep)
    api = LimitedBotApi()
    delays = itertools.cycle([0.06, 0.01, 0.035, 0.02, 0.05, 0.01])
    refused: list[tuple[int, float]] = []
    slots: list[float] = []

    async def send(chat: int, priority: Priority, after: float = 0.0) -> None:
        await line.sleep(after)
        slots.append(await budget.acquire(chat, priority))
        await line.sleep(next(delays))  # the request on its way
        if api.judge(chat, line.now) is not None:
            refused.append((chat, line.now))
        budget.delivered(chat)

    async def wave() -> None:
        for lead in range(120):
            await send(10_000 + lead, Priority.proactive)

    tasks = [asyncio.create_task(wave())]
    tasks += [asyncio.create_task(send(500 + n, Priority.reply, 0.5)) for n in range(30)]
    tasks += [asyncio.create_task(send(7, Priority.reply, 0.3 * n)) for n in range(8)]
    tasks += [asyncio.create_task(send(800 + n, Priority.reply, 0.13 * n)) for n in range(40)]
    await line.run(tasks, stall_at=2.0, stall=0.4)
    assert refused == []
    assert api.stats.accepted == 120 + 30 + 8 + 40
    assert_paced(slots, 25, REPLY_BURST)
