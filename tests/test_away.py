"""/away: out of office until a date, a colleague of the same team, /away off; while away the
digests and reminders pause, overdue deals go to the lead at once, the colleague gets the
deals of the day, the lead's summary says who is away; the day after, it ends by itself."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks.rhythm import AwayAction, AwayCb
from models import Absence, SentNotification
from models.roles import Role
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, set_user, utc
from tests.stats_support import make_team

FRIDAY = START.date()  # 2026-11-27, 09:00 in Moscow


async def _absence(app: App, user_id: int) -> Absence | None:
    row: Absence | None = await app.scalar(select(Absence).where(Absence.user_id == user_id))
    return row


async def test_away_by_chip_without_a_team(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/away")
    ask = ivan.last_message()
    assert "До какого дня включительно вас не будет?" in ask.text
    assert ask.buttons() == [["28.11", "30.11", "04.12"], ["11.12"], ["✖ Отмена"]]
    await ivan.press("04.12", message=ask)
    assert "Вы отсутствуете до 04.12.2026 включительно" in ask.text
    row = await _absence(app, user.id)
    assert row is not None and (row.until, row.substitute_id) == (dt.date(2026, 12, 4), None)
    # /away again shows the status and offers to end it.
    await ivan.send("/away")
    assert ivan.last_message().text.startswith("🏝 Вы отсутствуете до 04.12.2026 включительно.")
    await ivan.press("✅ Закончить отсутствие")
    assert "С возвращением!" in ivan.last_message().text
    assert await _absence(app, user.id) is None


async def test_a_date_in_the_past_today_or_garbage_is_refused_politely(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/away")
    for typed, reply in (
        ("20.11.2026", "20.11.2026 — это не будущий день"),
        ("сегодня", "27.11.2026 — это не будущий день"),
        ("абвгд", "«абвгд» — не похоже на дату"),
        ("01.01.2030", "Не дальше чем на год вперёд"),
    ):
        await ivan.send(typed)
        assert reply in ivan.last_message().text, typed
        assert await _absence(app, user.id) is None
    await ivan.send("05.12")  # still asked: the next message may be the date
    assert "Вы отсутствуете до 05.12.2026 включительно" in ivan.last_message().text
    assert (await _absence(app, user.id)) is not None
    # A chip of yesterday's /away (a stale button) is refused too.
    await ivan.send("/away off")
    stale = AwayCb(action=AwayAction.day, value=20261126).pack()
    await ivan.press_data(stale, ivan.last_message())
    assert "не будущий день" in (ivan.last_alert() or ivan.last_message().text)
    assert await _absence(app, user.id) is None


async def test_one_message_form_and_off_when_not_away(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/away off")
    assert ivan.last_message().text == "Отсутствие не задано — ничего не изменилось."
    await ivan.send("/away 27.11")
    assert "это не будущий день" in ivan.last_message().text
    await ivan.send("/away 30.11")
    assert "до 30.11.2026 включительно" in ivan.last_message().text
    await ivan.send("/away off")
    assert "С возвращением!" in ivan.last_message().text
    assert await _absence(app, user.id) is None


async def test_a_colleague_of_the_team_only(app: App) -> None:
    _, lead, team_id = await make_team(app)
    anna, anna_user = await app.add_user(Role.manager, name="Анна Новикова", team_id=team_id)
    _, boris = await app.add_user(Role.manager, name="Борис Быстров", team_id=team_id)
    _, other_lead, other_team = await make_team(app, "Другие", lead_name="Пётр Чужой")
    _, stranger = await app.add_user(Role.manager, name="Чужой Коллега", team_id=other_team)

    await anna.send("/away")
    await anna.press("04.12")
    picker = anna.last_message()
    assert "Кто из коллег будет получать ваши сделки" in picker.text
    names = [row[0] for row in picker.buttons()]
    assert names == ["Борис Быстров", "Ольга Лидова", "Никто", "✖ Отмена"]

    # A forged button naming a colleague of another team: refused, nothing saved.
    forged = AwayCb(action=AwayAction.substitute, value=stranger.id, until=20261204).pack()
    await anna.press_data(forged, picker)
    assert "Замещать может только активный коллега из вашей команды." in (
        anna.last_alert() or anna.last_message().text
    )
    assert await _absence(app, anna_user.id) is None
    myself = AwayCb(action=AwayAction.substitute, value=anna_user.id, until=20261204).pack()
    await anna.press_data(myself, picker)
    assert await _absence(app, anna_user.id) is None

    await anna.press("Борис Быстров", message=picker)
    assert "Ваши сделки на день получает: Борис Быстров." in picker.text
    row = await _absence(app, anna_user.id)
    assert row is not None and row.substitute_id == boris.id
    assert other_lead.id != lead.id


async def test_while_away_digests_and_reminders_pause_and_the_lead_gets_overdue(
    app: App,
) -> None:
    ctx, _ = make_context(app)
    _, lead, team_id = await make_team(app)
    anna, anna_user = await app.add_user(Role.manager, name="Анна Новикова", team_id=team_id)
    _, boris = await app.add_user(Role.manager, name="Борис Быстров", team_id=team_id)
    await set_user(app, anna_user, remind_before=15)
    overdue = await make_deal(app, anna_user, "Вчерашняя", next_action_on=FRIDAY - dt.timedelta(1))
    monday = FRIDAY + dt.timedelta(days=3)
    todays = await make_deal(
        app, anna_user, "Понедельничная", contacts=("+7 999 123-45-67",), next_action_on=monday
    )
    timed = await make_deal(
        app, anna_user, "Созвон", next_action_on=monday, next_action_time=dt.time(15)
    )
    await anna.send("/away 30.11")
    await anna.press("Борис Быстров")
    assert (await _absence(app, anna_user.id)) is not None

    # Friday 09:00: Anna gets no digest; the lead hears of the overdue deal at once (1 day
    # late, not after the usual 3); Boris covers from Monday (nothing of Anna's is dated Friday).
    before = len(chat(app, anna_user))
    await scan_at(app, ctx, START)
    assert len(chat(app, anna_user)) == before
    [alert] = [m for m in chat(app, lead) if "Отсутствует до" in m.text]
    assert "Отсутствует до 30.11.2026: Анна Новикова" in alert.text
    assert "1 просроченная сделка" in alert.text and f"#{overdue.id}" in alert.text
    assert [f"1. {overdue.title}"[:35]] == [alert.buttons()[0][0][:35]]
    await scan_at(app, ctx, START + dt.timedelta(minutes=5))
    assert len([m for m in chat(app, lead) if "Отсутствует до" in m.text]) == 1
    key = f"escalate:{overdue.id}:{FRIDAY - dt.timedelta(1)}"
    assert await app.count(SentNotification, SentNotification.key == key) == 1
    # The lead's afternoon escalation does not repeat it.
    await scan_at(app, ctx, utc(2026, 11, 27, 11, 0))
    assert not any("просрочены больше" in m.text for m in chat(app, lead))
    assert not any("Замещение" in m.text for m in chat(app, boris))

    # Monday 09:00 (her last day away): no digest, and Boris gets her deals of the day.
    await scan_at(app, ctx, utc(2026, 11, 30, 6, 0))
    assert len(chat(app, anna_user)) == before
    [cover] = [m for m in chat(app, boris) if "Замещение" in m.text]
    assert "Замещение: Анна Новикова" in cover.text and "2 сделки на 30.11.2026" in cover.text
    assert f"#{todays.id}" in cover.text and "📞 +7 999 123-45-67" in cover.text
    await scan_at(app, ctx, utc(2026, 11, 30, 6, 30))
    assert len([m for m in chat(app, boris) if "Замещение" in m.text]) == 1
    # Her 15:00 step: neither the early reminder nor the one on time.
    for minute in (45, 50):
        await scan_at(app, ctx, utc(2026, 11, 30, 11, minute))
    await scan_at(app, ctx, utc(2026, 11, 30, 12, 0))
    assert len(chat(app, anna_user)) == before
    # The lead's summary says who is away.
    await scan_at(app, ctx, utc(2026, 11, 30, 16, 5))
    summary = " ".join(m.text for m in chat(app, lead))
    assert "🏝 Отсутствуют" in summary
    assert "Анна Новикова — до 30.11.2026 (замещает: Борис Быстров)" in summary

    # Tuesday: the absence is over by itself; the digest comes again.
    await scan_at(app, ctx, utc(2026, 12, 1, 6, 0))
    digests = [m for m in chat(app, anna_user) if "План на 01.12.2026" in m.text]
    assert len(digests) == 1 and f"#{timed.id}" in digests[0].text
    await anna.send("/away")
    assert "До какого дня включительно" in anna.last_message().text
    assert "Вы отсутствуете" not in anna.last_message().text


async def test_away_off_early_brings_the_digest_back_the_same_day(app: App) -> None:
    ctx, _ = make_context(app)
    ivan, user = await app.add_user(Role.manager)
    await make_deal(app, user, "Сегодня", next_action_on=FRIDAY)
    await ivan.send("/away 04.12")
    await scan_at(app, ctx, START)
    assert not any("План на" in m.text for m in chat(app, user))
    app.clock.set(START + dt.timedelta(hours=2))
    await ivan.send("/away off")
    await scan_at(app, ctx, START + dt.timedelta(hours=2, minutes=1))
    assert len([m for m in chat(app, user) if "План на 27.11.2026" in m.text]) == 1
