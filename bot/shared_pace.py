"""The outbound budget shared by several processes (webhook workers) through Redis.

Each process paces its own sends (bot/outbound.py: replies first, 429s waited out), but
Telegram counts the bot as a whole: two workers at 25 messages/s each would be 50. With
REDIS_URL set, every slot is also booked in Redis: one atomic script reads Redis's clock,
takes the later of "the next free slot overall" and "the next free slot in this chat", books
both and answers how long to wait. A reply may take its slot up to ``ahead`` before the next
free one overall (bot.outbound's reply burst: a reply right after a summary's slot goes at
once); the booking still moves the next slot on by one spacing, so the sum keeps the rate and
no more than ``rate + 1 + ahead * rate`` slots fall in any second (29 at 25/s, burst 3).
One round trip per message; if Redis fails, the process falls back to its own pacing (and
Telegram's 429s, which are waited out) rather than stop sending."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

GROUP_INTERVAL_MS = 60_000 / 20  # as bot.outbound.GROUP_INTERVAL (that module imports this one)

_BOOK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local spacing = tonumber(ARGV[1])
local per_chat = tonumber(ARGV[2])
local ahead = tonumber(ARGV[3])
local start = now
local any = tonumber(redis.call('GET', KEYS[1]) or '0')
if any - ahead > start then start = any - ahead end
if #KEYS == 2 then
  local chat = tonumber(redis.call('GET', KEYS[2]) or '0')
  if chat > start then start = chat end
  redis.call('SET', KEYS[2], tostring(start + per_chat), 'PX', math.ceil(per_chat) + 60000)
end
local booked = any
if start > booked then booked = start end
redis.call('SET', KEYS[1], tostring(booked + spacing), 'PX', 60000)
return tostring(start - now)
"""


class SharedPace:
    def __init__(self, redis: Any, bot_id: int, rate: float, per_chat: float) -> None:
        self.redis = redis
        self.prefix = f"dealbot:outbound:{bot_id}"
        self.spacing_ms = 1000.0 / rate
        self.per_chat_ms = per_chat * 1000.0
        self._book = redis.register_script(_BOOK)
        self._failing = False

    async def wait(
        self,
        chat_id: int | None,
        per_chat: bool,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        ahead: float = 0.0,
    ) -> None:
        """Book the slot in Redis and wait for it; ``ahead`` (seconds): how far before the next
        free slot overall this one may go (replies' burst; 0 for proactive messages)."""
        keys = [f"{self.prefix}:next"]
        if per_chat and chat_id is not None:
            keys.append(f"{self.prefix}:chat:{chat_id}")
        # A group (negative id) takes 20 messages a minute (bot.outbound.GROUP_INTERVAL).
        gap_ms = self.per_chat_ms
        if chat_id is not None and chat_id < 0:
            gap_ms = max(gap_ms, GROUP_INTERVAL_MS)
        try:
            answer = await self._book(keys=keys, args=[self.spacing_ms, gap_ms, ahead * 1000.0])
        except Exception as exc:
            if not self._failing:
                self._failing = True
                logger.warning("shared outbound budget unavailable (%s): pacing locally", exc)
            return
        if self._failing:
            self._failing = False
            logger.info("shared outbound budget available again")
        wait_ms = float(answer)
        if wait_ms > 0:
            await sleep(wait_ms / 1000.0)

    async def close(self) -> None:
        await self.redis.aclose()


def shared_pace_from_url(url: str, bot_id: int, rate: float, per_chat: float) -> SharedPace:
    from redis.asyncio import Redis

    return SharedPace(Redis.from_url(url), bot_id, rate, per_chat)
