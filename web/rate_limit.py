"""Rate limits of the intake per key (a form, a client address).

``RateLimiter``: a small token bucket in this process's memory; with several webhook worker
processes each would count alone (the effective limit times the workers). ``Limit`` puts the
count in Redis when REDIS_URL is set, so the workers share it, and falls back to the local
bucket while Redis is unreachable."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

MAX_KEYS = 10_000  # then the buckets that are full again are forgotten


class RateLimiter:
    def __init__(self, per_minute: int, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)  # a burst of up to a minute's allowance
        self.refill = per_minute / 60.0  # tokens a second
        self.monotonic = monotonic
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    def allow(self, key: str) -> bool:
        """Take one token for ``key``; False when its bucket is empty (answer 429)."""
        now = self.monotonic()
        tokens, at = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.refill)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > MAX_KEYS:
            self._forget(now)
        return True

    def retry_after(self, key: str) -> int:
        tokens, _at = self._buckets.get(key, (self.capacity, 0.0))
        return max(1, int((1.0 - tokens) / self.refill) + 1)

    def _forget(self, now: float) -> None:
        full = [
            key
            for key, (tokens, at) in self._buckets.items()
            if tokens + (now - at) * self.refill >= self.capacity
        ]
        for key in full:
            del self._buckets[key]


class Limit:
    """What the endpoint asks: ``await limit.check(key)`` -> None (go on) or the seconds to
    wait (answer 429). In this process's memory (one worker), or in Redis when REDIS_URL is
    set (several webhook workers share one count)."""

    def __init__(self, local: RateLimiter, redis: Any = None, prefix: str = "") -> None:
        self.local = local
        self.redis = redis
        self.prefix = prefix
        self.per_minute = int(local.capacity)
        self._failing = False

    async def check(self, key: str) -> int | None:
        if self.redis is not None:
            counted, wait = await self._shared(key)
            if counted:
                return wait
        return None if self.local.allow(key) else self.local.retry_after(key)

    async def _shared(self, key: str) -> tuple[bool, int | None]:
        """A fixed window of one minute per key: INCR + EXPIRE in one round trip. (It lets
        up to twice the limit through across a window's edge: fine for abuse control.)"""
        now = time.time()
        name = f"{self.prefix}:{key}:{int(now // 60)}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, 120)
                count, _ = await pipe.execute()
        except Exception as exc:
            if not self._failing:
                self._failing = True
                logger.warning("intake rate limit: Redis unavailable (%s): counting locally", exc)
            return False, None
        self._failing = False
        if int(count) <= self.per_minute:
            return True, None
        return True, max(1, int(60 - now % 60))
