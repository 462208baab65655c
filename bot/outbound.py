"""The one outbound budget: every message the bot puts into a chat, reply or proactive, takes a
slot here, so Telegram's limits hold for the sum (about 30 messages a second overall, one a
second per chat).

* One :class:`OutboundBudget` per ``Bot`` (per process), installed on the bot's session as a
  request middleware by :func:`install_outbound` (``bot.app.create_bot`` does it). The
  scheduler's ``Sender`` takes its slots from the same object (:func:`budget_of`).
* Replies first: a reply (any call made while an update is handled) reserves the next free
  slot at once; a proactive message (``Sender``) only takes a slot when no reply is waiting,
  and while people are active (a reply in the last ``ACTIVE_SECONDS``) at most
  ``proactive_rate`` a second, which leaves headroom for the replies that come in.
* Overall pace: slots ``1/rate`` apart on average, and never more than ``rate`` slots in any
  sliding second. A proactive message keeps the strict spacing; a reply may go up to
  ``reply_burst`` (3) slots ahead of the even pace (bot/reply_burst.py: the token bucket and
  the window, and why). A reply woken late (a GC pause or a busy loop delays every timer at
  once) checks the bucket and the window again before it goes: no catch-up burst beyond them.
* What is paced: the methods that put a new message into a chat (``sendMessage``,
  ``sendPhoto``, ``copyMessage``, ``sendMediaGroup``...) count overall and per chat; edits
  (``editMessageText/Caption/ReplyMarkup/Media``) count overall only. Why edits are not
  paced per chat: a handler often edits the card and then sends a prompt within milliseconds,
  an edit adds no message to the chat, and Telegram (like bench/fake_limited_api.py) judges
  the per-chat rule on new messages. Two *new* messages to one chat stay ``per_chat`` apart,
  replies included, with no burst allowance: Telegram answers a second message within a
  second with a 429 whose ``retry_after`` is at least 1 s, so waiting the rest of the second
  is never slower than the burst and costs no flood credit. The gap counts from Telegram's answer to
  the first message (``OutboundBudget.delivered``), not from its slot: Telegram judges arrivals,
  and a photo's upload can arrive long after its slot. In a group (a negative chat id)
  two new messages stay ``per_group`` (3 s) apart: Telegram allows 20 a minute there.
  Everything else (answerCallbackQuery, getUpdates, setMyCommands...) is not paced.
* 429 on any method: wait ``retry_after`` and send the same request again, at most
  ``MAX_RETRY_AFTER_ROUNDS`` times. A 429 on a chat message also holds that chat, and holds
  everything when it cannot have been the per-chat rule (the chat had no message within
  ``per_chat``): then it was the overall limit. A reply that finally cannot go is logged at
  ERROR with the update id (``bot.middlewares.update_id``).
* Several processes (webhook workers, REDIS_URL): each slot is booked in Redis as well
  (bot/shared_pace.py), replies with the same burst ahead of the shared pace.
* Order on the session: ``CommitBeforeSend`` (bot.middlewares.db) runs BEFORE this
  middleware, so an update's transaction is committed before its call waits here and no
  database write lock is held while waiting; :func:`install_outbound` makes sure of it.
* The ``Sender`` takes its slot itself (it claims the sent-log key only once it has one) and
  then calls the bot inside :func:`caller_paced`: the middleware lets that call through
  without a second slot and leaves its 429 to the Sender.

Tests inject ``monotonic`` and ``sleep`` (a virtual clock) so nothing really sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import (
    CopyMessage,
    CopyMessages,
    EditMessageCaption,
    EditMessageMedia,
    EditMessageReplyMarkup,
    EditMessageText,
    ForwardMessage,
    ForwardMessages,
    SendAnimation,
    SendAudio,
    SendContact,
    SendDice,
    SendDocument,
    SendInvoice,
    SendLocation,
    SendMediaGroup,
    SendMessage,
    SendPaidMedia,
    SendPhoto,
    SendPoll,
    SendSticker,
    SendVenue,
    SendVideo,
    SendVideoNote,
    SendVoice,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

from bot.middlewares.db import install_commit_before_send
from bot.middlewares.update_id import current_update_id
from bot.reply_burst import REPLY_BURST, ReplyBurst, spacing_of
from bot.settings import Settings
from bot.shared_pace import SharedPace, shared_pace_from_url

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER_ROUNDS = 5  # 429s in a row for one request before it is given up
ACTIVE_SECONDS = 2.0  # people count as active this long after a reply went out
GROUP_INTERVAL = 60 / 20  # Telegram: at most 20 messages a minute in one group
_CHATS_REMEMBERED = 10_000  # then chats whose pause is over are forgotten

# Methods that put a new message into a chat: paced overall and per chat.
MESSAGE_METHODS: tuple[type[TelegramMethod[Any]], ...] = (
    SendMessage,
    SendPhoto,
    SendDocument,
    SendAudio,
    SendVoice,
    SendVideo,
    SendVideoNote,
    SendAnimation,
    SendSticker,
    SendMediaGroup,
    SendLocation,
    SendVenue,
    SendContact,
    SendPoll,
    SendDice,
    SendInvoice,
    SendPaidMedia,
    CopyMessage,
    CopyMessages,
    ForwardMessage,
    ForwardMessages,
)
# Methods that change a message already in the chat: paced overall only.
EDIT_METHODS: tuple[type[TelegramMethod[Any]], ...] = (
    EditMessageText,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageMedia,
)


class Priority(enum.IntEnum):
    reply = 0  # a person is waiting for it
    proactive = 1  # digests, reminders, summaries: they yield


class Kind(enum.Enum):
    message = "message"
    edit = "edit"
    other = "other"


def kind_of(method: TelegramMethod[Any]) -> Kind:
    if isinstance(method, MESSAGE_METHODS):
        return Kind.message
    if isinstance(method, EDIT_METHODS):
        return Kind.edit
    return Kind.other


def chat_of(method: TelegramMethod[Any]) -> int | None:
    """The numeric chat a method writes to (None: inline messages, @channel names, no chat)."""
    chat = getattr(method, "chat_id", None)
    if isinstance(chat, int) and not isinstance(chat, bool):
        return chat
    if isinstance(chat, str) and chat.lstrip("-").isdigit():
        return int(chat)
    return None


class OutboundBudget:
    """Send slots: ``1/rate`` apart overall, ``per_chat`` apart between two new messages to
    one chat, replies before proactive messages. Taking a slot has no await between the check
    and the booking, so concurrent callers never take the same slot."""

    def __init__(
        self,
        rate: float = 25.0,
        per_chat: float = 1.0,
        proactive_rate: float = 20.0,
        *,
        per_group: float = GROUP_INTERVAL,
        reply_burst: int = REPLY_BURST,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ):
        self.spacing = spacing_of(rate)
        self.per_chat = per_chat
        # Groups (negative chat ids): Telegram allows 20 messages a minute in one group.
        self.per_group = max(per_chat, per_group)
        self.proactive_spacing = max(self.spacing, spacing_of(proactive_rate))
        # The pace of the slots really taken, and how far ahead of it a reply may go.
        self.burst = ReplyBurst(rate, reply_burst)
        self.monotonic = monotonic
        self.sleep = sleep
        self.next_any = 0.0  # earliest moment of the next slot (replies book ahead)
        self.next_chat: dict[int, float] = {}  # earliest next new message per chat
        self.held_chat: dict[int, float] = {}  # a 429 in this chat: nothing until then
        self.held_all = 0.0  # a 429 of the overall limit: nothing until then
        self.last_sent = float("-inf")  # the real moment of the last slot taken
        self.last_reply = float("-inf")
        self.next_proactive = 0.0
        self.previous_in_chat: dict[int, float] = {}  # the message before the last, per chat
        self.last_in_chat: dict[int, float] = {}
        self.answered: dict[int, float] = {}  # Telegram's answer to the chat's last message
        self.replies_waiting = 0
        self._no_replies = asyncio.Event()
        self._no_replies.set()
        # counters, for logs and tests
        self.granted: dict[Priority, int] = {Priority.reply: 0, Priority.proactive: 0}
        # Several processes of one bot (webhook workers): slots booked in Redis as well.
        self.shared: SharedPace | None = None

    # -- taking a slot --------------------------------------------------------------------------
    async def acquire(
        self, chat_id: int | None, priority: Priority = Priority.reply, *, per_chat: bool = True
    ) -> float:
        """Wait for a slot to send to ``chat_id``; returns its moment. ``per_chat=False`` for
        edits (overall pace and 429 holds only)."""
        if priority is Priority.reply:
            moment = await self._acquire_reply(chat_id, per_chat)
        else:
            moment = await self._acquire_proactive(chat_id, per_chat)
        if self.shared is not None:
            ahead = self.burst.ahead if priority is Priority.reply else 0.0
            await self.shared.wait(chat_id, per_chat, self.sleep, ahead)
        return moment

    def _chat_free(self, chat_id: int | None, per_chat: bool) -> float:
        if chat_id is None:
            return 0.0
        free = self.held_chat.get(chat_id, 0.0)
        if per_chat:
            free = max(free, self.next_chat.get(chat_id, 0.0))
        return free

    def _held(self, chat_id: int | None, now: float) -> bool:
        if self.held_all > now + 1e-9:
            return True
        return chat_id is not None and self.held_chat.get(chat_id, 0.0) > now + 1e-9

    async def _acquire_reply(self, chat_id: int | None, per_chat: bool) -> float:
        self.replies_waiting += 1
        self._no_replies.clear()
        try:
            while True:
                now = self.monotonic()
                start = max(
                    now,
                    self.next_any - self.burst.ahead,
                    self.burst.free(now, self.burst.ahead),
                    self.held_all,
                    self._chat_free(chat_id, per_chat),
                )
                # Book it now (no await in between): the next reply gets the slot after.
                self.next_any = max(self.next_any, start) + self.spacing
                if per_chat and chat_id is not None:
                    self.next_chat[chat_id] = start + self.gap(chat_id)
                if start > now:
                    await self.sleep(start - now)
                if self._held(chat_id, self.monotonic()):
                    continue  # a 429 came while we waited: wait it out, then book again
                # Woken late (every timer at once): judge the real slots again, so the
                # replies that were late go no faster than the burst and the window allow;
                # and the chat's last message may have been answered after we booked.
                while True:
                    now = self.monotonic()
                    free = self.burst.free(now, self.burst.ahead)
                    if per_chat and chat_id is not None and chat_id in self.answered:
                        free = max(free, self.answered[chat_id] + self.gap(chat_id))
                    late = free - now
                    if late <= 1e-3:
                        break
                    await self.sleep(late)
                return self._take(chat_id, per_chat, Priority.reply)
        finally:
            self.replies_waiting -= 1
            if not self.replies_waiting:
                self._no_replies.set()

    async def _acquire_proactive(self, chat_id: int | None, per_chat: bool) -> float:
        while True:
            if self.replies_waiting:
                await self._no_replies.wait()
                continue
            now = self.monotonic()
            start = max(
                now,
                self.next_any,
                self.held_all,
                self.next_proactive,
                self.burst.free(now, 0.0),
                self._chat_free(chat_id, per_chat),
            )
            if start > now + 1e-9:
                await self.sleep(start - now)
                continue  # look again: a reply may have come meanwhile
            active = now - self.last_reply < ACTIVE_SECONDS
            self.next_proactive = now + (self.proactive_spacing if active else self.spacing)
            return self._take(chat_id, per_chat, Priority.proactive)

    def _take(self, chat_id: int | None, per_chat: bool, priority: Priority) -> float:
        self.last_sent = sent = self.monotonic()
        self.next_any = max(self.next_any, sent + self.spacing)
        self.burst.took(sent)
        if priority is Priority.reply:
            self.last_reply = sent
        self.granted[priority] += 1
        if chat_id is not None and per_chat:
            self.next_chat[chat_id] = max(
                self.next_chat.get(chat_id, 0.0), sent + self.gap(chat_id)
            )
            if chat_id in self.last_in_chat:
                self.previous_in_chat[chat_id] = self.last_in_chat[chat_id]
            self.last_in_chat[chat_id] = sent
            if len(self.next_chat) > _CHATS_REMEMBERED:
                self._forget(sent)
        return sent

    def delivered(self, chat_id: int | None) -> None:
        """Telegram answered a new message to ``chat_id`` now. It judges one message a second
        per chat by when a message *arrives*, and a request can arrive well after its slot:
        a photo's upload, a claim written between slot and call, a busy loop. So the chat's
        next message waits ``gap`` from this answer, not from the slot: else it arrives too
        soon, and its 429 looks like the overall limit (the two slots were a gap apart) and
        holds every chat, replies included (bench/summary_load.py: a summary's chart and its
        follow-up text held the whole bot for a second, the chat's p99 ~1 s)."""
        if chat_id is None:
            return
        self.answered[chat_id] = now = self.monotonic()
        free = now + self.gap(chat_id)
        self.next_chat[chat_id] = max(self.next_chat.get(chat_id, 0.0), free)

    def gap(self, chat_id: int) -> float:
        """The least time between two new messages to ``chat_id``."""
        return self.per_group if chat_id < 0 else self.per_chat

    def _forget(self, now: float) -> None:
        self.next_chat = {c: t for c, t in self.next_chat.items() if t > now}
        self.held_chat = {c: t for c, t in self.held_chat.items() if t > now}
        keep = self.next_chat.keys()
        self.last_in_chat = {c: t for c, t in self.last_in_chat.items() if c in keep}
        self.previous_in_chat = {c: t for c, t in self.previous_in_chat.items() if c in keep}
        self.answered = {c: t for c, t in self.answered.items() if c in keep}

    # -- 429 ------------------------------------------------------------------------------------
    def flooded(self, chat_id: int | None, retry_after: float, kind: Kind = Kind.message) -> None:
        """Telegram answered 429 for a message to ``chat_id``: hold that chat; hold everything
        when it was not the per-chat rule (no other message to that chat within ``per_chat``
        before this one)."""
        until = self.monotonic() + retry_after
        if chat_id is not None:
            self.held_chat[chat_id] = max(self.held_chat.get(chat_id, 0.0), until)
        if kind is Kind.edit and chat_id is not None:
            return  # edits are judged per chat by Telegram; the others go on
        previous = self.previous_in_chat.get(chat_id) if chat_id is not None else None
        last = self.last_in_chat.get(chat_id) if chat_id is not None else None
        chat_rule = (
            previous is not None
            and last is not None
            and chat_id is not None
            and last - previous < self.gap(chat_id) - 1e-6
        )
        if not chat_rule:
            self.held_all = max(self.held_all, until)

    def hold_chat(self, chat_id: int, seconds: float) -> None:
        self.held_chat[chat_id] = max(self.held_chat.get(chat_id, 0.0), self.monotonic() + seconds)


# -- the session middleware -----------------------------------------------------------------------
# True while the caller (the Sender) took its slot itself and handles 429 itself.
_caller_paced: ContextVar[bool] = ContextVar("outbound_caller_paced", default=False)


@contextlib.contextmanager
def caller_paced() -> Iterator[None]:
    token = _caller_paced.set(True)
    try:
        yield
    finally:
        _caller_paced.reset(token)


class OutboundMiddleware(BaseRequestMiddleware):
    """Paces every chat message through the budget and waits out 429s (bounded)."""

    def __init__(self, budget: OutboundBudget) -> None:
        self.budget = budget

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if _caller_paced.get():
            return await make_request(bot, method)
        budget = self.budget
        kind = kind_of(method)
        chat_id = chat_of(method)
        rounds = 0
        while True:
            if kind is not Kind.other:
                await budget.acquire(chat_id, Priority.reply, per_chat=kind is Kind.message)
            try:
                response = await make_request(bot, method)
                if kind is Kind.message:
                    budget.delivered(chat_id)
                return response
            except TelegramRetryAfter as exc:
                rounds += 1
                name = type(method).__name__
                if rounds > MAX_RETRY_AFTER_ROUNDS:
                    logger.error(
                        "update %s: %s to chat %s not delivered: still flood-limited after %s"
                        " waits",
                        current_update_id(),
                        name,
                        chat_id,
                        rounds - 1,
                    )
                    raise
                logger.info(
                    "update %s: %s to chat %s: Telegram asks to wait %s s",
                    current_update_id(),
                    name,
                    chat_id,
                    exc.retry_after,
                )
                if kind is Kind.other:
                    await budget.sleep(exc.retry_after)
                else:
                    budget.flooded(chat_id, exc.retry_after, kind)
            except (TelegramNetworkError, TelegramServerError) as exc:
                if kind is not Kind.other:
                    logger.warning(
                        "update %s: %s to chat %s failed: %s",
                        current_update_id(),
                        type(method).__name__,
                        chat_id,
                        exc,
                    )
                raise


_BUDGET_ATTR = "_dealbot_outbound"


def install_outbound(bot: Bot, budget: OutboundBudget) -> OutboundBudget:
    """Put ``budget`` on ``bot``'s session, after ``CommitBeforeSend`` (so a transaction is
    committed before its call waits for a slot). Installing again replaces the budget."""
    install_commit_before_send(bot)  # first: it must run outside (before) the wait
    middleware: OutboundMiddleware | None = getattr(bot.session, _BUDGET_ATTR, None)
    if middleware is None:
        middleware = OutboundMiddleware(budget)
        bot.session.middleware(middleware)
        setattr(bot.session, _BUDGET_ATTR, middleware)
    middleware.budget = budget
    return budget


def budget_from(settings: Settings) -> OutboundBudget:
    budget = OutboundBudget(
        settings.outbound_rate,
        settings.outbound_per_chat_seconds,
        settings.outbound_proactive_rate,
    )
    if settings.redis_url:  # processes that share Redis share the bot's budget too
        bot_id = int(settings.bot_token.get_secret_value().partition(":")[0])
        budget.shared = shared_pace_from_url(
            settings.redis_url, bot_id, settings.outbound_rate, settings.outbound_per_chat_seconds
        )
    return budget


def budget_of(bot: Bot) -> OutboundBudget | None:
    middleware: OutboundMiddleware | None = getattr(bot.session, _BUDGET_ATTR, None)
    return middleware.budget if middleware is not None else None
