"""One update at a time per person, in the order they arrived.

aiogram's ``RedisEventIsolation`` excludes across processes but is no queue: waiters poll the
Redis lock, and whichever polls first after a release wins, so a person's quick updates (11
language switches in a row, a button and the answer typed right after it) could be applied
out of order. A FIFO ``asyncio`` lock per person in front of it keeps this process's arrival
order; the Redis lock still keeps two processes apart."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.fsm.storage.memory import SimpleEventIsolation


class OrderedEventIsolation(BaseEventIsolation):
    def __init__(self, shared: BaseEventIsolation) -> None:
        self.local = SimpleEventIsolation()
        self.shared = shared

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        async with self.local.lock(key), self.shared.lock(key):
            yield

    async def close(self) -> None:
        await self.local.close()
        await self.shared.close()
