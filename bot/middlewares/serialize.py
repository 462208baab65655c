"""One update at a time per user: a double tap cannot run two changes side by side."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User


class PerUserSerializeMiddleware(BaseMiddleware):
    def __init__(self) -> None:
        # Weak values: a lock lives only while some update of that user holds or awaits it.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        from_user: User | None = data.get("event_from_user")
        if from_user is None:
            return await handler(event, data)
        lock = self._locks.get(from_user.id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[from_user.id] = lock
        async with lock:
            return await handler(event, data)
