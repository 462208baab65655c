"""The evening nudge about deals without a next step: at 18:00 local on work days, only when
there are some, exactly once a day per person, across a restart too."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import SentNotification, User
from models.roles import Role
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, set_user, utc

FRIDAY = START.date()


def nudges(app: App, user: User) -> list[str]:
    return [m.text for m in chat(app, user) if "Вечерняя проверка" in m.text]


async def test_the_evening_nudge_once_a_day_and_not_twice_after_a_restart(app: App) -> None:
    ctx, _ = make_context(app)
    client, user = await app.add_user(Role.manager)
    _, tidy = await app.add_user(Role.manager, name="Аккуратная Ольга")
    await make_deal(app, user, "Без даты 1")
    await make_deal(app, user, "Без даты 2")
    await make_deal(app, tidy, next_action_on=FRIDAY + dt.timedelta(days=3))

    await scan_at(app, ctx, utc(2026, 11, 27, 14, 59))  # 17:59 in Moscow
    assert nudges(app, user) == []
    await scan_at(app, ctx, utc(2026, 11, 27, 15, 0))  # 18:00
    assert nudges(app, user) == [
        "🌆 Вечерняя проверка. У 2 сделок нет следующего шага."
        " Назначьте даты, чтобы ни одна не потерялась."
    ]
    assert nudges(app, tidy) == []  # nothing to chase: nothing sent
    key = f"nudge:{user.id}:2026-11-27"
    row = await app.scalar(select(SentNotification).where(SentNotification.key == key))
    assert row is not None and row.sent_at is not None
    await scan_at(app, ctx, utc(2026, 11, 27, 15, 5))
    # A restart: a new scheduler context and sender, the same database.
    restarted, _ = make_context(app)
    await scan_at(app, restarted, utc(2026, 11, 27, 16, 0))
    assert len(nudges(app, user)) == 1
    # Its button opens the list.
    [message] = [m for m in chat(app, user) if "Вечерняя проверка" in m.text]
    await client.press("❓ Без следующего шага: 2", message=message)
    assert "Без следующего шага</b> · 2 сделки" in client.last_message().html


async def test_no_nudge_on_days_off_late_at_night_or_for_blocked_people(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    _, blocked = await app.add_user(Role.manager, name="Заблокировал Бот")
    await make_deal(app, user, "Без даты")
    await make_deal(app, blocked, "Без даты")
    await set_user(app, blocked, is_reachable=False)
    await scan_at(app, ctx, utc(2026, 11, 28, 15, 0))  # Saturday 18:00
    assert nudges(app, user) == []
    await scan_at(app, ctx, utc(2026, 11, 30, 19, 30))  # Monday 22:30: too late
    assert nudges(app, user) == []
    await scan_at(app, ctx, utc(2026, 12, 1, 15, 30))  # Tuesday 18:30
    assert len(nudges(app, user)) == 1 and nudges(app, blocked) == []
