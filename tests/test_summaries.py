"""The lead's daily summary: figures of a hand-built day, quiet days, the chart, time zones,
catch-up and stale days, and delivery through the sender exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import io
import struct

from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from sqlalchemy import select

from bot.i18n import Translator
from bot.render.bars import draw_stack
from bot.render.summary import CAPTION_LIMIT, render_summary
from models import SentNotification, User
from models.roles import Role
from models.services.reports import TeamSummary
from tests.conftest import App
from tests.reminders_support import make_context, scan_at, set_user
from tests.stats_support import add_plan, build_day, deal_at, make_team, msk, note_at

NOVEMBER = dt.date(2026, 11, 1)

FRIDAY = dt.date(2026, 11, 27)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def summary_of(app: App, lead: User, day: dt.date = FRIDAY) -> TeamSummary | None:
    async with app.session_factory() as session:
        crm = app.crm(session)
        fresh = await session.get(User, lead.id)
        assert fresh is not None
        return await crm.reports.daily_summary(fresh, day)


def photos_to(app: App, user: User) -> list[SendPhoto]:
    return [
        r
        for r in app.telegram.requests
        if isinstance(r, SendPhoto) and int(r.chat_id) == user.telegram_id
    ]


def assert_png(data: bytes) -> None:
    assert data.startswith(PNG_SIGNATURE)
    # IHDR comes first: width and height of a real picture.
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 300 and height > 100
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()  # decodes: a broken PNG raises here
    assert image.size == (width, height)


async def test_summary_figures_match_the_hand_built_day(app: App) -> None:
    day = await build_day(app)
    summary = await summary_of(app, day.lead)
    assert summary is not None
    assert summary.team_name == "Продажи" and summary.day == FRIDAY
    rows = {row.name: row for row in summary.rows}
    # Only the team's managers (the idle lead and the other team are left out), by name.
    assert list(rows) == ["Анна Козлова", "Иван Петров", "Пётр Сидоров"]

    ivan = rows["Иван Петров"]
    assert (ivan.activity.new_deals, ivan.activity.notes, ivan.activity.stage_moves) == (2, 3, 2)
    assert (ivan.activity.won, ivan.activity.won_amount, ivan.activity.lost) == (
        1,
        {"RUB": decimal.Decimal("150000.00")},
        0,
    )
    assert (ivan.counters.overdue, ivan.counters.no_next_step, ivan.counters.due_today) == (1, 1, 1)
    assert (ivan.counters.won_month, ivan.counters.plan_won) == (2, 10)
    assert ivan.counters.won_month_amount == {"RUB": decimal.Decimal("200000.00")}
    assert ivan.counters.plan_amount == decimal.Decimal("1500000.00")
    assert ivan.counters.open == 3  # B, F, G

    petr = rows["Пётр Сидоров"]
    assert (petr.activity.new_deals, petr.activity.notes, petr.activity.stage_moves) == (2, 1, 1)
    assert (petr.activity.won, petr.activity.lost) == (0, 1)
    assert (petr.counters.overdue, petr.counters.no_next_step) == (0, 2)
    assert (petr.counters.won_month, petr.counters.plan_won) == (0, None)

    anna = rows["Анна Козлова"]
    assert anna.activity.is_empty
    assert (anna.counters.overdue, anna.counters.no_next_step, anna.counters.open) == (1, 0, 1)

    total = summary.total
    assert (total.activity.new_deals, total.activity.notes, total.activity.stage_moves) == (4, 4, 3)
    assert (total.activity.won, total.activity.won_amount, total.activity.lost) == (
        1,
        {"RUB": decimal.Decimal("150000.00")},
        1,
    )
    assert (total.counters.overdue, total.counters.no_next_step) == (2, 3)
    assert (total.counters.won_month, total.counters.plan_won) == (2, 10)
    assert [(s.stage.code, s.count) for s in summary.pipeline] == [
        ("contacts", 6),
        ("requirements", 1),
    ]


async def test_summary_text_in_russian_and_english(app: App) -> None:
    day = await build_day(app)
    summary = await summary_of(app, day.lead)
    assert summary is not None
    translator = Translator("ru")
    text, panels = render_summary(summary, translator.for_locale("ru"))
    assert "Сводка команды «Продажи» за 27.11.2026" in text
    ivan_block = text.split("<b>Иван Петров</b>\n")[1].split("\n\n")[0]
    assert ivan_block == (
        "2 новые сделки · 3 заметки · 2 смены этапа\n"
        "выиграна 1 сделка на 150\u202f000 ₽ · проиграно 0 сделок\n"
        "просрочена 1 сделка · без следующего шага: 1 сделка\n"
        "план: выиграно 2 из 10 за месяц"
    )
    petr_block = text.split("<b>Пётр Сидоров</b>\n")[1].split("\n\n")[0]
    assert (
        "проиграна 1 сделка" in petr_block
        and "выиграно за месяц: 0 сделок (план не задан)" in petr_block
    )
    assert "<b>Итого по команде</b>\n4 новые сделки · 4 заметки · 3 смены этапа" in text
    assert len(text) <= CAPTION_LIMIT
    assert panels is not None  # Иван has a plan: the chart is drawn
    assert_png(draw_stack(panels))
    assert "Планы на месяц не заданы" not in text

    text_en, _ = render_summary(summary, translator.for_locale("en"))
    assert "Team “Продажи” summary for 27 Nov 2026" in text_en
    assert "2 new deals · 3 notes · 2 stage moves" in text_en
    assert "plan: won 2 of 10 this month" in text_en


async def test_quiet_day_gives_none_and_sends_nothing(app: App) -> None:
    _, lead, team_id = await make_team(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    # Deals with future steps made on another day, nothing overdue: nothing to say today.
    await deal_at(app, msk(2026, 11, 20, 12, 0), ivan, "Тихая", next_action_on=dt.date(2026, 12, 1))
    await deal_at(app, msk(2026, 11, 26, 12, 0), ivan, "Тоже", next_action_on=dt.date(2026, 12, 2))
    app.clock.set(msk(2026, 11, 27, 19, 0))
    assert await summary_of(app, lead) is None

    ctx, _ = make_context(app)
    sent = await scan_at(app, ctx, msk(2026, 11, 27, 19, 0))
    assert sent["summaries"] == 0
    assert photos_to(app, lead) == [] and app.telegram.chat(lead.telegram_id) == []
    # Decided for the day: later scans skip the lead without building the summary again.
    key = f"summary:{lead.id}:2026-11-27"
    assert await app.count(SentNotification, SentNotification.key == key) == 1
    await note_at(app, msk(2026, 11, 27, 20, 0), ivan, 1)
    await scan_at(app, ctx, msk(2026, 11, 27, 20, 1))
    assert photos_to(app, lead) == []


async def test_only_overdue_is_still_sent(app: App) -> None:
    _, lead, team_id = await make_team(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await deal_at(
        app, msk(2026, 11, 20, 12, 0), ivan, "Забытая", next_action_on=dt.date(2026, 11, 25)
    )
    await add_plan(app, ivan, NOVEMBER, 5)
    app.clock.set(msk(2026, 11, 27, 19, 0))
    summary = await summary_of(app, lead)
    assert summary is not None and summary.total.activity.is_empty
    assert summary.total.counters.overdue == 1

    ctx, _ = make_context(app)
    sent = await scan_at(app, ctx, msk(2026, 11, 27, 19, 0))
    assert sent["summaries"] == 1
    [photo] = photos_to(app, lead)
    assert photo.caption is not None and "просрочена 1 сделка" in photo.caption
    assert isinstance(photo.photo, BufferedInputFile)
    assert_png(photo.photo.data)
    assert app.telegram.chat(lead.telegram_id)[-1].photo


async def test_summary_goes_out_once_through_the_sender(app: App) -> None:
    day = await build_day(app)
    ctx, _ = make_context(app)
    assert (await scan_at(app, ctx, msk(2026, 11, 27, 18, 59)))["summaries"] == 0
    assert photos_to(app, day.lead) == []
    assert (await scan_at(app, ctx, msk(2026, 11, 27, 19, 0)))["summaries"] == 2  # both leads
    assert (await scan_at(app, ctx, msk(2026, 11, 27, 19, 1)))["summaries"] == 0
    # A second scheduler racing the first one (another process) sends nothing either.
    other, _ = make_context(app)
    results = await asyncio.gather(
        scan_at(app, ctx, msk(2026, 11, 27, 19, 2)), scan_at(app, other, msk(2026, 11, 27, 19, 2))
    )
    assert [r["summaries"] for r in results] == [0, 0]
    [photo] = photos_to(app, day.lead)
    assert "Иван Петров" in (photo.caption or "")
    row = await app.scalar(
        select(SentNotification).where(SentNotification.key == f"summary:{day.lead.id}:2026-11-27")
    )
    assert row is not None and row.sent_at is not None and row.user_id == day.lead.id
    # The other team's lead got their own team only.
    [other_photo] = photos_to(app, day.other_lead)
    assert "Сергей Чужой" in (other_photo.caption or "")
    assert "Иван Петров" not in (other_photo.caption or "")


async def test_summary_time_is_the_leads_local_time(app: App) -> None:
    _, moscow_lead, moscow_team = await make_team(app, "Москва")
    _, far_lead, far_team = await make_team(app, "Владивосток", lead_name="Дальний Лид")
    await set_user(app, far_lead, timezone="Asia/Vladivostok", language="en")
    _, m1 = await app.add_user(Role.manager, name="Иван Петров", team_id=moscow_team)
    _, m2 = await app.add_user(Role.manager, name="John Smith", team_id=far_team)
    await deal_at(app, msk(2026, 11, 20, 12, 0), m1, "Старая", next_action_on=dt.date(2026, 11, 24))
    await deal_at(app, msk(2026, 11, 20, 12, 0), m2, "Old", next_action_on=dt.date(2026, 11, 24))
    for manager in (m1, m2):
        await add_plan(app, manager, NOVEMBER, 4)
    ctx, _ = make_context(app)

    # 09:00 UTC: 19:00 in Vladivostok, 12:00 in Moscow.
    await scan_at(app, ctx, dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC))
    [far_photo] = photos_to(app, far_lead)
    assert "Team “Владивосток” summary for 27 Nov 2026" in (far_photo.caption or "")
    assert photos_to(app, moscow_lead) == []
    # 16:00 UTC: 19:00 in Moscow; in Vladivostok it is 02:00 on Saturday (not a work day).
    await scan_at(app, ctx, dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC))
    assert len(photos_to(app, moscow_lead)) == 1
    assert len(photos_to(app, far_lead)) == 1


async def test_catch_up_later_the_same_day(app: App) -> None:
    day = await build_day(app)
    ctx, _ = make_context(app)
    # The bot was down at 19:00 and comes back at 23:40 Moscow: today's summary still goes.
    await scan_at(app, ctx, msk(2026, 11, 27, 23, 40))
    [photo] = photos_to(app, day.lead)
    assert "за 27.11.2026" in (photo.caption or "")


async def test_previous_days_summary_is_never_sent(app: App) -> None:
    day = await build_day(app)
    await set_user(app, day.lead, work_days="1234567")
    ctx, _ = make_context(app)
    # Down all Friday evening; Saturday morning Friday's summary is stale and Saturday's
    # is not due yet.
    await scan_at(app, ctx, msk(2026, 11, 28, 0, 5))
    await scan_at(app, ctx, msk(2026, 11, 28, 10, 0))
    assert photos_to(app, day.lead) == []
    assert (
        await app.count(
            SentNotification, SentNotification.key == f"summary:{day.lead.id}:2026-11-27"
        )
        == 0
    )
    # Saturday 19:00: Saturday's summary (overdue deals remain), dated Saturday.
    await scan_at(app, ctx, msk(2026, 11, 28, 19, 0))
    [photo] = photos_to(app, day.lead)
    assert "за 28.11.2026" in (photo.caption or "")


async def test_no_summary_on_a_day_off(app: App) -> None:
    day = await build_day(app)
    ctx, _ = make_context(app)
    await scan_at(app, ctx, msk(2026, 11, 28, 19, 0))  # Saturday; work days Mon-Fri
    assert photos_to(app, day.lead) == []


async def test_long_summary_follows_the_chart_as_a_message(app: App) -> None:
    _, lead, team_id = await make_team(app)
    for i in range(9):
        _, manager = await app.add_user(
            Role.manager, name=f"Менеджер Номер{i} С Длинной Фамилией", team_id=team_id
        )
        await deal_at(app, msk(2026, 11, 27, 10, i), manager, f"Клиент {i}")
        await add_plan(app, manager, NOVEMBER, 3)
    ctx, _ = make_context(app)
    assert (await scan_at(app, ctx, msk(2026, 11, 27, 19, 0)))["summaries"] == 1
    [photo] = photos_to(app, lead)
    assert photo.caption is not None and len(photo.caption) <= CAPTION_LIMIT
    assert "Подробности — в следующем сообщении" in photo.caption
    texts = [
        r.text
        for r in app.telegram.requests
        if isinstance(r, SendMessage) and int(r.chat_id) == lead.telegram_id
    ]
    assert len(texts) == 1
    assert all(f"Номер{i}" in texts[0] for i in range(9))
    assert "Итого по команде" in texts[0]
    # Delivered in order: the chart, then the text.
    shown = app.telegram.chat(lead.telegram_id)
    assert [m.photo for m in shown] == [True, False]


def test_the_chart_draws_bars_to_scale() -> None:
    """Bars are as long as their figures (Pillow renderer, bot/render/bars.py): won against
    the plan, the pace marker at the days elapsed, a person without a plan without target."""
    from PIL import Image

    from bot.render.bars import GREEN, MARKER, ROW, TARGET, TOP
    from bot.render.plan_chart import Pace, team_panels
    from models.services.reports import Counters, StatsRow

    tr = Translator("ru").for_locale("ru")
    rows = [
        StatsRow(1, "Иван", counters=Counters(won_month=2, plan_won=10)),
        StatsRow(2, "Пётр", counters=Counters(won_month=5)),
    ]
    panels = team_panels(rows, Pace(15, 30), tr)
    assert panels is not None and len(panels) == 1  # no money anywhere: no amount panel
    rgb = Image.open(io.BytesIO(draw_stack(panels))).convert("RGB")

    def run(colour: str, row: int) -> list[int]:
        target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        y = TOP + row * ROW + ROW // 2
        return [x for x in range(rgb.width) if rgb.getpixel((x, y)) == target]

    ivan_won, ivan_plan, marker = run(GREEN, 0), run(TARGET, 0), run(MARKER, 0)
    assert ivan_won and abs((len(ivan_won) + len(ivan_plan) + len(marker)) - 5 * len(ivan_won)) <= 4
    # The pace marker halfway along the plan (day 15 of 30).
    start = ivan_won[0]
    middle = sum(marker) / len(marker)
    assert abs((middle - start) - (ivan_plan[-1] - start) / 2) <= 3
    # Пётр: 5 without a plan: a longer bar, no grey target (a stray pixel of the tag aside)
    assert len(run(GREEN, 1)) > len(ivan_won) and len(run(TARGET, 1)) < 3
