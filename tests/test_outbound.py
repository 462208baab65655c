"""The one outbound budget (bot/outbound.py): replies before proactive messages, pacing overall
and per chat, 429s waited out and retried for replies, edits and callback answers, a reply
that finally cannot go logged with its update id, and the commit of the update's transaction
BEFORE its call waits for a slot."""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod

from bot.app import create_bot
from bot.middlewares.db import CommitBeforeSend
from bot.outbound import (
    MAX_RETRY_AFTER_ROUNDS,
    REPLY_BURST,
    OutboundBudget,
    OutboundMiddleware,
    Priority,
    budget_of,
    install_outbound,
)
from models import Note
from models.roles import Role
from scheduler.setup import build_context
from tests.conftest import App, make_settings, sqlite_only
from tests.factories import make_deal
from tests.virtual_time import TimeLine, VirtualTime, assert_paced


def _retry_after(method: TelegramMethod[Any], seconds: int) -> TelegramRetryAfter:
    return TelegramRetryAfter(
        method=method, message=f"Too Many Requests: retry after {seconds}", retry_after=seconds
    )


class FloodFirst(BaseRequestMiddleware):
    """Innermost: Telegram answers 429 to the first ``times`` calls of ``method_type``."""

    def __init__(self, method_type: type[TelegramMethod[Any]], times: int, seconds: int = 2):
        self.method_type = method_type
        self.left = times
        self.seconds = seconds
        self.refused: list[TelegramMethod[Any]] = []

    async def __call__(self, make_request: Any, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, self.method_type) and self.left > 0:
            self.left -= 1
            self.refused.append(method)
            raise _retry_after(method, self.seconds)
        return await make_request(bot, method)


def _own_budget(app: App, **options: Any) -> tuple[OutboundBudget, VirtualTime]:
    timer = VirtualTime()
    budget = OutboundBudget(monotonic=timer.monotonic, sleep=timer.sleep, **options)
    install_outbound(app.bot, budget)
    return budget, timer


# -- the budget alone, on a virtual time line ---------------------------------------------------
async def test_a_waiting_reply_gets_the_next_slot_before_waiting_proactive_messages() -> None:
    line = TimeLine()
    budget = OutboundBudget(10, 1.0, 10, monotonic=line.monotonic, sleep=line.sleep)
    order: list[str] = []

    async def take(name: str, chat: int, priority: Priority) -> None:
        await budget.acquire(chat, priority)
        order.append(name)

    wave = [asyncio.create_task(take(f"p{n}", 100 + n, Priority.proactive)) for n in range(6)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert order == ["p0"]  # the wave started; the others wait for their slots
    replies = [asyncio.create_task(take(f"r{n}", 200 + n, Priority.reply)) for n in range(3)]
    await line.run(wave + replies)
    assert order[:4] == ["p0", "r0", "r1", "r2"]  # every waiting reply before the wave goes on
    assert sorted(order[4:]) == [f"p{n}" for n in range(1, 6)]
    assert budget.granted == {Priority.reply: 3, Priority.proactive: 6}


async def test_pacing_overall_and_per_chat_edits_only_overall() -> None:
    line = TimeLine()
    budget = OutboundBudget(20, 1.0, 20, monotonic=line.monotonic, sleep=line.sleep)
    stamps: dict[str, list[float]] = {"chats": [], "one": [], "edits": []}

    async def take(series: str, chat: int, per_chat: bool = True) -> None:
        await budget.acquire(chat, Priority.reply, per_chat=per_chat)
        stamps[series].append(line.now)

    tasks = [asyncio.create_task(take("chats", chat)) for chat in range(40)]
    await line.run(tasks)
    # 20 a second overall; replies may go REPLY_BURST slots ahead of the pace, no more.
    assert_paced(stamps["chats"], 20, REPLY_BURST)
    assert max(stamps["chats"]) - min(stamps["chats"]) >= (39 - REPLY_BURST) / 20 - 1e-9

    tasks = [asyncio.create_task(take("one", 7)) for _ in range(3)]
    await line.run(tasks)
    gaps = [b - a for a, b in itertools.pairwise(stamps["one"])]
    assert min(gaps) >= 1.0 - 1e-9  # one new message a second in one chat

    # Edits of messages in that chat wait only for the overall pace, not for the chat.
    start = line.now
    tasks = [asyncio.create_task(take("edits", 7, per_chat=False)) for _ in range(3)]
    await line.run(tasks)
    assert max(stamps["edits"]) - start < 0.5


async def test_proactive_messages_leave_headroom_while_people_are_active() -> None:
    line = TimeLine()
    budget = OutboundBudget(25, 1.0, 10, monotonic=line.monotonic, sleep=line.sleep)
    stamps: list[float] = []

    async def wave(count: int) -> None:
        for n in range(count):
            await budget.acquire(1000 + len(stamps) + n, Priority.proactive)
            stamps.append(line.now)

    task = asyncio.create_task(wave(10))
    await line.run([task])
    quiet = [b - a for a, b in itertools.pairwise(stamps)]
    assert max(quiet) < 1 / 10  # nobody active: the wave uses the whole rate (25/s)

    await line.run([asyncio.create_task(budget.acquire(1, Priority.reply))])  # a person writes
    stamps.clear()
    task = asyncio.create_task(wave(5))
    await line.run([task])
    busy = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(busy) >= 1 / 10 - 1e-9  # while people are active: 10/s at most


async def test_a_429_holds_the_chat_and_when_not_the_chat_rule_everything() -> None:
    timer = VirtualTime()
    budget = OutboundBudget(25, 1.0, 25, monotonic=timer.monotonic, sleep=timer.sleep)
    await budget.acquire(1, Priority.reply)
    budget.flooded(1, 5)  # the first message to chat 1 refused: the overall limit
    start = timer.now
    await budget.acquire(2, Priority.reply)
    assert timer.now - start >= 5 - 1e-9

    await budget.acquire(3, Priority.reply)
    timer.now += 0.5  # a second message to chat 3 half a second later (a burst)
    budget.next_chat.pop(3)
    await budget.acquire(3, Priority.reply)
    budget.flooded(3, 7)  # the per-chat rule: only chat 3 is held
    start = timer.now
    await budget.acquire(4, Priority.reply)
    assert timer.now - start < 1
    await budget.acquire(3, Priority.reply)
    assert timer.now - start >= 7 - 1e-9


async def test_a_chats_next_message_waits_a_gap_from_the_answer_to_the_last() -> None:
    """Telegram judges one message a second per chat by arrival: a photo that took 0.4 s to
    upload arrived 0.4 s after its slot, so the chat's next message (a summary's follow-up)
    waits a second from the answer. From the slot it came 0.6 s after the photo, drew a 429
    that looked like the overall limit, and held every chat (bench/summary_load.py)."""
    timer = VirtualTime()
    budget = OutboundBudget(25, 1.0, 25, monotonic=timer.monotonic, sleep=timer.sleep)
    photo = await budget.acquire(5, Priority.proactive)
    timer.now += 0.4  # the upload
    budget.delivered(5)
    follow_up = await budget.acquire(5, Priority.proactive)
    assert follow_up - photo >= 1.4 - 1e-9
    # Other chats are not held back by it.
    start = timer.now
    await budget.acquire(6, Priority.reply)
    assert timer.now - start < 0.1


async def test_the_sender_counts_the_chats_gap_from_telegrams_answer(app: App) -> None:
    """The Sender's photo, then its follow-up text to the same chat: a gap apart from the
    answer to the photo, however long the photo's request took."""
    from bot.sender import Sender, photo_message, text_message

    timer = VirtualTime()
    budget = OutboundBudget(25, 1.0, 25, monotonic=timer.monotonic, sleep=timer.sleep)
    arrived: list[float] = []

    class SlowPhotos(BaseRequestMiddleware):
        async def __call__(self, make_request: Any, bot: Bot, method: TelegramMethod[Any]) -> Any:
            if type(method).__name__ == "SendPhoto":
                timer.now += 0.5  # the upload takes half a second, then it arrives
            arrived.append(timer.now)
            return await make_request(bot, method)

    app.bot.session.middleware(SlowPhotos())
    _, lead = await app.add_user(Role.lead)
    sender = Sender(app.bot, budget=budget, clock=app.clock, sleep=timer.sleep)
    chat = lead.telegram_id
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    await sender.send_once("t:1", lead.id, chat, photo_message(chat, png), app.session_factory)
    await sender.send_once("t:2", lead.id, chat, text_message(chat, "ещё"), app.session_factory)
    assert len(arrived) == 2 and arrived[1] - arrived[0] >= 1.0 - 1e-9


# -- production wiring ----------------------------------------------------------------------------
async def test_the_bot_and_the_scheduler_share_one_budget_after_the_commit(tmp_path) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    bot = create_bot(settings)
    try:
        budget = budget_of(bot)
        assert budget is not None and budget.spacing == 1 / settings.outbound_rate
        middlewares = list(bot.session.middleware)
        # The commit runs first (outside), then the wait for a slot.
        assert isinstance(middlewares[0], CommitBeforeSend)
        assert isinstance(middlewares[1], OutboundMiddleware)
        from models.db import create_engine

        engine = create_engine(settings.database_url)
        ctx = build_context(settings, engine, bot)
        assert ctx.sender.budget is budget
        await engine.dispose()
    finally:
        await bot.session.close()


# -- replies through the real dispatcher ----------------------------------------------------------
async def test_a_reply_refused_with_429_is_waited_out_and_sent_once(app: App) -> None:
    _, timer = _own_budget(app)
    client, _ = await app.add_user(Role.manager)
    flood = FloodFirst(SendMessage, times=2, seconds=3)
    app.bot.session.middleware(flood)
    await client.send("/menu")
    assert len(flood.refused) == 2
    assert timer.sleeps.count(3) >= 1 and timer.now - 1000 >= 6 - 1e-9  # waited twice 3 s
    sent = [r for r in app.telegram.requests if isinstance(r, SendMessage)]
    assert len(sent) >= 1 and len(client.messages()) == len(sent)  # each delivered once


async def test_an_edit_and_a_callback_answer_refused_with_429_are_retried(app: App) -> None:
    budget, _ = _own_budget(app)
    client, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await client.send(f"/deal {deal.id}")
    card = client.last_message()
    granted = budget.granted[Priority.reply]
    answers = FloodFirst(AnswerCallbackQuery, times=1, seconds=1)
    edits = FloodFirst(EditMessageText, times=1, seconds=2)
    app.bot.session.middleware(answers)
    app.bot.session.middleware(edits)
    await client.press("📝 Заметка")
    assert len(answers.refused) == 1 and len(edits.refused) == 1
    assert card.edits == 1 and "Пришлите её текст" in card.text  # the edit arrived after all
    answered = [r for r in app.telegram.requests if isinstance(r, AnswerCallbackQuery)]
    assert len(answered) == 1  # the fake records only what got through: answered once
    # Slots: the edit twice (refused, then resent); the callback answer is not paced.
    assert budget.granted[Priority.reply] - granted == 2


async def test_a_reply_that_finally_cannot_go_is_logged_with_its_update_id(
    app: App, caplog: Any
) -> None:
    _own_budget(app)
    client, _ = await app.add_user(Role.manager)
    flood = FloodFirst(SendMessage, times=MAX_RETRY_AFTER_ROUNDS + 1, seconds=1)
    app.bot.session.middleware(flood)
    seen: list[int] = []
    original = app.dp.feed_update

    async def feed(bot: Bot, update: Any, **kwargs: Any) -> Any:
        seen.append(update.update_id)
        return await original(bot, update, **kwargs)

    app.dp.feed_update = feed  # type: ignore[method-assign]  # a stand-in
    with caplog.at_level(logging.INFO, logger="bot.outbound"):
        await client.send("/menu")
    [update_id] = seen
    failures = [
        r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "bot.outbound"
    ]
    assert failures, "the lost reply was not logged"
    assert f"update {update_id}:" in failures[0].getMessage()
    assert "not delivered" in failures[0].getMessage()
    assert len(flood.refused) == MAX_RETRY_AFTER_ROUNDS + 1  # bounded: 1 try + 5 retries


@sqlite_only  # SQLite's one write lock is what must not be held across the wait
async def test_the_update_is_committed_before_its_reply_waits_for_a_slot(app: App) -> None:
    """While the reply waits in the budget, another connection sees the note and can take the
    database's write lock: nothing of the update's transaction is held across the wait."""
    budget, timer = _own_budget(app)
    client, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    path = app.engine.url.database
    assert path is not None
    observed: list[tuple[int, bool]] = []
    plain_sleep = timer.sleep

    async def sleep_and_look(seconds: float) -> None:
        if not observed:
            with sqlite3.connect(path, timeout=0.2, isolation_level=None) as other:
                notes = other.execute(
                    "SELECT count(*) FROM notes WHERE deal_id = ?", (deal.id,)
                ).fetchone()[0]
                try:
                    other.execute("BEGIN IMMEDIATE")
                    other.execute("ROLLBACK")
                    free = True
                except sqlite3.OperationalError:  # "database is locked"
                    free = False
            observed.append((notes, free))
        await plain_sleep(seconds)

    budget.sleep = sleep_and_look
    budget.next_chat[client.chat.id] = timer.now + 0.8  # the chat just got a message
    await client.send(f"/note {deal.id} Позвонил, жду КП")
    assert observed == [(1, True)]
    assert await app.count(Note, Note.deal_id == deal.id) == 1


async def test_many_people_at_once_all_get_their_reply_paced(app: App) -> None:
    budget, timer = _own_budget(app)
    clients = [(await app.add_user(Role.manager, name=f"Менеджер {n}"))[0] for n in range(40)]
    await asyncio.gather(*(c.send("/menu") for c in clients))
    assert all(c.messages() for c in clients)
    assert budget.granted[Priority.reply] >= 40
    # paced at 25/s overall (after the replies' burst), none refused
    assert timer.now - 1000 >= (39 - REPLY_BURST) / 25 - 1e-9
