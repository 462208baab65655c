"""/settings: digest time, time zone, work days, a lead's summary time; every change saved
(checked in the database) and confirmed; bad input refused and nothing changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks.stats import SettingsAction, SettingsCb
from models import Deal, User
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal
from tests.stats_support import make_team


async def prefs(app: App, user: User) -> tuple[dt.time, dt.time, str, str]:
    fresh = await app.scalar(select(User).where(User.id == user.id))
    return fresh.digest_time, fresh.summary_time, fresh.timezone, fresh.work_days


async def test_overview_shows_current_values(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send("/settings")
    assert ivan.last_message().text == (
        "⚙️ Настройки\n\n"
        "☀️ Утренний дайджест: 09:00\n"
        "🌍 Часовой пояс: Europe/Moscow (сейчас 09:00)\n"
        "📆 Рабочие дни: Пн, Вт, Ср, Чт, Пт\n"
        "⏰ Напоминать заранее: выключено\n"
        "🌐 Язык: русский — сменить: /lang"
    )
    assert ivan.keyboard() == [
        ["☀️ Время дайджеста", "🌍 Часовой пояс"],
        ["📆 Рабочие дни", "🌐 Язык"],
        ["🙂 Профиль", "⏰ Заранее"],  # a manager has no people list (issue 10.4)
    ]
    olga, _, _ = await make_team(app, language="en")
    await olga.send("/settings")
    assert olga.last_message().text == (
        "⚙️ Settings\n\n"
        "☀️ Morning digest: 09:00\n"
        "📊 Team summary: 19:00\n"
        "🌍 Time zone: Europe/Moscow (now 09:00)\n"
        "📆 Work days: Mo, Tu, We, Th, Fr\n"
        "⏰ Remind in advance: off\n"
        "🌐 Language: English — change: /lang"
    )
    assert olga.keyboard()[0] == ["☀️ Digest time", "📊 Summary time"]


async def test_digest_time_by_chip_and_typed(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/settings")
    await ivan.press("☀️ Время дайджеста")
    assert "Во сколько присылать утренний дайджест?" in ivan.last_message().text
    assert ivan.keyboard() == [["08:00", "• 09:00", "10:00"], ["« Назад"]]
    await ivan.press("08:00")
    assert app.telegram.alerts[-1] == ("✅ Сохранено: дайджест в 08:00.", False)
    text = ivan.last_message().text
    assert text.startswith("✅ Сохранено: дайджест в 08:00.") and "Утренний дайджест: 08:00" in text
    assert (await prefs(app, user))[0] == dt.time(8, 0)

    await ivan.press("☀️ Время дайджеста")
    for bad in ("25:00", "9:60", "завтра", "<b>8</b>", "8" * 50):
        await ivan.send(bad)
        assert "Не понял время" in ivan.last_message().text, bad
    assert (await prefs(app, user))[0] == dt.time(8, 0)
    await ivan.send("7.45")  # still waiting for a time after the mistakes
    assert ivan.last_message().text.startswith("✅ Сохранено: дайджест в 07:45.")
    assert (await prefs(app, user))[0] == dt.time(7, 45)
    await ivan.send("6:00")  # the form is closed: an ordinary message now
    assert (await prefs(app, user))[0] == dt.time(7, 45)


async def test_back_and_cancel_leave_values_alone(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/settings")
    await ivan.press("☀️ Время дайджеста")
    await ivan.press("« Назад")
    assert ivan.last_message().text.startswith("⚙️ Настройки")
    await ivan.send("10:00")
    await ivan.press("🌍 Часовой пояс")
    await ivan.send("/cancel")
    await ivan.send("Asia/Omsk")
    assert await prefs(app, user) == (dt.time(9), dt.time(19), "Europe/Moscow", "12345")


async def test_timezone_by_button_and_typed(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    # A timed next step keeps its local wall-clock time in the new zone.
    deal = await make_deal(
        app, user, next_action_on=dt.date(2026, 11, 30), next_action_time=dt.time(15, 0)
    )
    await ivan.send("/settings")
    await ivan.press("🌍 Часовой пояс")
    buttons = [b for row in ivan.keyboard() for b in row]
    assert len(buttons) == 16 and buttons[-1] == "« Назад"
    assert "• Москва (UTC+3)" in buttons and "Нью-Йорк (UTC−5)" in buttons
    await ivan.press("Новосибирск (UTC+7)")
    assert ivan.last_message().text.startswith("✅ Сохранено: часовой пояс Asia/Novosibirsk.")
    assert "Часовой пояс: Asia/Novosibirsk (сейчас 13:00)" in ivan.last_message().text
    assert (await prefs(app, user))[2] == "Asia/Novosibirsk"
    moved = await app.scalar(select(Deal).where(Deal.id == deal.id))
    assert moved.next_action_at == dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)

    await ivan.press("🌍 Часовой пояс")
    for bad in ("Mars/Base", "Moskva City", "../../etc/passwd", "UTC+3", "x" * 100):
        await ivan.send(bad)
        assert "Не знаю часовой пояс" in ivan.last_message().text, bad
    assert (await prefs(app, user))[2] == "Asia/Novosibirsk"
    await ivan.send("asia/almaty")  # any IANA name, any case
    assert "часовой пояс Asia/Almaty" in ivan.last_message().text
    assert (await prefs(app, user))[2] == "Asia/Almaty"
    await ivan.press("🌍 Часовой пояс")
    await ivan.send("нью-йорк")  # the name of an offered city, in either language
    assert (await prefs(app, user))[2] == "America/New_York"


async def test_work_days_toggle_and_never_none(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/settings")
    await ivan.press("📆 Рабочие дни")
    assert ivan.keyboard() == [
        ["✅ Пн", "✅ Вт", "✅ Ср", "✅ Чт"],
        ["✅ Пт", "▫️ Сб", "▫️ Вс"],
        ["✅ Готово"],
    ]
    await ivan.press("▫️ Сб")
    assert (await prefs(app, user))[3] == "123456"
    assert app.telegram.alerts[-1] == ("✅ Сохранено: рабочие дни — Пн, Вт, Ср, Чт, Пт, Сб.", False)
    for day in ("Пн", "Вт", "Ср", "Чт", "Пт"):
        await ivan.press(f"✅ {day}")
    assert (await prefs(app, user))[3] == "6"
    # The last work day cannot be switched off.
    await ivan.press("✅ Сб")
    assert ivan.last_alert() == "Нужен хотя бы один рабочий день."
    assert (await prefs(app, user))[3] == "6"
    message = ivan.last_message()
    await ivan.press_data(SettingsCb(action=SettingsAction.toggle_day, value=9).pack(), message)
    assert ivan.last_alert() == "Такого дня недели нет."
    await ivan.press("✅ Готово")
    assert "📆 Рабочие дни: Сб" in ivan.last_message().text


async def test_lead_sets_summary_time_and_manager_cannot(app: App) -> None:
    olga, lead, _ = await make_team(app)
    await olga.send("/settings")
    await olga.press("📊 Время сводки")
    assert olga.keyboard() == [["18:00", "• 19:00", "20:00"], ["« Назад"]]
    await olga.press("20:00")
    assert (await prefs(app, lead))[1] == dt.time(20, 0)
    assert "Сводка команды: 20:00" in olga.last_message().text
    await olga.press("📊 Время сводки")
    await olga.send("24:00")
    assert "Не понял время «24:00»" in olga.last_message().text
    await olga.send("18:30")
    assert (await prefs(app, lead))[1] == dt.time(18, 30)

    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/settings")
    message = ivan.last_message()
    for data in (
        SettingsCb(action=SettingsAction.summary).pack(),
        SettingsCb(action=SettingsAction.set_summary, value=1800).pack(),
    ):
        await ivan.press_data(data, message)
        assert ivan.last_alert() == "Сводку команды получают руководители."
    assert (await prefs(app, user))[1] == dt.time(19, 0)


async def test_forged_values_are_refused(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/settings")
    message = ivan.last_message()
    for data, alert in [
        (SettingsCb(action=SettingsAction.set_digest, value=2500).pack(), "Не понял время"),
        (SettingsCb(action=SettingsAction.set_digest, value=961).pack(), "Не понял время"),
        (SettingsCb(action=SettingsAction.set_timezone, value=99).pack(), "Не знаю часовой"),
        # Negative: does not unpack (bot/callbacks/fields.py), answered as an old button.
        (f"ust:{SettingsAction.set_timezone.value}:-1", "Эта кнопка устарела"),
    ]:
        await ivan.press_data(data, message)
        assert alert in (ivan.last_alert() or ""), data
    assert await prefs(app, user) == (dt.time(9), dt.time(19), "Europe/Moscow", "12345")


async def test_language_button_offers_the_languages(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/settings")
    await ivan.press("🌐 Язык")
    assert ivan.last_message().text == "Выберите язык интерфейса:"
    await ivan.press("🇬🇧 English")
    assert (await app.scalar(select(User.language).where(User.id == user.id))) == "en"
    await ivan.send("/settings")
    assert ivan.last_message().text.startswith("⚙️ Settings")
