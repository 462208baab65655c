"""``send_batch``: independent proactive messages sent in groups, with two sent-log
transactions per group instead of two per message (the intake outbox, bot/intake_outbox.py).

It delivers through the Sender's own steps (slots, 429s, retries, blocked chats, exactly as
``Sender.send_once``, bot/sender.py); only the claiming and the recording are grouped. Kept
apart from bot/sender.py, which stays the one-message path, to keep both modules small; this
one imports bot.sender, never the other way round."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.sender import Attempt, Outgoing, Sender, SendResult, SessionFactory
from models.crm import Crm

logger = logging.getLogger(__name__)

# The caller's bookkeeping, run in the transaction that records a group's outcome.
AfterGroup = Callable[[Crm, dict[str, SendResult]], Awaitable[None]]


async def send_batch(
    sender: Sender,
    items: Sequence[Outgoing],
    session_factory: SessionFactory,
    *,
    after: AfterGroup | None = None,
) -> dict[str, SendResult]:
    """Send independent messages (one key each) with two transactions per group of
    ``max_concurrency`` messages instead of two per message: the group's keys are claimed
    in one statement (a key taken already is a duplicate: not sent), its messages wait for
    their slots and go out together (429, retries, blocked chats as in ``send_once``), then
    one transaction confirms the delivered keys, releases the others and runs ``after``
    (the caller's bookkeeping, e.g. its outbox rows deleted) with the outcome of every key.

    The keys are claimed (handed) before the slots, not at each slot: a kill -9 during a
    group leaves its unconfirmed keys handed, reported at the next start as possibly not
    delivered, never sent twice; so at most ``max_concurrency`` messages are lost to a
    kill, as for ``send_once``. A shutdown before a message's slot releases its key."""
    results: dict[str, SendResult] = {}
    for start in range(0, len(items), sender.max_concurrency):
        group = items[start : start + sender.max_concurrency]
        if sender.stopping:
            results.update((item.key, SendResult.stopped) for item in group)
            continue
        outcome = await _send_group(sender, group, session_factory)
        await asyncio.shield(_record_group(sender, outcome, group, session_factory, after))
        results.update((key, result) for key, (result, _state) in outcome.items())
    return results


async def _send_group(
    sender: Sender, group: Sequence[Outgoing], factory: SessionFactory
) -> dict[str, tuple[SendResult, Attempt]]:
    try:
        claimed = await sender._in_session(
            factory, lambda crm: crm.reminders.claim_each([(i.key, i.user_id) for i in group])
        )
    except Exception:
        logger.exception("could not claim %s messages; will try again", len(group))
        return {item.key: (SendResult.failed, Attempt()) for item in group}
    outcome: dict[str, tuple[SendResult, Attempt]] = {}

    async def one(item: Outgoing) -> None:
        if item.key not in claimed:
            outcome[item.key] = (SendResult.duplicate, Attempt())
            return
        state = Attempt(claimed=True, handed=True)
        try:
            result = await sender._deliver(
                [item.key], item.user_id, item.chat_id, item.send, factory, state
            )
        except Exception:
            logger.exception("sending %s failed unexpectedly", item.key)
            result = SendResult.failed
        outcome[item.key] = (result, state)

    await asyncio.gather(*(one(item) for item in group))
    return outcome


async def _record_group(
    sender: Sender,
    outcome: dict[str, tuple[SendResult, Attempt]],
    group: Sequence[Outgoing],
    factory: SessionFactory,
    after: AfterGroup | None,
) -> None:
    sent = [k for k, (r, _s) in outcome.items() if r is SendResult.sent]
    # Ours and not delivered (nor in doubt): freed for a later try.
    free = [
        k
        for k, (r, s) in outcome.items()
        if s.claimed
        and r is not SendResult.sent
        and not (r is SendResult.stopped and s.maybe_delivered)
    ]
    results = {k: r for k, (r, _s) in outcome.items()}

    async def record(crm: Crm) -> None:
        if sent:
            await crm.reminders.confirm(sent)
        if free:
            await crm.reminders.release(free)
        if after is not None:
            await after(crm, results)

    await sender._in_session(factory, record)
    for item in group:
        if results.get(item.key) is SendResult.blocked and item.user_id is not None:
            await sender._blocked(item.user_id, factory)
