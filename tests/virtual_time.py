"""Monotonic time for the outbound budget in tests: a sleep moves the clock instead of
waiting (and lets other tasks run), so pacing is exercised and the suite stays fast."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass
class VirtualTime:
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


class TimeLine:
    """A clock and sleep under test control; ``stall`` makes one wake-up late for everybody,
    as a blocked event loop does."""

    def __init__(self) -> None:
        self.now = 0.0
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (self.now + seconds, next(self._seq), future))
        await future

    async def run(
        self, tasks: list[asyncio.Task[Any]], stall_at: float = float("inf"), stall: float = 0.0
    ) -> None:
        stalled = False
        while not all(t.done() for t in tasks):
            for _ in range(5):  # let every task reach its next sleep
                await asyncio.sleep(0)
            if not self._waiters:
                continue
            wake = self._waiters[0][0]
            if not stalled and wake >= stall_at:
                stalled, wake = True, wake + stall  # the loop was blocked: everyone is late
            self.now = max(self.now, wake)
            while self._waiters and self._waiters[0][0] <= self.now:
                future = heapq.heappop(self._waiters)[2]
                if not future.done():  # a cancelled sleeper
                    future.set_result(None)


def busiest_second(stamps: list[float]) -> int:
    """The most slots in one sliding second (Telegram judges at most 30 in any)."""
    return max((sum(1 for t in stamps if s <= t < s + 1.0) for s in stamps), default=0)


def assert_paced(stamps: list[float], rate: float, burst: int) -> None:
    """The outbound budget's pace: never more than ``rate`` slots in a sliding second, and
    ``k`` slots in a row span at least ``k - 1 - burst`` spacings (the replies' burst, no more)."""
    ordered = sorted(stamps)
    spacing = 1 / rate
    for i, first in enumerate(ordered):
        for k, later in enumerate(ordered[i + 1 :], start=1):
            assert later - first >= (k - burst) * spacing - 1e-6, (i, k, later - first)
    assert busiest_second(ordered) <= rate
