"""The update queue of the fake Bot API (bench/fake_limited_api.py), with Telegram's
``getUpdates`` semantics:

* every update gets an increasing ``update_id`` when it is injected;
* ``getUpdates(offset=N)`` confirms (drops for good) every update with an id below N and
  returns up to ``limit`` (1..100) of the rest, oldest first. An update that was returned but
  not confirmed by a later call with a higher offset is returned again: a bot killed before
  its next call gets the same updates after a restart, as from Telegram;
* with nothing to return the call waits up to ``timeout`` seconds for an update (long poll);
* a new ``getUpdates`` while another one is still waiting ends the waiting one with 409
  Conflict, Telegram's "terminated by other getUpdates request" (two processes polling one
  token keep terminating each other's calls and both see 409s).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from typing import Any

CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
MAX_LIMIT = 100
MAX_TIMEOUT = 50.0  # Telegram caps the long poll too


class Conflict(Exception):
    """This getUpdates was terminated by a newer one."""


@dataclass
class QueueStats:
    injected: int = 0
    calls: int = 0  # getUpdates requests received
    polls: int = 0  # getUpdates calls answered with a list (empty included)
    delivered: int = 0  # updates handed out, redeliveries included
    redelivered: int = 0  # updates handed out again because they were not confirmed
    confirmed: int = 0
    conflicts: int = 0  # 409s answered to a caller that was still connected
    conflicts_orphaned: int = 0  # 409s to a call whose client was gone (e.g. killed)
    last_poll_at: float | None = None  # time.time() of the last answered getUpdates


class UpdateQueue:
    def __init__(self) -> None:
        self.stats = QueueStats()
        self._ids = itertools.count(1)
        self._pending: list[dict[str, Any]] = []  # not confirmed yet, by update_id
        self._times_out: dict[int, int] = {}  # update_id -> how often handed out
        self._arrived = asyncio.Event()
        self._waiting: asyncio.Future[None] | None = None  # the call now in its long poll

    # -- filling --------------------------------------------------------------------------------
    def add(self, updates: list[dict[str, Any]]) -> list[int]:
        ids = []
        for update in updates:
            update = {**update, "update_id": next(self._ids)}
            self._pending.append(update)
            ids.append(update["update_id"])
        self.stats.injected += len(ids)
        # Wake every waiting call: a fresh event for the next wait.
        self._arrived.set()
        self._arrived = asyncio.Event()
        return ids

    def clear(self) -> None:
        """Drop every update (confirmed or not); ids keep increasing."""
        self._pending.clear()
        self._times_out.clear()
        self.stats = QueueStats()

    def status(self) -> dict[str, Any]:
        return {
            **self.stats.__dict__,
            "unconfirmed": len(self._pending),
            "first_unconfirmed": self._pending[0]["update_id"] if self._pending else None,
            "waiting": self._waiting is not None and not self._waiting.done(),
        }

    # -- getUpdates -----------------------------------------------------------------------------
    async def get(
        self, offset: int | None, limit: int, timeout: float, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        """Raises Conflict when a newer call terminates this one."""
        self.stats.calls += 1
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_result(None)  # the older call answers 409
        me: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting = me
        try:
            if offset is not None and offset > 0:
                self._confirm(offset)
            deadline = time.monotonic() + max(0.0, min(timeout, MAX_TIMEOUT))
            limit = max(1, min(limit or MAX_LIMIT, MAX_LIMIT))
            while True:
                ready = self._ready(offset, limit, allowed)
                left = deadline - time.monotonic()
                if ready or left <= 0:
                    return self._hand_out(ready)
                arrived = asyncio.ensure_future(self._arrived.wait())
                try:
                    pending: set[asyncio.Future[Any]] = {me, arrived}
                    await asyncio.wait(pending, timeout=left, return_when="FIRST_COMPLETED")
                finally:
                    arrived.cancel()
                if me.done():
                    raise Conflict
        finally:
            if self._waiting is me:
                self._waiting = None

    def _confirm(self, offset: int) -> None:
        kept = [u for u in self._pending if u["update_id"] >= offset]
        for update in self._pending:
            if update["update_id"] < offset:
                self._times_out.pop(update["update_id"], None)
        self.stats.confirmed += len(self._pending) - len(kept)
        self._pending = kept

    def _ready(
        self, offset: int | None, limit: int, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        start = offset if offset is not None and offset > 0 else 0
        ready = []
        for update in self._pending:
            if update["update_id"] < start:
                continue
            if allowed and not any(kind in update for kind in allowed):
                continue
            ready.append(update)
            if len(ready) >= limit:
                break
        return ready

    def _hand_out(self, updates: list[dict[str, Any]]) -> list[dict[str, Any]]:
        stats = self.stats
        stats.polls += 1
        stats.last_poll_at = time.time()
        for update in updates:
            n = self._times_out.get(update["update_id"], 0)
            self._times_out[update["update_id"]] = n + 1
            stats.delivered += 1
            stats.redelivered += n > 0
        return updates


# -- updates from a short spec -------------------------------------------------------------------
class UpdateFactory:
    """Builds Telegram update objects (without update_id) from ``{"from": <user id>, "text":
    ...}`` or ``{"from": ..., "callback_data": ..., "message_id": ...}`` specs; a dict that
    already holds "message", "callback_query" or another update field is taken as it is."""

    def __init__(self, message_ids: itertools.count[int]) -> None:
        self._message_ids = message_ids
        self._query_ids = itertools.count(1)

    def build(self, spec: dict[str, Any]) -> dict[str, Any]:
        if "from" not in spec:
            return {k: v for k, v in spec.items() if k != "update_id"}
        user_id = int(spec["from"])
        person = {
            "id": user_id,
            "is_bot": False,
            "first_name": spec.get("first_name", f"User{user_id}"),
            "language_code": spec.get("language_code", "ru"),
        }
        chat = {"id": user_id, "type": "private", "first_name": person["first_name"]}
        now = int(time.time())
        if "callback_data" in spec:
            card: dict[str, Any] = {
                "message_id": int(spec.get("message_id", 1)),
                "date": now,
                "chat": chat,
                "from": {"id": 4242, "is_bot": True, "first_name": "DealBot"},
                "text": spec.get("message_text", "card"),
            }
            return {
                "callback_query": {
                    "id": str(next(self._query_ids)),
                    "from": person,
                    "message": card,
                    "chat_instance": str(user_id),
                    "data": str(spec["callback_data"]),
                }
            }
        text = str(spec.get("text", ""))
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": now,
            "chat": chat,
            "from": person,
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0]) if text.strip() else 1
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if "reply_to_message_id" in spec:
            message["reply_to_message"] = {
                "message_id": int(spec["reply_to_message_id"]),
                "date": now,
                "chat": chat,
                "from": {"id": 4242, "is_bot": True, "first_name": "DealBot"},
                "text": spec.get("reply_to_text", "card"),
            }
        return {"message": message}
