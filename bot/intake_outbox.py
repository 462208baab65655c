"""Delivery of the intake's outbox (models.services.intake_outbox): the messages of accepted
requests go out after the HTTP answer, in batches, from a background task of the web
application.

A request's transaction leaves its outbox row and ``wake`` is called after the commit; the
task waits ``GATHER_SECONDS`` for more to come, then takes up to a batch of rows and sends
them through ``send_batch`` (bot/sender_batch.py: the bot's outbound budget, the sent-log: two
transactions for the batch, not three per message); the rows are deleted in the transaction
that confirms the messages. Every ``POLL_SECONDS`` it looks again without being woken: rows
a crashed process (or another worker) left are sent then, at the latest.

Exactly once: the sent-log's unique keys (``intake:<request>:<chat>``,
``intake-known:<request>``) are claimed before a send; a row drained twice (two workers, a
restart after the send but before the delete) finds its keys taken and is only deleted; a
crash while a message was in flight leaves its key handed and unconfirmed: reported once at
the next start as possibly not delivered, never sent again (bot.sender). A message that
fails (network errors after the retries) is tried again by the next drains, ``MAX_TRIES``
drains in all.

A team's group that refuses the bot (blocked, kicked, "chat not found") is unbound in the
transaction that confirms the batch, and its rows are kept, not deleted: the next drain (at
once) plans them anew, to the team's leads in private. So a crash between the refusal and
the leads' messages loses nothing, and their sent-log keys keep them to one delivery."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass

from bot.intake_delivery import IntakeDelivery, Target, open_markup, plain, remembering
from bot.render.intake import known_contact_text, request_markup, request_text
from bot.sender import Outgoing, SendResult
from bot.sender_batch import send_batch
from models.crm import Crm
from models.intake import IntakeKind
from models.services.intake import Intake
from models.services.intake_outbox import IntakeOutboxes, Queued
from models.services.team_feed import TeamFeed

logger = logging.getLogger(__name__)

GATHER_SECONDS = 0.05  # after a wake: let the requests of the next moments join the batch
POLL_SECONDS = 5.0
MAX_TRIES = 3
DONE = (SendResult.sent, SendResult.duplicate, SendResult.blocked)


@dataclass
class _Message:
    queued: Queued
    target: Target
    item: Outgoing
    box: list[int]  # the message id, once sent (a Claim message is remembered)


class OutboxDrainer:
    def __init__(self, delivery: IntakeDelivery, *, poll_seconds: float = POLL_SECONDS) -> None:
        self.delivery = delivery
        self.sender = delivery.sender
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._tries: Counter[int] = Counter()  # outbox id -> drains that failed it

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        """The background task; its first drain sends what a previous process left."""
        if self._task is None:
            self._wake.set()
            self._task = asyncio.ensure_future(self._run())

    async def stop(self, timeout: float) -> None:
        """Shutdown: the loop ends; what is queued goes out within ``timeout`` (the rest
        stays in the outbox for the next start). Every wait here is bounded."""
        self._stopping = True
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=timeout)
            if not done:
                logger.warning("intake outbox: its task did not stop in %s s", timeout)
        try:
            await asyncio.wait_for(self.flush(), timeout)
        except TimeoutError:
            logger.info("intake outbox: stopped with messages left for the next start")
        except Exception:
            logger.exception("intake outbox: the last drain failed; the next start sends")

    async def flush(self) -> None:
        """Drain until the outbox holds nothing this process can send now (tests, shutdown)."""
        while await self.drain_once():
            pass

    async def _run(self) -> None:
        while not self._stopping:
            # asyncio.wait, not wait_for: the latter can swallow a cancellation that comes as
            # the event is set (Python 3.11), and the loop would never end.
            woken = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({woken}, timeout=self.poll_seconds)
            finally:
                woken.cancel()
            self._wake.clear()
            await asyncio.sleep(GATHER_SECONDS)
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("intake outbox: a drain failed; will try again")

    async def drain_once(self) -> int:
        """One batch; returns how many rows it finished or kept for the leads, whose group
        refused the bot (0: nothing left to do now)."""
        async with self._lock:
            async with self.delivery.read_factory() as session:
                crm = self.delivery._crm(session)
                outboxes = IntakeOutboxes(session)
                queued = await outboxes.pending()
                if not queued:
                    return 0
                messages = await self._plan(crm, outboxes, queued)
            batch = _Batch(self, queued, messages)
            if messages:
                await send_batch(
                    self.sender,
                    [m.item for m in messages],
                    self.delivery.session_factory,
                    after=batch.finish,
                )
            else:  # nobody to tell for any of them
                async with self.delivery.session_factory() as session, session.begin():
                    await batch.finish(self.delivery._crm(session), {})
            return len(batch.finished) + len(batch.refused)

    async def _plan(
        self, crm: Crm, outboxes: IntakeOutboxes, queued: list[Queued]
    ) -> list[_Message]:
        teams = [q.view.team_id for q in queued if q.kind is IntakeKind.new]
        # Whom to tell, for the whole batch at once: its teams' groups, else their leads.
        chats = await TeamFeed(crm).of_teams(teams)
        leads = await Intake(crm).leads_of_teams(
            [t for t in teams if t not in chats or not chats[t].feed_requests]
        )
        owners = await outboxes.owners(
            [q.view.deal_id for q in queued if q.kind is IntakeKind.known]
        )
        messages: list[_Message] = []
        for q in queued:
            view = q.view
            if q.kind is IntakeKind.known:
                found = owners.get(view.deal_id)
                if found is None or not (found[1].is_active and found[1].is_reachable):
                    continue  # nobody to tell
                title, owner = found
                tr = self.delivery.translator.for_locale(owner.language)
                text = known_contact_text(view, title, q.message, tr)
                send = plain(owner.telegram_id, text, open_markup(view.deal_id, tr))
                target = Target(owner.id, owner.telegram_id, owner.language)
                key = f"intake-known:{view.request_id}"
                item = Outgoing(key, owner.id, owner.telegram_id, send)
                messages.append(_Message(q, target, item, []))
                continue
            chat = chats.get(view.team_id) if view.team_id is not None else None
            if chat is not None and chat.feed_requests:
                targets = [Target(None, chat.chat_id, self.delivery.default_language)]
            else:  # no group: the leads in private (no team or no lead: the admins)
                targets = await self.delivery._people(leads[view.team_id])
            for target in targets:
                messages.append(self._claim_message(q, target))
        return messages

    def _claim_message(self, q: Queued, target: Target) -> _Message:
        tr = self.delivery.translator.for_locale(target.language)
        box: list[int] = []
        view = q.view
        send = remembering(target.chat_id, request_text(view, tr), request_markup(view, tr), box)
        key = f"intake:{view.request_id}:{target.chat_id}"
        return _Message(q, target, Outgoing(key, target.user_id, target.chat_id, send), box)


class _Batch:
    """The rows of one drain and their messages. ``finish`` runs in each transaction that
    confirms a group of them (sender_batch.send_batch): the Claim messages sent are remembered, and
    each row whose messages all have an outcome is deleted, unless one of them failed (kept
    for the next drains, ``MAX_TRIES`` in all), waited for a slot at a shutdown (kept for
    the next start) or went to a group that refuses the bot (unbound in the same
    transaction, kept for the leads: the next drain tells them)."""

    def __init__(self, drainer: OutboxDrainer, queued: list[Queued], messages: list[_Message]):
        self.tries = drainer._tries
        self.queued = queued
        self.messages = messages
        self.of_row: dict[int, list[_Message]] = {q.outbox_id: [] for q in queued}
        for m in messages:
            self.of_row[m.queued.outbox_id].append(m)
        self.outcomes: dict[str, SendResult] = {}
        self.decided: set[int] = set()
        self.finished: set[int] = set()  # rows deleted
        self.refused: set[int] = set()  # rows kept: their group refused, the leads are next

    async def finish(self, crm: Crm, results: dict[str, SendResult]) -> None:
        self.outcomes.update(results)
        outboxes = IntakeOutboxes(crm.session)
        posts = [
            (m.queued.view.request_id, m.target.chat_id, m.box[0])
            for m in self.messages
            if m.item.key in results and m.box and results[m.item.key] is SendResult.sent
        ]
        await outboxes.remember_posts(posts)
        refused = {
            m.target.chat_id
            for m in self.messages
            if m.target.user_id is None and results.get(m.item.key) is SendResult.blocked
        }
        for chat_id in refused:  # with the rows kept below: the leads' turn is never lost
            await TeamFeed(crm).forget_chat(chat_id)
            logger.info("group %s refuses the bot: its team binding was removed", chat_id)
        done = []
        for outbox_id, messages in self.of_row.items():
            if outbox_id in self.decided:
                continue
            outcomes = [self.outcomes.get(m.item.key) for m in messages]
            if any(outcome is None for outcome in outcomes):
                continue  # some of its messages are in a later group
            self.decided.add(outbox_id)
            if any(
                m.target.user_id is None and o is SendResult.blocked
                for m, o in zip(messages, outcomes, strict=True)
            ):
                self.refused.add(outbox_id)
                continue
            if self._keep(outbox_id, messages, outcomes):
                continue
            done.append(outbox_id)
        await outboxes.done(done)
        self.finished.update(done)
        for outbox_id in done:
            self.tries.pop(outbox_id, None)

    def _keep(
        self, outbox_id: int, messages: list[_Message], outcomes: list[SendResult | None]
    ) -> bool:
        if SendResult.stopped in outcomes:
            return True
        failed = [m.item.key for m, o in zip(messages, outcomes, strict=True) if o not in DONE]
        if not failed:
            return False
        self.tries[outbox_id] += 1
        if self.tries[outbox_id] < MAX_TRIES:
            return True
        logger.error("intake: message(s) %s given up", ", ".join(failed))
        return False
