"""The next step's date from the deal card: chips, the month calendar, typed dates, times;
past dates and times refused, double taps, closed / deleted / foreign deals."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks import DealAction, DealCb
from bot.keyboards.dates import DateAction, DateCb
from models import Deal, DealEvent, EventKind
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage

TODAY = dt.date(2026, 11, 27)  # Friday, 09:00 in Moscow


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _next_events(app: App, deal_id: int) -> list[tuple[str | None, str | None]]:
    rows = await app.all(
        select(DealEvent)
        .where(DealEvent.deal_id == deal_id, DealEvent.kind == EventKind.next_action)
        .order_by(DealEvent.id)
    )
    return [(e.old, e.new) for e in rows]


async def _picker(client, deal_id: int, button: str = "📅 След. шаг") -> SentMessage:
    await client.send(f"/deal {deal_id}")
    card = client.last_message()
    await client.press(button, message=card)
    return card


async def test_chips_save_an_all_day_step_and_the_time_only_when_asked(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _picker(ivan, deal.id)
    assert "Когда следующий шаг?" in card.text and "Сейчас:" not in card.text
    assert card.buttons() == [
        ["Сегодня", "Завтра"],
        ["+3 дня", "След. неделя"],
        ["📅 Календарь", "⏰ Время"],
        ["Не сейчас"],
    ]
    await ivan.press("След. неделя", message=card)  # Friday -> Monday, all day: one tap
    row = await _deal(app, deal.id)
    assert (row.next_action_on, row.next_action_time) == (dt.date(2026, 11, 30), None)
    assert "✅ Следующий шаг: 30.11.2026." in card.text and "Во сколько?" not in card.text
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons()

    await ivan.press("📅 След. шаг", message=card)
    await ivan.press("⏰ Время", message=card)
    assert "Выберите день, затем время." in card.text
    assert card.buttons()[0] == ["⏰ Сегодня", "⏰ Завтра"]
    await ivan.press("⏰ След. неделя", message=card)
    assert "Следующий шаг: 30.11.2026. Во сколько?" in card.text
    assert card.buttons()[-2:] == [["Без времени"], ["« Другая дата"]]
    await ivan.press("14:00", message=card)
    row = await _deal(app, deal.id)
    assert (row.next_action_on, row.next_action_time) == (dt.date(2026, 11, 30), dt.time(14))
    assert row.next_action_at == dt.datetime(2026, 11, 30, 11, 0, tzinfo=dt.UTC)  # Moscow +3
    assert row.version == deal.version + 2
    assert await _next_events(app, deal.id) == [
        (None, "2026-11-30"),
        ("2026-11-30", "2026-11-30 14:00"),
    ]
    assert "✅ Следующий шаг: 30.11.2026 14:00." in card.text


async def test_chips_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme")
    card = await _picker(john, deal.id, "📅 Next step")
    assert "When is the next step?" in card.text
    await john.press("⏰ Time", message=card)
    await john.press("⏰ Tomorrow", message=card)
    assert "Next step: 28 Nov 2026. At what time?" in card.text
    await john.send("9:30")
    row = await _deal(app, deal.id)
    assert (row.next_action_on, row.next_action_time) == (dt.date(2026, 11, 28), dt.time(9, 30))
    assert "✅ Next step: 28 Nov 2026 09:30." in card.text


async def test_picking_the_same_day_keeps_its_time(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(
        app, owner, next_action_on=TODAY + dt.timedelta(days=1), next_action_time=dt.time(16)
    )
    card = await _picker(ivan, deal.id)
    assert "Сейчас: 28.11.2026 16:00." in card.text
    await ivan.press("Завтра", message=card)
    assert (await _deal(app, deal.id)).next_action_time == dt.time(16)
    assert await _next_events(app, deal.id) == []
    await ivan.press("📅 След. шаг", message=card)
    await ivan.press("⏰ Время", message=card)
    await ivan.press("⏰ Завтра", message=card)
    await ivan.press("Без времени", message=card)  # now the time goes
    row = await _deal(app, deal.id)
    assert (row.next_action_time, row.next_action_at) == (None, None)
    assert await _next_events(app, deal.id) == [("2026-11-28 16:00", "2026-11-28")]


async def test_calendar_navigation_and_pick(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _picker(ivan, deal.id)
    text_before = card.text
    await ivan.press("📅 Календарь", message=card)
    rows = card.buttons()
    assert rows[0] == ["·", "Ноябрь 2026", "›"]  # no way back into the past
    assert rows[1] == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    assert "·26·" in rows[6] and "[27]" in rows[6]
    assert rows[-1] == ["« Назад", "Не сейчас"]
    assert card.text == text_before  # only the keyboard changed

    await ivan.press("›", message=card)
    assert card.buttons()[0] == ["‹", "Декабрь 2026", "›"]
    await ivan.press("›", message=card)
    assert card.buttons()[0][1] == "Январь 2027"  # across the year
    await ivan.press("‹", message=card)
    await ivan.press("‹", message=card)
    assert card.buttons()[0][1] == "Ноябрь 2026"

    # A past day, the title and empty cells do nothing, silently.
    requests = len(app.telegram.requests)
    await ivan.press("·26·", message=card)
    await ivan.press("Ноябрь 2026", message=card)
    assert app.telegram.alerts[-1] == (None, False)
    assert len(app.telegram.requests) == requests + 2  # two answers, no edits
    assert (await _deal(app, deal.id)).next_action_on is None

    await ivan.press("›", message=card)
    await ivan.press("15", message=card)
    assert (await _deal(app, deal.id)).next_action_on == dt.date(2026, 12, 15)
    assert "✅ Следующий шаг: 15.12.2026." in card.text  # all day: no time asked
    await ivan.press("📅 След. шаг", message=card)
    assert card.buttons()[0] == ["Сегодня", "Завтра"]
    assert "Сейчас: 15.12.2026." in card.text
    await ivan.press("📅 Календарь", message=card)
    await ivan.press("« Назад", message=card)
    assert card.buttons()[0] == ["Сегодня", "Завтра"]


async def test_calendar_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme")
    card = await _picker(john, deal.id, "📅 Next step")
    await john.press("📅 Calendar", message=card)
    assert card.buttons()[0] == ["·", "November 2026", "›"]
    assert card.buttons()[1][0] == "Mo"
    await john.press("›", message=card)
    await john.press("1", message=card)
    assert (await _deal(app, deal.id)).next_action_on == dt.date(2026, 12, 1)


async def test_typed_dates_and_times(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _picker(ivan, deal.id)
    await ivan.send("когда-нибудь")
    assert ivan.last_message().text.startswith("Не понял дату.")
    await ivan.send("01.01.2020")
    assert ivan.last_message().text == "Эта дата уже прошла. Выберите сегодняшнюю или будущую дату."
    assert (await _deal(app, deal.id)).next_action_on is None
    await ivan.send("3.12")  # all day, saved at once
    assert (await _deal(app, deal.id)).next_action_on == dt.date(2026, 12, 3)
    assert "✅ Следующий шаг: 03.12.2026." in card.text
    await ivan.press("📅 След. шаг", message=card)
    await ivan.send("4.12 25:99")
    assert ivan.last_message().text.startswith("Не понял дату.")
    await ivan.send("4.12 10:30")  # a day with its time in one message
    row = await _deal(app, deal.id)
    assert (row.next_action_on, row.next_action_time) == (dt.date(2026, 12, 4), dt.time(10, 30))
    assert "✅ Следующий шаг: 04.12.2026 10:30." in card.text
    await ivan.press("📅 След. шаг", message=card)
    await ivan.send("3.12")
    # The picker is closed: a date-like text is not taken as a date any more.
    await ivan.send("5.12")
    assert (await _deal(app, deal.id)).next_action_on == dt.date(2026, 12, 3)


async def test_past_times_today_and_forged_past_dates_are_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    app.clock.set(dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC))  # 12:30 in Moscow
    card = await _picker(ivan, deal.id)
    await ivan.press("⏰ Время", message=card)
    await ivan.press("⏰ Сегодня", message=card)
    await ivan.press("10:00", message=card)
    assert app.telegram.alerts[-1] == (
        "Это время сегодня уже прошло. Выберите более позднее.",
        True,
    )
    assert (await _deal(app, deal.id)).next_action_time is None
    await ivan.send("12:00")
    assert ivan.last_message().text == "Это время сегодня уже прошло. Выберите более позднее."
    await ivan.press("15:00", message=card)
    assert (await _deal(app, deal.id)).next_action_time == dt.time(15)

    events = await _next_events(app, deal.id)
    for forged in (
        DateCb(action=DateAction.pick, ctx=deal.id, d=20261126),
        DateCb(action=DateAction.time, ctx=deal.id, d=20261120, t=1000),
        DateCb(action=DateAction.no_time, ctx=deal.id, d=20250101),
    ):
        await ivan.press_data(forged.pack(), card)
        assert app.telegram.alerts[-1] == (
            "Эта дата уже прошла. Выберите сегодняшнюю или будущую дату.",
            True,
        )
    for impossible in (
        DateCb(action=DateAction.pick, ctx=deal.id, d=20261399),
        DateCb(action=DateAction.time, ctx=deal.id, d=20261130, t=2575),
        DateCb(action=DateAction.month, ctx=deal.id, d=20261501),
    ):
        await ivan.press_data(impossible.pack(), card)
        assert app.telegram.alerts[-1] == (
            "Не получилось разобрать ввод. Попробуйте ещё раз.",
            True,
        )
    assert await _next_events(app, deal.id) == events
    assert (await _deal(app, deal.id)).next_action_on == TODAY


async def test_double_tap_on_a_chip_records_one_event(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _picker(ivan, deal.id)
    await ivan.press("⏰ Время", message=card)
    button, _ = ivan.find_button("⏰ +3 дня", card)
    await ivan.press_data(button.callback_data, card)
    await ivan.press_data(button.callback_data, card)
    assert await _next_events(app, deal.id) == [(None, "2026-11-30")]
    time_button, _ = ivan.find_button("11:00", card)
    await ivan.press_data(time_button.callback_data, card)
    await ivan.press_data(time_button.callback_data, card)
    assert len(await _next_events(app, deal.id)) == 2


async def test_not_now_leaves_the_date_alone(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _picker(ivan, deal.id)
    await ivan.press("Не сейчас", message=card)
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons()
    assert "⚠️ не назначен" in card.text
    await ivan.send("30.11")
    assert (await _deal(app, deal.id)).next_action_on is None
    assert await _next_events(app, deal.id) == []


async def test_closed_deleted_and_foreign_deals(app: App, caplog) -> None:
    ivan, owner = await app.add_user(Role.manager)
    won = await make_deal(app, owner, stage_code="won")
    await ivan.send(f"/deal {won.id}")
    await ivan.press("📅 След. шаг")
    assert (app.telegram.alerts[-1][0] or "").startswith("Сделка закрыта или приостановлена")
    await ivan.press_data(
        DateCb(action=DateAction.pick, ctx=won.id, d=20261130).pack(), ivan.last_message()
    )
    assert (app.telegram.alerts[-1][0] or "").startswith("Сделка закрыта или приостановлена")
    assert (await _deal(app, won.id)).next_action_on is None

    deal = await make_deal(app, owner)
    card = await _picker(ivan, deal.id)
    petr, _ = await app.add_user(Role.manager, name="Пётр Сидоров")
    await petr.send("/deal abc")
    with caplog.at_level("WARNING"):
        await petr.press_data(
            DateCb(action=DateAction.pick, ctx=deal.id, d=20261130).pack(), petr.last_message()
        )
        await petr.press_data(
            DealCb(action=DealAction.next_date, deal_id=deal.id).pack(), petr.last_message()
        )
    assert app.telegram.alerts[-2:] == [("Нет доступа к этой сделке.", True)] * 2
    assert any("access denied" in r.getMessage() for r in caplog.records)
    assert (await _deal(app, deal.id)).next_action_on is None

    async with app.session_factory() as session, session.begin():
        (await session.get_one(Deal, deal.id)).deleted_at = app.clock()
    await ivan.press("Завтра", message=card)
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)
    await ivan.send("30.11")  # the typed date of the open picker
    assert ivan.last_message().text == "Этой сделки больше нет."
    assert await _next_events(app, deal.id) == []


async def test_stale_next_date_button(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    old_card = ivan.last_message()
    await ivan.send(f"/note {deal.id} изменение")
    await ivan.press("📅 След. шаг", message=old_card)
    assert (app.telegram.alerts[-1][0] or "").startswith("Сделка изменилась")
    assert "Когда следующий шаг?" not in old_card.text and "01 · 27.11" in old_card.text
