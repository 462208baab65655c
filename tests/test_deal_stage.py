"""Stage moves from the deal card: the picker, reasons for lost / paused, the won amount,
events, reopening, the next-step question; no-ops, double taps, stale and forged buttons."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import select

from bot.callbacks import DealAction, DealCb
from bot.callbacks.work import StageAct, StageCb
from models import Deal, DealEvent, EventKind, Stage, StageKind
from models.roles import Role
from models.services.stage_moves import parse_amount
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage

TODAY = dt.date(2026, 11, 27)

RU_PICKER = [
    ["✅ 1. Найти все контакты и соцсети"],
    ["2. Собрать требования"],
    ["3. Направить портфолио"],
    ["4. Направить КП"],
    ["5. Презентацию проводим"],
    ["6. Возражения обрабатываем"],
    ["7. Сделку закрываем, договор обсуждаем"],
    ["8. 🏆 Выиграли"],
    ["9. ⏸ Приостановлен"],
    ["10. 🚫 Проиграли"],
    ["« Назад"],
]


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _stage(app: App, code: str) -> Stage:
    stage = await app.scalar(select(Stage).where(Stage.code == code))
    assert stage is not None
    return stage


async def _events(app: App, deal_id: int, *kinds: EventKind) -> list[tuple]:
    rows = await app.all(
        select(DealEvent).where(DealEvent.deal_id == deal_id, DealEvent.kind.in_(kinds))
    )
    return [(e.kind, e.field, e.old, e.new) for e in sorted(rows, key=lambda e: e.id)]


async def _card_with_picker(client, deal_id: int) -> SentMessage:
    await client.send(f"/deal {deal_id}")
    card = client.last_message()
    await client.press("🔀 Этап", message=card)
    return card


async def test_stage_change_records_an_event_and_asks_for_next_step(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    card = await _card_with_picker(ivan, deal.id)
    assert card.text.startswith("🔀 Выберите этап. Сейчас: Найти все контакты и соцсети.")
    assert card.buttons() == RU_PICKER

    await ivan.press("2. Собрать требования", message=card)
    row = await _deal(app, deal.id)
    assert row.stage_id == (await _stage(app, "requirements")).id
    assert row.status is StageKind.open and row.version == deal.version + 1
    assert await _events(app, deal.id, EventKind.stage) == [
        (EventKind.stage, None, "contacts", "requirements")
    ]
    assert "✅ Этап: Найти все контакты и соцсети → Собрать требования." in card.text
    assert "Этап: Собрать требования" in card.text
    assert "Когда следующий шаг?" in card.text and card.buttons()[0] == ["Сегодня", "Завтра"]
    # The next step is kept if the user says "not now".
    await ivan.press("Не сейчас", message=card)
    assert (await _deal(app, deal.id)).next_action_on == TODAY
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons()


async def test_stage_picker_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme", amount="5000", currency="USD")
    await john.send(f"/deal {deal.id}")
    card = john.last_message()
    await john.press("🔀 Stage", message=card)
    assert card.text.startswith("🔀 Choose the stage. Now: Find all contacts and socials.")
    assert card.buttons()[7] == ["8. 🏆 Won"]
    await john.press("4. Send commercial proposal", message=card)
    assert "✅ Stage: Find all contacts and socials → Send commercial proposal." in card.text
    await john.press("Not now", message=card)
    await john.press("🔀 Stage", message=card)
    await john.press("10. 🚫 Lost", message=card)
    assert "Why was the deal lost?" in card.text
    await john.press("Chose a competitor", message=card)
    assert (await _deal(app, deal.id)).reason == "Chose a competitor"
    assert "Reason: Chose a competitor" in card.text
    await john.press("🔀 Stage", message=card)
    await john.press("8. 🏆 Won", message=card)
    assert "The deal is won! Amount: 5\u202f000 $. Is that right?" in card.text
    await john.press("✅ Confirm", message=card)
    assert (await _deal(app, deal.id)).status is StageKind.won


async def test_lost_with_a_listed_reason_closes_the_deal(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(
        app, owner, next_action_on=TODAY + dt.timedelta(days=2), next_action_time=dt.time(15)
    )
    card = await _card_with_picker(ivan, deal.id)
    await ivan.press("10. 🚫 Проиграли", message=card)
    assert "Почему сделка проиграна?" in card.text
    assert card.buttons() == [
        ["Дорого"],
        ["Выбрали конкурента"],
        ["Нет потребности"],
        ["Не выходит на связь"],
        ["Не подошли сроки"],
        ["✏️ Другое…"],
        ["« Назад"],
    ]
    assert (await _deal(app, deal.id)).status is StageKind.open  # nothing applied yet
    await ivan.press("Дорого", message=card)
    row = await _deal(app, deal.id)
    assert (row.status, row.reason, row.closed_at) == (
        StageKind.lost,
        "Дорого",
        app.clock(),
    )
    # Only open deals have a next step: the date goes (the event keeps it for history).
    assert (row.next_action_on, row.next_action_time, row.next_action_at) == (None, None, None)
    assert await _events(app, deal.id, EventKind.stage, EventKind.field, EventKind.next_action) == [
        (EventKind.stage, None, "contacts", "lost"),
        (EventKind.field, "reason", None, "Дорого"),
        (EventKind.next_action, None, "2026-11-29 15:00", None),
    ]
    assert "✅ Этап: Найти все контакты и соцсети → 🚫 Проиграли." in card.text
    assert "Причина: Дорого" in card.text and "следующий шаг?" not in card.text
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons()


async def test_lost_with_another_reason_typed(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card_with_picker(ivan, deal.id)
    await ivan.press("10. 🚫 Проиграли", message=card)
    await ivan.press("✏️ Другое…", message=card)
    assert "Напишите причину (до 500 символов)." in card.text
    assert card.buttons() == [["« Назад"]]
    await ivan.send("x" * 501)
    assert ivan.last_message().text == "Слишком длинно: 501 символ, можно не больше 500."
    await ivan.send("   ")
    assert ivan.last_message().text == "Укажите причину."
    assert (await _deal(app, deal.id)).status is StageKind.open
    await ivan.send("Ушли к <b>фрилансеру</b>")
    row = await _deal(app, deal.id)
    assert (row.status, row.reason) == (StageKind.lost, "Ушли к <b>фрилансеру</b>")
    assert "Причина: Ушли к &lt;b&gt;фрилансеру&lt;/b&gt;" in card.html
    # The flow is over: the next text is no reason.
    await ivan.send("что-то ещё")
    assert (await _deal(app, deal.id)).reason == "Ушли к <b>фрилансеру</b>"


async def test_back_buttons_of_the_reason_steps(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card_with_picker(ivan, deal.id)
    await ivan.press("9. ⏸ Приостановлен", message=card)
    await ivan.press("✏️ Другое…", message=card)
    await ivan.press("« Назад", message=card)  # to the listed reasons
    assert "Почему сделка приостановлена?" in card.text
    await ivan.press("« Назад", message=card)  # to the stages
    assert card.buttons() == RU_PICKER
    await ivan.press("« Назад", message=card)  # to the card
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons()
    await ivan.send("не причина")
    assert (await _deal(app, deal.id)).status is StageKind.open


async def test_paused_then_reopened(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    card = await _card_with_picker(ivan, deal.id)
    await ivan.press("9. ⏸ Приостановлен", message=card)
    assert card.buttons()[:3] == [
        ["Клиент занят"],
        ["Бюджет появится позже"],
        ["Ждём решения клиента"],
    ]
    await ivan.press("Бюджет появится позже", message=card)
    row = await _deal(app, deal.id)
    assert (row.status, row.reason, row.closed_at, row.next_action_on) == (
        StageKind.paused,
        "Бюджет появится позже",
        None,
        None,
    )
    assert "Причина: Бюджет появится позже" in card.text
    assert "До какого числа пауза?" in card.text  # handlers/pauses.py; tests/test_pauses.py
    await ivan.press("Без даты", message=card)
    # A paused deal has no next step to set.
    await ivan.press("📅 След. шаг", message=card)
    assert (app.telegram.alerts[-1][0] or "").startswith("Сделка закрыта или приостановлена")
    # Back to work: the reason goes, the next step is asked.
    await ivan.press("🔀 Этап", message=card)
    await ivan.press("5. Презентацию проводим", message=card)
    row = await _deal(app, deal.id)
    assert (row.status, row.reason) == (StageKind.open, None)
    assert "Когда следующий шаг?" in card.text and "Причина" not in card.text
    await ivan.press("+3 дня", message=card)
    assert (await _deal(app, deal.id)).next_action_on == TODAY + dt.timedelta(days=3)


async def test_won_confirms_the_amount(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, amount="150000", currency="RUB", next_action_on=TODAY)
    card = await _card_with_picker(ivan, deal.id)
    await ivan.press("8. 🏆 Выиграли", message=card)
    assert "🏆 Сделка выиграна! Сумма: 150\u202f000 ₽. Верно?" in card.text
    assert card.buttons() == [["✅ Подтвердить", "✏️ Изменить сумму"], ["« Назад"]]
    assert (await _deal(app, deal.id)).status is StageKind.open
    await ivan.press("✅ Подтвердить", message=card)
    row = await _deal(app, deal.id)
    assert (row.status, row.amount, row.next_action_on) == (
        StageKind.won,
        decimal.Decimal("150000.00"),
        None,
    )
    assert row.closed_at == app.clock()
    assert "✅ Этап: Найти все контакты и соцсети → 🏆 Выиграли." in card.text
    # Reopening clears closed_at.
    await ivan.press("🔀 Этап", message=card)
    await ivan.press("7. Сделку закрываем, договор обсуждаем", message=card)
    row = await _deal(app, deal.id)
    assert (row.status, row.closed_at) == (StageKind.open, None)


async def test_won_with_a_changed_amount(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card_with_picker(ivan, deal.id)
    await ivan.press("8. 🏆 Выиграли", message=card)
    assert "Сумма не указана" in card.text
    await ivan.press("✏️ Изменить сумму", message=card)
    assert "Напишите сумму сделки" in card.text
    await ivan.send("сто тысяч")
    assert ivan.last_message().text.startswith("Не понял сумму.")
    await ivan.send("9 999 999 999 999")
    assert ivan.last_message().text == "Сумма должна быть от 0 до 999 999 999 999."
    assert (await _deal(app, deal.id)).status is StageKind.open
    await ivan.send("250 000,50")
    row = await _deal(app, deal.id)
    assert (row.status, row.amount) == (StageKind.won, decimal.Decimal("250000.50"))
    assert await _events(app, deal.id, EventKind.field, EventKind.stage) == [
        (EventKind.field, "amount", None, "250000.50"),
        (EventKind.stage, None, "contacts", "won"),
    ]
    assert "Сумма: 250\u202f000.50" in card.text


def test_amounts_people_type() -> None:
    assert parse_amount("150000") == decimal.Decimal("150000")
    assert parse_amount("150 000,50 ₽") == decimal.Decimal("150000.50")
    assert parse_amount("150к") == decimal.Decimal("150000")
    assert parse_amount("1,5 млн") == decimal.Decimal("1500000")
    assert parse_amount("2000 руб.") == decimal.Decimal("2000")
    for bad in ("", "abc", "1.2.3", "-5", "12,345,678"):
        assert parse_amount(bad) is None, bad


async def test_same_stage_and_double_tap_change_nothing_twice(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card_with_picker(ivan, deal.id)
    await ivan.press("✅ 1. Найти все контакты и соцсети", message=card)
    assert app.telegram.alerts[-1] == ("Сделка уже на этом этапе.", False)
    assert await _events(app, deal.id, EventKind.stage) == []
    assert (await _deal(app, deal.id)).version == deal.version

    button, _ = ivan.find_button("3. Направить портфолио", card)
    await ivan.press_data(button.callback_data, card)
    after_first = card.html
    await ivan.press_data(button.callback_data, card)  # the second tap of a double tap
    assert app.telegram.alerts[-1] == ("Сделка уже на этом этапе.", False)
    assert card.html == after_first  # the next-step question stays
    assert len(await _events(app, deal.id, EventKind.stage)) == 1
    assert (await _deal(app, deal.id)).version == deal.version + 1


async def test_stale_stage_buttons_show_the_current_card(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    old_card = ivan.last_message()
    picker = await _card_with_picker(ivan, deal.id)
    await ivan.send(f"/note {deal.id} тем временем")  # the deal changes elsewhere
    await ivan.press("4. Направить КП", message=picker)
    assert (app.telegram.alerts[-1][0] or "").startswith("Сделка изменилась")
    assert await _events(app, deal.id, EventKind.stage) == []
    assert "01 · 27.11 — тем временем" in picker.text and ["📝 Заметка", "🔀 Этап"] in (
        picker.buttons()
    )
    await ivan.press("🔀 Этап", message=old_card)
    assert (app.telegram.alerts[-1][0] or "").startswith("Сделка изменилась")
    assert "01 · 27.11 — тем временем" in old_card.text and "Выберите этап" not in old_card.text


async def test_forged_and_foreign_stage_buttons(app: App, caplog) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    lost = await _stage(app, "lost")
    petr, _ = await app.add_user(Role.manager, name="Пётр Сидоров")
    await petr.send("/deal abc")
    anywhere = petr.last_message()
    forged = StageCb(act=StageAct.reason, deal_id=deal.id, stage_id=lost.id, v=deal.version)
    with caplog.at_level("WARNING"):
        await petr.press_data(forged.pack(), anywhere)
        await petr.press_data(DealCb(action=DealAction.stage, deal_id=deal.id).pack(), anywhere)
    assert app.telegram.alerts[-2:] == [("Нет доступа к этой сделке.", True)] * 2
    assert sum("access denied" in r.getMessage() for r in caplog.records) == 2
    assert (await _deal(app, deal.id)).status is StageKind.open

    card = await _card_with_picker(ivan, deal.id)
    # A reason index outside the list, a stage that is archived: nothing applied.
    await ivan.press_data(
        StageCb(act=StageAct.reason, deal_id=deal.id, stage_id=lost.id, v=deal.version, r=9).pack(),
        card,
    )
    async with app.session_factory() as session, session.begin():
        (await session.get_one(Stage, lost.id)).is_archived = True
    await ivan.press_data(forged.pack(), card)
    assert app.telegram.alerts[-1] == (
        "Этого этапа больше нет. Откройте список этапов заново.",
        True,
    )
    assert await _events(app, deal.id, EventKind.stage) == []


async def test_stage_of_a_deleted_deal(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card_with_picker(ivan, deal.id)
    async with app.session_factory() as session, session.begin():
        (await session.get_one(Deal, deal.id)).deleted_at = app.clock()
    await ivan.press("4. Направить КП", message=card)
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)
    assert await _events(app, deal.id, EventKind.stage) == []


async def test_lead_moves_a_team_deal(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    async with app.session_factory() as session, session.begin():
        team_id = await app.crm(session).accounts._ensure_team_of(
            await session.get_one(type(lead_user), lead_user.id)
        )
    _, owner = await app.add_user(Role.manager, team_id=team_id)
    deal = await make_deal(app, owner)
    card = await _card_with_picker(lead, deal.id)
    await lead.press("2. Собрать требования", message=card)
    [event] = await app.all(select(DealEvent).where(DealEvent.kind == EventKind.stage))
    assert event.actor_id == lead_user.id
