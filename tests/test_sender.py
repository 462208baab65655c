"""The one sender of proactive messages: exactly once per key, Telegram's rate limits, 429 with
retry_after, 403 (blocked) and other errors, a batch that never stops for one person."""

from __future__ import annotations

import asyncio
import datetime as dt

from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.sender import Outgoing, SendResult, text_message
from models import SentNotification, User
from models.roles import Role
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, set_user

METHOD = SendMessage(chat_id=1, text="x")
FRIDAY = START.date()


def _retry_after(seconds: int) -> TelegramRetryAfter:
    return TelegramRetryAfter(method=METHOD, message="Too Many Requests", retry_after=seconds)


def _forbidden() -> TelegramForbiddenError:
    return TelegramForbiddenError(method=METHOD, message="Forbidden: bot was blocked by the user")


async def _row(app: App, key: str) -> SentNotification | None:
    return await app.scalar(select(SentNotification).where(SentNotification.key == key))


async def test_send_once_is_once_per_key(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    send = text_message(user.telegram_id, "Привет")
    first = await ctx.sender.send_once(
        "test:1", user.id, user.telegram_id, send, app.session_factory
    )
    again = await ctx.sender.send_once(
        "test:1", user.id, user.telegram_id, send, app.session_factory
    )
    assert (first, again) == (SendResult.sent, SendResult.duplicate)
    assert [m.text for m in chat(app, user)] == ["Привет"]
    row = await _row(app, "test:1")
    assert row is not None and row.sent_at == START


async def test_racing_claims_send_one_message(app: App) -> None:
    ctx, _ = make_context(app)
    other, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    send = text_message(user.telegram_id, "Один раз")
    results = await asyncio.gather(
        *(
            sender.send_once("race:1", user.id, user.telegram_id, send, app.session_factory)
            for sender in (ctx.sender, other.sender, ctx.sender)
        )
    )
    assert sorted(r.value for r in results) == ["duplicate", "duplicate", "sent"]
    assert len(chat(app, user)) == 1


async def test_retry_after_waits_and_resends_the_same_message(app: App) -> None:
    ctx, timer = make_context(app)
    _, user = await app.add_user(Role.manager)
    app.telegram.errors.append(_retry_after(3))
    send = text_message(user.telegram_id, "После паузы")
    result = await ctx.sender.send_once(
        "ra:1", user.id, user.telegram_id, send, app.session_factory
    )
    assert result is SendResult.sent
    assert 3 in timer.sleeps  # waited retry_after (recorded, not slept)
    requests = [r for r in app.telegram.requests if isinstance(r, SendMessage)]
    assert len(requests) == 2 and requests[0].text == requests[1].text == "После паузы"
    assert [m.text for m in chat(app, user)] == ["После паузы"]


async def test_blocked_user_is_unreachable_admin_told_once_batch_goes_on(app: App) -> None:
    ctx, _ = make_context(app)
    _, admin = await app.add_user(Role.admin, name="Админ Админов")
    _, blocker = await app.add_user(Role.manager, name="Ушедший Иван")
    await set_user(app, blocker, username="ivan")
    _, others = await app.add_user(Role.manager, name="Остальные Пётр")
    _, third = await app.add_user(Role.manager, name="Третий Сергей")
    for user in (blocker, others, third):
        await make_deal(app, user, next_action_on=FRIDAY)
    # Digests go out in user-id order, one at a time: the blocker's request comes first.
    ctx.sender.max_concurrency = 1
    app.telegram.errors.append(_forbidden())

    sent = await scan_at(app, ctx, START)
    assert sent["digests"] == 2
    assert chat(app, blocker) == []
    assert len(chat(app, others)) == 1 and len(chat(app, third)) == 1
    blocked = await app.scalar(select(User).where(User.id == blocker.id))
    assert blocked is not None and blocked.is_active and not blocked.is_reachable
    [notice] = chat(app, admin)
    assert "Ушедший Иван @ivan" in notice.text and str(blocker.telegram_id) in notice.text
    # The digest claim was released (it was never delivered); the notice is logged.
    assert await _row(app, f"digest:{blocker.id}:2026-11-27") is None
    assert await _row(app, f"blocked:{blocker.id}:2026-11-27") is not None

    # Later scans skip the unreachable person: no retries, no second notice.
    await scan_at(app, ctx, START + dt.timedelta(minutes=1))
    assert len(chat(app, admin)) == 1
    # They come back and write to the bot: reachable again, today's digest follows.
    client = app.client(blocker.telegram_id)
    await client.send("/start")
    assert (await app.scalar(select(User.is_reachable).where(User.id == blocker.id))) is True
    await scan_at(app, ctx, START + dt.timedelta(minutes=2))
    assert any("План на" in m.text for m in chat(app, blocker))


async def test_chat_not_found_counts_as_unreachable(app: App) -> None:
    ctx, _ = make_context(app)
    _, lead = await app.add_user(Role.lead)
    app.telegram.errors.append(
        TelegramBadRequest(method=METHOD, message="Bad Request: chat not found")
    )
    send = text_message(lead.telegram_id, "Сводка")
    result = await ctx.sender.send_once("x:1", lead.id, lead.telegram_id, send, app.session_factory)
    assert result is SendResult.blocked
    assert (await app.scalar(select(User.is_reachable).where(User.id == lead.id))) is False


async def test_network_errors_retry_with_backoff_then_release(app: App) -> None:
    ctx, timer = make_context(app, max_retries=3)
    _, user = await app.add_user(Role.manager)
    send = text_message(user.telegram_id, "Сеть")
    app.telegram.errors.extend([TelegramNetworkError(METHOD, "timeout")] * 2)
    ok = await ctx.sender.send_once("net:1", user.id, user.telegram_id, send, app.session_factory)
    assert ok is SendResult.sent and timer.sleeps[-2:] == [1.0, 3.0]

    app.telegram.errors.extend([TelegramNetworkError(METHOD, "down")] * 4)
    failed = await ctx.sender.send_once(
        "net:2", user.id, user.telegram_id, send, app.session_factory
    )
    assert failed is SendResult.failed
    assert await _row(app, "net:2") is None  # released: the next scan tries again
    retried = await ctx.sender.send_once(
        "net:2", user.id, user.telegram_id, send, app.session_factory
    )
    assert retried is SendResult.sent
    assert (await app.scalar(select(User.is_reachable).where(User.id == user.id))) is True


async def test_bad_request_is_not_retried_and_the_batch_goes_on(app: App) -> None:
    ctx, _ = make_context(app, max_concurrency=1)
    _, first = await app.add_user(Role.manager, name="Первый Иван")
    _, second = await app.add_user(Role.manager, name="Второй Пётр")
    app.telegram.errors.append(TelegramBadRequest(METHOD, "Bad Request: can't parse entities"))
    items = [
        Outgoing(f"bad:{u.id}", u.id, u.telegram_id, text_message(u.telegram_id, "Текст"))
        for u in (first, second)
    ]
    results = await ctx.sender.deliver(items, app.session_factory)
    assert results[SendResult.failed] == 1 and results[SendResult.sent] == 1
    assert chat(app, first) == [] and len(chat(app, second)) == 1
    assert len([r for r in app.telegram.requests if isinstance(r, SendMessage)]) == 2


async def test_extra_keys_are_claimed_all_or_nothing(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.lead)
    send = text_message(user.telegram_id, "Эскалация")
    factory = app.session_factory
    assert await ctx.sender.send_once("k:a", user.id, user.telegram_id, send, factory) is (
        SendResult.sent
    )
    clash = await ctx.sender.send_once(
        "k:b", user.id, user.telegram_id, send, factory, extra_keys=("k:c", "k:a")
    )
    assert clash is SendResult.duplicate
    assert await _row(app, "k:b") is None and await _row(app, "k:c") is None
    ok = await ctx.sender.send_once(
        "k:b", user.id, user.telegram_id, send, factory, extra_keys=("k:c",)
    )
    assert ok is SendResult.sent
    row = await _row(app, "k:c")
    assert row is not None and row.sent_at is not None


async def test_rate_limits_overall_and_per_chat(app: App) -> None:
    ctx, timer = make_context(app, rate_per_second=25, per_chat_interval=1.0)
    users = [(await app.add_user(Role.manager, name=f"Менеджер {i}"))[1] for i in range(30)]
    items = [
        Outgoing(f"rl:{u.id}", u.id, u.telegram_id, text_message(u.telegram_id, "Привет"))
        for u in users
    ]
    start = timer.now
    await ctx.sender.deliver(items, app.session_factory)
    # 30 messages at 25/s: the last one leaves no earlier than 29/25 s after the first.
    assert timer.now - start >= 29 / 25 - 1e-9
    assert sum(len(chat(app, u)) for u in users) == 30

    one = users[0]
    start = timer.now
    for n in range(3):
        send = text_message(one.telegram_id, f"#{n}")
        await ctx.sender.send_once(f"pc:{n}", one.id, one.telegram_id, send, app.session_factory)
    assert timer.now - start >= 2.0 - 1e-9  # three messages to one chat: one per second


async def test_photo_with_caption(app: App) -> None:
    ctx, _ = make_context(app)
    _, lead = await app.add_user(Role.lead)
    result = await ctx.sender.send_photo_once(
        "photo:1", lead.id, lead.telegram_id, b"\x89PNG fake", "<b>Сводка</b>", app.session_factory
    )
    assert result is SendResult.sent
    [photo] = chat(app, lead)
    assert photo.photo and photo.text == "Сводка"
