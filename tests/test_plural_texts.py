"""Numbers meet nouns in their real plural forms, as the bot sends them: the morning digest
(through the scheduler's scan), the days a deal is overdue and a list's count (through the
dispatcher), for 0, 1, 2, 5, 11, 21, 22, 25 and 101, in Russian and English.

The expected words are written out here, not computed with bot.i18n, so a wrong rule fails."""

from __future__ import annotations

import datetime as dt
import re

from models import User
from models.roles import Role
from models.services.deals import DealDraft
from tests.conftest import START, App
from tests.reminders_support import chat, make_context, scan_at

FRIDAY = START.date()
NUMBERS = (0, 1, 2, 5, 11, 21, 22, 25, 101)
DEALS_RU = {
    0: "0 сделок", 1: "1 сделка", 2: "2 сделки", 5: "5 сделок", 11: "11 сделок",
    21: "21 сделка", 22: "22 сделки", 25: "25 сделок", 101: "101 сделка",
}  # fmt: skip
DAYS_RU = {
    1: "1 день", 2: "2 дня", 5: "5 дней", 11: "11 дней", 21: "21 день", 22: "22 дня",
    25: "25 дней", 101: "101 день",
}  # fmt: skip
FOUND_RU = {
    0: "найдено", 1: "найдена", 2: "найдены", 5: "найдено", 11: "найдено", 21: "найдена",
    22: "найдены", 25: "найдено", 101: "найдена",
}  # fmt: skip


def deals_en(n: int) -> str:
    return f"{n} deal" if n == 1 else f"{n} deals"


def days_en(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


async def add_deals(
    app: App, owner: User, n: int, day: dt.date | None, client: str = "Клиент"
) -> None:
    """``n`` deals in one transaction, due on ``day`` (a past day: overdue)."""
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        actor = await session.get_one(User, owner.id)
        for i in range(n):
            deal = await crm.deals.create(actor, DealDraft(client_name=f"{client} {i:03d}"))
            crm.deals.apply_next_action(deal, day, None, actor)
        await session.flush()


async def test_today_list_count_in_every_form(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    john, john_user = await app.add_user(Role.manager, name="John Smith", language="en")
    have = 0
    for n in NUMBERS:
        await add_deals(app, user, n - have, FRIDAY)
        await add_deals(app, john_user, n - have, FRIDAY)
        have = n
        await ivan.send("/today")
        text = ivan.last_message().text
        if n == 0:
            assert text == "Нет сделок на сегодня 🎉"
            continue
        assert f"Сегодня, 27.11 · {DEALS_RU[n]}\n" in text
        await john.send("/today")
        assert f"Today, 27 Nov · {deals_en(n)}\n" in john.last_message().text


async def test_search_count_in_every_form(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    have = 0
    for n in NUMBERS[1:]:
        await add_deals(app, user, n - have, None, client="Ромашка")
        have = n
        await ivan.send("/find ромашка")
        assert f"«ромашка» · {FOUND_RU[n]} {DEALS_RU[n]}" in ivan.last_message().text


async def test_overdue_days_in_every_form(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    john, john_user = await app.add_user(Role.manager, name="John Smith", language="en")
    for n in NUMBERS[1:]:
        await add_deals(app, user, 1, FRIDAY - dt.timedelta(days=n), client=f"Долг {n}")
        await add_deals(app, john_user, 1, FRIDAY - dt.timedelta(days=n), client=f"Debt {n}")
    await ivan.send("/overdue")
    text = ivan.last_message().text  # 8 deals: one page
    assert "Просрочено · 8 сделок" in text
    for n, days in DAYS_RU.items():
        assert re.search(rf"Долг {n} 000\n.*🔥 просрочено на {days}\n", text + "\n"), days
    await john.send("/overdue")
    text_en = john.last_message().text
    assert "Overdue · 8 deals" in text_en
    for n in NUMBERS[1:]:
        assert re.search(rf"Debt {n} 000\n.*🔥 overdue by {days_en(n)}\n", text_en + "\n"), n
    # a deal due today is not "overdue by 0 days"
    await add_deals(app, user, 1, FRIDAY, client="Сегодня")
    await ivan.send("/today")
    assert "просрочено на 0" not in ivan.last_message().text


async def test_digest_counts_and_overdue_days_in_every_form(app: App) -> None:
    """One manager per number: n deals due today and one deal overdue by n days (by one day
    for n = 0); the scheduler's scan sends each their digest."""
    ctx, _ = make_context(app)
    people: dict[int, User] = {}
    for n in NUMBERS:
        _, person = await app.add_user(Role.manager, name=f"Менеджер {n}")
        people[n] = person
        await add_deals(app, person, n, FRIDAY)
        await add_deals(app, person, 1, FRIDAY - dt.timedelta(days=max(n, 1)), client="Долг")
    _, john = await app.add_user(Role.manager, name="John Smith", language="en")
    await add_deals(app, john, 21, FRIDAY)
    await add_deals(app, john, 1, FRIDAY - dt.timedelta(days=21), client="Debt")

    sent = await scan_at(app, ctx, START)
    assert sent["digests"] == len(NUMBERS) + 1
    for n, person in people.items():
        [digest] = chat(app, person)
        assert f"Сегодня: {DEALS_RU[n]} · просрочено: 1 сделка" in digest.text
        assert f"({DAYS_RU[max(n, 1)]})" in digest.text
    [digest_en] = chat(app, john)
    assert "Today: 21 deals · overdue: 1 deal" in digest_en.text
    assert "(21 days)" in digest_en.text
