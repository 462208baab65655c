"""Several processes of one bot share its outbound budget through Redis: two budgets (two
webhook workers) together stay within the bot's rate overall and per chat. Real Redis, real
time (a second or two); skipped without TEST_REDIS_URL (CI's PostgreSQL + Redis run has it)."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.outbound import REPLY_BURST, OutboundBudget, Priority
from bot.shared_pace import SharedPace, shared_pace_from_url
from tests.conftest import TEST_REDIS_URL

pytestmark = pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set")

RATE = 20.0
PER_CHAT = 0.3


def _worker(bot_id: int, per_chat: float = PER_CHAT) -> OutboundBudget:
    budget = OutboundBudget(RATE, per_chat, RATE)
    budget.shared = shared_pace_from_url(TEST_REDIS_URL or "", bot_id, RATE, per_chat)
    return budget


async def _close(*budgets: OutboundBudget) -> None:
    for budget in budgets:
        assert budget.shared is not None
        await budget.shared.close()


async def test_two_workers_together_keep_the_bots_overall_rate() -> None:
    bot_id = int(time.time() * 1000)  # keys of their own
    one, two = _worker(bot_id), _worker(bot_id)
    began = time.monotonic()
    try:
        await asyncio.gather(
            *(
                budget.acquire(chat, Priority.reply)
                for chat in range(30)
                for budget in ((one, two)[chat % 2],)
            )
        )
    finally:
        await _close(one, two)
    took = time.monotonic() - began
    # 30 slots 1/20 s apart, the replies' burst ahead: 26 gaps (1.3 s); alone, each worker
    # would need 14 - 3 gaps (0.55 s).
    assert took >= (29 - REPLY_BURST) / RATE - 0.05, took


async def test_two_workers_together_keep_one_chats_pace() -> None:
    bot_id = int(time.time() * 1000) + 1
    one, two = _worker(bot_id), _worker(bot_id)
    began = time.monotonic()
    try:
        await asyncio.gather(*(b.acquire(42, Priority.reply) for b in (one, two, one, two)))
    finally:
        await _close(one, two)
    assert time.monotonic() - began >= 3 * PER_CHAT - 0.05


async def test_other_bots_and_edits_are_not_held_back() -> None:
    base = int(time.time() * 1000) + 2
    slow = 3.0  # a chat pace far above what three Redis round trips take, even under load
    a, b = _worker(base, slow), _worker(base + 1, slow)  # two different bots
    began = time.monotonic()
    try:
        await asyncio.gather(a.acquire(7, Priority.reply), b.acquire(7, Priority.reply))
        await a.acquire(7, Priority.reply, per_chat=False)  # an edit: overall pace only
    finally:
        await _close(a, b)
    assert time.monotonic() - began < slow


async def test_redis_down_falls_back_to_local_pacing() -> None:
    from redis.asyncio import Redis

    budget = OutboundBudget(RATE, PER_CHAT, RATE)
    budget.shared = SharedPace(Redis.from_url("redis://127.0.0.1:1/0"), 1, RATE, PER_CHAT)
    try:
        moment = await asyncio.wait_for(budget.acquire(5, Priority.reply), 5)
    finally:
        await budget.shared.close()
    assert moment > 0
