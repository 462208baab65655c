"""Pausing asks "until when?"; a past or today's date is refused; the paused deal keeps its
return date and comes back into Today on that day (its stage before the pause, a notice to
the owner, once, across a restart too)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks.pauses import PauseAct, PauseCb
from models import Deal, DealEvent, EventKind, Stage, StageKind
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import START, App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage
from tests.reminders_support import chat, make_context, scan_at, utc
from tests.stats_support import add_plan, make_team
from tests.test_summaries import photos_to

TODAY = START.date()  # Friday 27.11.2026


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _pause(client: ChatClient, deal_id: int) -> SentMessage:
    """Move the deal to stage 3, then pause it (reason: the budget comes later)."""
    await client.send(f"/deal {deal_id}")
    card = client.last_message()
    await client.press("🔀 Этап", message=card)
    await client.press("3. Направить портфолио", message=card)
    await client.press("Не сейчас", message=card)
    await client.press("🔀 Этап", message=card)
    await client.press("9. ⏸ Приостановлен", message=card)
    await client.press("Бюджет появится позже", message=card)
    return card


async def test_pause_until_a_chip_then_back_into_today_on_that_day(app: App) -> None:
    ctx, _ = make_context(app)
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", next_action_on=TODAY)
    card = await _pause(ivan, deal.id)
    assert "До какого числа пауза?" in card.text
    assert card.buttons() == [["1 неделя", "2 недели", "1 месяц"], ["📅 Календарь", "Без даты"]]
    await ivan.press("1 неделя", message=card)
    back_on = TODAY + dt.timedelta(days=7)
    row = await _deal(app, deal.id)
    assert (row.status, row.next_action_on) == (StageKind.paused, back_on)
    assert "⏸ Пауза до 04.12.2026" in card.text
    # Not due meanwhile: no Today, no digest, no overdue.
    await ivan.send("/today")
    assert "Нет сделок на сегодня" in ivan.last_message().text

    await ivan.send("/stats")
    assert f"⏸ На паузе: 1 сделка, дольше всех #{deal.id}: 0 дней" in ivan.last_message().text
    # The day before: still paused, and counted.
    await scan_at(app, ctx, utc(2026, 12, 3, 6, 0))
    assert (await _deal(app, deal.id)).status is StageKind.paused
    await ivan.send("/stats")
    assert f"⏸ На паузе: 1 сделка, дольше всех #{deal.id}: 6 дней" in ivan.last_message().text
    # On the day, 09:00 in Moscow: back at stage 3, due today, told once, in the digest too.
    await scan_at(app, ctx, utc(2026, 12, 4, 6, 0))
    row = await _deal(app, deal.id)
    stage = await app.scalar(select(Stage).where(Stage.id == row.stage_id))
    assert (row.status, row.next_action_on, row.reason) == (StageKind.open, back_on, None)
    assert stage is not None and stage.code == "portfolio"
    notices = [m for m in chat(app, owner) if "Пауза закончилась" in m.text]
    assert len(notices) == 1 and f"#{deal.id}" in notices[0].text
    digests = [m for m in chat(app, owner) if "План на 04.12.2026" in m.text]
    assert len(digests) == 1 and f"#{deal.id}" in digests[0].text
    events = await app.all(
        select(DealEvent).where(DealEvent.deal_id == deal.id, DealEvent.kind == EventKind.stage)
    )
    assert (events[-1].actor_id, events[-1].new) == (None, "portfolio")
    # Later scans, and a restarted scheduler: nothing twice.
    await scan_at(app, ctx, utc(2026, 12, 4, 6, 5))
    restarted, _ = make_context(app)
    await scan_at(app, restarted, utc(2026, 12, 4, 7, 0))
    assert len([m for m in chat(app, owner) if "Пауза закончилась" in m.text]) == 1
    await ivan.send("/today")
    assert "1. Пётр" in ivan.last_message().buttons()[0][0]
    await ivan.send("/stats")
    assert "⏸ На паузе: нет" in ivan.last_message().text


async def test_a_past_or_todays_return_date_is_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", next_action_on=TODAY)
    card = await _pause(ivan, deal.id)
    for day in (20261126, 20261127, 20301231):
        forged = PauseCb(act=PauseAct.until, deal_id=deal.id, d=day).pack()
        await ivan.press_data(forged, card)
    alerts = [text for text, _ in app.telegram.alerts[-3:]]
    assert alerts == [
        "Дата возврата должна быть позже сегодняшнего дня.",
        "Дата возврата должна быть позже сегодняшнего дня.",
        "Слишком далеко: пауза — не больше двух лет.",
    ]
    assert (await _deal(app, deal.id)).next_action_on is None
    # The calendar offers no day before tomorrow.
    await ivan.press("📅 Календарь", message=card)
    flat = [b for row in card.buttons() for b in row]
    assert "·27·" in flat and "·26·" in flat
    await ivan.press("·27·", message=card)  # disabled: nothing
    assert (await _deal(app, deal.id)).next_action_on is None
    await ivan.press("30", message=card)
    assert (await _deal(app, deal.id)).next_action_on == dt.date(2026, 11, 30)


async def test_no_date_keeps_it_on_the_no_next_step_list(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", next_action_on=TODAY)
    card = await _pause(ivan, deal.id)
    await ivan.press("Без даты", message=card)
    assert "Пауза без даты возврата" in card.text
    await ivan.send("/nonext")
    listed = ivan.last_message()
    assert listed.buttons()[0][0] == "1. Пётр"
    # "+3д" on a paused row sets the day it comes back (it stays paused).
    await ivan.press("+3д", message=listed)
    row = await _deal(app, deal.id)
    assert (row.status, row.next_action_on) == (StageKind.paused, TODAY + dt.timedelta(days=3))
    assert "У всех сделок в работе есть следующий шаг" in listed.text
    # A pause button on a deal that is not paused (back to work meanwhile) changes nothing.
    open_deal = await make_deal(app, owner, "Анна", next_action_on=TODAY)
    forged = PauseCb(act=PauseAct.until, deal_id=open_deal.id, d=20261204).pack()
    await ivan.press_data(forged, card)
    assert ivan.last_alert() == "Сделка не на паузе: дата возврата ей не нужна."
    assert (await _deal(app, open_deal.id)).next_action_on == TODAY


async def test_the_leads_summary_counts_no_next_step_and_paused_deals(app: App) -> None:
    _, lead, team_id = await make_team(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await make_deal(app, ivan, "Без даты")
    await make_deal(app, ivan, "Просрочена", next_action_on=TODAY - dt.timedelta(days=2))
    paused = await make_deal(app, ivan, "Пауза", stage_code="paused")
    await add_plan(app, ivan, dt.date(2026, 11, 1), 5)  # a plan: the summary is its chart
    app.clock.set(utc(2026, 11, 27, 16, 0))  # 19:00 in Moscow
    ctx, _ = make_context(app)
    sent = await scan_at(app, ctx, utc(2026, 11, 27, 16, 0))
    assert sent["summaries"] == 1
    [photo] = photos_to(app, lead)
    caption = photo.caption or ""
    # The open deal without a date and the paused one without a return date: both chased.
    assert "❓ Без следующего шага в команде: 2 сделки" in caption
    # A deal made paused without a stage event: counted, no "longest" to tell.
    assert "⏸ На паузе: 1 сделка" in caption and f"#{paused.id}" not in caption
