"""The morning digest: local time in several zones (DST days too), work days, catch-up after
downtime, stale days, nothing-due, exactly once, Telegram's limits."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from bot.callbacks.outcomes import Out, OutCb, Src
from models import Deal, SentNotification, StageKind
from models.roles import Role
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, set_user, utc

FRIDAY = START.date()  # 2026-11-27; START is 09:00 in Moscow


async def test_digest_at_nine_moscow_lists_today_and_overdue(app: App) -> None:
    ctx, _ = make_context(app)
    client, user = await app.add_user(Role.manager)
    old = await make_deal(app, user, "Старый клиент", next_action_on=FRIDAY - dt.timedelta(3))
    timed = await make_deal(
        app, user, "Звонок", next_action_on=FRIDAY, next_action_time=dt.time(15, 0)
    )
    plain = await make_deal(app, user, "Без времени", next_action_on=FRIDAY)
    await make_deal(app, user, "Завтрашняя", next_action_on=FRIDAY + dt.timedelta(1))
    await make_deal(app, user, "Без даты")

    await scan_at(app, ctx, utc(2026, 11, 27, 5, 59))  # 08:59 in Moscow
    assert chat(app, user) == []

    sent = await scan_at(app, ctx, START)
    assert sent["digests"] == 1
    [digest] = chat(app, user)
    text = digest.text
    assert "План на 27.11.2026" in text
    assert "Сегодня: 2 сделки · просрочено: 1 сделка" in text
    assert text.index("Просрочено\n") < text.index(f"#{old.id}") < text.index("Сегодня\n")
    assert f"#{old.id}" in text and "с 24.11 (3 дня)" in text
    assert text.index(f"#{timed.id}") < text.index(f"#{plain.id}")  # timed first
    assert "🕒 15:00" in text
    assert "Завтрашняя" not in text and "Без даты" not in text
    rows = digest.buttons()
    # One row per deal (open, no answer -> tomorrow, done, more), "move the rest" under them.
    assert rows[0][0].startswith("1. ") and rows[0][1:] == ["☎ → завтра", "✓", "»"]
    assert len(rows) == 5 and rows[3] == ["⏭ Остальные → на завтра"]
    # The deal without a next step is asked about again: a line and its list's button.
    assert "❓ Без следующего шага: 1 сделка — /nonext" in text
    assert rows[4] == ["❓ Без следующего шага: 1"]
    # ✓ starts the deal card's note flow with the deal's version (and the digest to go back to).
    done = OutCb.unpack(digest.button_data(0, 2))
    assert (done.act, done.src, done.deal_id, done.v) == (Out.note, Src.digest, old.id, old.version)
    key = f"digest:{user.id}:2026-11-27"
    row = await app.scalar(select(SentNotification).where(SentNotification.key == key))
    assert row is not None and row.sent_at == START and row.user_id == user.id
    # Open works from the digest.
    await client.press(rows[0][0], message=digest)
    assert f"#{old.id} · " in client.last_message().text


async def test_nothing_due_sends_nothing_and_no_late_digest_that_day(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    await make_deal(app, user, next_action_on=FRIDAY + dt.timedelta(days=3))
    await scan_at(app, ctx, START)
    assert chat(app, user) == []
    # The day's decision is recorded, so a deal dated today later does not trigger a
    # "morning" digest at 11:00.
    await make_deal(app, user, "Новая на сегодня", next_action_on=FRIDAY)
    await scan_at(app, ctx, START + dt.timedelta(hours=2))
    assert chat(app, user) == []
    # Monday's digest lists it as overdue.
    await scan_at(app, ctx, utc(2026, 11, 30, 6, 0))
    [digest] = chat(app, user)
    assert "Новая на сегодня" in digest.text and "просрочено: 1 сделка" in digest.text


async def test_berlin_on_the_spring_dst_change(app: App) -> None:
    ctx, _ = make_context(app)
    sunday = dt.date(2026, 3, 29)  # 02:00 CET -> 03:00 CEST
    _, early = await app.add_user(Role.manager, name="Ранний Пётр")
    _, nine = await app.add_user(Role.manager, name="Девять Анна")
    await set_user(
        app, early, timezone="Europe/Berlin", work_days="1234567", digest_time=dt.time(2, 30)
    )
    await set_user(app, nine, timezone="Europe/Berlin", work_days="1234567")
    for user in (early, nine):
        await make_deal(app, user, next_action_on=sunday)

    await scan_at(app, ctx, utc(2026, 3, 29, 0, 59))  # 01:59 CET
    assert chat(app, early) == []
    await scan_at(app, ctx, utc(2026, 3, 29, 1, 0))  # 03:00 CEST: 02:30 never happened
    assert len(chat(app, early)) == 1
    await scan_at(app, ctx, utc(2026, 3, 29, 6, 59))  # 08:59 CEST
    assert chat(app, nine) == []
    await scan_at(app, ctx, utc(2026, 3, 29, 7, 0))  # 09:00 CEST = 07:00 UTC
    assert len(chat(app, nine)) == 1 and "29.03.2026" in chat(app, nine)[0].text
    assert len(chat(app, early)) == 1


async def test_berlin_on_the_autumn_dst_change(app: App) -> None:
    ctx, _ = make_context(app)
    sunday = dt.date(2026, 10, 25)  # 03:00 CEST -> 02:00 CET: 02:30 happens twice
    _, early = await app.add_user(Role.manager, name="Ранний Пётр")
    _, nine = await app.add_user(Role.manager, name="Девять Анна")
    await set_user(
        app, early, timezone="Europe/Berlin", work_days="1234567", digest_time=dt.time(2, 30)
    )
    await set_user(app, nine, timezone="Europe/Berlin", work_days="1234567")
    for user in (early, nine):
        await make_deal(app, user, next_action_on=sunday)

    await scan_at(app, ctx, utc(2026, 10, 25, 0, 29))  # 02:29 CEST
    assert chat(app, early) == []
    await scan_at(app, ctx, utc(2026, 10, 25, 0, 30))  # 02:30 CEST, the first one
    assert len(chat(app, early)) == 1
    await scan_at(app, ctx, utc(2026, 10, 25, 1, 30))  # 02:30 CET, the second one
    assert len(chat(app, early)) == 1
    await scan_at(app, ctx, utc(2026, 10, 25, 7, 59))  # 08:59 CET
    assert chat(app, nine) == []
    await scan_at(app, ctx, utc(2026, 10, 25, 8, 0))  # 09:00 CET = 08:00 UTC
    assert len(chat(app, nine)) == 1


async def test_new_york_and_moscow_each_at_their_own_nine(app: App) -> None:
    ctx, _ = make_context(app)
    _, moscow = await app.add_user(Role.manager, name="Москва Иван")
    _, new_york = await app.add_user(Role.manager, name="Нью-Йорк Джон", language="en")
    await set_user(app, new_york, timezone="America/New_York")
    for user in (moscow, new_york):
        await make_deal(app, user, "Client", next_action_on=FRIDAY)

    await scan_at(app, ctx, START)
    assert len(chat(app, moscow)) == 1 and chat(app, new_york) == []
    await scan_at(app, ctx, utc(2026, 11, 27, 13, 59))  # 08:59 EST
    assert chat(app, new_york) == []
    await scan_at(app, ctx, utc(2026, 11, 27, 14, 0))  # 09:00 EST
    [digest] = chat(app, new_york)
    assert (
        "Plan for 27 Nov 2026" in digest.text and "Today: 1 deal · overdue: 0 deals" in digest.text
    )
    assert digest.buttons()[0][1:] == ["☎ → tmrw", "✓", "»"]
    assert len(chat(app, moscow)) == 1


async def test_no_digest_on_weekend_by_default_and_custom_work_days(app: App) -> None:
    ctx, _ = make_context(app)
    _, office = await app.add_user(Role.manager, name="Офис Иван")
    _, shop = await app.add_user(Role.manager, name="Магазин Ольга")
    await set_user(app, shop, work_days="67")  # Saturday and Sunday only
    for user in (office, shop):
        await make_deal(app, user, next_action_on=FRIDAY)

    await scan_at(app, ctx, START)  # Friday
    assert len(chat(app, office)) == 1 and chat(app, shop) == []
    await scan_at(app, ctx, START + dt.timedelta(days=1))  # Saturday 09:00
    assert len(chat(app, office)) == 1
    [digest] = chat(app, shop)
    assert "28.11.2026" in digest.text and "просрочено: 1 сделка" in digest.text


async def test_catch_up_after_downtime_and_stale_day_skipped(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    await make_deal(app, user, next_action_on=FRIDAY - dt.timedelta(days=1))
    # The bot was down all Thursday and until 10:30 on Friday: Thursday's digest is stale
    # and never sent; Friday's goes out at start, once.
    await scan_at(app, ctx, utc(2026, 11, 26, 21, 30))  # 00:30 Friday in Moscow
    assert chat(app, user) == []
    await scan_at(app, ctx, utc(2026, 11, 27, 7, 30))  # 10:30
    [digest] = chat(app, user)
    assert "27.11.2026" in digest.text
    assert not await app.count(SentNotification, SentNotification.key.like("%2026-11-26"))
    await scan_at(app, ctx, utc(2026, 11, 27, 7, 31))
    assert len(chat(app, user)) == 1


async def test_scan_twice_and_racing_processes_send_one_digest(app: App) -> None:
    ctx, _ = make_context(app)
    other_process, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    await make_deal(app, user, next_action_on=FRIDAY)
    app.clock.set(START)
    from scheduler.jobs import scan_once

    await asyncio.gather(scan_once(ctx, START), scan_once(other_process, START))
    await scan_once(ctx, START + dt.timedelta(minutes=1))
    assert len(chat(app, user)) == 1
    assert await app.count(SentNotification) == 1


async def test_restart_mid_batch_never_resends_a_claimed_digest(app: App) -> None:
    ctx, _ = make_context(app)
    _, first = await app.add_user(Role.manager, name="Первый Иван")
    _, second = await app.add_user(Role.manager, name="Второй Пётр")
    for user in (first, second):
        await make_deal(app, user, next_action_on=FRIDAY)
    # The previous process claimed the first digest and died before recording sent_at:
    # Telegram may have delivered it, so it must not go out again.
    async with app.session_factory() as session, session.begin():
        session.add(
            SentNotification(
                key=f"digest:{first.id}:2026-11-27", user_id=first.id, created_at=START
            )
        )
    await scan_at(app, ctx, START + dt.timedelta(minutes=5))
    assert chat(app, first) == []
    assert len(chat(app, second)) == 1


async def test_only_open_live_deals_of_reachable_active_people(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    _, gone = await app.add_user(Role.manager, name="Уволен Сидор")
    _, blocked = await app.add_user(Role.manager, name="Заблокировал Бота")
    await set_user(app, gone, is_active=False)
    await set_user(app, blocked, is_reachable=False)
    live = await make_deal(app, user, "Живая", next_action_on=FRIDAY)
    await make_deal(app, user, "Выиграна", next_action_on=FRIDAY, stage_code="won")
    # Paused until Monday (a paused deal whose day has come is back at work: test_pauses.py).
    await make_deal(
        app, user, "Пауза", next_action_on=FRIDAY + dt.timedelta(days=3), stage_code="paused"
    )
    deleted = await make_deal(app, user, "Удалена", next_action_on=FRIDAY)
    async with app.session_factory() as session, session.begin():
        (await session.get_one(Deal, deleted.id)).deleted_at = START
    for other in (gone, blocked):
        await make_deal(app, other, next_action_on=FRIDAY)

    await scan_at(app, ctx, START)
    [digest] = chat(app, user)
    assert (
        f"#{live.id}" in digest.text and "Сегодня: 1 сделка · просрочено: 0 сделок" in digest.text
    )
    for hidden in ("Выиграна", "Пауза", "Удалена"):
        assert hidden not in digest.text
    assert chat(app, gone) == [] and chat(app, blocked) == []


async def test_many_due_deals_fit_telegram_limits(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    long_title = "Очень длинное название сделки <b>с разметкой</b> " * 5
    for i in range(70):
        await make_deal(
            app, user, title=f"{i:02d} {long_title}", next_action_on=FRIDAY - dt.timedelta(i % 5)
        )
    await scan_at(app, ctx, START)
    [digest] = chat(app, user)  # the fake Telegram refuses > 4096 characters, > 100 buttons
    assert len(digest.text) <= 4096
    assert "Сегодня: 14 сделок · просрочено: 56 сделок" in digest.text
    assert "…и ещё" in digest.text and "/today" in digest.text and "/overdue" in digest.text
    assert "<b>с разметкой</b>" in digest.text  # user text escaped, shown as typed
    buttons = sum(len(row) for row in digest.buttons())
    assert buttons == 8 * 4 + 1  # 8 rows of 4, "move the rest"
    assert await app.count(Deal, Deal.status == StageKind.open) == 70


async def test_a_big_wave_is_spread_over_scans_without_losing_anyone(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stage stops after its time budget (here: after every batch of one person): the
    people not reached are still due, so the next scan goes on with them."""
    import scheduler.digests as digests

    monkeypatch.setattr(digests, "CHUNK", 1)
    monkeypatch.setattr(digests, "STAGE_BUDGET_SECONDS", -1.0)
    ctx, _ = make_context(app)
    users = [(await app.add_user(Role.manager, name=f"Менеджер {i}"))[1] for i in range(3)]
    for user in users:
        await make_deal(app, user, next_action_on=FRIDAY)
    for minute in range(3):
        sent = await scan_at(app, ctx, START + dt.timedelta(minutes=minute))
        assert sent["digests"] == 1
    await scan_at(app, ctx, START + dt.timedelta(minutes=3))
    assert [len(chat(app, u)) for u in users] == [1, 1, 1]
