"""Plan progress charts (issue 13.7): the lead's 19:00 summary sends the per-manager plan
chart, /stats has a manager's own chart and a lead's team chart behind a button; the data fed
to the renderer is checked against the hand-built day (tests/stats_support.build_day), a
team without plans gets a clear line instead of a chart, currencies are never added up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from sqlalchemy import select

import bot.render.chart_worker as chart_worker
from bot.render.bars import Bar, Panel, draw_stack
from models import SentNotification, User
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal
from tests.reminders_support import make_context, scan_at
from tests.stats_support import build_day, deal_at, make_team, move_at, msk
from tests.test_summaries import assert_png, photos_to

NOVEMBER = dt.date(2026, 11, 1)


class Drawn:
    """What the chart worker was asked to draw (the real drawing still happens)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[Panel]] = []

        def recording(panels: Sequence[Panel]) -> bytes:
            self.calls.append(list(panels))
            return draw_stack(panels)

        monkeypatch.setattr(chart_worker, "draw_stack", recording)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Drawn:
    return Drawn(monkeypatch)


def figures(panel: Panel) -> list[tuple[str, float, float | None, str | None]]:
    return [(b.label, b.value, b.target, b.tag) for b in panel.bars]


def photo_bytes(photo: SendPhoto) -> bytes:
    assert isinstance(photo.photo, BufferedInputFile)
    return photo.photo.data


def texts_to(app: App, user: User) -> list[str]:
    return [
        r.text
        for r in app.telegram.requests
        if isinstance(r, SendMessage) and int(r.chat_id) == user.telegram_id
    ]


async def test_summary_sends_the_plan_chart_with_each_managers_figures(
    app: App, drawn: Drawn
) -> None:
    day = await build_day(app)
    ctx, _ = make_context(app)
    await scan_at(app, ctx, msk(2026, 11, 27, 19, 0))
    [photo] = photos_to(app, day.lead)
    assert_png(photo_bytes(photo))
    assert "Иван Петров" in (photo.caption or "")
    # Two charts were drawn: this lead's team and the other team's.
    mine = [p for p in drawn.calls if any(b.label == "Иван Петров" for b in p[0].bars)]
    [[deals, amount]] = mine  # no other currency won this month: two panels
    assert deals.title == "Выиграно сделок за месяц · день 27 из 30"
    # Иван: 2 won (D on the 10th, A today) of 10; the others have no plan.
    assert figures(deals) == [
        ("Анна Козлова", 0, None, "0 · без плана"),
        ("Иван Петров", 2, 10, "2/10"),
        ("Пётр Сидоров", 0, None, "0 · без плана"),  # E was won in October
    ]
    assert deals.bars[1].marker == pytest.approx(9.0)  # 10 x 27/30: where he should be by now
    assert amount.title == "Сумма выигранных, ₽: факт / план"
    assert figures(amount) == [
        ("Анна Козлова", 0.0, None, "0 · без плана"),
        ("Иван Петров", 200000.0, 1500000.0, "200 тыс. / 1,5 млн"),  # D 50 000 + A 150 000
        ("Пётр Сидоров", 0.0, None, "0 · без плана"),
    ]
    assert amount.bars[1].marker == pytest.approx(1_350_000)
    # The other team's chart holds its own manager only.
    [other] = [p for p in drawn.calls if p not in mine]
    assert [b.label for b in other[0].bars] == ["Сергей Чужой"]
    assert figures(other[0]) == [("Сергей Чужой", 1, 3, "1/3")]


async def test_summary_in_english_draws_english_labels(app: App, drawn: Drawn) -> None:
    from tests.reminders_support import set_user

    day = await build_day(app)
    await set_user(app, day.lead, language="en")
    ctx, _ = make_context(app)
    await scan_at(app, ctx, msk(2026, 11, 27, 19, 0))
    [photo] = photos_to(app, day.lead)
    assert "Team “Продажи” summary" in (photo.caption or "")
    english = [p for p in drawn.calls if p[0].title.startswith("Deals won")]
    [[deals, amount]] = english
    assert figures(amount)[1] == ("Иван Петров", 200000.0, 1500000.0, "200K / 1.5M")
    assert figures(deals)[0] == ("Анна Козлова", 0, None, "0 · no plan")


async def test_a_team_without_plans_gets_a_clear_line_and_no_chart(app: App, drawn: Drawn) -> None:
    lead_client, lead, team_id = await make_team(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await deal_at(app, msk(2026, 11, 27, 10, 0), ivan, "Новая")
    ctx, _ = make_context(app)
    assert (await scan_at(app, ctx, msk(2026, 11, 27, 19, 0)))["summaries"] == 1
    assert photos_to(app, lead) == [] and drawn.calls == []
    [text] = texts_to(app, lead)
    assert text.startswith("📊 <b>Сводка команды «Продажи» за 27.11.2026</b>")
    assert "1 новая сделка" in text
    assert "📉 Планы на месяц не заданы — графика выполнения нет. Поставить план: /plan" in text
    # Sent once, recorded as sent like a chart would be.
    row = await app.scalar(
        select(SentNotification).where(SentNotification.key == f"summary:{lead.id}:2026-11-27")
    )
    assert row is not None and row.sent_at is not None
    await scan_at(app, ctx, msk(2026, 11, 27, 19, 5))
    assert len(texts_to(app, lead)) == 1
    # /stats of that lead: no chart button, the hint to set a plan instead.
    await lead_client.send("/stats")
    assert "Поставить план: /plan" in lead_client.last_message().text
    assert lead_client.keyboard() == [["🔄 Обновить"]]


async def test_currencies_are_never_added_up_in_the_chart(app: App, drawn: Drawn) -> None:
    day = await build_day(app)
    # Иван also wins 1 000 $ and 300 € this month; Анна 2 000 $.
    for owner, client, amount, currency in [
        (day.ivan, "Доллары", "1000", "USD"),
        (day.ivan, "Евро", "300", "EUR"),
        (day.anna, "Тоже доллары", "2000", "USD"),
    ]:
        deal = await make_deal(app, owner, client, amount=amount, currency=currency)
        await move_at(app, msk(2026, 11, 27, 17, 0), owner, deal.id, "won")
    ctx, _ = make_context(app)
    await scan_at(app, ctx, msk(2026, 11, 27, 19, 0))
    [panels] = [p for p in drawn.calls if any(b.label == "Иван Петров" for b in p[0].bars)]
    deals, roubles, euros, dollars = panels
    assert [b.value for b in deals.bars] == [1, 4, 0]  # counts are counts: 4 of 10
    # The plan's currency against the plan, untouched by the dollars and euros.
    assert [b.value for b in roubles.bars] == [0.0, 200000.0, 0.0]
    assert roubles.bars[1].target == 1500000.0
    assert euros.title == "Сумма выигранных, € (план — в ₽)"
    assert figures(euros) == [
        ("Анна Козлова", 0.0, None, "0"),
        ("Иван Петров", 300.0, None, "300"),
        ("Пётр Сидоров", 0.0, None, "0"),
    ]
    assert dollars.title == "Сумма выигранных, $ (план — в ₽)"
    assert [(b.value, b.tag) for b in dollars.bars] == [
        (2000.0, "2 тыс."),
        (1000.0, "1 тыс."),
        (0.0, "0"),
    ]
    assert all(b.target is None for b in [*euros.bars, *dollars.bars])
    # The own chart's caption lists them beside the plan, never in it.
    await day.ivan_client.send("/stats")
    await day.ivan_client.press("📈 График плана")
    [photo] = photos_to(app, day.ivan)
    caption = photo.caption or ""
    assert "Сумма: 200\u202f000 ₽ из 1\u202f500\u202f000 ₽ (13%)" in caption
    assert "Также выиграно: 300 € · 1\u202f000 $ (план — в ₽)" in caption
    assert "201" not in caption


async def test_managers_own_plan_chart_in_stats(app: App, drawn: Drawn) -> None:
    day = await build_day(app)
    app.clock.set(msk(2026, 11, 12, 15, 0))  # the 12th of 30 days
    await day.ivan_client.send("/stats")
    stats = day.ivan_client.last_message()
    # The text answer comes at once, the chart is behind a button.
    assert stats.text.startswith("📊 Ваша статистика · ноябрь 2026")
    assert not stats.photo and drawn.calls == []
    assert day.ivan_client.keyboard() == [["📈 График плана"], ["🔄 Обновить"]]
    await day.ivan_client.press("📈 График плана")
    [photo] = photos_to(app, day.ivan)
    assert_png(photo_bytes(photo))
    assert photo.caption == (
        "📈 <b>План на ноябрь 2026</b> · день 12 из 30\n"
        "Сделки: 2 из 10 (20%)\n"
        "Сумма: 200\u202f000 ₽ из 1\u202f500\u202f000 ₽ (13%)"
    )
    [[panel]] = drawn.calls
    assert panel.title == "Выполнение плана, % · день 12 из 30"
    assert figures(panel) == [("Сделки", 20, 100, "20%"), ("Сумма, ₽", 13, 100, "13%")]
    assert [b.marker for b in panel.bars] == [pytest.approx(40.0)] * 2  # 12 of 30 days
    # The stats message itself was left as it was.
    assert day.ivan_client.messages()[0].text == stats.text


async def test_manager_without_plan_has_no_chart(app: App, drawn: Drawn) -> None:
    day = await build_day(app)
    await day.petr_client.send("/stats")
    assert day.petr_client.keyboard() == [["🔄 Обновить"]]
    # A stale or forged chart button: a clear line, no broken picture.
    from bot.callbacks.stats import StatsChartCb, StatsScope

    data = StatsChartCb(scope=StatsScope.own).pack()
    await day.petr_client.press_data(data, day.petr_client.last_message())
    assert day.petr_client.last_message().text == "План на этот месяц не задан — графика нет."
    assert photos_to(app, day.petr) == [] and drawn.calls == []


async def test_leads_team_chart_in_stats_and_rights(app: App, drawn: Drawn) -> None:
    day = await build_day(app)
    await day.lead_client.send("/stats")
    await day.lead_client.press("📈 График плана")
    [photo] = photos_to(app, day.lead)
    assert (photo.caption or "").startswith(
        "📈 <b>План команды «Продажи» на ноябрь 2026</b> · день 27 из 30\nСделки: 2 из 10 (20%)"
    )
    [[deals, amount]] = drawn.calls
    assert [b.label for b in deals.bars] == ["Анна Козлова", "Иван Петров", "Пётр Сидоров"]
    assert [(b.value, b.target) for b in deals.bars] == [(0, None), (2, 10), (0, None)]
    assert [(b.value, b.target) for b in amount.bars][1] == (200000.0, 1500000.0)
    # Another team's chart button is refused, nothing drawn.
    from bot.callbacks.stats import StatsChartCb, StatsScope

    _, other_lead_user = day.other_lead, day.other_lead
    assert other_lead_user.team_id is not None
    data = StatsChartCb(scope=StatsScope.team, team_id=other_lead_user.team_id).pack()
    await day.lead_client.press_data(data, day.lead_client.last_message())
    assert day.lead_client.last_alert() == "Это не ваша команда."
    assert len(drawn.calls) == 1 and len(photos_to(app, day.lead)) == 1


def test_a_big_team_shows_the_months_best_in_name_order() -> None:
    from bot.i18n import Translator
    from bot.render.plan_chart import MAX_BARS, Pace, team_panels
    from models.services.reports import Counters, StatsRow

    rows = [
        StatsRow(i, f"М{i:02d}", counters=Counters(won_month=i % 7, plan_won=5)) for i in range(40)
    ]
    panels = team_panels(rows, Pace(1, 30), Translator("ru").for_locale("ru"))
    assert panels is not None
    bars: list[Bar] = list(panels[0].bars)
    assert len(bars) == MAX_BARS
    assert [b.label for b in bars] == sorted(b.label for b in bars)
    assert min(b.value for b in bars) >= max(
        r.counters.won_month for r in rows if r.name not in {b.label for b in bars}
    )
