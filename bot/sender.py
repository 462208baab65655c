"""The one way every proactive message (digest, reminder, follow-up, escalation, summary)
leaves the bot: at most once per key, within Telegram's limits, one failure never stopping a
batch.

``send_once(key, ...)``:

1. claims the key in ``SentNotification`` in its own short transaction (unique key; a claim
   that loses the race is a *duplicate* and nothing is sent);
2. waits for the rate limits: at most ``rate_per_second`` messages overall (Telegram allows
   about 30/s) and at least ``per_chat_interval`` seconds between two messages to one chat;
3. sends. ``TelegramRetryAfter`` (429): waits ``retry_after`` and sends the SAME message again.
   ``TelegramForbiddenError`` (the user blocked the bot, or a lead never started it; also a
   400 "chat not found"): the user is marked unreachable (``User.is_reachable = False``; it is
   set back when they write to the bot) and one admin is told once, under the key
   ``blocked:<user>:<UTC date>``. Other errors: bounded retries with backoff, then a log line;
4. on success writes ``sent_at``; on final failure deletes the claim so the next scan tries
   again.

``User.is_active`` is access (an admin switches a person off); ``User.is_reachable`` is
delivery (Telegram refuses our messages). The scheduler only writes to active, reachable
people.

At-most-once window: Telegram has no idempotency key. A crash (or cancellation) after
Telegram accepted a message but before ``sent_at`` was written leaves a claimed row without
``sent_at``; such a row is never sent again. We prefer a rare missed reminder to a duplicate.
The opposite risk is bounded too: a network error after Telegram received the request may
make a retry deliver the message twice; only ``max_retries`` such retries are made.
"""

from __future__ import annotations

import asyncio
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
from models.clock import Clock, utc_now
from models.crm import Crm
from models.roles import Role
from models.services.reminders import blocked_key
from models.users import User

logger = logging.getLogger(__name__)

SendFn = Callable[[Bot], Awaitable[Any]]
SessionFactory = async_sessionmaker[AsyncSession]

BACKOFF_SECONDS = (1.0, 3.0, 10.0)
MAX_RETRY_AFTER_ROUNDS = 5  # 429s in a row for one message before giving up until next scan
_RETRYABLE = (TelegramNetworkError, TelegramServerError, OSError, asyncio.TimeoutError)


class SendResult(enum.Enum):
    sent = "sent"
    duplicate = "duplicate"  # the key was claimed already: nothing was sent
    blocked = "blocked"  # Telegram refuses this chat: the user is now unreachable
    failed = "failed"  # gave up for now; the claim was released for the next scan


@dataclass(frozen=True)
class Outgoing:
    """One message of a batch. ``extra_keys`` are claimed (and released) together with
    ``key``: one message that stands for several events (e.g. an escalation of many deals)."""

    key: str
    user_id: int
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


class _RateLimiter:
    """Reserves send slots: ``1/rate`` apart overall, ``per_chat`` apart within one chat.
    Reservation has no await inside, so concurrent senders never take the same slot."""

    def __init__(
        self,
        rate: float,
        per_chat: float,
        monotonic: Callable[[], float],
        sleep: Callable[[float], Awaitable[Any]],
    ):
        self.spacing = 1.0 / rate
        self.per_chat = per_chat
        self.monotonic = monotonic
        self.sleep = sleep
        self.next_any = 0.0
        self.next_chat: dict[int, float] = {}
        self.last_sent = float("-inf")  # the real moment of the last send

    async def wait(self, chat_id: int) -> None:
        now = self.monotonic()
        start = max(now, self.next_any, self.next_chat.get(chat_id, 0.0))
        self.next_any = start + self.spacing
        self.next_chat[chat_id] = start + self.per_chat
        if len(self.next_chat) > 10_000:  # forget chats whose pause is over
            self.next_chat = {c: t for c, t in self.next_chat.items() if t > now}
        if start > now:
            await self.sleep(start - now)
        # Woken late (a GC pause or a busy loop delays every timer at once): never catch up
        # in a burst, which Telegram answers with 429; sends stay ``spacing`` apart for real.
        while (late := self.last_sent + self.spacing - self.monotonic()) > 1e-3:
            await self.sleep(late)
        self.last_sent = sent = self.monotonic()
        self.next_any = max(self.next_any, sent + self.spacing)
        self.next_chat[chat_id] = max(self.next_chat.get(chat_id, 0.0), sent + self.per_chat)

    def hold_chat(self, chat_id: int, seconds: float) -> None:
        self.next_chat[chat_id] = max(self.next_chat.get(chat_id, 0.0), self.monotonic() + seconds)


class Sender:
    def __init__(
        self,
        bot: Bot,
        *,
        rate_per_second: float = 25,
        per_chat_interval: float = 1.0,
        max_retries: int = 3,
        max_concurrency: int = 8,
        translator: Translator | None = None,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ):
        """``clock`` gives the UTC time written to the sent-log; ``monotonic`` and ``sleep``
        drive the rate limits and waits (tests inject both so nothing really sleeps)."""
        self.bot = bot
        self.max_retries = max_retries
        self.max_concurrency = max_concurrency
        self.translator = translator or Translator()
        self.clock = clock
        self.sleep = sleep
        self.limiter = _RateLimiter(rate_per_second, per_chat_interval, monotonic, sleep)
        # Set at shutdown: batches start nothing new; messages in flight finish.
        self.stopping = False

    # -- public ---------------------------------------------------------------------------------
    async def send_once(
        self,
        key: str,
        user_id: int,
        chat_id: int,
        send: SendFn,
        session_factory: SessionFactory,
        *,
        extra_keys: Sequence[str] = (),
    ) -> SendResult:
        """Send one message under ``key`` (and ``extra_keys``) at most once, ever. Never raises
        for a delivery problem: the result says what happened."""
        keys = [key, *extra_keys]
        try:
            if not await self._claim(keys, user_id, session_factory):
                return SendResult.duplicate
        except Exception:
            logger.exception("could not claim %s; will try on the next scan", key)
            return SendResult.failed
        attempts: list[int] = []
        try:
            result = await self._deliver(key, chat_id, send, attempts)
        except asyncio.CancelledError:
            # Shutting down: if nothing reached Telegram yet, let the next process send it.
            if not attempts:
                await asyncio.shield(self._release(keys, session_factory))
            raise
        except Exception:
            logger.exception("sending %s failed unexpectedly", key)
            result = SendResult.failed
        # Shielded: a shutdown right after Telegram accepted still records sent_at.
        await asyncio.shield(self._record(result, keys, user_id, session_factory))
        return result

    async def _record(
        self, result: SendResult, keys: list[str], user_id: int, factory: SessionFactory
    ) -> None:
        try:
            if result is SendResult.sent:
                await self._in_session(factory, lambda crm: crm.reminders.confirm(keys))
            else:
                await self._release(keys, factory)
            if result is SendResult.blocked:
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
        """Send a batch, a few at a time (the rate limiter paces them); one failure never
        stops the others."""
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

    # -- delivery -------------------------------------------------------------------------------
    async def _deliver(
        self, key: str, chat_id: int, send: SendFn, attempts: list[int]
    ) -> SendResult:
        failures = 0
        floods = 0
        while True:
            await self.limiter.wait(chat_id)
            attempts.append(1)  # from here on Telegram may have the message
            try:
                await send(self.bot)
                return SendResult.sent
            except TelegramRetryAfter as exc:
                floods += 1
                if floods > MAX_RETRY_AFTER_ROUNDS:
                    logger.warning("%s: still flood-limited after %s waits", key, floods - 1)
                    return SendResult.failed
                logger.info("%s: Telegram asks to wait %s s", key, exc.retry_after)
                self.limiter.hold_chat(chat_id, exc.retry_after)
                await self.sleep(exc.retry_after)
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
    async def _claim(self, keys: list[str], user_id: int, factory: SessionFactory) -> bool:
        return await self._in_session(factory, lambda crm: crm.reminders.claim(keys, user_id))

    async def _release(self, keys: list[str], factory: SessionFactory) -> None:
        await self._in_session(factory, lambda crm: crm.reminders.release(keys))

    async def _in_session(
        self, factory: SessionFactory, work: Callable[[Crm], Awaitable[Any]]
    ) -> Any:
        async with factory() as session, session.begin():
            return await work(Crm(session, clock=self.clock))
