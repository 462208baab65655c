"""/stats and the Stats button: a manager's own counters, a lead's team, an admin's teams;
every figure against the hand-built day, in Russian and English; rights on every button."""

from __future__ import annotations

from bot.callbacks.stats import StatsCb, StatsScope
from models.roles import Role
from tests.conftest import ADMIN_ID, App
from tests.reminders_support import set_user
from tests.stats_support import build_day, make_team

IVAN_RU = (
    "📊 Ваша статистика · ноябрь 2026\n\n"
    "🏆 Выиграно за месяц: 2 из 10 (20%)\n"
    "💰 Сумма выигранных: 200\u202f000 ₽ из 1\u202f500\u202f000 ₽\n"
    "📂 В работе: 3 сделки\n"
    "🔥 Просрочено: 1 сделка\n"
    "📅 На сегодня: 1 сделка\n"
    "⚠️ Без следующего шага: 1 сделка\n"
    "⏸ На паузе: нет"
)


async def test_manager_sees_own_counters(app: App) -> None:
    day = await build_day(app)
    await day.ivan_client.send("/stats")
    assert day.ivan_client.last_message().text == IVAN_RU
    # The main-menu button shows the same.
    await day.ivan_client.send("📊 Статистика")
    assert day.ivan_client.last_message().text == IVAN_RU
    # Without a plan: just the count.
    await day.petr_client.send("/stats")
    text = day.petr_client.last_message().text
    assert "🏆 Выиграно за месяц: 0 сделок (план не задан)" in text
    assert "💰 Сумма выигранных: 0 ₽\n" in text
    assert "📂 В работе: 3 сделки\n🔥 Просрочено: 0 сделок\n📅 На сегодня: 0 сделок" in text
    assert "⚠️ Без следующего шага: 2 сделки" in text


async def test_manager_counters_in_english(app: App) -> None:
    day = await build_day(app)
    await set_user(app, day.ivan, language="en")
    await day.ivan_client.send("📊 Статистика")  # the old Russian button still works
    assert day.ivan_client.last_message().text == (
        "📊 Stats · November 2026\n\n"
        "🏆 Won this month: 2 of 10 (20%)\n"
        "💰 Won amount: 200\u202f000 ₽ of 1\u202f500\u202f000 ₽\n"
        "📂 In work: 3 deals\n"
        "🔥 Overdue: 1 deal\n"
        "📅 Due today: 1 deal\n"
        "⚠️ Without a next step: 1 deal\n"
        "⏸ Paused: none"
    )


async def test_lead_sees_the_team_and_totals(app: App) -> None:
    day = await build_day(app)
    await day.lead_client.send("/stats")
    text = day.lead_client.last_message().text
    assert text.startswith("📊 Команда «Продажи» · ноябрь 2026\n\n")
    blocks = text.split("\n\n")[1:]
    assert blocks == [
        "Анна Козлова\nвыиграно 0 · на сумму 0 ₽\n"
        "в работе 1 сделка: просрочено 1, на сегодня 0, без шага 0",
        "Иван Петров\nвыиграно 2 из 10 · на сумму 200\u202f000 ₽ из 1\u202f500\u202f000 ₽\n"
        "в работе 3 сделки: просрочено 1, на сегодня 1, без шага 1",
        "Пётр Сидоров\nвыиграно 0 · на сумму 0 ₽\n"
        "в работе 3 сделки: просрочено 0, на сегодня 0, без шага 2",
        "Итого\nвыиграно 2 из 10 · на сумму 200\u202f000 ₽ из 1\u202f500\u202f000 ₽\n"
        "в работе 7 сделок: просрочено 2, на сегодня 1, без шага 3",
        "⏸ На паузе: нет",
    ]
    assert "Сергей Чужой" not in text
    # Иван has a plan: the team's plan chart is a button away (tests/test_plan_charts.py).
    assert day.lead_client.keyboard() == [["📈 График плана"], ["🔄 Обновить"]]
    # Refresh: the same figures; "not modified" is no error.
    await day.lead_client.press("🔄 Обновить")
    assert day.lead_client.last_message().text == text
    assert app.telegram.alerts[-1] == (None, False)
    # A change shows up on refresh, edited in place.
    await set_user(app, day.anna, full_name="Анна Новикова")
    sent = await day.lead_client.press("🔄 Обновить")
    assert len(sent) == 1 and sent[0].edits == 1 and "Анна Новикова" in sent[0].text


async def test_lead_team_in_english(app: App) -> None:
    day = await build_day(app)
    await set_user(app, day.lead, language="en")
    await day.lead_client.send("/stats")
    text = day.lead_client.last_message().text
    assert text.startswith("📊 Team “Продажи” · November 2026\n\n")
    assert (
        "Иван Петров\nwon 2 of 10 · worth 200\u202f000 ₽ of 1\u202f500\u202f000 ₽\n"
        "3 deals in work: 1 overdue, 1 due today, 1 without a next step"
    ) in text
    assert "Total\nwon 2 of 10" in text


async def test_admin_sees_all_teams_and_opens_one(app: App) -> None:
    day = await build_day(app)
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    await admin.send("/stats")
    text = admin.last_message().text
    assert text.split("\n\n") == [
        "📊 Все команды · ноябрь 2026",
        "Другая команда\nвыиграно 1 из 3 · на сумму 999 ₽\n"
        "в работе 0 сделок: просрочено 0, на сегодня 0, без шага 0",
        "Продажи\nвыиграно 2 из 10 · на сумму 200\u202f000 ₽ из 1\u202f500\u202f000 ₽\n"
        "в работе 7 сделок: просрочено 2, на сегодня 1, без шага 3",
        "Итого\nвыиграно 3 из 13 · на сумму 200\u202f999 ₽ из 1\u202f500\u202f000 ₽\n"
        "в работе 7 сделок: просрочено 2, на сегодня 1, без шага 3",
        "⏸ На паузе: нет",
    ]
    assert admin.keyboard() == [["Другая команда"], ["Продажи"], ["🔄 Обновить"]]
    await admin.press("Продажи")
    assert admin.last_message().text.startswith("📊 Команда «Продажи»")
    assert "Иван Петров\nвыиграно 2 из 10" in admin.last_message().text
    assert admin.keyboard() == [["📈 График плана"], ["🔄 Обновить"], ["« Все команды"]]
    await admin.press("« Все команды")
    assert admin.last_message().text.startswith("📊 Все команды")
    assert day.lead.team_id is not None


async def test_admin_pages_through_many_teams(app: App) -> None:
    for i in range(12):
        await make_team(app, f"Команда {i:02d}", lead_name=f"Лид {i:02d}")
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    await admin.send("/stats")
    assert "Стр. 1 из 2" in admin.last_message().text
    assert admin.keyboard()[-2:] == [["›"], ["🔄 Обновить"]]
    await admin.press("›")
    assert "Команда 11" in admin.last_message().text
    assert "Команда 00" not in admin.last_message().text
    assert admin.keyboard()[-2:] == [["‹"], ["🔄 Обновить"]]


async def test_forged_stats_buttons_are_refused(app: App) -> None:
    day = await build_day(app)
    other_team = day.stranger.team_id
    assert other_team is not None
    await day.ivan_client.send("/stats")
    message = day.ivan_client.last_message()
    await day.ivan_client.press_data(
        StatsCb(scope=StatsScope.team, team_id=day.team_id).pack(), message
    )
    assert day.ivan_client.last_alert() == (
        "Статистика команд доступна руководителям и администраторам."
    )
    await day.lead_client.send("/stats")
    message = day.lead_client.last_message()
    await day.lead_client.press_data(
        StatsCb(scope=StatsScope.team, team_id=other_team).pack(), message
    )
    assert day.lead_client.last_alert() == "Это не ваша команда."
    await day.lead_client.press_data(StatsCb(scope=StatsScope.all).pack(), message)
    assert day.lead_client.last_alert() == (
        "Сводка по всем командам доступна только администраторам."
    )
    assert "Продажи" in day.lead_client.last_message().text  # the message was left alone
    # A lead demoted to manager: their old team button now shows nothing of the team.
    await set_user(app, day.lead, role=Role.manager)
    await day.lead_client.press("🔄 Обновить")
    assert day.lead_client.last_alert() == (
        "Статистика команд доступна руководителям и администраторам."
    )


async def test_a_huge_team_fits_one_message(app: App) -> None:
    lead_client, _, team_id = await make_team(app)
    for i in range(45):
        await app.add_user(Role.manager, name=f"Менеджер {i:02d} " + "Ф" * 40, team_id=team_id)
    await lead_client.send("/stats")
    text = lead_client.last_message().text
    assert len(text) <= 4096
    assert "… и ещё" in text and text.split("\n\n")[-4].startswith("… и ещё 19 человек")
    assert "Итого" in text


async def test_operator_and_lead_without_team_see_own_counters(app: App) -> None:
    operator, _ = await app.add_user(Role.operator, name="Оля Оператор")
    await operator.send("/stats")
    assert operator.last_message().text.startswith("📊 Ваша статистика")
    lonely, _ = await app.add_user(Role.lead, name="Лид Без Команды")
    await lonely.send("/stats")
    assert "📂 В работе: 0 сделок" in lonely.last_message().text


async def test_money_is_never_added_up_across_currencies(app: App) -> None:
    """Issue 13.5: a won 100 000 ₽ deal and a won 1 000 $ deal are not "101 000"."""
    from tests.factories import make_deal
    from tests.stats_support import move_at

    ivan, owner = await app.add_user(Role.manager)
    won = [("Р", "100000", "RUB"), ("Д", "1000", "USD"), ("Е", "500", "USD")]
    for client, amount, currency in won:
        deal = await make_deal(app, owner, client, amount=amount, currency=currency)
        await move_at(app, app.clock(), owner, deal.id, "won")
    await ivan.send("/stats")
    text = ivan.last_message().text
    assert "🏆 Выиграно за месяц: 3 сделки (план не задан)" in text
    assert "💰 Сумма выигранных: 100\u202f000 ₽ · 1\u202f500 $\n" in text
    assert "101" not in text
