"""/week: the coming 7 days in the user's time zone, deals per day with plural counts, a
button per deal that opens it; reached from the Today list too."""

from __future__ import annotations

import datetime as dt

from models.roles import Role
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import set_user

FRIDAY = START.date()  # 2026-11-27, 09:00 in Moscow


def _day(n: int) -> dt.date:
    return FRIDAY + dt.timedelta(days=n)


async def test_week_lists_the_coming_seven_days(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    _, other = await app.add_user(Role.manager, name="Чужой Менеджер")
    today = await make_deal(app, owner, "Сегодняшняя", next_action_on=_day(0))
    await make_deal(app, owner, "Утро", next_action_on=_day(1), next_action_time=dt.time(10))
    await make_deal(app, owner, "Без времени", next_action_on=_day(1))
    for n in range(5):
        await make_deal(app, owner, f"Пятничная {n}", next_action_on=_day(6))
    await make_deal(app, owner, "Через неделю", next_action_on=_day(7))  # the 8th day
    await make_deal(app, owner, "Просроченная", next_action_on=_day(-1))
    await make_deal(app, owner, "Закрытая", next_action_on=_day(2), stage_code="won")
    await make_deal(app, other, "Чужая", next_action_on=_day(2))

    await ivan.send("/week")
    week = ivan.last_message()
    text = week.text
    assert text.startswith("🗓 Неделя: 27.11 — 03.12")
    assert "Пт 27.11 — 1 сделка" in text
    assert "Сб 28.11 — 2 сделки" in text
    assert "Вс 29.11 — сделок нет" in text
    assert "Чт 03.12 — 5 сделок" in text
    assert "Всего за неделю 8 сделок." in text
    # Timed first within a day.
    assert text.index("🕒 10:00") < text.index("Без времени")
    for absent in ("Через неделю", "Просроченная", "Закрытая", "Чужая"):
        assert absent not in text
    buttons = [row[0] for row in week.buttons()]
    assert len(buttons) == 9 and buttons[-1] == "🔄 Обновить"
    assert buttons[1].startswith("Сб 28.11 10:00 · ")
    # A deal's button opens its card.
    await ivan.press(buttons[0], message=week)
    assert ivan.last_message().text.startswith(f"#{today.id} ·")


async def test_week_in_the_users_time_zone_and_english(app: App) -> None:
    # 06:00 UTC on Friday is still Thursday 22:00 in Los Angeles.
    en, owner = await app.add_user(Role.manager, language="en")
    await set_user(app, owner, timezone="America/Los_Angeles")
    await make_deal(app, owner, "Thursday call", next_action_on=_day(-1))
    await en.send("/week")
    text = en.last_message().text
    assert text.startswith("🗓 Week: 26 Nov — 02 Dec")
    assert "Th 26 Nov — 1 deal" in text and "1 deal this week." in text


async def test_empty_week_and_the_button_under_today(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    await ivan.send("/week")
    assert ivan.last_message().text == "🗓 На ближайшие 7 дней (27.11 — 03.12) сделок нет."
    deal = await make_deal(app, owner, "Ромашка", next_action_on=_day(3))
    await ivan.send("📅 Сегодня")
    await ivan.press("🗓 Неделя")
    week = ivan.last_message()
    assert "Пн 30.11 — 1 сделка" in week.text and f"#{deal.id}" in week.text
    # Refresh redraws the same message.
    await make_deal(app, owner, "Вторая", next_action_on=_day(3))
    count = len(ivan.messages())
    await ivan.press("🔄 Обновить", message=week)
    assert len(ivan.messages()) == count
    assert "Пн 30.11 — 2 сделки" in week.text


async def test_week_of_a_busy_manager_keeps_within_limits(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    for n in range(60):
        await make_deal(app, owner, f"Клиент {n} " + "х" * 60, next_action_on=_day(n % 7))
    await ivan.send("/week")
    week = ivan.last_message()
    assert len(week.text) <= 4096
    assert "Всего за неделю 60 сделок." in week.text
    assert len(week.buttons()) <= 41
