"""Stale deals: the per-stage "days without contact" limit, the 💤 mark on the card and in
lists, the morning digest's and the lead's summary's stale blocks, and the admin's /stale
screen (a manager cannot; 0 / 1000 / "abc" are refused)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks.rhythm import StaleAction, StaleCb
from models import Deal, SentNotification, Stage
from models.roles import Role
from models.staleness import DEFAULT_STALE_DAYS
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, utc
from tests.stats_support import make_team, move_at, note_at

FRIDAY = START.date()  # 2026-11-27


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _stage(app: App, code: str) -> Stage:
    stage = await app.scalar(select(Stage).where(Stage.code == code))
    assert stage is not None
    return stage


async def test_defaults_per_stage_and_none_for_closed_or_paused(app: App) -> None:
    stages = {s.code: s.stale_days for s in await app.all(select(Stage))}
    assert stages["contacts"] == 3 and stages["closing"] == 14
    assert {k: stages[k] for k in DEFAULT_STALE_DAYS} == DEFAULT_STALE_DAYS
    assert stages["won"] is None and stages["lost"] is None and stages["paused"] is None


async def test_card_marks_a_deal_past_its_limit_and_a_note_clears_it(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка", next_action_on=FRIDAY + dt.timedelta(10))
    assert (await _deal(app, deal.id)).last_contact_at == START  # creation counts

    app.clock.set(START + dt.timedelta(days=3))  # Monday: 3 days, the limit itself
    await ivan.send(f"/deal {deal.id}")
    assert "без контакта" not in ivan.last_message().text

    app.clock.set(START + dt.timedelta(days=4))  # Tuesday: past the 3 days of "contacts"
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    assert "💤 4 дня без контакта" in card.text

    # A note typed in the card's flow is a contact: the mark is gone, the column follows.
    await ivan.press("📝 Заметка", message=card)
    await ivan.send("Дозвонился, ждут КП")
    assert "без контакта" not in card.text
    assert (await _deal(app, deal.id)).last_contact_at == START + dt.timedelta(days=4)


async def test_plural_forms_and_a_stage_move_resets(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    app.clock.set(START + dt.timedelta(days=21))
    await ivan.send(f"/deal {deal.id}")
    assert "💤 21 день без контакта" in ivan.last_message().text
    app.clock.set(START + dt.timedelta(days=25))
    await ivan.send(f"/deal {deal.id}")
    assert "💤 25 дней без контакта" in ivan.last_message().text

    await move_at(app, START + dt.timedelta(days=25), owner, deal.id, "proposal")  # limit 7
    app.clock.set(START + dt.timedelta(days=32))
    await ivan.send(f"/deal {deal.id}")
    assert "без контакта" not in ivan.last_message().text  # 7 days: at the limit
    app.clock.set(START + dt.timedelta(days=33))
    await ivan.send(f"/deal {deal.id}")
    assert "💤 8 дней без контакта" in ivan.last_message().text


async def test_won_lost_paused_never_stale_and_english(app: App) -> None:
    en, owner = await app.add_user(Role.manager, language="en")
    won = await make_deal(app, owner, "Won", stage_code="won")
    paused = await make_deal(app, owner, "Paused", stage_code="paused")
    open_ = await make_deal(app, owner, "Open")
    app.clock.set(START + dt.timedelta(days=40))
    for deal in (won, paused):
        await en.send(f"/deal {deal.id}")
        assert "without contact" not in en.last_message().text
    await en.send(f"/deal {open_.id}")
    assert "💤 40 days without contact" in en.last_message().text


async def test_list_rows_are_marked(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    stale = await make_deal(app, owner, "Старая")
    app.clock.set(START + dt.timedelta(days=5))
    fresh = await make_deal(app, owner, "Свежая")
    await ivan.send("/mydeals")
    text = ivan.last_message().text
    rows = text.split("\n\n")[1:]
    [stale_row] = [r for r in rows if "Старая" in r]
    [fresh_row] = [r for r in rows if "Свежая" in r]
    assert "💤 5 дней без контакта" in stale_row
    assert "без контакта" not in fresh_row
    assert stale.id != fresh.id


async def test_digest_lists_stale_deals_even_with_nothing_due(app: App) -> None:
    ctx, _ = make_context(app)
    _, owner = await app.add_user(Role.manager)
    old = await make_deal(app, owner, "Долгая тишина")
    app.clock.set(START + dt.timedelta(days=2))
    quiet = await make_deal(app, owner, "Недавняя")
    # Next Friday 09:00 Moscow: "old" 7 days silent (limit 3), "quiet" 5 days (also > 3).
    await note_at(app, START + dt.timedelta(days=6), owner, quiet.id)  # now 1 day: not stale
    await scan_at(app, ctx, utc(2026, 12, 4, 6, 0))
    [digest] = chat(app, owner)
    assert "💤 1 застоявшаяся сделка" in digest.text
    assert f"#{old.id}</b> {old.title} · 💤 7 дней без контакта" in digest.html
    assert "Недавняя" not in digest.text
    [stale_button] = [b for row in digest.buttons() for b in row if b.startswith("💤")]
    # The button opens the deal.
    client = app.client(owner.telegram_id)
    await client.press(stale_button, message=digest)
    assert client.last_message().text.startswith(f"#{old.id} ·")
    key = f"digest:{owner.id}:2026-12-04"
    assert await app.count(SentNotification, SentNotification.key == key) == 1
    # Not twice the same day.
    await scan_at(app, ctx, utc(2026, 12, 4, 7, 0))
    assert len([m for m in chat(app, owner) if "План на" in m.text]) == 1


async def test_lead_summary_counts_the_team_and_shows_the_worst(app: App) -> None:
    ctx, _ = make_context(app)
    _, lead, team_id = await make_team(app)
    _, anna = await app.add_user(Role.manager, name="Анна Новикова", team_id=team_id)
    _, other = await app.add_user(Role.manager, name="Чужой Менеджер")
    for n in range(3):
        await make_deal(app, anna, f"Тихая {n}")
    await make_deal(app, other, "Не наша")
    # A day with activity, so the summary is sent: Anna's note on a fourth deal.
    fourth = await make_deal(app, anna, "Живая")
    await note_at(app, utc(2026, 12, 7, 10, 0), anna, fourth.id)
    await scan_at(app, ctx, utc(2026, 12, 7, 16, 5))  # 19:05 Moscow, Monday
    text = " ".join(m.text for m in chat(app, lead))
    assert "В команде 3 застоявшиеся сделки" in text
    assert "Тихая 0" in text and "10 дней без контакта" in text
    assert "Не наша" not in text and "Живая" not in text


# -- the admin's limits --------------------------------------------------------------------
async def test_admin_sets_a_limit_in_the_chat_and_bad_values_are_refused(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Админ Главный")
    await admin.send("/settings")
    await admin.press("💤 Сроки без контакта")
    screen = admin.last_message()
    assert "Сроки без контакта" in screen.text
    assert ["Найти все контакты и соцсети: 3 дня"] in screen.buttons()
    assert ["Сделку закрываем, договор обсуждаем: 14 дней"] in screen.buttons()
    assert not any("Выиграли" in b for row in screen.buttons() for b in row)

    await admin.press("Найти все контакты и соцсети: 3 дня")
    assert "Напишите число дней от 1 до 365" in admin.last_message().text
    for bad in ("0", "1000", "abc", "-5", "3.5"):
        await admin.send(bad)
        assert "не подходит" in admin.last_message().text, bad
        assert (await _stage(app, "contacts")).stale_days == 3
    await admin.send("10")
    assert "Сохранено: «Найти все контакты и соцсети» — 10 дней." in admin.last_message().text
    assert (await _stage(app, "contacts")).stale_days == 10
    assert ["Найти все контакты и соцсети: 10 дней"] in admin.last_message().buttons()

    # "выкл" switches it off; the button does the same for another stage.
    await admin.press("Найти все контакты и соцсети: 10 дней")
    await admin.send("выкл")
    assert (await _stage(app, "contacts")).stale_days is None
    await admin.press("Направить КП: 7 дней")
    await admin.press("🚫 Выключить")
    assert (await _stage(app, "proposal")).stale_days is None
    assert ["Направить КП: выключено"] in admin.last_message().buttons()

    # A limit of 1 day on /stale, straight.
    await admin.send("/stale")
    await admin.press("Собрать требования: 5 дней")
    await admin.send("1")
    assert (await _stage(app, "requirements")).stale_days == 1


async def test_an_off_limit_means_never_stale(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Админ Главный")
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    await admin.send("/stale")
    await admin.press("Найти все контакты и соцсети: 3 дня")
    await admin.press("🚫 Выключить")
    app.clock.set(START + dt.timedelta(days=30))
    await ivan.send(f"/deal {deal.id}")
    assert "без контакта" not in ivan.last_message().text


async def test_a_manager_or_lead_cannot_edit_limits(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    lead, _, _ = await make_team(app)
    contacts = await _stage(app, "contacts")
    for client in (ivan, lead):
        await client.send("/stale")
        assert "только администратор" in client.last_message().text
        await client.send("/settings")
        assert not any("Сроки" in b for row in client.keyboard() for b in row)
        # A forged button: refused, nothing changes.
        forged = StaleCb(action=StaleAction.off, stage_id=contacts.id).pack()
        await client.press_data(forged, client.last_message())
        assert "только администратор" in (client.last_alert() or client.last_message().text)
    assert (await _stage(app, "contacts")).stale_days == 3


async def test_a_limit_for_a_closed_stage_is_refused(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Админ Главный")
    won = await _stage(app, "won")
    await admin.send("/stale")
    await admin.press_data(
        StaleCb(action=StaleAction.stage, stage_id=won.id).pack(), admin.last_message()
    )
    assert (await _stage(app, "won")).stale_days is None
    await admin.send("5")  # no prompt is open: nothing is set
    assert (await _stage(app, "won")).stale_days is None


async def test_a_full_digest_with_many_stale_deals_stays_within_limits(app: App) -> None:
    ctx, _ = make_context(app)
    _, owner = await app.add_user(Role.manager)
    long = "Очень длинное название сделки <b>без</b> тегов " * 3
    for n in range(30):
        await make_deal(app, owner, f"{n} {long}", next_action_on=FRIDAY + dt.timedelta(7))
    for n in range(40):
        await make_deal(app, owner, f"Сегодня {n} {long}", next_action_on=FRIDAY + dt.timedelta(7))
    await scan_at(app, ctx, utc(2026, 12, 4, 6, 0))  # 70 deals due, all 7 days silent
    [digest] = chat(app, owner)
    assert len(digest.html) <= 4096
    assert "70 застоявшихся сделок" in digest.text
    assert "<b>без</b>" not in digest.html  # titles are escaped
    assert sum(len(row) for row in digest.buttons()) <= 100
