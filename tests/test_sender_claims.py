"""Reminders lose nothing: the Sender claims a key only at its send slot, a shutdown (or a
cancellation) while it waits leaves no claim, a 429 wait leaves the claim un-handed, a wave
stopped half-way and started again sends each message exactly once, and the start-up releases
claims never handed to Telegram and reports once those handed but never confirmed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage
from sqlalchemy import insert, select

from bot.outbound import OutboundBudget
from bot.sender import Sender, SendResult, text_message
from models import SentNotification
from models.roles import Role
from scheduler import jobs
from scheduler.context import set_context
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at

FRIDAY = START.date()


async def _row(app: App, key: str) -> SentNotification | None:
    return await app.scalar(select(SentNotification).where(SentNotification.key == key))


class GatedTime:
    """A budget clock whose sleeps block until the test opens the gate (a long real wait)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waiting = asyncio.Event()
        self.gate = asyncio.Event()
        self.seen: list[Any] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waiting.set()
        await self.gate.wait()
        self.now += seconds


def _gated_sender(app: App) -> tuple[Sender, GatedTime]:
    time = GatedTime()
    budget = OutboundBudget(25, 1.0, 25, monotonic=time.monotonic, sleep=time.sleep)
    ctx, _ = make_context(app)
    ctx.sender.budget = budget
    return ctx.sender, time


async def test_the_key_is_claimed_at_the_slot_not_before_the_wait(app: App) -> None:
    sender, time = _gated_sender(app)
    _, user = await app.add_user(Role.manager)
    sender.budget.hold_chat(user.telegram_id, 1.0)  # the chat just got a message
    task = asyncio.create_task(
        sender.send_once(
            "slot:1",
            user.id,
            user.telegram_id,
            text_message(user.telegram_id, "Привет"),
            app.session_factory,
        )
    )
    await asyncio.wait_for(time.waiting.wait(), 5)
    assert await _row(app, "slot:1") is None  # waiting for its slot: nothing claimed yet
    time.gate.set()
    assert await task is SendResult.sent
    row = await _row(app, "slot:1")
    assert row is not None and row.handed_at is not None and row.sent_at is not None


async def test_a_stop_or_a_cancel_while_waiting_leaves_no_claim(app: App) -> None:
    sender, time = _gated_sender(app)
    _, user = await app.add_user(Role.manager)
    sender.budget.hold_chat(user.telegram_id, 30.0)
    send = text_message(user.telegram_id, "Дайджест")
    waiting = asyncio.create_task(
        sender.send_once("stop:1", user.id, user.telegram_id, send, app.session_factory)
    )
    await asyncio.wait_for(time.waiting.wait(), 5)
    sender.stopping = True  # SIGTERM: stop_scheduler sets it
    assert await asyncio.wait_for(waiting, 5) is SendResult.stopped
    assert await _row(app, "stop:1") is None

    sender.stopping = False
    cancelled = asyncio.create_task(
        sender.send_once("stop:2", user.id, user.telegram_id, send, app.session_factory)
    )
    await asyncio.sleep(0.05)
    cancelled.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await cancelled
    assert await _row(app, "stop:2") is None
    assert chat(app, user) == []


async def test_sigterm_during_a_flood_wait_releases_the_claim(app: App) -> None:
    sender, time = _gated_sender(app)
    _, user = await app.add_user(Role.manager)
    method = SendMessage(chat_id=user.telegram_id, text="x")
    app.telegram.errors.append(
        TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=30)
    )
    send = text_message(user.telegram_id, "После паузы")
    task = asyncio.create_task(
        sender.send_once("flood:1", user.id, user.telegram_id, send, app.session_factory)
    )
    await asyncio.wait_for(time.waiting.wait(), 5)  # refused once, now waiting out the 429
    row = await _row(app, "flood:1")
    assert row is not None and row.handed_at is None  # certainly not delivered: un-handed
    sender.stopping = True
    assert await asyncio.wait_for(task, 5) is SendResult.stopped
    assert await _row(app, "flood:1") is None  # released: the next process sends it
    assert chat(app, user) == []

    again, _ = make_context(app)
    result = await again.sender.send_once(
        "flood:1", user.id, user.telegram_id, send, app.session_factory
    )
    assert result is SendResult.sent and len(chat(app, user)) == 1


async def test_a_wave_stopped_half_way_then_restarted_sends_each_digest_once(app: App) -> None:
    people = [(await app.add_user(Role.manager, name=f"Менеджер {n}"))[1] for n in range(12)]
    for person in people:
        await make_deal(app, person, next_action_on=FRIDAY)
    first, _ = make_context(app, max_concurrency=3)
    original = app.telegram.requests

    class StopAfter(list):  # the fake records each request: SIGTERM after the fifth
        def append(self, item: Any) -> None:
            super().append(item)
            if sum(isinstance(r, SendMessage) for r in self) == 5:
                first.sender.stopping = True

    app.telegram.requests = StopAfter(original)
    sent = await scan_at(app, first, START)
    assert 5 <= sent["digests"] < 12
    pending = await app.count(SentNotification, SentNotification.sent_at.is_(None))
    assert pending == 0  # nothing left claimed: the rest was never claimed

    second, _ = make_context(app)
    await scan_at(app, second, START)
    counts = [len(chat(app, person)) for person in people]
    assert counts == [1] * 12  # each exactly once, none lost


async def test_startup_releases_unhanded_claims_and_reports_unconfirmed_once(
    app: App, caplog: Any
) -> None:
    _, waiting = await app.add_user(Role.manager, name="Ждущий Иван")
    _, in_flight = await app.add_user(Role.manager, name="Летящий Пётр")
    for person in (waiting, in_flight):
        await make_deal(app, person, next_action_on=FRIDAY)
    waiting_key = f"digest:{waiting.id}:{FRIDAY.isoformat()}"
    flight_key = f"digest:{in_flight.id}:{FRIDAY.isoformat()}"
    async with app.session_factory() as session, session.begin():
        # A previous process was killed: one digest claimed while waiting out a 429 (never
        # handed), one handed to Telegram and never confirmed.
        await session.execute(
            insert(SentNotification),
            [
                {"key": waiting_key, "user_id": waiting.id, "created_at": START},
                {
                    "key": flight_key,
                    "user_id": in_flight.id,
                    "created_at": START,
                    "handed_at": START,
                },
            ],
        )

    ctx, _ = make_context(app)
    app.clock.set(START)
    set_context(ctx)
    try:
        with caplog.at_level(logging.INFO, logger="bot.sender"):
            await jobs.scan()  # the scheduler's first scan at start
    finally:
        set_context(None)
    assert len(chat(app, waiting)) == 1  # released and sent by this scan
    assert chat(app, in_flight) == []  # possibly delivered: never sent again
    reports = [r for r in caplog.records if "possibly not delivered" in r.getMessage()]
    assert len(reports) == 1 and reports[0].levelno == logging.WARNING
    assert "1 message(s)" in reports[0].getMessage() and flight_key in reports[0].getMessage()
    assert "Летящий" not in reports[0].getMessage()  # keys carry ids, no names
    row = await _row(app, flight_key)
    assert row is not None and row.reported_at is not None and row.sent_at is None

    # The next start reports nothing again and still sends nothing to that person.
    caplog.clear()
    restarted, _ = make_context(app)
    set_context(restarted)
    try:
        with caplog.at_level(logging.INFO, logger="bot.sender"):
            await jobs.scan()
    finally:
        set_context(None)
    assert not [r for r in caplog.records if "possibly not delivered" in r.getMessage()]
    assert chat(app, in_flight) == [] and len(chat(app, waiting)) == 1


async def test_a_cancel_during_the_request_lets_it_finish_and_records_it(app: App) -> None:
    """APScheduler cancels a scan that outlived the shutdown grace: the request already on its
    way to Telegram still finishes and its outcome is written, so it is not reported lost."""
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_send(bot: Any) -> Any:
        started.set()
        await release.wait()
        return await text_message(user.telegram_id, "В пути")(bot)

    task = asyncio.create_task(
        ctx.sender.send_once("fly:1", user.id, user.telegram_id, slow_send, app.session_factory)
    )
    await asyncio.wait_for(started.wait(), 5)
    task.cancel()
    await asyncio.sleep(0.01)
    release.set()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    row = await _row(app, "fly:1")
    assert row is not None and row.sent_at is not None  # delivered and confirmed
    assert len(chat(app, user)) == 1
