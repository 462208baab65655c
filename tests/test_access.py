"""Foundation: admin bootstrap, invites, unknown and deactivated users, language switch."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from models import DealEvent, Invite, Team, User
from models.roles import Role
from tests.conftest import ADMIN_ID, App
from tests.mocked_bot import BOT_USERNAME


async def _all_rows(app: App) -> dict[str, int]:
    return {
        "users": await app.count(User),
        "invites": await app.count(Invite),
        "teams": await app.count(Team),
        "events": await app.count(DealEvent),
    }


async def _invite_code(app: App, admin, role: str) -> str:
    await admin.send(f"/invite {role}")
    text = admin.last_message().text
    prefix = f"https://t.me/{BOT_USERNAME}?start="
    assert prefix in text, text
    return text.split(prefix)[1].split()[0]


async def test_admin_from_settings_is_bootstrapped_at_start(app: App) -> None:
    admin = app.client(ADMIN_ID, first_name="Анна", last_name=None)
    await admin.send("/start")
    assert "Вы администратор" in admin.last_message().text
    user = await app.scalar(select(User).where(User.telegram_id == ADMIN_ID))
    assert user is not None and user.role is Role.admin and user.is_active
    # The persistent main menu came with the welcome.
    assert admin.last_message().reply_keyboard()[0][0].text == "➕ Новая сделка"
    # A second /start changes nothing.
    await admin.send("/start")
    assert await app.count(User) == 1


async def test_unknown_user_is_denied_and_nothing_is_written(app: App) -> None:
    stranger = app.client(555)
    before = await _all_rows(app)
    for text in ("/start", "привет", "/new Иван, ivan@firm.ru", "/invite manager", "/lang en"):
        sent = await stranger.send(text)
        assert len(sent) == 1
        assert "нет доступа" in sent[0].text and "555" in sent[0].text
    await stranger.press_data("lg:en", stranger.last_message())
    assert app.telegram.alerts[-1] == ("Нет доступа.", True)
    assert await _all_rows(app) == before


async def test_unknown_english_speaker_is_denied_in_english(app: App) -> None:
    stranger = app.client(556, language_code="en")
    await stranger.send("hello")
    assert "no access" in stranger.last_message().text and "556" in stranger.last_message().text


async def test_invite_link_registers_a_manager_once(app: App) -> None:
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    code = await _invite_code(app, admin, "manager")
    assert "одноразовая" in admin.last_message().text

    newcomer = app.client(2001, first_name="Пётр", last_name="Сидоров")
    await newcomer.send(f"/start {code}")
    assert "с ролью «менеджер»" in newcomer.last_message().text
    user = await app.scalar(select(User).where(User.telegram_id == 2001))
    assert user.role is Role.manager and user.full_name == "Пётр Сидоров"
    invite = await app.scalar(select(Invite).where(Invite.code == code))
    assert invite.used_by_id == user.id and invite.used_at is not None

    # The same link cannot be used by somebody else.
    other = app.client(2002)
    before = await _all_rows(app)
    await other.send(f"/start {code}")
    assert "уже использовано" in other.last_message().text
    assert "2002" in other.last_message().text
    assert await _all_rows(app) == before
    assert await app.scalar(select(User).where(User.telegram_id == 2002)) is None


async def test_expired_invite_is_refused(app: App) -> None:
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    code = await _invite_code(app, admin, "operator")
    app.clock.advance(hours=app.settings.invite_ttl_hours, seconds=1)
    late = app.client(2003)
    before = await _all_rows(app)
    await late.send(f"/start {code}")
    assert "Срок приглашения истёк" in late.last_message().text
    assert await _all_rows(app) == before


async def test_unknown_invite_code_is_refused(app: App) -> None:
    guesser = app.client(2004)
    await guesser.send("/start notarealcode123")
    assert "не найдено" in guesser.last_message().text
    assert await app.count(User) == 0


async def test_an_invite_code_with_a_nul_or_odd_characters_is_refused_politely(app: App) -> None:
    """A NUL in a query parameter broke PostgreSQL ("invalid byte sequence"): such a code is
    not one of ours, and is refused before any query."""
    guesser = app.client(2005)
    for code in ("ab\x00cd", "x" * 300, "'; DROP TABLE users; --", "<b>код</b>"):
        await guesser.send(f"/start {code}")
        assert "не найдено" in guesser.last_message().text
    assert await app.count(User) == 0


async def test_lead_invites_into_own_team_and_manager_cannot_invite(app: App) -> None:
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    lead_code = await _invite_code(app, admin, "lead")
    lead = app.client(3001, first_name="Ольга", last_name="Лидова")
    await lead.send(f"/start {lead_code}")
    lead_user = await app.scalar(select(User).where(User.telegram_id == 3001))
    assert lead_user.role is Role.lead and lead_user.team_id is not None
    team = await app.scalar(select(Team).where(Team.id == lead_user.team_id))
    assert team.lead_id == lead_user.id

    # A lead may not create another lead (only an admin may).
    await lead.send("/invite lead")
    assert "не можете приглашать" in lead.last_message().text
    code = await _invite_code(app, lead, "manager")
    manager = app.client(3002)
    await manager.send(f"/start {code}")
    manager_user = await app.scalar(select(User).where(User.telegram_id == 3002))
    assert manager_user.team_id == lead_user.team_id

    invites_before = await app.count(Invite)
    await manager.send("/invite manager")
    assert "нет прав" in manager.last_message().text
    assert await app.count(Invite) == invites_before


async def test_invite_role_buttons(app: App) -> None:
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    await admin.send("/invite")
    assert admin.keyboard() == [["администратор", "руководитель"], ["менеджер", "оператор"]]
    await admin.press("оператор")
    assert "Приглашение для роли «оператор»" in admin.last_message().text
    assert await app.count(Invite, Invite.role == Role.operator) == 1


async def test_deactivated_user_is_treated_as_unknown(app: App) -> None:
    manager, user = await app.add_user(Role.manager)
    await manager.send("/menu")
    assert manager.last_message().text == "Главное меню."
    async with app.session_factory() as session, session.begin():
        await session.execute(update(User).where(User.id == user.id).values(is_active=False))
    await manager.send("/menu")
    assert "нет доступа" in manager.last_message().text
    await manager.send("/start")
    assert "нет доступа" in manager.last_message().text


async def test_deactivated_colleague_returns_with_a_new_invite(app: App) -> None:
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    manager, user = await app.add_user(Role.manager)
    async with app.session_factory() as session, session.begin():
        await session.execute(update(User).where(User.id == user.id).values(is_active=False))
    code = await _invite_code(app, admin, "operator")
    await manager.send(f"/start {code}")
    back = await app.scalar(select(User).where(User.id == user.id))
    assert back.is_active and back.role is Role.operator
    assert await app.count(User) == 2  # the same row, not a second account


async def test_language_switch(app: App) -> None:
    manager, user = await app.add_user(Role.manager)
    await manager.send("/lang")
    await manager.press("🇬🇧 English")
    assert manager.last_message().text == "Interface language: English."
    assert manager.last_message().reply_keyboard()[0][0].text == "➕ New deal"
    assert await app.scalar(select(User.language).where(User.id == user.id)) == "en"
    await manager.send("/cancel")
    assert manager.last_message().text == "Nothing to cancel."
    # The Russian keyboard still on the phone keeps working after the switch.
    await manager.send("📊 Статистика")
    assert "Stats" in manager.last_message().text
    await manager.send("/lang ru")
    assert manager.last_message().text == "Язык интерфейса: русский."
    await manager.send("/lang de")
    assert "Такого языка нет" in manager.last_message().text


async def test_error_handler_rolls_back_and_apologises(app: App, caplog) -> None:
    from aiogram import Router
    from aiogram.filters import Command

    boom = Router(name="boom")

    @boom.message(Command("boom"))
    async def explode(message, crm, user) -> None:
        user.full_name = "changed"
        await crm.session.flush()
        raise RuntimeError("kaboom")

    app.dp.include_router(boom)
    # The fallback router would catch /boom first; put the test router in front of it.
    app.dp.sub_routers.insert(1, app.dp.sub_routers.pop())
    manager, user = await app.add_user(Role.manager, name="Мария Смирнова")
    with caplog.at_level("ERROR"):
        await manager.send("/boom")
    assert "ничего не сохранено" in manager.last_message().text
    assert await app.scalar(select(User.full_name).where(User.id == user.id)) == "Мария Смирнова"
    assert any("failed" in r.getMessage() and r.exc_info for r in caplog.records)


async def test_invite_expiry_shown_in_inviters_zone(app: App) -> None:
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    await admin.send("/invite manager")
    expires = (app.clock() + dt.timedelta(hours=72)).astimezone(dt.timezone(dt.timedelta(hours=3)))
    assert expires.strftime("%d.%m.%Y %H:%M") in admin.last_message().text
