"""How the transport learns that an update's writes are committed.

The polling loop (bot/polling.py) sets a hook for each update it runs; the session middleware
calls ``update_committed()`` once the update's writes and its processed-update record are
committed. From then on a redelivery of that update would change nothing, so the loop may
confirm it to Telegram even while its reply still waits for a send slot."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

_hook: ContextVar[Callable[[], None] | None] = ContextVar("update_committed_hook", default=None)


def set_committed_hook(hook: Callable[[], None]) -> None:
    _hook.set(hook)


def update_committed() -> None:
    hook = _hook.get()
    if hook is not None:
        hook()
