"""The sender's rate limiter keeps its pace after an event-loop stall (a long GC pause wakes
every delayed timer at once): no burst that Telegram would answer with 429."""

from __future__ import annotations

import asyncio
import heapq
import itertools

from bot.sender import _RateLimiter


class VirtualTime:
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

    async def run(self, tasks: list[asyncio.Task[None]], stall_at: float, stall: float) -> None:
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
                heapq.heappop(self._waiters)[2].set_result(None)


async def test_no_burst_after_a_stall() -> None:
    clock = VirtualTime()
    limiter = _RateLimiter(25, 1.0, clock.monotonic, clock.sleep)
    sent: list[float] = []

    async def send(chat_id: int) -> None:
        await limiter.wait(chat_id)
        sent.append(clock.now)

    tasks = [asyncio.create_task(send(chat)) for chat in range(120)]
    await clock.run(tasks, stall_at=1.0, stall=0.4)
    assert len(sent) == 120
    gaps = [b - a for a, b in itertools.pairwise(sorted(sent))]
    assert min(gaps) >= 1 / 25 - 1e-6, "a burst after the stall"
    busiest = max(sum(1 for t in sent if s <= t < s + 1.0) for s in sent)
    assert busiest <= 25  # Telegram allows ~30 a second overall; we promise 25
