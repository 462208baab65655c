"""Reassigning a deal: who may, to whom, the new owner's message, refusals and stale buttons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import SendMessage
from sqlalchemy import select, update

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import ReassignAction, ReassignCb
from models import Deal, DealEvent, EventKind, User
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import MockedSession, SentMessage


async def _team(app: App, lead: User) -> int:
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        return await crm.accounts._ensure_team_of(await crm.accounts.get(lead.id))


async def _owner_id(app: App, deal_id: int) -> int:
    return await app.scalar(select(Deal.owner_id).where(Deal.id == deal_id))


async def _card(client: ChatClient, deal_id: int) -> SentMessage:
    await client.send(f"/deal {deal_id}")
    return client.last_message()


async def test_lead_hands_a_team_deal_to_a_manager_who_is_told(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    team_id = await _team(app, lead_user)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    petr, petr_user = await app.add_user(Role.manager, name="Пётр <Сидоров>", team_id=team_id)
    await app.add_user(Role.manager, name="Чужой Менеджер")  # another team: not offered
    await app.add_user(Role.operator, name="Оператор Ввод", team_id=team_id)  # owns nothing
    deal = await make_deal(app, ivan, "Ромашка")

    card = await _card(lead, deal.id)
    await lead.press("👥 Передать", message=card)
    assert card.text.startswith(f"👥 Кому передать сделку #{deal.id} «Иван Петров — Ромашка»?")
    assert "Сейчас ответственный: Иван Петров" in card.text
    assert card.buttons() == [["Ольга Лидова (вы)"], ["Пётр <Сидоров>"], ["« Назад"]]

    await lead.press("Пётр <Сидоров>", message=card)
    assert await _owner_id(app, deal.id) == petr_user.id
    event = await app.scalar(
        select(DealEvent).where(DealEvent.deal_id == deal.id, DealEvent.kind == EventKind.owner)
    )
    assert (event.old, event.new, event.actor_id) == (
        "Иван Петров",
        "Пётр <Сидоров>",
        lead_user.id,
    )
    assert card.text.startswith("✅ Сделка передана: Пётр <Сидоров>.")
    assert "Пётр &lt;Сидоров&gt;" in card.html
    assert "Ответственный: Пётр <Сидоров>" in card.text
    assert (await app.scalar(select(Deal).where(Deal.id == deal.id))).version == deal.version + 1

    note = petr.last_message()
    assert note.text == (
        f"👥 Вам передана сделка #{deal.id} «Пётр <Сидоров> — Ромашка».\nПередал(а): Ольга Лидова."
    )
    assert note.buttons() == [["Открыть карточку"]]
    await petr.press("Открыть карточку", message=note)
    # The generated title's prefix followed the new owner (issue 10.5).
    assert f"#{deal.id} · Пётр <Сидоров> — Ромашка" in petr.last_message().text


async def test_lead_takes_a_deal_themself_without_a_message_to_themself(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    team_id = await _team(app, lead_user)
    _, ivan = await app.add_user(Role.manager, team_id=team_id)
    deal = await make_deal(app, ivan)
    card = await _card(lead, deal.id)
    await lead.press("👥 Передать", message=card)
    sent = await lead.press("Ольга Лидова (вы)", message=card)
    assert sent == [card]  # the card changed, nothing else was sent
    assert await _owner_id(app, deal.id) == lead_user.id


async def test_blocked_new_owner_does_not_stop_the_reassignment(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead, lead_user = await app.add_user(Role.lead)
    team_id = await _team(app, lead_user)
    _, ivan = await app.add_user(Role.manager, team_id=team_id)
    petr, petr_user = await app.add_user(Role.manager, name="Пётр Сидоров", team_id=team_id)
    deal = await make_deal(app, ivan)
    answer = MockedSession._answer

    def blocked(self: MockedSession, bot: Any, method: Any) -> Any:
        if isinstance(method, SendMessage) and method.chat_id == petr.user.id:
            raise TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")
        return answer(self, bot, method)

    monkeypatch.setattr(MockedSession, "_answer", blocked)
    card = await _card(lead, deal.id)
    await lead.press("👥 Передать", message=card)
    await lead.press("Пётр Сидоров", message=card)
    assert await _owner_id(app, deal.id) == petr_user.id
    assert card.text.startswith("✅ Сделка передана: Пётр Сидоров.")
    assert petr.messages() == []
    reachable = await app.scalar(select(User.is_reachable).where(User.id == petr_user.id))
    assert reachable is False


async def test_manager_cannot_reassign(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров")
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    assert "👥 Передать" not in str(card.buttons())
    events = await app.count(DealEvent)
    for data in (
        DealCb(action=DealAction.reassign, deal_id=deal.id, v=deal.version),
        ReassignCb(action=ReassignAction.page, deal_id=deal.id, v=deal.version, item=1),
        ReassignCb(action=ReassignAction.pick, deal_id=deal.id, v=deal.version, item=petr.id),
    ):
        await ivan.press_data(data.pack(), card)
        assert app.telegram.alerts[-1] == (
            "Передавать сделки могут только руководитель и администратор.",
            True,
        )
    assert await _owner_id(app, deal.id) == owner.id
    assert await app.count(DealEvent) == events


async def test_lead_cannot_hand_a_deal_outside_the_team(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead)
    team_id = await _team(app, lead_user)
    _, ivan = await app.add_user(Role.manager, team_id=team_id)
    _, stranger = await app.add_user(Role.manager, name="Чужой Менеджер")
    _, operator = await app.add_user(Role.operator, team_id=team_id)
    deal = await make_deal(app, ivan)
    card = await _card(lead, deal.id)
    for target in (stranger, operator):
        forged = ReassignCb(
            action=ReassignAction.pick, deal_id=deal.id, v=deal.version, item=target.id
        )
        await lead.press_data(forged.pack(), card)
        assert app.telegram.alerts[-1] == (
            "Вы не можете назначить ответственным этого сотрудника.",
            True,
        )
    assert await _owner_id(app, deal.id) == ivan.id
    # ...and a deal of another team is not theirs to hand at all.
    other = await make_deal(app, stranger)
    await lead.press_data(
        DealCb(action=DealAction.reassign, deal_id=other.id, v=other.version).pack(), card
    )
    assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)


async def test_admin_pages_through_every_lead_and_manager(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    _, owner = await app.add_user(Role.manager, name="Аа Владелец")
    for i in range(11):
        await app.add_user(Role.manager, name=f"Менеджер {i:02d}")
    await app.add_user(Role.lead, name="Руководитель Я")
    deal = await make_deal(app, owner)
    card = await _card(admin, deal.id)
    await admin.press("👥 Передать", message=card)
    names = [row[0] for row in card.buttons()[:-2]]
    assert names == [f"Менеджер {i:02d}" for i in range(10)]  # the owner is not offered
    assert card.buttons()[-2:] == [["›"], ["« Назад"]]
    await admin.press("›", message=card)
    assert card.buttons() == [["Менеджер 10"], ["Руководитель Я"], ["‹"], ["« Назад"]]
    await admin.press("Руководитель Я", message=card)
    lead_id = await app.scalar(select(User.id).where(User.full_name == "Руководитель Я"))
    assert await _owner_id(app, deal.id) == lead_id


async def test_stale_reassign_button_applies_nothing(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead)
    team_id = await _team(app, lead_user)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров", team_id=team_id)
    deal = await make_deal(app, ivan)
    card = await _card(lead, deal.id)
    await lead.press("👥 Передать", message=card)
    picker = card.inline_keyboard()
    await lead.press("Пётр Сидоров", message=card)
    # A double tap on the old list: one reassignment, one event, one message to Пётр.
    old = next(b for row in picker for b in row if b.text == "Пётр Сидоров")
    await lead.press_data(old.callback_data or "", card)
    assert app.telegram.alerts[-1] == (
        "Сделка изменилась, пока вы смотрели. Вот актуальная карточка.",
        True,
    )
    assert await app.count(DealEvent, DealEvent.kind == EventKind.owner) == 1
    assert await _owner_id(app, deal.id) == petr.id


async def test_new_owner_is_told_in_their_language(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    _, ivan = await app.add_user(Role.manager, name="Иван Петров")
    john, _ = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, ivan, "Acme")
    card = await _card(admin, deal.id)
    await admin.press("👥 Передать", message=card)
    await admin.press("John Smith", message=card)
    assert john.last_message().text == (
        f"👥 Deal #{deal.id} “John Smith — Acme” has been handed to you.\nBy: Анна Админ."
    )
    assert john.last_message().buttons() == [["Open the card"]]


async def test_a_timed_next_step_follows_the_new_owners_clock(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров")  # Moscow, UTC+3
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров")
    async with app.session_factory() as session, session.begin():
        await session.execute(
            update(User).where(User.id == petr.id).values(timezone="Asia/Yekaterinburg")
        )
    deal = await make_deal(
        app, ivan, next_action_on=dt.date(2026, 11, 30), next_action_time=dt.time(15, 0)
    )
    card = await _card(admin, deal.id)
    await admin.press("👥 Передать", message=card)
    await admin.press("Пётр Сидоров", message=card)
    stored = await app.scalar(select(Deal).where(Deal.id == deal.id))
    assert (stored.next_action_on, stored.next_action_time) == (
        dt.date(2026, 11, 30),
        dt.time(15, 0),
    )
    assert stored.next_action_at == dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)  # UTC+5
