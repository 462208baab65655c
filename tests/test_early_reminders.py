"""Reminders N minutes before a timed step: the personal setting, once per moment (across a
restart too), recomputed when the step moves, never for all-day steps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from bot.callbacks.rhythm import EarlyCb
from models import Deal, SentNotification, User
from models.roles import Role
from models.services.early_reminders import early_key
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, set_user, utc

SATURDAY = START.date() + dt.timedelta(days=1)  # 2026-11-28; 15:00 Moscow = 12:00 UTC


async def _move(app: App, deal: Deal, day: dt.date, at: dt.time | None) -> None:
    """The step moved through the real service (the card's next-date flow calls it)."""
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        owner = await session.get(User, deal.owner_id)
        assert owner is not None
        fresh = await crm.deals.get_for(owner, deal.id, for_edit=True)
        await crm.stage_moves.set_next_action(owner, fresh, day, at)


def _early(app: App, user: User) -> list[str]:
    return [m.text for m in chat(app, user) if m.text.startswith("⏰ Через")]


def _on_time(app: App, user: User) -> list[str]:
    return [m.text for m in chat(app, user) if m.text.startswith("⏰ Напоминание")]


async def test_the_setting_in_settings(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/settings")
    await ivan.press("⏰ Заранее")
    assert "Сейчас: выключено" in ivan.last_message().text
    assert ivan.keyboard() == [
        ["За 5 минут", "За 15 минут"],
        ["За 30 минут", "За 60 минут"],
        ["• Выключить"],
        ["« Назад"],
    ]
    await ivan.press("За 15 минут")
    assert ivan.last_alert() == "Сохранено: напоминать заранее — за 15 минут."
    assert (await app.scalar(select(User.remind_before).where(User.id == user.id))) == 15
    assert "• За 15 минут" in ivan.keyboard()[0]
    await ivan.press("« Назад")
    assert "⏰ Напоминать заранее: за 15 минут" in ivan.last_message().text
    await ivan.press("⏰ Заранее")
    await ivan.press("Выключить")
    assert (await app.scalar(select(User.remind_before).where(User.id == user.id))) is None


async def test_a_forged_choice_is_refused(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/settings")
    await ivan.press_data(EarlyCb(minutes=7).pack(), ivan.last_message())
    assert "Такого варианта нет" in (ivan.last_alert() or ivan.last_message().text)
    assert (await app.scalar(select(User.remind_before).where(User.id == user.id))) is None


async def test_early_then_on_time_each_once(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    await set_user(app, user, remind_before=15)
    deal = await make_deal(
        app, user, "Созвон", next_action_on=SATURDAY, next_action_time=dt.time(15)
    )
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 44))
    assert _early(app, user) == []
    sent = await scan_at(app, ctx, utc(2026, 11, 28, 11, 45))
    assert sent["early_reminders"] == 1
    [early] = [m for m in chat(app, user) if m.text.startswith("⏰ Через")]
    assert early.text.startswith("⏰ Через 15 минут · 15:00") and f"#{deal.id}" in early.text
    assert early.buttons() == [["📂 Открыть", "✅ Готово"], ["⏰ Отложить", "🔀 Этап"]]
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 46))
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 59))
    assert len(_early(app, user)) == 1 and _on_time(app, user) == []
    await scan_at(app, ctx, utc(2026, 11, 28, 12, 0))
    assert len(_early(app, user)) == 1 and len(_on_time(app, user)) == 1
    keys = set(await app.all(select(SentNotification.key)))
    assert f"early:{deal.id}:2026-11-28T12:00:00+00:00" in keys
    assert f"remind:{deal.id}:2026-11-28T12:00:00+00:00" in keys


async def test_a_late_scan_says_how_many_minutes_are_left(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    await set_user(app, user, remind_before=60)
    await make_deal(app, user, next_action_on=SATURDAY, next_action_time=dt.time(15))
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 58))  # down until 2 minutes before
    assert [t.split("\n")[0] for t in _early(app, user)] == ["⏰ Через 2 минуты · 15:00"]


async def test_the_early_reminder_follows_a_moved_step(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    await set_user(app, user, remind_before=30)
    deal = await make_deal(app, user, next_action_on=SATURDAY, next_action_time=dt.time(15))
    app.clock.set(utc(2026, 11, 28, 9, 0))
    await _move(app, deal, SATURDAY, dt.time(17))  # before its early moment: 14:30 -> 16:30
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 30))
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 45))
    assert _early(app, user) == []
    await scan_at(app, ctx, utc(2026, 11, 28, 13, 30))
    [text] = _early(app, user)
    assert "17:00" in text
    # Moved again after its early reminder: reminded again before the new time, once.
    fresh = await app.scalar(select(Deal).where(Deal.id == deal.id))
    await _move(app, fresh, SATURDAY, dt.time(18))
    await scan_at(app, ctx, utc(2026, 11, 28, 14, 29))
    assert len(_early(app, user)) == 1
    await scan_at(app, ctx, utc(2026, 11, 28, 14, 30))
    await scan_at(app, ctx, utc(2026, 11, 28, 14, 31))
    early = _early(app, user)
    assert len(early) == 2 and "18:00" in early[1]
    # The old moment (17:00) came and went: no on-time reminder for it.
    await scan_at(app, ctx, utc(2026, 11, 28, 14, 0))
    assert not any("17:00" in t for t in _on_time(app, user))


async def test_not_for_all_day_steps_nor_when_off(app: App) -> None:
    ctx, _ = make_context(app)
    _, keen = await app.add_user(Role.manager, name="Хочет Заранее")
    _, plain = await app.add_user(Role.manager, name="Не Хочет")
    await set_user(app, keen, remind_before=60, digest_time=dt.time(23))
    await set_user(app, plain, digest_time=dt.time(23))
    await make_deal(app, keen, "Весь день", next_action_on=SATURDAY)
    await make_deal(
        app, plain, "Со временем", next_action_on=SATURDAY, next_action_time=dt.time(15)
    )
    for minute in (0, 15, 30, 45):
        await scan_at(app, ctx, utc(2026, 11, 28, 11, minute))
    assert _early(app, keen) == [] and _early(app, plain) == []
    keys = await app.all(select(SentNotification.key).where(SentNotification.key.like("early:%")))
    assert keys == []


async def test_not_sent_twice_across_a_restart(app: App) -> None:
    ctx, _ = make_context(app)
    _, user = await app.add_user(Role.manager)
    _, other = await app.add_user(Role.manager, name="Другой Менеджер")
    await set_user(app, user, remind_before=15)
    await set_user(app, other, remind_before=15)
    await make_deal(app, user, next_action_on=SATURDAY, next_action_time=dt.time(15))
    crashed = await make_deal(app, other, next_action_on=SATURDAY, next_action_time=dt.time(15))
    # A process was killed while the other one's early reminder was in flight to Telegram:
    # claimed and handed, never confirmed. It may have been delivered: never sent again.
    async with app.session_factory() as session, session.begin():
        await session.execute(
            insert(SentNotification).values(
                key=early_key(crashed.id, utc(2026, 11, 28, 12, 0)),
                user_id=other.id,
                created_at=utc(2026, 11, 28, 11, 45),
                handed_at=utc(2026, 11, 28, 11, 45),
            )
        )
    await ctx.sender.recover(app.session_factory)
    await scan_at(app, ctx, utc(2026, 11, 28, 11, 45))
    assert len(_early(app, user)) == 1 and _early(app, other) == []
    # Another restart: a new Sender recovers the sent-log, then scans again.
    restarted, _ = make_context(app)
    await restarted.sender.recover(app.session_factory)
    await scan_at(app, restarted, utc(2026, 11, 28, 11, 46))
    await scan_at(app, restarted, utc(2026, 11, 28, 11, 50))
    assert len(_early(app, user)) == 1 and _early(app, other) == []
    reported = await app.scalar(
        select(SentNotification.reported_at).where(SentNotification.user_id == other.id)
    )
    assert reported is not None
