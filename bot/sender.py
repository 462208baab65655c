"""The one way every proactive message (digest, reminder, follow-up, escalation, summary)
leaves the bot: at most once per key, within Telegram's limits, one failure never stopping a
batch, nothing lost at a shutdown.

``send_once(key, ...)``:

1. waits for a send slot in the bot's one outbound budget (``bot.outbound``: shared with the
   replies, which go first; about 25 messages/s overall, one a second per chat). A shutdown
   (``stopping``) ends the wait: the message is not claimed, the next process sends it;
2. at the slot, claims the key in ``SentNotification`` and marks it handed to Telegram
   (``handed_at``), in one short transaction (unique key; a claim that loses the race is a
   *duplicate* and nothing is sent);
3. sends. ``TelegramRetryAfter`` (429): certainly not delivered: ``handed_at`` is cleared, the
   chat (or everything, see ``OutboundBudget.flooded``) is held ``retry_after`` and the SAME
   message waits for a new slot. ``TelegramForbiddenError`` (the user blocked the bot, or a lead
   never started it; also a 400 "chat not found"): the user is marked unreachable
   (``User.is_reachable = False``; it is set back when they write to the bot) and one admin is
   told once, under the key ``blocked:<user>:<UTC date>``. Other errors: bounded retries with
   backoff, then a log line;
4. on success writes ``sent_at``; on final failure (or a shutdown while it waited after a 429)
   deletes the claim so the next scan tries again.

``send_batch`` (bot/sender_batch.py) sends many independent messages through the same steps,
claiming and recording them a group at a time.

``User.is_active`` is access (an admin switches a person off); ``User.is_reachable`` is
delivery (Telegram refuses our messages). The scheduler only writes to active, reachable
people.

What a crash can leave, and the start-up (``recover``, before the first scan sends): a claim
never handed (a kill -9 during a flood wait) is released and sent by the scan; a claim handed
but never confirmed (a kill -9 while the request was in flight: Telegram has no idempotency
key, it may or may not have arrived) is logged once as "possibly not delivered" and marked
``reported_at``: never sent again. So a kill -9 loses at most the messages in flight (at most
``max_concurrency``), each reported, and sends nothing twice; a SIGTERM loses nothing. The
opposite risk is bounded too: a network error after Telegram received the request may make a
retry deliver the message twice; only ``max_retries`` such retries are made.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Translator
from bot.outbound import OutboundBudget, Priority, caller_paced
from models.clock import Clock, utc_now
from models.crm import Crm
from models.roles import Role
from models.services.reminder_items import blocked_key
from models.users import User

logger = logging.getLogger(__name__)

SendFn = Callable[[Bot], Awaitable[Any]]
SessionFactory = async_sessionmaker[AsyncSession]

BACKOFF_SECONDS = (1.0, 3.0, 10.0)
MAX_RETRY_AFTER_ROUNDS = 5  # 429s in a row for one message before giving up until next scan
_RETRYABLE = (TelegramNetworkError, TelegramServerError, OSError, asyncio.TimeoutError)
_REFUSED = (TelegramRetryAfter, TelegramForbiddenError, TelegramBadRequest)  # not delivered
IN_FLIGHT_GRACE_SECONDS = 10.0  # a cancelled sender lets its request in flight finish


class SendResult(enum.Enum):
    sent = "sent"
    duplicate = "duplicate"  # the key was claimed already: nothing was sent
    blocked = "blocked"  # Telegram refuses this chat: the user is now unreachable
    failed = "failed"  # gave up for now; the claim was released for the next scan
    stopped = "stopped"  # shutting down before its slot: not claimed, the next process sends


@dataclass(frozen=True)
class Outgoing:
    """One message of a batch. ``extra_keys`` are claimed (and released) together with
    ``key``: one message that stands for several events (e.g. an escalation of many deals)."""

    key: str
    user_id: int | None  # None: a group chat
    chat_id: int
    send: SendFn
    extra_keys: tuple[str, ...] = ()


def text_message(
    chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> SendFn:
    async def send(bot: Bot) -> Any:
        return await bot.send_message(chat_id, text, reply_markup=reply_markup)

    return send


def photo_message(
    chat_id: int,
    png: bytes,
    caption: str | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
    filename: str = "chart.png",
) -> SendFn:
    """A photo with a caption (<= 1024 characters); the bytes are re-sent on a retry."""

    async def send(bot: Bot) -> Any:
        photo = BufferedInputFile(png, filename=filename)
        return await bot.send_photo(chat_id, photo, caption=caption, reply_markup=reply_markup)

    return send


@dataclass
class Attempt:
    """Where one message stands, for a cancellation to do the right thing."""

    claimed: bool = False  # the keys are ours in the sent-log
    handed: bool = False  # handed_at is set
    maybe_delivered: bool = False  # Telegram may have the message
    delivered: bool = False  # Telegram accepted it


class Sender:
    def __init__(
        self,
        bot: Bot,
        *,
        budget: OutboundBudget | None = None,
        rate_per_second: float = 25,
        per_chat_interval: float = 1.0,
        max_retries: int = 3,
        max_concurrency: int = 8,
        translator: Translator | None = None,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ):
        """``budget``: the bot's outbound budget (production: the one installed on ``bot``,
        shared with the replies); without one the Sender paces itself with a budget of its own
        at ``rate_per_second`` / ``per_chat_interval``. ``clock`` gives the UTC time written to
        the sent-log; ``monotonic`` and ``sleep`` drive that own budget and the backoff waits
        (tests inject both so nothing really sleeps)."""
        self.bot = bot
        self.max_retries = max_retries
        self.max_concurrency = max_concurrency
        self.translator = translator or Translator()
        self.clock = clock
        self.sleep = sleep
        self.budget = budget or OutboundBudget(
            rate_per_second, per_chat_interval, rate_per_second, monotonic=monotonic, sleep=sleep
        )
        # Set at shutdown: waits for a slot end, batches start nothing new, messages in
        # flight finish.
        self._stop = asyncio.Event()
        self._recovery: asyncio.Future[None] | None = None

    @property
    def limiter(self) -> OutboundBudget:
        """The pacing (``spacing``, ``per_chat``), as benchmarks print it."""
        return self.budget

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @stopping.setter
    def stopping(self, value: bool) -> None:
        if value:
            self._stop.set()
        else:
            self._stop.clear()

    # -- public ---------------------------------------------------------------------------------
    async def send_once(
        self,
        key: str,
        user_id: int | None,
        chat_id: int,
        send: SendFn,
        session_factory: SessionFactory,
        *,
        extra_keys: Sequence[str] = (),
    ) -> SendResult:
        """Send one message under ``key`` (and ``extra_keys``) at most once, ever. Never raises
        for a delivery problem: the result says what happened."""
        keys = [key, *extra_keys]
        state = Attempt()
        try:
            result = await self._deliver(keys, user_id, chat_id, send, session_factory, state)
        except asyncio.CancelledError:
            # Cancelled (a shutdown that ran out of patience): record what is known.
            if state.claimed:
                if state.delivered:
                    outcome = SendResult.sent
                elif not state.maybe_delivered:
                    outcome = SendResult.stopped
                else:  # in flight, unknown: left handed, reported at the next start
                    raise
                await asyncio.shield(self._record(outcome, keys, user_id, session_factory))
            raise
        except Exception:
            logger.exception("sending %s failed unexpectedly", key)
            result = SendResult.failed
        if state.claimed and not (result is SendResult.stopped and state.maybe_delivered):
            # Shielded: a shutdown right after Telegram accepted still records sent_at.
            await asyncio.shield(self._record(result, keys, user_id, session_factory))
        return result

    async def _record(
        self, result: SendResult, keys: list[str], user_id: int | None, factory: SessionFactory
    ) -> None:
        try:
            if result is SendResult.sent:
                await self._in_session(factory, lambda crm: crm.reminders.confirm(keys))
            else:
                await self._release(keys, factory)
            # A group chat (user_id None, e.g. a team's feed) is not a person to mark.
            if result is SendResult.blocked and user_id is not None:
                await self._blocked(user_id, factory)
        except Exception:
            logger.exception("could not record the outcome of %s (%s)", keys[0], result.value)

    async def send_photo_once(
        self,
        key: str,
        user_id: int,
        chat_id: int,
        png: bytes,
        caption: str | None,
        session_factory: SessionFactory,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> SendResult:
        send = photo_message(chat_id, png, caption, reply_markup)
        return await self.send_once(key, user_id, chat_id, send, session_factory)

    async def deliver(
        self, items: Iterable[Outgoing], session_factory: SessionFactory
    ) -> Counter[SendResult]:
        """Send a batch, a few at a time (the budget paces them); one failure never stops the
        others."""
        gate = asyncio.Semaphore(self.max_concurrency)
        results: Counter[SendResult] = Counter()

        async def one(item: Outgoing) -> None:
            async with gate:
                if self.stopping:  # shutting down: leave the rest to the next process
                    return
                result = await self.send_once(
                    item.key,
                    item.user_id,
                    item.chat_id,
                    item.send,
                    session_factory,
                    extra_keys=item.extra_keys,
                )
                results[result] += 1

        await asyncio.gather(*(one(item) for item in items))
        return results

    async def recover(self, session_factory: SessionFactory) -> None:
        """Once per Sender, when the scheduler starts and before it sends: release the claims
        a previous process never handed to Telegram (the scan then sends them) and report,
        once, those it handed but never saw confirmed. Concurrent callers wait for the one
        run; a failed run is tried again by the next caller."""
        if self._recovery is None:
            self._recovery = asyncio.ensure_future(self._recover(session_factory))
        recovery = self._recovery
        try:
            await asyncio.shield(recovery)
        except Exception:
            logger.exception("sent-log recovery failed; will try again on the next scan")
            if self._recovery is recovery:
                self._recovery = None

    async def _recover(self, session_factory: SessionFactory) -> None:
        released, lost = await self._in_session(
            session_factory, lambda crm: crm.reminders.recover_claims()
        )
        if released:
            logger.info("sent-log: %s claim(s) never handed to Telegram released", released)
        if lost:
            # Keys name ids and dates only (e.g. digest:<user id>:<date>), no personal data.
            logger.warning(
                "sent-log: %s message(s) possibly not delivered (in flight when the previous"
                " process died; not sent again): %s",
                len(lost),
                ", ".join(lost),
            )

    # -- delivery -------------------------------------------------------------------------------
    async def _deliver(
        self,
        keys: list[str],
        user_id: int | None,
        chat_id: int,
        send: SendFn,
        factory: SessionFactory,
        state: Attempt,
    ) -> SendResult:
        key = keys[0]
        failures = 0
        floods = 0
        while True:
            if not await self._slot(chat_id):
                return SendResult.stopped
            try:
                if not state.claimed:
                    if not await self._claim(keys, user_id, factory):
                        return SendResult.duplicate
                    state.claimed = state.handed = True
                elif not state.handed:
                    if not await self._in_session(factory, lambda crm: crm.reminders.hand(keys)):
                        state.claimed = False  # released meanwhile: the next scan sends it
                        return SendResult.duplicate
                    state.handed = True
            except Exception:
                logger.exception("could not claim %s; will try on the next scan", key)
                return SendResult.failed
            try:
                await self._call(send, state)
                self.budget.delivered(chat_id)  # its next message: a gap from now
                return SendResult.sent
            except TelegramRetryAfter as exc:
                floods += 1
                self.budget.flooded(chat_id, exc.retry_after)
                if floods > MAX_RETRY_AFTER_ROUNDS:
                    logger.warning("%s: still flood-limited after %s waits", key, floods - 1)
                    return SendResult.failed
                logger.info("%s: Telegram asks to wait %s s", key, exc.retry_after)
                # Certainly not delivered: a crash during the wait must not count it as lost.
                await self._in_session(factory, lambda crm: crm.reminders.unhand(keys))
                state.handed = False
            except TelegramForbiddenError as exc:
                logger.info("%s: chat %s refuses messages (%s)", key, chat_id, exc.message)
                return SendResult.blocked
            except TelegramBadRequest as exc:
                if "chat not found" in exc.message.lower():
                    logger.info("%s: chat %s not found", key, chat_id)
                    return SendResult.blocked
                # The same request would fail the same way: no retry.
                logger.error("%s: Telegram refused the message: %s", key, exc.message)
                return SendResult.failed
            except _RETRYABLE as exc:
                failures += 1
                if failures > self.max_retries:
                    logger.error("%s: giving up after %s attempts: %s", key, failures, exc)
                    return SendResult.failed
                delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS)) - 1]
                logger.warning("%s: %s; retry %s in %s s", key, exc, failures, delay)
                await self.sleep(delay)

    async def _slot(self, chat_id: int) -> bool:
        """Wait for a proactive slot; False when a shutdown came first (then nothing is
        claimed for this message: the next process sends it)."""
        if self.stopping:
            return False
        slot = asyncio.ensure_future(self.budget.acquire(chat_id, Priority.proactive))
        stop = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait((slot, stop), return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not slot.done():
                slot.cancel()
        return slot.done() and not slot.cancelled() and not self.stopping

    async def _call(self, send: SendFn, state: Attempt) -> None:
        """One request, outside the budget middleware's own pacing (this slot is taken). A
        cancellation lets the request in flight finish (bounded) so its outcome is known."""
        state.maybe_delivered = True
        with caller_paced():  # the task below copies this context
            call = asyncio.ensure_future(send(self.bot))
        try:
            await asyncio.shield(call)
        except asyncio.CancelledError:
            if not call.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait((call,), timeout=IN_FLIGHT_GRACE_SECONDS)
            if call.done() and not call.cancelled():
                error = call.exception()
                state.delivered = error is None
                state.maybe_delivered = error is None or not isinstance(error, _REFUSED)
            raise
        except _REFUSED:
            state.maybe_delivered = False
            raise
        state.delivered = True

    async def _blocked(self, user_id: int, session_factory: SessionFactory) -> None:
        """Mark the person unreachable; when that is news, tell one admin (once a day)."""
        news = await self._in_session(
            session_factory, lambda crm: crm.accounts.mark_unreachable(user_id)
        )
        if not news:
            return
        async with session_factory() as session:
            person = await session.get(User, user_id)
            admin = await session.scalar(
                select(User)
                .where(
                    User.role == Role.admin,
                    User.is_active.is_(True),
                    User.is_reachable.is_(True),
                    User.id != user_id,
                )
                .order_by(User.id)
                .limit(1)
            )
        if person is None:
            return
        if admin is None:
            logger.warning("user %s is unreachable and no admin can be told", user_id)
            return
        from bot.render.digest import render_blocked_notice

        tr = self.translator.for_locale(admin.language)
        text = render_blocked_notice(person, tr)
        await self.send_once(
            blocked_key(user_id, self.clock().date()),
            admin.id,
            admin.telegram_id,
            text_message(admin.telegram_id, text),
            session_factory,
        )

    # -- the sent-log, each step in its own short transaction ------------------------------------
    async def _claim(self, keys: list[str], user_id: int | None, factory: SessionFactory) -> bool:
        return await self._in_session(
            factory, lambda crm: crm.reminders.claim(keys, user_id, handed=True)
        )

    async def _release(self, keys: list[str], factory: SessionFactory) -> None:
        await self._in_session(factory, lambda crm: crm.reminders.release(keys))

    async def _in_session(
        self, factory: SessionFactory, work: Callable[[Crm], Awaitable[Any]]
    ) -> Any:
        async with factory() as session, session.begin():
            return await work(Crm(session, clock=self.clock))
