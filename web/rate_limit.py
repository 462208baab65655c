"""A small token bucket per key (a form, a client address), in this process's memory.

With several webhook worker processes each keeps its own buckets, so the effective limit is
the per-process limit times the number of workers; a shared limit would need Redis (not done:
one process serves the intake in the default shapes, see README)."""

from __future__ import annotations

import time
from collections.abc import Callable

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
