"""The Claim button on a web request: of two concurrent presses exactly one takes it (one
owner, one audit event), the other is told who has it, every copy is edited; a press from
another team changes nothing; an unclaimed request is escalated once."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from models import Deal, DealEvent, EventKind, IntakeRequest
from models.roles import Role
from scheduler import intake as intake_stage
from tests.conftest import START, App
from tests.intake_support import GROUP_ID, drain, in_group, make_form, make_team, web_client
from tests.reminders_support import make_context

REQUEST = {"name": "Анна", "phone": "+7 999 765-43-21", "message": "Хочу CRM"}


async def _request(app: App, token: str, body: dict[str, str] | None = None) -> int:
    async with web_client(app) as http:
        response = await http.post(f"/intake/{token}", json=body or REQUEST)
        assert response.status == 201
        deal_id = int((await response.json())["deal"])
        await drain(http)
    return deal_id


async def test_two_concurrent_presses_yield_exactly_one_owner(app: App) -> None:
    _admin_client, admin = await app.add_user(Role.admin)
    team, (lead_client, _lead), people = await make_team(app)
    await in_group(lead_client).send("/bindteam")
    token = await make_form(app, admin, team="продажи")
    deal_id = await _request(app, token)
    post = app.telegram.chat(GROUP_ID)[-1]
    assert "Заявка с сайта" in post.text and post.buttons() == [["Взять"]]
    data = post.button_data(0, 0)
    (first, first_user), (second, second_user) = people
    await asyncio.gather(
        in_group(first).press_data(data, post), in_group(second).press_data(data, post)
    )
    request = await app.scalar(select(IntakeRequest))
    assert request.claimed_by_id in (first_user.id, second_user.id)
    winner = first_user if request.claimed_by_id == first_user.id else second_user
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal.owner_id == winner.id
    claims = await app.all(
        select(DealEvent).where(DealEvent.deal_id == deal_id, DealEvent.kind == EventKind.owner)
    )
    assert len(claims) == 1 and claims[0].actor_id == winner.id and claims[0].field == "claim"
    alerts = [text for text, shown in app.telegram.alerts if shown]
    assert alerts == [f"Заявку уже взял(а) {winner.full_name}."]
    edited = app.telegram.chat(GROUP_ID)[-1]
    assert f"Взял(а): {winner.full_name}" in edited.text and edited.buttons() == []
    assert team.id is not None


async def test_a_press_from_another_team_changes_nothing(app: App) -> None:
    _admin_client, admin = await app.add_user(Role.admin)
    _team, (lead_client, _lead), _people = await make_team(app)
    stranger_client, _stranger = await app.add_user(Role.manager, name="Чужой Менеджер")
    token = await make_form(app, admin, team="Продажи")
    deal_id = await _request(app, token)
    post = lead_client.last_message()  # no group: the lead in private
    assert post.buttons() == [["Взять"]]
    await stranger_client.press_data(post.button_data(0, 0), post)
    assert app.telegram.alerts[-1] == ("Это заявка другой команды.", True)
    request = await app.scalar(select(IntakeRequest))
    assert request.claimed_by_id is None
    assert await app.count(DealEvent, DealEvent.kind == EventKind.owner) == 0
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal.version == 1


async def test_the_lead_claims_in_private_and_the_copy_is_edited(app: App) -> None:
    _admin_client, admin = await app.add_user(Role.admin)
    _team, (lead_client, lead), _people = await make_team(app)
    token = await make_form(app, admin, team="Продажи")
    await _request(app, token)
    await lead_client.press("Взять")
    assert "Взял(а): Олег Лидов" in lead_client.last_message().text
    assert app.telegram.alerts[-1] == ("Заявка ваша: сделка №1 теперь у вас.", False)
    request = await app.scalar(select(IntakeRequest))
    assert request.claimed_by_id == lead.id
    await lead_client.send("/deal 1")  # the card of a deal the website made
    card = lead_client.last_message()
    assert "Хочу CRM" in card.text and "Анна" in card.text
    await lead_client.press_data(  # a second tap: already taken (by them), nothing written
        "ic:1", lead_client.last_message()
    )
    assert await app.count(DealEvent, DealEvent.kind == EventKind.owner) == 1


async def test_an_unclaimed_request_is_escalated_once(app: App) -> None:
    admin_client, admin = await app.add_user(Role.admin)
    _team, (lead_client, _lead), _people = await make_team(app)
    await in_group(lead_client).send("/bindteam")
    token = await make_form(app, admin, team="Продажи")
    await _request(app, token)
    await _request(app, token, {"email": "other@firm.ru", "name": "Борис"})
    await in_group(lead_client).press("Взять", message=app.telegram.chat(GROUP_ID)[-1])
    ctx, _timer = make_context(app)
    before = len(app.telegram.chat(GROUP_ID))
    assert await intake_stage.run_due(ctx, START + dt.timedelta(minutes=29)) == 0
    later = START + dt.timedelta(minutes=31)
    app.clock.set(later)
    assert await intake_stage.run_due(ctx, later) == 2  # the lead and the group
    assert await intake_stage.run_due(ctx, later + dt.timedelta(minutes=5)) == 0
    escalations = [m for m in lead_client.messages() if "никто не взял" in m.text]
    assert len(escalations) == 1
    assert "никто не взял за 30 минут" in escalations[0].text and "Анна" in escalations[0].text
    group = [m for m in app.telegram.chat(GROUP_ID)[before:] if "никто не взял" in m.text]
    assert len(group) == 1
    assert not [m for m in admin_client.messages() if "никто не взял" in m.text]
