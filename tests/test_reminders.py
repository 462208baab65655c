"""Timed reminders, moved dates, stale moments, snooze buttons, the afternoon follow-up and
the lead's escalation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks.digest import SnoozeAction, SnoozeCb
from models import Deal, DealEvent, EventKind, SentNotification, Team
from models.roles import Role
from models.users import User
from tests.client import ChatClient
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, set_user, utc

FRIDAY = START.date()  # 2026-11-27, 09:00 in Moscow at START


async def _move(app: App, deal: Deal, day: dt.date, at: dt.time | None) -> None:
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        fresh = await session.get(Deal, deal.id)
        owner = await crm.accounts.get(deal.owner_id)
        assert fresh is not None
        crm.deals.apply_next_action(fresh, day, at, owner)
        crm.deals.touch(fresh)


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


# -- timed reminders --------------------------------------------------------------------------
async def test_timed_reminder_within_the_minute_once(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    deal = await make_deal(
        app, user, "Созвон", next_action_on=FRIDAY + dt.timedelta(1), next_action_time=dt.time(15)
    )
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 59))  # 14:59 Saturday in Moscow
    assert chat(app, user) == []
    sent = await scan_at(app, ctx, utc(2026, 11, 28, 12, 0))  # works on a weekend too
    assert sent["reminders"] == 1
    [reminder] = chat(app, user)
    assert "Напоминание · 15:00" in reminder.text and f"#{deal.id}" in reminder.text
    assert reminder.buttons() == [["📂 Открыть", "✅ Готово"], ["⏰ Отложить", "🔀 Этап"]]
    await scan_at(app, ctx, utc(2026, 11, 28, 12, 1))
    assert len(chat(app, user)) == 1
    key = f"remind:{deal.id}:2026-11-28T12:00:00+00:00"
    assert await app.count(SentNotification, SentNotification.key == key) == 1


async def test_moved_time_is_reminded_at_the_new_time_only(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    deal = await make_deal(app, user, next_action_on=FRIDAY, next_action_time=dt.time(15))
    await _move(app, deal, FRIDAY, dt.time(16))
    await scan_at(app, ctx, utc(2026, 11, 27, 12, 0))  # the old 15:00
    await scan_at(app, ctx, utc(2026, 11, 27, 12, 30))
    reminders = [m for m in chat(app, user) if "Напоминание" in m.text]
    assert reminders == []
    await scan_at(app, ctx, utc(2026, 11, 27, 13, 0))  # the new 16:00
    reminders = [m for m in chat(app, user) if "Напоминание" in m.text]
    assert len(reminders) == 1 and "16:00" in reminders[0].text
    # Moved again after the reminder: a new moment, a new reminder.
    await _move(app, deal, FRIDAY, dt.time(17, 30))
    await scan_at(app, ctx, utc(2026, 11, 27, 14, 30))
    reminders = [m for m in chat(app, user) if "Напоминание" in m.text]
    assert len(reminders) == 2 and "17:30" in reminders[1].text


async def test_stale_reminder_after_long_downtime_is_dropped(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    stale = await make_deal(
        app, user, "Давний", next_action_on=FRIDAY, next_action_time=dt.time(10)
    )
    late = await make_deal(
        app, user, "Недавний", next_action_on=FRIDAY, next_action_time=dt.time(11)
    )
    await set_user(app, user, digest_time=dt.time(23, 0))
    # Down from 09:30 to 12:30: 10:00 is 2.5 hours ago (stale), 11:00 only 1.5 hours.
    await scan_at(app, ctx, utc(2026, 11, 27, 9, 30))
    [reminder] = chat(app, user)
    assert f"#{late.id}" in reminder.text and "11:00" in reminder.text
    keys = await app.all(select(SentNotification.key))
    assert keys == [f"remind:{late.id}:2026-11-27T08:00:00+00:00"]
    assert stale.id != late.id


async def test_reminders_skip_closed_and_unreachable(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    _, blocked = await app.add_user(Role.manager, name="Заблокировал Бота")
    await set_user(app, blocked, is_reachable=False)
    await make_deal(
        app, user, next_action_on=FRIDAY, next_action_time=dt.time(10), stage_code="won"
    )
    await make_deal(app, blocked, next_action_on=FRIDAY, next_action_time=dt.time(10))
    await set_user(app, user, digest_time=dt.time(23, 0))
    await scan_at(app, ctx, utc(2026, 11, 27, 7, 0))
    assert chat(app, user) == [] and chat(app, blocked) == []


# -- snooze -----------------------------------------------------------------------------------
async def test_snooze_an_hour_from_the_digest_then_reminded(app: App) -> None:
    ctx, _ = make_context(app)
    client, user = await app.add_user(Role.manager)
    deal = await make_deal(app, user, "Ромашка", next_action_on=FRIDAY - dt.timedelta(2))
    await scan_at(app, ctx, START)
    [digest] = chat(app, user)
    await client.press("»", message=digest)  # the row's other choices, in place
    assert digest.buttons()[0] == ["1: +1д", "+3д", "нед.", "⏰", "🔀", "‹"]
    await client.press("⏰", message=digest)
    menu = client.last_message()
    assert f"#{deal.id}" in menu.text and "Сейчас: 25.11.2026" in menu.text
    assert menu.buttons() == [["+1 час", "На 30.11"], ["📅 Выбрать дату"], ["✖ Отмена"]]
    pick = menu.button_data(1, 0)
    assert pick == f"d:4:{deal.id}:{deal.version}"  # the next-date flow of the deal card

    app.clock.set(START + dt.timedelta(minutes=2))  # 09:02 -> 10:02 -> rounded to 10:05
    await client.press("+1 час", message=menu)
    assert client.last_alert() == "Перенесено на 27.11.2026 10:05"
    assert "Следующий шаг: 27.11.2026 10:05" in client.last_message().text
    moved = await _deal(app, deal.id)
    assert (moved.next_action_on, moved.next_action_time) == (FRIDAY, dt.time(10, 5))
    assert moved.next_action_at == utc(2026, 11, 27, 7, 5)
    assert moved.version == deal.version + 1
    event = await app.scalar(
        select(DealEvent).where(
            DealEvent.deal_id == deal.id, DealEvent.kind == EventKind.next_action
        )
    )
    assert event is not None
    assert (event.old, event.new, event.actor_id) == ("2026-11-25", "2026-11-27 10:05", user.id)

    await scan_at(app, ctx, utc(2026, 11, 27, 7, 5))
    assert "Напоминание · 10:05" in client.last_message().text
    # The digest's Snooze was drawn for the older version: it still opens the menu with the
    # deal as it is now, and the digest list stays as it was.
    await client.press("⏰", message=digest)
    assert "Сейчас: 27.11.2026 10:05" in client.last_message().text
    assert client.telegram.messages[(digest.chat_id, digest.message_id)].edits == 1  # "»"


async def test_snooze_to_the_next_work_day_and_cancel(app: App) -> None:
    client, user = await app.add_user(Role.manager)
    deal = await make_deal(app, user, next_action_on=FRIDAY, next_action_time=dt.time(15))
    menu_data = SnoozeCb(action=SnoozeAction.menu, deal_id=deal.id, v=deal.version).pack()
    await client.send("/start")
    await client.press_data(menu_data, client.last_message())
    await client.press("✖ Отмена")
    assert client.last_message().text == "Оставили как было."
    assert (await _deal(app, deal.id)).version == deal.version

    await client.press_data(menu_data, client.last_message())
    await client.press("На 30.11")  # Friday: the next work day is Monday
    moved = await _deal(app, deal.id)
    assert (moved.next_action_on, moved.next_action_time) == (dt.date(2026, 11, 30), dt.time(15))
    # On Thursday with default work days "tomorrow" means Friday.
    app.clock.set(START - dt.timedelta(days=1))
    await client.press_data(
        SnoozeCb(action=SnoozeAction.menu, deal_id=deal.id, v=moved.version).pack(),
        client.last_message(),
    )
    assert client.last_message().buttons()[0] == ["+1 час", "Завтра"]


async def test_snooze_stale_double_tap_closed_and_foreign_deals(app: App) -> None:
    client, user = await app.add_user(Role.manager)
    _, other = await app.add_user(Role.manager, name="Чужой Менеджер")
    deal = await make_deal(app, user, next_action_on=FRIDAY)
    await client.send("/start")
    await client.press_data(
        SnoozeCb(action=SnoozeAction.menu, deal_id=deal.id, v=deal.version).pack(),
        client.last_message(),
    )
    menu = client.last_message()
    await client.press("+1 час", message=menu)
    await client.press_data(
        SnoozeCb(action=SnoozeAction.hour, deal_id=deal.id, v=deal.version).pack(), menu
    )  # the same tap again: stale, shows the current card, applies nothing
    assert client.last_alert() == "Сделка изменилась, пока вы смотрели. Вот актуальная карточка."
    assert (await _deal(app, deal.id)).version == deal.version + 1

    won = await make_deal(app, user, next_action_on=FRIDAY, stage_code="won")
    await client.press_data(
        SnoozeCb(action=SnoozeAction.hour, deal_id=won.id, v=won.version).pack(), menu
    )
    assert client.last_alert() == "Сделка закрыта или приостановлена: откладывать нечего."
    foreign = await make_deal(app, other, next_action_on=FRIDAY)
    await client.press_data(
        SnoozeCb(action=SnoozeAction.menu, deal_id=foreign.id, v=0).pack(), menu
    )
    assert client.last_alert() == "Нет доступа к этой сделке."
    assert (await _deal(app, foreign.id)).version == foreign.version


# -- follow-up and escalation -----------------------------------------------------------------
async def test_followup_at_two_pm_when_overdue_deals_remain(app: App) -> None:
    ctx, _ = make_context(app)
    _, late = await app.add_user(Role.manager, name="Опоздун Иван")
    _, tidy = await app.add_user(Role.manager, name="Аккуратная Ольга")
    overdue = await make_deal(app, late, "Просроченная", next_action_on=FRIDAY - dt.timedelta(1))
    await make_deal(app, late, "Сегодняшняя", next_action_on=FRIDAY)
    await make_deal(app, tidy, next_action_on=FRIDAY)
    await scan_at(app, ctx, utc(2026, 11, 27, 10, 59))  # 13:59
    assert [m for m in chat(app, late) if "Остал" in m.text] == []
    await scan_at(app, ctx, utc(2026, 11, 27, 11, 0))  # 14:00
    followups = [m for m in chat(app, late) if "Остал" in m.text]
    assert len(followups) == 1
    assert "Осталась 1 просроченная сделка" in followups[0].text
    assert f"#{overdue.id}" in followups[0].text and "Сегодняшняя" not in followups[0].text
    assert followups[0].buttons()[0][1:] == ["☎ → завтра", "✓", "»"]
    assert [m for m in chat(app, tidy) if "Остал" in m.text] == []
    await scan_at(app, ctx, utc(2026, 11, 27, 11, 1))
    assert len([m for m in chat(app, late) if "Остал" in m.text]) == 1
    # Saturday is not a work day.
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 0))
    assert len([m for m in chat(app, late) if "Остал" in m.text]) == 1


async def _team(app: App) -> tuple[ChatClient, User, User]:
    lead_client, lead = await app.add_user(Role.lead, name="Руководитель Анна")
    async with app.session_factory() as session, session.begin():
        team = Team(name="Продажи", lead_id=lead.id, created_at=START)
        session.add(team)
        await session.flush()
        team_id = team.id
    await set_user(app, lead, team_id=team_id)
    _, manager = await app.add_user(Role.manager, name="Менеджер Пётр", team_id=team_id)
    return lead_client, lead, manager


async def test_escalation_to_the_lead_once_per_overdue_date(app: App) -> None:
    ctx, _ = make_context(app)
    lead_client, lead, manager = await _team(app)
    _, outsider = await app.add_user(Role.manager, name="Другая Команда")
    four = await make_deal(app, manager, "Четыре дня", next_action_on=FRIDAY - dt.timedelta(4))
    three = await make_deal(app, manager, "Три дня", next_action_on=FRIDAY - dt.timedelta(3))
    await make_deal(app, lead, "Своя", next_action_on=FRIDAY - dt.timedelta(10))
    await make_deal(app, outsider, "Чужая", next_action_on=FRIDAY - dt.timedelta(10))

    await scan_at(app, ctx, utc(2026, 11, 27, 11, 0))  # the lead's 14:00
    [alert] = [m for m in chat(app, lead) if "🚨" in m.text]
    assert "больше 3 дней: 1 сделка" in alert.text and f"#{four.id}" in alert.text
    assert "Менеджер Пётр" in alert.text and "(4 дня)" in alert.text
    for absent in ("Три дня", "Своя", "Чужая"):
        assert absent not in alert.text
    await lead_client.press(alert.buttons()[0][0], message=alert)  # a lead may open it
    assert f"#{four.id} · " in lead_client.last_message().text

    # Monday: "four" is still overdue for the same date (reported already), "three" now is.
    await scan_at(app, ctx, utc(2026, 11, 30, 11, 0))
    alerts = [m for m in chat(app, lead) if "🚨" in m.text]
    assert len(alerts) == 2
    assert f"#{three.id}" in alerts[1].text and f"#{four.id}" not in alerts[1].text
    await scan_at(app, ctx, utc(2026, 12, 1, 11, 0))
    assert len([m for m in chat(app, lead) if "🚨" in m.text]) == 2
    assert (
        await app.count(SentNotification, SentNotification.key == f"escalate:{four.id}:2026-11-23")
        == 1
    )

    # Moved and overdue again: a new overdue date is reported again.
    await _move(app, four, dt.date(2026, 11, 26), None)
    await scan_at(app, ctx, utc(2026, 12, 2, 11, 0))
    alerts = [m for m in chat(app, lead) if "🚨" in m.text]
    assert len(alerts) == 3 and f"#{four.id}" in alerts[2].text
