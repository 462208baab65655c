"""/plan: leads set their managers' monthly plans, admins anybody's; managers and other teams
are refused; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from sqlalchemy import select

from bot.callbacks.stats import PlanAction, PlanCb
from models import Plan
from models.errors import InvalidInput
from models.roles import Role
from models.services.plans import parse_target
from tests.conftest import ADMIN_ID, App
from tests.reminders_support import set_user
from tests.stats_support import make_team

NOVEMBER = dt.date(2026, 11, 1)
DECEMBER = dt.date(2026, 12, 1)


async def plans(app: App) -> list[tuple[int, dt.date, int, decimal.Decimal | None, int | None]]:
    rows = await app.all(select(Plan).order_by(Plan.id))
    return [(p.user_id, p.month, p.target_won, p.target_amount, p.set_by_id) for p in rows]


async def test_lead_sets_a_plan_with_buttons(app: App) -> None:
    olga, lead, team_id = await make_team(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await app.add_user(Role.manager, name="Пётр Сидоров", team_id=team_id)
    await olga.send("/plan")
    assert "Кому поставить план? Текущие планы на ноябрь 2026" in olga.last_message().text
    assert olga.keyboard() == [
        ["Иван Петров — нет плана"],
        ["Пётр Сидоров — нет плана"],
        ["✖ Отмена"],
    ]
    await olga.press("Иван Петров — нет плана")
    assert "План: Иван Петров. На какой месяц?" in olga.last_message().text
    assert olga.keyboard() == [["Ноябрь 2026", "Декабрь 2026"], ["« Назад", "✖ Отмена"]]
    await olga.press("Декабрь 2026")
    assert "Иван Петров — план на декабрь 2026" in olga.last_message().text
    assert "Плана пока нет." in olga.last_message().text
    await olga.send("10 1 500 000")
    assert olga.last_message().text == (
        "✅ Иван Петров — план на декабрь 2026: "
        "10 выигранных сделок на сумму 1\u202f500\u202f000 ₽."
    )
    assert await plans(app) == [(ivan.id, DECEMBER, 10, decimal.Decimal("1500000.00"), lead.id)]

    # Setting it again replaces the plan (one per person and month); the list shows it.
    await olga.send("/plan")
    await olga.press("Иван Петров — нет плана")  # this month's plan is still unset
    await olga.press("Декабрь 2026")
    current = "Сейчас: 10 выигранных сделок на сумму 1\u202f500\u202f000 ₽."
    assert current in olga.last_message().text
    await olga.send("12")
    assert await plans(app) == [(ivan.id, DECEMBER, 12, None, lead.id)]


async def test_back_cancel_and_bad_targets_change_nothing(app: App) -> None:
    olga, _, team_id = await make_team(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await olga.send("/plan")
    await olga.press("Иван Петров — нет плана")
    await olga.press("« Назад")
    assert "Кому поставить план?" in olga.last_message().text
    await olga.press("Иван Петров — нет плана")
    await olga.press("Ноябрь 2026")
    for bad in ("много", "0", "10001", "10 -5", "10 рублей", "10 0", "<b>5</b>", "1.5"):
        await olga.send(bad)
        assert "Не понял план" in olga.last_message().text, bad
    assert await plans(app) == []
    # Still waiting for the target after the mistakes.
    await olga.send("7 2,5млн")
    assert "7 выигранных сделок на сумму 2\u202f500\u202f000 ₽" in olga.last_message().text
    assert (await plans(app))[0][2:4] == (7, decimal.Decimal("2500000.00"))

    await olga.send("/plan")
    await olga.press("Иван Петров — 7 сделок")
    await olga.press("Ноябрь 2026")
    await olga.press("✖ Отмена")
    assert olga.last_message().text == "Отменено. Ничего не изменено."
    await olga.send("3")  # no longer a plan: nothing changes
    assert (await plans(app))[0][2] == 7
    # /cancel works in the middle of the form too.
    await olga.send("/plan")
    await olga.press("Иван Петров — 7 сделок")
    await olga.press("Ноябрь 2026")
    await olga.send("/cancel")
    await olga.send("4")
    assert (await plans(app))[0][2] == 7
    assert ivan.id == (await plans(app))[0][0]


async def test_quick_form_by_lead_and_admin(app: App) -> None:
    olga, lead, team_id = await make_team(app)
    ivan_client, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await set_user(app, ivan, username="Ivan_P")
    await olga.send("/plan @ivan_p 5 300k")
    assert olga.last_message().text == (
        "✅ Иван Петров — план на ноябрь 2026: 5 выигранных сделок на сумму 300\u202f000 ₽."
    )
    await olga.send(f"/plan {ivan.telegram_id} 6")
    assert await plans(app) == [(ivan.id, NOVEMBER, 6, None, lead.id)]

    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    await admin.send(f"/plan {ivan.telegram_id} 8 1000000")
    assert "8 выигранных сделок на сумму 1\u202f000\u202f000 ₽" in admin.last_message().text
    # An admin may plan a lead's own sales too.
    await admin.send(f"/plan {lead.telegram_id} 2")
    assert sorted(await plans(app))[0][:3] == (lead.id, NOVEMBER, 2)

    for text, answer in [
        ("/plan @ivan_p", "Быстрая форма"),
        ("/plan @nobody 5", "Не нашёл такого сотрудника"),
        ("/plan @ivan_p пять", "Не понял план"),
        (f"/plan {lead.telegram_id} 5", "не менеджер"),  # a lead does not plan themselves
    ]:
        await olga.send(text)
        assert answer in olga.last_message().text, text
    assert len(await plans(app)) == 2
    assert ivan_client.messages() == []  # nobody wrote to Иван


async def test_manager_cannot_set_plans(app: App) -> None:
    _, _, team_id = await make_team(app)
    ivan, _ = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров", team_id=team_id)
    for text in ("/plan", f"/plan {petr.telegram_id} 100"):
        await ivan.send(text)
        assert ivan.last_message().text == (
            "Планы ставит руководитель или администратор. Свой прогресс смотрите в /stats."
        )
    # A forged button is refused the same way.
    message = ivan.last_message()
    data = PlanCb(action=PlanAction.month, user_id=petr.id, month=202611).pack()
    await ivan.press_data(data, message)
    assert ivan.last_alert() == (
        "Планы ставит руководитель или администратор. Свой прогресс смотрите в /stats."
    )
    assert await plans(app) == []


async def test_lead_cannot_plan_for_another_team(app: App) -> None:
    olga, _, _ = await make_team(app)
    _, _, other_team = await make_team(app, "Другая", lead_name="Борис Другой")
    _, stranger = await app.add_user(Role.manager, name="Сергей Чужой", team_id=other_team)
    await olga.send(f"/plan {stranger.telegram_id} 5")
    assert "другой команды" in olga.last_message().text
    await olga.send("/plan")
    assert olga.last_message().text.startswith("В вашей команде пока нет менеджеров")
    # Forged buttons for the stranger: the person step and the month step.
    message = olga.last_message()
    for data in (
        PlanCb(action=PlanAction.user, user_id=stranger.id).pack(),
        PlanCb(action=PlanAction.month, user_id=stranger.id, month=202611).pack(),
    ):
        await olga.press_data(data, message)
        assert "другой команды" in (olga.last_alert() or "")
    assert await plans(app) == []


async def test_month_buttons_of_a_past_month_are_refused(app: App) -> None:
    olga, _, team_id = await make_team(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await olga.send("/plan")
    message = olga.last_message()
    for month in (202610, 202702, 0, 999999):
        data = PlanCb(action=PlanAction.month, user_id=ivan.id, month=month).pack()
        await olga.press_data(data, message)
        assert olga.last_alert() == "Этот шаг уже неактуален. Начните заново: /plan"
    await olga.send("5")  # no form is open
    assert await plans(app) == []


async def test_plan_flow_in_english(app: App) -> None:
    olga, _, team_id = await make_team(app, language="en")
    _, ivan = await app.add_user(Role.manager, name="Ivan Petrov", team_id=team_id)
    await olga.send("/plan")
    await olga.press("Ivan Petrov — no plan")
    await olga.press("November 2026")
    await olga.send("10 1500000")
    assert olga.last_message().text == (
        "✅ Ivan Petrov — plan for November 2026: 10 won deals worth 1\u202f500\u202f000 ₽."
    )
    assert (await plans(app))[0][:3] == (ivan.id, NOVEMBER, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10", (10, None)),
        (" 10   1500000 ", (10, decimal.Decimal("1500000.00"))),
        ("3 1 500 000,50", (3, decimal.Decimal("1500000.50"))),
        ("3 250к", (3, decimal.Decimal("250000.00"))),
        ("3 1.5m", (3, decimal.Decimal("1500000.00"))),
    ],
)
def test_parse_target(text: str, expected: tuple[int, decimal.Decimal | None]) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text", ["", "x", "-1", "0", "10001", "10 0", "10 abc", "10 1e9", "9" * 20]
)
def test_parse_target_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_target(text)
