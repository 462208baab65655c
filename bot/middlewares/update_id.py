"""Which update the current task is handling, for log lines far from the handler (the
outbound budget logs a reply that could not go with the update it answered)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

_update_id: ContextVar[int | None] = ContextVar("update_id", default=None)


def current_update_id() -> int | None:
    """The id of the update being handled in this task; None outside updates."""
    return _update_id.get()


class UpdateIdMiddleware(BaseMiddleware):
    """An outer update middleware: sets :func:`current_update_id` while the update runs."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = _update_id.set(event.update_id if isinstance(event, Update) else None)
        try:
            return await handler(event, data)
        finally:
            _update_id.reset(token)
