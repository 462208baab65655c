"""The polling loop confirms an update to Telegram only once it is finished, so a crash
loses nothing; a redelivered update is skipped; a second poller (409) is reported once."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest
from aiogram.exceptions import TelegramConflictError
from aiogram.methods import GetUpdates
from sqlalchemy import select

from bot.dispatcher import build_dispatcher
from bot.polling import UpdatePoller
from models import Note
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal

TODAY = dt.date(2026, 11, 27)


async def _until(condition, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.005)


async def _run(poller: UpdatePoller) -> tuple[asyncio.Event, asyncio.Task[None]]:
    stop = asyncio.Event()
    return stop, asyncio.create_task(poller.run(stop))


async def test_offset_waits_for_an_unfinished_update(app: App) -> None:
    """Updates 2 and 3 finish while 1 is still running (its reply waits): Telegram is not
    told about any of them until 1 is finished too, and none runs twice meanwhile."""
    people = [await app.add_user(Role.manager) for _ in range(3)]
    await make_deal(app, people[0][1], next_action_on=TODAY)
    gate = asyncio.Event()
    original = app.bot.session.make_request
    slow_chat = people[0][0].chat.id

    async def slow_send(bot, method, timeout=None):
        if getattr(method, "chat_id", None) == slow_chat:
            await gate.wait()
        return await original(bot, method, timeout)

    app.bot.session.make_request = slow_send  # type: ignore[method-assign]  # a stand-in
    # Read-only updates: only their end counts as finished.
    first, second, third = (client.message_update(text="/today") for client, _ in people)
    for update in (first, second, third):
        app.telegram.queue_update(update)
    poller = UpdatePoller(app.dp, app.bot, polling_timeout=1)
    stop, task = await _run(poller)

    await _until(lambda: poller.handled == 2 and len(app.telegram.offsets) >= 3)
    assert set(app.telegram.offsets) <= {None, first.update_id}
    assert sorted(poller._running) == [first.update_id]

    gate.set()
    await _until(lambda: third.update_id + 1 in app.telegram.offsets)
    stop.set()
    await task
    assert poller.handled == 3  # each ran once, though Telegram sent 1-3 again and again
    assert app.telegram.updates == []  # all confirmed
    assert len(app.telegram.chat(slow_chat)) == 1


async def test_a_committed_update_is_confirmed_before_its_reply_is_sent(app: App) -> None:
    """A note committed but whose reply is still waiting does not hold the offset back:
    redelivering it would change nothing."""
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    release = asyncio.Event()
    original = app.bot.session.make_request

    async def slow_send(bot, method, timeout=None):
        if not isinstance(method, GetUpdates):
            await release.wait()
        return await original(bot, method, timeout)

    app.bot.session.make_request = slow_send  # type: ignore[method-assign]  # a stand-in
    update = ivan.message_update(text=f"/note {deal.id} Клиент согласен на встречу")
    app.telegram.queue_update(update)
    poller = UpdatePoller(app.dp, app.bot, polling_timeout=1)
    stop, task = await _run(poller)
    await _until(lambda: update.update_id + 1 in app.telegram.offsets)
    assert await app.count(Note, Note.deal_id == deal.id) == 1
    release.set()
    stop.set()
    await task


async def test_a_crash_loses_nothing_and_applies_nothing_twice(app: App) -> None:
    """Kill the loop in the middle of a backlog (no drain, no confirm), start a new
    dispatcher on the same database: every note is saved exactly once."""
    clients = []
    for _ in range(3):
        client, owner = await app.add_user(Role.manager)
        clients.append((client, await make_deal(app, owner, next_action_on=TODAY)))
    texts = []
    for i in range(30):
        client, deal = clients[i % 3]
        text = f"Звонок номер {i}"
        texts.append(text)
        app.telegram.queue_update(client.message_update(text=f"/note {deal.id} {text}"))

    original = app.bot.session.make_request

    async def slow_send(bot, method, timeout=None):
        if not isinstance(method, GetUpdates):
            await asyncio.sleep(0.01)  # a network: replies take a while
        return await original(bot, method, timeout)

    app.bot.session.make_request = slow_send  # type: ignore[method-assign]  # a stand-in
    poller = UpdatePoller(app.dp, app.bot, polling_timeout=1)
    stop, task = await _run(poller)
    await _until(lambda: poller.handled >= 10)
    assert poller.handled < 30

    async def crash() -> None:  # no drain, no last confirmation: the process is just gone
        for running in list(poller._running.values()):
            running.cancel()

    poller._drain = crash  # type: ignore[method-assign]  # a stand-in
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert app.telegram.updates  # some were never confirmed

    # The restarted process: a new dispatcher (fresh memory), the same database.
    dp = build_dispatcher(app.settings, app.session_factory, clock=app.clock)
    poller = UpdatePoller(dp, app.bot, polling_timeout=1)
    stop, task = await _run(poller)
    await _until(lambda: poller.handled > 0 and not app.telegram.updates, timeout=10)
    stop.set()
    await task
    saved = await app.all(select(Note.text))
    assert sorted(saved) == sorted(texts)


async def test_a_second_poller_is_reported_once(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    admin, _ = await app.add_user(Role.admin)
    conflict = TelegramConflictError(
        GetUpdates(), "Conflict: terminated by other getUpdates request"
    )
    conflicts = [conflict, conflict]
    original = app.bot.session.make_request

    async def two_pollers(bot, method, timeout=None):
        if isinstance(method, GetUpdates) and conflicts:
            raise conflicts.pop()
        return await original(bot, method, timeout)

    app.bot.session.make_request = two_pollers  # type: ignore[method-assign]  # a stand-in
    told: list[int] = []

    async def tell() -> None:
        told.append(await app.dp["admin_notices"].tell(app.bot, "ops.second_poller"))

    poller = UpdatePoller(app.dp, app.bot, polling_timeout=1, on_conflict=tell)
    import bot.polling as polling

    polling.CONFLICT_DELAYS = (0.01,)
    with caplog.at_level(logging.INFO, logger="bot.polling"):
        stop, task = await _run(poller)
        await _until(lambda: not conflicts and len(app.telegram.offsets) >= 1)
        ivan, owner = await app.add_user(Role.manager)
        deal = await make_deal(app, owner, next_action_on=TODAY)
        app.telegram.queue_update(ivan.message_update(text=f"/note {deal.id} после конфликта"))
        await _until(lambda: poller.handled == 1)
        stop.set()
        await task
    conflict_lines = [r for r in caplog.records if "409 Conflict" in r.getMessage()]
    assert len(conflict_lines) == 1
    assert told == [1]
    [notice] = [m for m in app.telegram.chat(admin.chat.id) if "запущен дважды" in m.text]
    assert notice
    assert await app.count(Note, Note.deal_id == deal.id) == 1  # polling went on


async def test_stop_finishes_the_updates_in_flight_and_confirms_them(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    update = ivan.message_update(text=f"/note {deal.id} Последняя заметка перед выключением")
    app.telegram.queue_update(update)
    poller = UpdatePoller(app.dp, app.bot, polling_timeout=1)
    stop, task = await _run(poller)
    await _until(lambda: poller.handled == 1)
    stop.set()
    await task
    assert app.telegram.offsets[-1] == update.update_id + 1
    assert app.telegram.updates == []
