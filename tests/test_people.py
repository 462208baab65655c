"""/people: who sees whom, deactivate / reactivate, role and team, the hand-over of a
leaver's deals; and everything nobody may do (a manager opening it, a lead on another team,
the last admin, a deactivated new owner, a double tap, stale buttons)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks.people import PeopleAction, PeopleCb
from models import Deal, DealEvent, EventKind, Team, User
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, set_user
from tests.stats_support import make_team


async def _user(app: App, user_id: int) -> User:
    found = await app.scalar(select(User).where(User.id == user_id))
    assert found is not None
    return found


async def _open_card(client: ChatClient, name: str) -> None:
    await client.send("/people")
    await client.press(name)


async def test_manager_cannot_open_people(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send("/people")
    assert ivan.last_message().text == (
        "Список сотрудников доступен администраторам и руководителям."
    )
    # Nor by a forged button, nor from /settings (no button there for a manager).
    await ivan.send("/settings")
    assert "👥 Сотрудники" not in str(ivan.keyboard())
    await ivan.press_data(PeopleCb(action=PeopleAction.page).pack(), ivan.last_message())
    assert ivan.last_alert() == "Список сотрудников доступен администраторам и руководителям."


async def test_admin_sees_everybody_with_role_team_activity_and_reachability(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    lead, _lead_user, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    _, ivan = await app.add_user(Role.manager, name="Иван <Петров>", team_id=team_id)
    await set_user(app, ivan, is_reachable=False)
    await lead.send("/today")  # Ольга writes: her last activity is recorded
    await admin.send("/settings")
    await admin.press("👥 Сотрудники")
    text = admin.last_message().text
    assert "👥 Сотрудники\n3 сотрудника" in text
    assert "Иван <Петров> · менеджер · Продажи · не заходил(а) · ⛔ бот заблокирован" in text
    assert "Ольга Лидова · руководитель · Продажи · 27.11.2026 09:00" in text
    assert "Анна Админ · администратор · без команды" in text
    assert "Иван &lt;Петров&gt;" in admin.last_message().html
    await admin.press("Иван <Петров>")
    card = admin.last_message().text
    assert "Роль: менеджер" in card and "Команда: Продажи" in card
    assert "Сообщения: ⛔ не доходят" in card and "📂 0 открытых сделок" in card


async def test_last_seen_is_written_at_most_every_five_minutes(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await ivan.send("/today")
    first = (await _user(app, user.id)).last_seen_at
    assert first == app.clock()
    app.clock.set(app.clock() + dt.timedelta(minutes=4))
    await ivan.send("/today")
    assert (await _user(app, user.id)).last_seen_at == first  # no write for that update
    app.clock.set(app.clock() + dt.timedelta(minutes=2))
    await ivan.send("/today")
    assert (await _user(app, user.id)).last_seen_at == app.clock()


async def test_a_blocked_user_who_writes_again_is_reachable(app: App) -> None:
    ivan, user = await app.add_user(Role.manager)
    await set_user(app, user, is_reachable=False, last_seen_at=app.clock())
    await ivan.send("/today")  # within five minutes of last seen: still cleared
    assert (await _user(app, user.id)).is_reachable is True


async def test_lead_sees_only_the_team_and_deactivates_a_manager(app: App) -> None:
    lead, _lead_user, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    ivan, ivan_user = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await app.add_user(Role.manager, name="Чужой Менеджер")
    await lead.send("/people")
    text = lead.last_message().text
    assert "Иван Петров" in text and "Чужой" not in text and "2 сотрудника" in text
    await lead.press("Иван Петров")
    assert "🎭 Роль" not in str(lead.keyboard())  # roles and teams are an admin's
    await lead.press("🚫 Деактивировать")
    assert "Деактивировать сотрудника «Иван Петров»?" in lead.last_message().text
    await lead.press("Да, деактивировать")
    assert lead.last_alert() == "🚫 Доступ закрыт."
    assert "Доступ: 🚫 деактивирован(а)" in lead.last_message().text
    assert (await _user(app, ivan_user.id)).is_active is False
    # The deactivated manager is refused like a stranger.
    await ivan.send("/today")
    assert "нет доступа" in ivan.last_message().text.lower()
    # Reactivate.
    await lead.press("✅ Вернуть доступ")
    assert lead.last_alert() == "✅ Доступ возвращён."
    assert (await _user(app, ivan_user.id)).is_active is True


async def test_lead_cannot_act_on_another_team_an_admin_or_themself(app: App) -> None:
    lead, lead_user, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    _, other_team_lead, other_team = await make_team(app, "Юг", lead_name="Борис Южный")
    _, stranger = await app.add_user(Role.manager, name="Чужой Менеджер", team_id=other_team)
    _, admin = await app.add_user(Role.admin, name="Анна Админ", team_id=team_id)
    await lead.send("/people")
    listing = lead.last_message()
    for target in (stranger, other_team_lead):
        await lead.press_data(
            PeopleCb(action=PeopleAction.deactivate_yes, user_id=target.id).pack(), listing
        )
        assert lead.last_alert() == "Этот сотрудник не из вашей команды."
        assert (await _user(app, target.id)).is_active is True
    for target in (admin, lead_user):  # an admin of the team; the lead themself
        await lead.press_data(
            PeopleCb(action=PeopleAction.deactivate_yes, user_id=target.id).pack(), listing
        )
        assert lead.last_alert() == "Вы не можете менять этого сотрудника."
        assert (await _user(app, target.id)).is_active is True
    await lead.press_data(
        PeopleCb(action=PeopleAction.set_role, user_id=lead_user.id, item=4).pack(), listing
    )
    assert lead.last_alert() == "Роль и команду меняет администратор."
    assert (await _user(app, lead_user.id)).role is Role.lead


async def test_nobody_deactivates_or_demotes_the_last_active_admin(app: App) -> None:
    anna, anna_user = await app.add_user(Role.admin, name="Анна Админ")
    await _open_card(anna, "Анна Админ")
    await anna.press("🚫 Деактивировать")
    await anna.press("Да, деактивировать")
    assert anna.last_alert() == "Нельзя: это последний активный администратор."
    await anna.press("« Назад")
    await anna.press("🎭 Роль")
    await anna.press("менеджер")
    assert anna.last_alert() == "Нельзя: это последний активный администратор."
    user = await _user(app, anna_user.id)
    assert (user.is_active, user.role) == (True, Role.admin)
    # With a second admin, one of them may go.
    _, boris = await app.add_user(Role.admin, name="Борис Админ")
    await _open_card(anna, "Борис Админ")
    await anna.press("🚫 Деактивировать")
    await anna.press("Да, деактивировать")
    assert (await _user(app, boris.id)).is_active is False
    await _open_card(anna, "Анна Админ")
    await anna.press("🚫 Деактивировать")
    await anna.press("Да, деактивировать")
    assert anna.last_alert() == "Нельзя: это последний активный администратор."


async def test_admin_changes_role_and_team(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    _, _, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    _, ivan = await app.add_user(Role.manager, name="Иван Петров")
    await _open_card(admin, "Иван Петров")
    await admin.press("👥 Команда")
    await admin.press("Продажи")
    assert admin.last_alert() == "✅ Команда: Продажи."
    assert "Команда: Продажи" in admin.last_message().text
    await admin.press("🎭 Роль")
    await admin.press("оператор")
    assert admin.last_alert() == "✅ Роль: оператор."
    user = await _user(app, ivan.id)
    assert (user.role, user.team_id) == (Role.operator, team_id)
    # Made a lead without a team: they get a team of their own, with them as its lead.
    await admin.press("👥 Команда")
    await admin.press("Без команды")
    await admin.press("🎭 Роль")
    await admin.press("руководитель")
    user = await _user(app, ivan.id)
    team = await app.scalar(select(Team).where(Team.id == user.team_id))
    assert user.role is Role.lead and team is not None and team.lead_id == ivan.id


async def test_hand_over_of_a_leaver_one_step_audited_one_notice(app: App) -> None:
    lead, lead_user, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    petr, petr_user = await app.add_user(Role.manager, name="Пётр Сидоров", team_id=team_id)
    deals = [await make_deal(app, ivan, f"Клиент {n}") for n in range(21)]
    won = await make_deal(app, ivan, "Закрытая", stage_code="won")
    await _open_card(lead, "Иван Петров")
    assert "📂 21 открытая сделка" in lead.last_message().text
    await lead.press("🚫 Деактивировать")
    await lead.press("Да, деактивировать")
    assert lead.last_alert() == (
        "🚫 Доступ закрыт. За сотрудником осталась 21 открытая сделка — передайте их кнопкой ниже."
    )
    await lead.press("📦 Передать 21 сделку")
    assert "Иван Петров" not in str(lead.keyboard())  # not to the leaver
    await lead.press("Пётр Сидоров")
    assert "Передать 21 открытую сделку от «Иван Петров» сотруднику «Пётр Сидоров»?" in (
        lead.last_message().text
    )
    confirm = lead.last_message()
    yes = confirm.button_data(0, 0)  # kept: the message becomes the card again
    await lead.press_data(yes, confirm)
    assert lead.last_alert() == "✅ Передана 21 сделка. Новый ответственный: Пётр Сидоров."
    owners = set(await app.all(select(Deal.owner_id).where(Deal.id.in_([d.id for d in deals]))))
    assert owners == {petr_user.id}
    assert await app.scalar(select(Deal.owner_id).where(Deal.id == won.id)) == ivan.id
    events = await app.all(
        select(DealEvent).where(
            DealEvent.kind == EventKind.owner, DealEvent.actor_id == lead_user.id
        )
    )
    assert len(events) == 21 and {(e.old, e.new) for e in events} == {
        ("Иван Петров", "Пётр Сидоров")
    }
    # The titles' prefix followed the new owner.
    titles = set(await app.all(select(Deal.title).where(Deal.owner_id == petr_user.id)))
    assert "Пётр Сидоров — Клиент 0" in titles
    [notice] = petr.messages()
    assert notice.text.startswith("📦 Вам передана 21 открытая сделка. Прежний ответственный")
    # A double tap on the confirmation: nothing more moves, nobody is told twice.
    await lead.press_data(yes, confirm)
    assert lead.last_alert() == "Открытых сделок у сотрудника уже нет."
    assert len(petr.messages()) == 1
    assert await app.count(DealEvent, DealEvent.kind == EventKind.owner) == 21


async def test_hand_over_to_a_deactivated_person_is_refused(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    _, ivan = await app.add_user(Role.manager, name="Иван Петров")
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров")
    deal = await make_deal(app, ivan, "Ромашка")
    await _open_card(admin, "Иван Петров")
    await admin.press("📦 Передать 1 сделку")
    picker = admin.last_message()
    pick_petr = picker.button_data(0, 0)  # kept: the message becomes the confirmation
    await admin.press("Пётр Сидоров", message=picker)
    confirm = admin.last_message()
    await set_user(app, petr, is_active=False)  # meanwhile, Пётр leaves too
    await admin.press_data(confirm.button_data(0, 0), confirm)
    assert admin.last_alert() == "Этот сотрудник деактивирован: выберите другого."
    assert await app.scalar(select(Deal.owner_id).where(Deal.id == deal.id)) == ivan.id
    # The stale picker button for him is refused as well.
    await admin.press_data(pick_petr, picker)
    assert admin.last_alert() == "Этот сотрудник деактивирован: выберите другого."


async def test_stale_buttons_after_a_person_was_deactivated(app: App) -> None:
    anna, _ = await app.add_user(Role.admin, name="Анна Админ")
    boris, _ = await app.add_user(Role.admin, name="Борис Админ")
    _, _ivan = await app.add_user(Role.manager, name="Иван Петров")
    await _open_card(anna, "Иван Петров")
    anna_card = anna.last_message()
    await _open_card(boris, "Иван Петров")
    await boris.press("🚫 Деактивировать")
    await boris.press("Да, деактивировать")
    # Анна's card still offers "Deactivate": it says it is done already and shows the truth.
    await anna.press("🚫 Деактивировать", message=anna_card)
    assert anna.last_alert() == "Уже сделано."
    assert "Доступ: 🚫 деактивирован(а)" in anna.last_message().text
    # A deactivated admin's own buttons stop working too.
    await _open_card(anna, "Борис Админ")
    await anna.press("🚫 Деактивировать")
    await anna.press("Да, деактивировать")
    listing = boris.last_message()
    await boris.press_data(PeopleCb(action=PeopleAction.page).pack(), listing)
    assert "нет доступа" in (boris.last_alert() or "").lower()


async def test_a_deactivated_user_gets_no_digest(app: App) -> None:
    ctx, _ = make_context(app)
    _, active = await app.add_user(Role.manager, name="Иван Петров")
    _, gone = await app.add_user(Role.manager, name="Пётр Сидоров")
    today = app.clock().date()
    await make_deal(app, active, "Ромашка", next_action_on=today)
    await make_deal(app, gone, "Лютик", next_action_on=today)
    await set_user(app, gone, is_active=False)
    await scan_at(app, ctx, app.clock())
    assert len(chat(app, active)) == 1
    assert chat(app, gone) == []


async def test_the_hand_over_picker_pages_through_a_big_company(app: App) -> None:
    """An admin of 45 people can hand a leaver's deals to any of them (20 a page, ‹ ›); the
    leaver's own team comes first."""
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    _, _, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    for n in range(44):
        await app.add_user(Role.manager, name=f"Менеджер {n:02d}")
    _, last = await app.add_user(Role.manager, name="Яков Последний")
    deal = await make_deal(app, ivan, "Клиент")
    await admin.send("/people")
    while "Иван Петров" not in str(admin.keyboard()):
        await admin.press("›")
    await admin.press("Иван Петров")
    await admin.press("📦 Передать 1 сделку")
    assert admin.keyboard()[0][0] == "Ольга Лидова"  # the leaver's team first
    assert "Яков Последний" not in str(admin.keyboard())
    await admin.press("›")
    await admin.press("›")
    await admin.press("Яков Последний")
    confirm = admin.last_message()
    await admin.press_data(confirm.button_data(0, 0), confirm)
    assert await app.scalar(select(Deal.owner_id).where(Deal.id == deal.id)) == last.id
