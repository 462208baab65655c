"""``python -m bench.unbudgeted_bot [ARGS]``: ``python -m bot [ARGS]`` with the outbound budget
lifted (bot/outbound.py: 10,000 messages/s, no per-chat spacing), for bench/webhook_bench.py
against a fake Bot API without limits. The settings cap OUTBOUND_RATE at Telegram's 30/s; a
webhook answer comes at the update's commit, but the update's handler and its user's lock last
until its reply is sent, so under a steady load a worker's throughput is its budget's, not its
CPU's. Never for a bot that talks to Telegram."""

from __future__ import annotations

import sys
from typing import Any

from bot import outbound
from bot.__main__ import run

_init = outbound.OutboundBudget.__init__
_shared = outbound.shared_pace_from_url


def _lifted(self: outbound.OutboundBudget, *_args: Any, **kwargs: Any) -> None:
    _init(self, 10_000.0, 0.0, 10_000.0, **kwargs)


def _lifted_shared(url: str, bot_id: int, _rate: float, _per_chat: float) -> Any:
    # With REDIS_URL the processes also share one pace in Redis (bot/shared_pace.py): lifted
    # too, or two workers would be held to one budget together.
    return _shared(url, bot_id, 10_000.0, 0.0)


if __name__ == "__main__":
    outbound.OutboundBudget.__init__ = _lifted  # type: ignore[method-assign]
    outbound.shared_pace_from_url = _lifted_shared
    run(sys.argv[1:])
