"""/report's drill-down (a figure -> its deals -> a card; export .xlsx / .csv), rights on every
button (forged team, person and period ids), and typed custom dates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks.report import DrillCb, DrillExportCb, ReportCb, ReportView
from models import Deal
from models.periods import PeriodKind
from models.services.export import ExportFormat
from models.services.report_figures import Figure
from tests.conftest import App
from tests.import_support import last_document, read_csv, read_xlsx
from tests.report_support import ReportData, build_reports

NOV = (dt.date(2026, 11, 1).toordinal(), dt.date(2026, 11, 30).toordinal())


def _titles(text: str) -> list[str]:
    """The deals' titles of a list message, in order."""
    return [line.split(". ", 1)[1] for line in text.split("\n") if line[:1].isdigit()]


async def _title_of(app: App, data: ReportData, name: str) -> str:
    title = await app.scalar(select(Deal.title).where(Deal.id == data.deals[name]))
    assert isinstance(title, str)
    return title


async def test_funnel_figure_opens_its_deals_and_a_card(app: App) -> None:
    data = await build_reports(app)
    lead = data.lead_client
    await lead.send("/report 01.11.2026-30.11.2026")
    await lead.press("2. Собрать требования — 4")
    text = lead.last_message().text
    assert text.startswith(
        "📋 Дошли до этапа «Собрать требования»\n"
        "команда «Продажи» · 🗓 Прошлый месяц: 01.11.2026 – 30.11.2026\nВсего: 4"
    )
    expected = [await _title_of(app, data, n) for n in ("N6", "N3", "N2", "N1")]  # newest first
    assert _titles(text) == expected
    assert lead.keyboard()[-2:] == [["⬇️ Excel", "⬇️ CSV"], ["« К отчёту"]]
    # A card opens from the list.
    await lead.press("2. N3")
    assert "N3" in lead.last_message().text
    assert any("Заметка" in b for row in lead.keyboard() for b in row)
    # The list stays above the card: back to the report from it, then won of the cohort.
    listed = next(m for m in lead.messages() if m.text.startswith("📋"))
    (report,) = await lead.press("« К отчёту", message=listed)
    assert report.text.startswith("📈 Отчёт · команда «Продажи»")
    (won,) = await lead.press("🏆 Выиграли — 2", message=report)
    assert _titles(won.text) == [await _title_of(app, data, n) for n in ("N2", "N1")]
    assert "💰 1\u202f000 $" in won.text


async def test_source_and_person_figures(app: App) -> None:
    data = await build_reports(app)
    lead = data.lead_client
    await lead.send("/report 01.11.2026-30.11.2026")
    await lead.press("Источники")
    avito_lost = lead.last_message().inline_keyboard()[0][2]
    await lead.press_data(avito_lost.callback_data, lead.last_message())
    text = lead.last_message().text
    assert text.startswith("📋 Проиграны из источника «Avito»")
    assert _titles(text) == [await _title_of(app, data, "N4")]
    assert "💬 Дорого" in text
    await lead.press("« К отчёту")
    await lead.press("Менеджеры")
    await lead.press("Пётр Сидоров")
    assert lead.last_message().text.startswith("📈 Пётр Сидоров\n🗓 Прошлый месяц")
    assert lead.keyboard() == [
        ["Новые — 4", "Заметки — 1"],
        ["Переходы — 5", "🏆 Выиграно — 1"],
        ["❌ Проиграно — 2", "🔥 Просрочено — 0"],
        ["⚠️ Без шага — 1", "🕸 Застоялось — 1"],
        ["⏸ На паузе — 1"],
        ["« К отчёту"],
    ]
    for button, names in (
        ("Новые — 4", ("N8", "N5", "N4", "N3")),
        ("Заметки — 1", ("N3",)),
        ("Переходы — 5", ("N8", "N4", "N3", "O1")),  # 5 moves on 4 deals
        ("🏆 Выиграно — 1", ("O1",)),  # created in October, won in November
        ("❌ Проиграно — 2", ("N4", "N3")),
        ("⚠️ Без шага — 1", ("N5",)),
        ("🕸 Застоялось — 1", ("N5",)),
        ("⏸ На паузе — 1", ("N8",)),
    ):
        await lead.press(button)
        text = lead.last_message().text
        assert text.split("\n")[0] == f"📋 {_FIGURE[button]} · Пётр Сидоров", text
        assert _titles(text) == [await _title_of(app, data, n) for n in names], button
        await lead.press("« К отчёту")
    await lead.press("🔥 Просрочено — 0")
    assert lead.last_message().text.endswith("\n\nТаких сделок нет.")
    # Everybody's notes in the period: the lead's own note on N5 too.
    await lead.press("« К отчёту")
    await lead.press("« К отчёту")
    await lead.press("Итого по всем")
    await lead.press("Заметки — 4")
    assert _titles(lead.last_message().text) == [
        await _title_of(app, data, n) for n in ("N5", "N3", "N1")
    ]


_FIGURE = {
    "Новые — 4": "Новые сделки",
    "Заметки — 1": "Сделки с заметками",
    "Переходы — 5": "Сделки с переходами по этапам",
    "🏆 Выиграно — 1": "Выиграны за период",
    "❌ Проиграно — 2": "Проиграны за период",
    "⚠️ Без шага — 1": "Без следующего шага",
    "🕸 Застоялось — 1": "Застоялись",
    "⏸ На паузе — 1": "На паузе",
}


async def test_export_of_a_figure(app: App) -> None:
    data = await build_reports(app)
    lead = data.lead_client
    await lead.send("/report 01.11.2026-30.11.2026")
    await lead.press("Менеджеры")
    await lead.press("Иван Петров")
    await lead.press("🏆 Выиграно — 2")
    await lead.press("⬇️ Excel")
    doc = last_document(lead)
    assert doc.document_name == "report-2026-11-01-2026-11-30.xlsx"
    assert doc.text == "Выиграны за период · Иван Петров: 2 сделки"
    rows = read_xlsx(doc.document_bytes or b"")
    assert [r[0] for r in rows[1:]] == [data.deals["N2"], data.deals["N1"]]
    amounts = {(r[12], r[13]) for r in rows[1:]}
    # The deal without a currency is in the default one (₽), as the report counts it.
    assert {(float(a), c) for a, c in amounts} == {(1000.0, "USD"), (100000.0, "RUB")}
    await lead.press("⬇️ CSV")
    rows_csv = read_csv(last_document(lead).document_bytes or b"")
    assert [r[0] for r in rows_csv[1:]] == [str(data.deals["N2"]), str(data.deals["N1"])]
    assert {(r[12], r[13]) for r in rows_csv[1:]} == {("1000,00", "USD"), ("100000,00", "RUB")}


async def test_forged_buttons_are_refused(app: App) -> None:
    data = await build_reports(app)
    ivan = data.ivan_client
    await ivan.send("/report")
    message = ivan.last_message()
    sent_before = len(ivan.messages())
    start, end = NOV
    forged = [
        # A manager asking for his team, another team, a colleague's figures and deals.
        ReportCb(view=ReportView.managers, team=data.team_id, start=start, end=end),
        ReportCb(view=ReportView.funnel, team=data.north_team_id, start=start, end=end),
        ReportCb(view=ReportView.person, key=data.petr.id, start=start, end=end),
        ReportCb(view=ReportView.teams, start=start, end=end),
        DrillCb(fig=Figure.mgr_won, key=data.petr.id, start=start, end=end),
        DrillCb(fig=Figure.mgr_new, team=data.team_id, start=start, end=end),
        DrillCb(fig=Figure.src_new, team=data.north_team_id, start=start, end=end),
        DrillExportCb(
            fig=Figure.mgr_lost, fmt=ExportFormat.xlsx, key=data.petr.id, start=start, end=end
        ),
        DrillExportCb(
            fig=Figure.cohort, fmt=ExportFormat.csv, team=data.team_id, start=start, end=end
        ),
    ]
    for data_ in forged:
        await ivan.press_data(data_.pack(), message)
        assert ivan.last_alert() == "Это не ваши данные: отчёт доступен только по вашей команде.", (
            data_
        )
    assert len(ivan.messages()) == sent_before  # nothing sent, no document
    assert ivan.last_message().text == message.text  # nothing edited
    # A lead: not another team, not a person of another team.
    lead = data.lead_client
    await lead.send("/report")
    message = lead.last_message()
    for data_ in (
        ReportCb(view=ReportView.sources, team=data.north_team_id, start=start, end=end),
        DrillCb(fig=Figure.mgr_notes, key=data.sergey.id, start=start, end=end),
        DrillCb(fig=Figure.mgr_notes, key=data.sergey.id, team=data.team_id, start=start, end=end),
        ReportCb(view=ReportView.person, key=data.sergey.id, start=start, end=end),
    ):
        await lead.press_data(data_.pack(), message)
        assert lead.last_alert() == "Это не ваши данные: отчёт доступен только по вашей команде."
    # His own figures open for the manager.
    await ivan.press_data(
        DrillCb(fig=Figure.mgr_won, key=data.ivan.id, start=start, end=end).pack(), message
    )
    assert ivan.last_message().text.startswith("📋 Выиграны за период · Иван Петров")


async def test_broken_periods_in_buttons(app: App) -> None:
    data = await build_reports(app)
    lead = data.lead_client
    await lead.send("/report")
    message = lead.last_message()
    for data_ in (
        ReportCb(view=ReportView.funnel, start=NOV[1], end=NOV[0]),  # reversed
        ReportCb(view=ReportView.funnel, start=1, end=400),  # before 2000
        ReportCb(view=ReportView.funnel, start=NOV[0], end=NOV[0] + 800),  # too long
        ReportCb(view=ReportView.funnel, start=NOV[0], end=2**31 - 1),  # beyond the calendar
        ReportCb(view=ReportView.funnel, preset=PeriodKind.custom),  # no dates at all
    ):
        await lead.press_data(data_.pack(), message)
        assert lead.last_alert() is not None
        assert lead.last_message().text == message.text


async def test_custom_dates(app: App) -> None:
    data = await build_reports(app)
    lead = data.lead_client
    await lead.send("/report")
    await lead.press("Источники")
    await lead.press("📅 Свои даты")
    assert lead.last_message().text.startswith("📅 Напишите период одной строкой")
    for typed, answer in (
        ("вчера", "Не понял даты. Напишите период так: «01.10.2026-15.10.2026»."),
        ("32.10.2026-01.11.2026", "Такой даты нет в календаре."),
        ("15.10.2026-01.10.2026", "Начало периода позже конца. Напишите сначала раннюю дату."),
        ("01.01.2025-01.06.2026", "Период длиннее 366 дней. Выберите период покороче."),
    ):
        await lead.send(typed)
        assert lead.last_message().text.startswith(answer), typed
    await lead.send("1.10.26 - 15.10.26")
    text = lead.last_message().text
    assert text.startswith("📈 Отчёт · команда «Продажи»\n🗓 01.10.2026 – 15.10.2026\n\n")
    assert "Источники" in text and "Avito: новых 1 · выиграно 1 (100%) · 💰 50\u202f000 ₽" in text
    # The state is gone: the next text is not taken for dates.
    await lead.send("01.11.2026-30.11.2026")
    assert not lead.last_message().text.startswith("📈")
    # A chip pressed instead of typing leaves the prompt too.
    await lead.press("📅 Свои даты")
    await lead.press("Этот месяц")
    await lead.send("01.11.2026-30.11.2026")
    assert not lead.last_message().text.startswith("📈")
    # A typed command leaves the dates prompt.
    await lead.press("📅 Свои даты")
    await lead.send("/report 01.11.2026-30.11.2026")
    assert lead.last_message().text.startswith("📈 Отчёт · команда «Продажи»\n🗓 Прошлый месяц")
    await lead.send("/report 31.02.2026-01.03.2026")
    assert lead.last_message().text.startswith("Такой даты нет в календаре.")
