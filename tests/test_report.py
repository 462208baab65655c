"""/report: every figure of the funnel, the sources and the managers against the hand-built
data set (tests/report_support.py, every expected figure worked out there by hand), in
several periods, both languages and two time zones; an empty period; the report writes
nothing."""

from __future__ import annotations

from aiogram.methods import SendPhoto
from aiogram.types import BufferedInputFile
from sqlalchemy import func, select

from models import Deal, DealEvent, Note
from models.roles import Role
from tests.conftest import ADMIN_ID, App
from tests.reminders_support import set_user
from tests.report_support import build_reports

HEAD_NOV = "📈 Отчёт · команда «Продажи»\n🗓 Прошлый месяц: 01.11.2026 – 30.11.2026\n\n"
FUNNEL_NOV = (
    "Воронка · создано за период: 7 сделок\n"
    # 7 created; N1, N2, N3, N6 got past contacts; N1, N2, N6 reached proposal; N1, N2 won.
    "1. Найти все контакты и соцсети — 7 · дальше 57% · ⏱ 1,5 дн.\n"
    "2. Собрать требования — 4 · дальше 75% · ⏱ 5,0 дн.\n"
    "3. Направить портфолио — 3 · дальше 100%\n"
    "4. Направить КП — 3 · дальше 67% · ⏱ 10,0 дн.\n"
    "5. Презентацию проводим — 2 · дальше 100%\n"
    "6. Возражения обрабатываем — 2 · дальше 100%\n"
    "7. Сделку закрываем, договор обсуждаем — 2 · дальше 100%\n"
    "🏆 Выиграли — 2 (29% от новых) · 💰 100\u202f000 ₽ · 1\u202f000 $\n"
    "❌ Проиграли — 2 · ⏸ На паузе — 1 · 📂 В работе — 2\n\n"
    "Этап считается пройденным, если сделка дошла до него или дальше; ⏱ — медиана дней на "
    "этапе до перехода."
)
SOURCES_NOV = (
    "Источники · сделки, созданные за период\n\n"
    "Avito: новых 3 · выиграно 2 (67%) · 💰 100\u202f000 ₽ · 1\u202f000 $\n"
    "   ❌ проиграно 1: Дорого — 1\n\n"
    "Cetera.ru: новых 3 · выиграно 0 (0%)\n"
    "   ❌ проиграно 1: Дорого — 1\n\n"
    "Без источника: новых 1 · выиграно 0 (0%)"
)
MANAGERS_NOV = (
    "Менеджеры · за период\n\n"
    "Иван Петров\n"
    "новых 3 · заметок 2 · переходов по этапам 5\n"
    "🏆 выиграно 2 из 5 · 💰 100\u202f000 ₽ из 1\u202f500\u202f000 ₽ · 1\u202f000 $ · "
    "❌ проиграно 0\n"
    "сейчас: 🔥 просрочено 1 · ⚠️ без шага 0 · 🕸 застоялось 0 · ⏸ на паузе 0\n\n"
    "Ольга Лидова\n"
    "новых 0 · заметок 1 · переходов по этапам 0\n"
    "🏆 выиграно 0 · 💰 0 ₽ · ❌ проиграно 0\n"
    "сейчас: 🔥 просрочено 0 · ⚠️ без шага 0 · 🕸 застоялось 0 · ⏸ на паузе 0\n\n"
    "Пётр Сидоров\n"
    "новых 4 · заметок 1 · переходов по этапам 5\n"
    "🏆 выиграно 1 из 2 · 💰 50\u202f000 ₽ · ❌ проиграно 2\n"
    "сейчас: 🔥 просрочено 0 · ⚠️ без шага 1 · 🕸 застоялось 1 · ⏸ на паузе 1\n\n"
    "Итого\n"
    "новых 7 · заметок 4 · переходов по этапам 10\n"
    "🏆 выиграно 3 из 7 · 💰 150\u202f000 ₽ из 1\u202f500\u202f000 ₽ · 1\u202f000 $ · "
    "❌ проиграно 2\n"
    "сейчас: 🔥 просрочено 1 · ⚠️ без шага 1 · 🕸 застоялось 1 · ⏸ на паузе 1"
)
CHIPS = [
    ["Эта неделя", "Прошлая неделя"],
    ["Этот месяц", "✓ Прошлый месяц"],
    ["Этот квартал", "Прошлый квартал"],
    ["📅 Свои даты", "🖼 График"],
]


async def _written(app: App) -> tuple[int, int, int, object]:
    """What a report must never change: counts of deals, notes, events, the last update."""
    async with app.session_factory() as session:
        return (
            int(await session.scalar(select(func.count(Deal.id))) or 0),
            int(await session.scalar(select(func.count(Note.id))) or 0),
            int(await session.scalar(select(func.count(DealEvent.id))) or 0),
            await session.scalar(select(func.max(Deal.updated_at))),
        )


async def test_lead_sees_every_section_of_last_month(app: App) -> None:
    data = await build_reports(app)
    before = await _written(app)
    lead = data.lead_client
    await lead.send("/report")
    assert lead.last_message().text.startswith(
        "📈 Отчёт · команда «Продажи»\n🗓 Этот месяц: 01.12.2026 – 31.12.2026\n\n"
        "Воронка · создано за период: 1 сделка\n"  # N7 (00:30 of 01.12 in Moscow)
        "1. Найти все контакты и соцсети — 1 · дальше 0%\n"
        "2. Собрать требования — 0\n"
    )
    await lead.press("Прошлый месяц")
    assert lead.last_message().text == HEAD_NOV + FUNNEL_NOV
    assert lead.keyboard() == [
        ["1. Найти все контакты и соцсети — 7", "2. Собрать требования — 4"],
        ["3. Направить портфолио — 3", "4. Направить КП — 3"],
        ["5. Презентацию проводим — 2", "6. Возражения обрабатываем — 2"],
        ["7. Сделку закрываем, договор о… — 2"],
        ["🏆 Выиграли — 2", "❌ Проиграли — 2"],
        ["✓ Воронка", "Источники", "Менеджеры"],
        *CHIPS,
    ]
    await lead.press("Источники")
    assert lead.last_message().text == HEAD_NOV + SOURCES_NOV
    assert lead.keyboard()[:3] == [
        ["Avito: новые 3", "🏆 2", "❌ 1"],
        ["Cetera.ru: новые 3", "❌ 1"],
        ["Без источника: новые 1"],
    ]
    await lead.press("Менеджеры")
    assert lead.last_message().text == HEAD_NOV + MANAGERS_NOV
    assert lead.keyboard()[:3] == [
        ["Иван Петров", "Ольга Лидова"],
        ["Пётр Сидоров"],
        ["Итого по всем"],
    ]
    assert "Сергей" not in lead.last_message().text
    assert await _written(app) == before


async def test_quarters_and_weeks(app: App) -> None:
    data = await build_reports(app)
    lead = data.lead_client
    await lead.send("/report")
    await lead.press("Этот квартал")
    text = lead.last_message().text
    # Q4: November's 7, O1 (15.10) and N7 (01.12); O1 won, N7 open at contacts.
    assert "🗓 Этот квартал: 01.10.2026 – 31.12.2026" in text
    assert "Воронка · создано за период: 9 сделок\n" in text
    # O1 is won: it passed every stage (N1, N2, N3, N6 and O1 got past contacts).
    assert "1. Найти все контакты и соцсети — 9 · дальше 56%" in text
    assert "4. Направить КП — 4 · дальше 75%" in text
    # O1 sat 18 days at contacts: the stays 0.44, 1, 1, 2, 2, 2, 18 -> median 2.
    assert "⏱ 2,0 дн." in text
    assert "🏆 Выиграли — 3 (33% от новых) · 💰 150\u202f000 ₽ · 1\u202f000 $" in text
    await lead.press("Источники")
    text = lead.last_message().text
    assert "Avito: новых 5 · выиграно 3 (60%) · 💰 150\u202f000 ₽ · 1\u202f000 $" in text
    await lead.press("Менеджеры")
    text = lead.last_message().text
    # The quarter's plan is the sum of its months' plans (only November has any).
    assert (
        "Иван Петров\nновых 4 · заметок 3 · переходов по этапам 6\n"
        "🏆 выиграно 2 из 5 · 💰 100\u202f000 ₽ из 1\u202f500\u202f000 ₽ · 1\u202f000 $" in text
    )
    assert "Пётр Сидоров\nновых 5 · заметок 1 · переходов по этапам 5\n" in text
    await lead.press("Прошлый квартал")
    text = lead.last_message().text
    assert "🗓 Прошлый квартал: 01.07.2026 – 30.09.2026" in text
    assert "Иван Петров\nновых 1 · заметок 0 · переходов по этапам 1\n" in text
    assert "❌ проиграно 1" in text
    await lead.press("Источники")
    text = lead.last_message().text
    assert text.endswith("Cetera.ru: новых 1 · выиграно 0 (0%)\n   ❌ проиграно 1: Нет бюджета — 1")
    # A week is not whole months: no plan, and the report says why.
    await lead.press("Прошлая неделя")  # 23.11-29.11: nothing created, nothing done
    assert lead.last_message().text.endswith("\n\nЗа этот период новых сделок нет.")
    await lead.press("Менеджеры")  # a chip keeps the section, a section keeps the period
    assert lead.last_message().text.endswith(
        "Итого\nновых 0 · заметок 0 · переходов по этапам 0\n"
        "🏆 выиграно 0 · 💰 0 ₽ · ❌ проиграно 0\n"
        "сейчас: 🔥 просрочено 1 · ⚠️ без шага 1 · 🕸 застоялось 1 · ⏸ на паузе 1\n\n"
        "План сравнивается за периоды из целых месяцев."
    )
    await lead.press("Воронка")
    assert lead.last_message().text.endswith("За этот период новых сделок нет.")
    await lead.press("Эта неделя")  # 30.11-06.12: N6 (30.11 23:30) and N7
    assert "Воронка · создано за период: 2 сделки" in lead.last_message().text


async def test_the_viewer_time_zone_decides_the_days(app: App) -> None:
    data = await build_reports(app)
    # In Vladivostok (+10) N6, created at 23:30 of 30.11 in Moscow, is a December deal.
    await set_user(app, data.lead, timezone="Asia/Vladivostok")
    lead = data.lead_client
    await lead.send("/report")
    assert "Воронка · создано за период: 2 сделки" in lead.last_message().text
    await lead.press("Прошлый месяц")
    assert "Воронка · создано за период: 6 сделок" in lead.last_message().text


async def test_english(app: App) -> None:
    data = await build_reports(app)
    await set_user(app, data.lead, language="en")
    lead = data.lead_client
    await lead.send("/report 01.11.2026-30.11.2026")
    text = lead.last_message().text
    assert text.startswith(
        "📈 Report · team “Продажи”\n🗓 Last month: 01 Nov 2026 – 30 Nov 2026\n\n"
        "Funnel · created in the period: 7 deals\n"
        "1. Find all contacts and socials — 7 · on 57% · ⏱ 1.5 d\n"
    )
    assert "🏆 Won — 2 (29% of new) · 💰 100\u202f000 ₽ · 1\u202f000 $" in text
    await lead.press("Managers")
    assert "new 3 · notes 2 · stage moves 5" in lead.last_message().text
    await lead.press("Sources")
    assert "No source: new 1 · won 0 (0%)" in lead.last_message().text


async def test_manager_sees_only_own_figures(app: App) -> None:
    data = await build_reports(app)
    ivan = data.ivan_client
    await ivan.send("📈 Отчёт")  # the main-menu button
    await ivan.press("Прошлый месяц")
    text = ivan.last_message().text
    assert text.startswith("📈 Отчёт · ваши показатели\n")
    assert "Воронка · создано за период: 3 сделки" in text  # N1, N2, N6
    await ivan.press("Менеджеры")
    text = ivan.last_message().text
    assert "Иван Петров\nновых 3 · заметок 2 · переходов по этапам 5" in text
    assert "Пётр" not in text and "Итого" not in text
    assert "👥" not in str(ivan.keyboard())  # no team picker


async def test_admin_picks_a_team_or_everybody(app: App) -> None:
    await build_reports(app)
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    await admin.send("/report 01.11.2026-30.11.2026")
    text = admin.last_message().text
    assert text.startswith("📈 Отчёт · все команды\n")
    # Both teams' November: 7 + Z (won, 999 $).
    assert "Воронка · создано за период: 8 сделок" in text
    assert "🏆 Выиграли — 3 (38% от новых) · 💰 100\u202f000 ₽ · 1\u202f999 $" in text
    await admin.press("👥 Команда: Все команды")
    assert admin.last_message().text == "👥 Чей отчёт показать?"
    assert admin.keyboard() == [["Все команды"], ["Продажи"], ["Север"]]
    await admin.press("Север")
    text = admin.last_message().text
    assert text.startswith("📈 Отчёт · команда «Север»\n🗓 Прошлый месяц")
    assert "Воронка · создано за период: 1 сделка" in text
    assert "🏆 Выиграли — 1 (100% от новых) · 💰 999 $" in text
    await admin.press("Менеджеры")
    assert (
        "Сергей Чужой\nновых 1 · заметок 1 · переходов по этапам 1\n" in admin.last_message().text
    )
    assert "Иван" not in admin.last_message().text


async def test_empty_period_says_so(app: App) -> None:
    data = await build_reports(app)
    lead = data.lead_client
    await lead.send("/report 01.01.2026-31.01.2026")
    assert lead.last_message().text == (
        "📈 Отчёт · команда «Продажи»\n🗓 01.01.2026 – 31.01.2026\n\n"
        "За этот период новых сделок нет."
    )
    await lead.press("Источники")
    assert lead.last_message().text.endswith("\n\nЗа этот период новых сделок нет.")
    # Nothing done in the period and nothing in work now (Z is won): said so too.
    north = data.north_lead_client
    await north.send("/report 01.01.2026-31.01.2026")
    await north.press("Менеджеры")
    assert north.last_message().text.endswith(
        "За этот период ничего не происходило, и в работе сейчас пусто."
    )


async def test_chart_is_sent_as_a_photo(app: App) -> None:
    data = await build_reports(app)
    lead = data.lead_client
    await lead.send("/report 01.11.2026-30.11.2026")
    for section in ("Воронка", "Источники", "Менеджеры"):
        await lead.press(section)
        await lead.press("🖼 График")
        photo = lead.last_message()
        assert photo.photo
        sent = [r for r in app.telegram.requests if isinstance(r, SendPhoto)][-1]
        assert isinstance(sent.photo, BufferedInputFile)
        assert sent.photo.data.startswith(b"\x89PNG")
        assert photo.text == "📈 команда «Продажи» · Прошлый месяц: 01.11.2026 – 30.11.2026"


async def test_a_big_team_fits_telegram_limits(app: App) -> None:
    data = await build_reports(app)
    for n in range(40):
        await app.add_user(
            Role.manager, name=f"Менеджер {n:02d} Длиннофамильный", team_id=data.team_id
        )
    lead = data.lead_client
    await lead.send("/report 01.11.2026-30.11.2026")
    await lead.press("Менеджеры")
    message = lead.last_message()
    assert len(message.html) <= 4096
    assert "… и ещё " in message.text  # the blocks that do not fit are counted
    assert message.text.count("Итого") == 1  # the total always shows
    buttons = [b for row in message.buttons() for b in row]
    assert len(buttons) <= 100
    assert buttons[:2] == ["Иван Петров", "Менеджер 00 Длиннофамильный"]
    assert "›" in buttons  # 43 people: 20 a page
    await lead.press("›")
    second = [b for row in lead.last_message().buttons() for b in row]
    assert second[0] == "Менеджер 19 Длиннофамильный" and "‹" in second
