"""A team's group feed: bound by an admin or the team's lead from inside the group (a
manager, or another team's lead, is refused), switchable with /feed, unbound by a command or
when the bot is removed (my_chat_member, a 403); it gets web requests, won deals and
escalations only while the matching switch is on."""

from __future__ import annotations

import datetime as dt

from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import SendMessage
from aiogram.types import Chat, ChatMemberBanned, ChatMemberMember, ChatMemberUpdated, Update
from aiogram.types import User as TgUser
from sqlalchemy import select

from models import Deal, Stage, TeamChat, User
from models.roles import Role
from scheduler import intake as intake_stage
from tests.conftest import START, App
from tests.factories import make_deal
from tests.intake_support import GROUP_ID, drain, in_group, make_form, make_team, web_client
from tests.reminders_support import make_context


async def _post_request(app: App, token: str, email: str = "new@firm.ru") -> None:
    async with web_client(app) as http:
        response = await http.post(f"/intake/{token}", json={"email": email, "name": "Клиент"})
        assert response.status == 201
        await drain(http)


async def test_an_admin_binds_a_group_by_a_command_sent_in_it(app: App) -> None:
    admin_client, _admin = await app.add_user(Role.admin)
    await make_team(app)
    group = in_group(admin_client)
    await group.send("/bindteam продажи")
    assert "Группа привязана к команде «Продажи»" in group.last_message().text
    chat = await app.scalar(select(TeamChat))
    assert (chat.chat_id, chat.feed_requests, chat.feed_won) == (GROUP_ID, True, True)


async def test_a_manager_or_another_teams_lead_cannot_bind_the_group(app: App) -> None:
    await make_team(app)
    _team, _lead, people = await make_team(app, name="Другая")
    manager_client, _manager = people[0]
    other_lead_client, other_lead = await app.add_user(Role.lead, name="Чужой Лид")
    for client, text in (
        (manager_client, "/bindteam Продажи"),
        (manager_client, "/bindteam"),
        (other_lead_client, "/bindteam Продажи"),
    ):
        group = in_group(client)
        await group.send(text)
        assert group.last_message().text in (
            "Привязать группу к команде может администратор или руководитель этой команды.",
            "Напишите команду: /bindteam Название команды",
        )
    assert await app.count(TeamChat) == 0
    assert other_lead.team_id is None


async def test_bind_in_a_private_chat_is_refused(app: App) -> None:
    admin_client, _admin = await app.add_user(Role.admin)
    await make_team(app)
    await admin_client.send("/bindteam Продажи")
    assert "работает в группе" in admin_client.last_message().text
    assert await app.count(TeamChat) == 0


async def test_the_request_switch_sends_requests_to_the_leads_instead(app: App) -> None:
    _admin_client, admin = await app.add_user(Role.admin)
    _team, (lead_client, _lead), _people = await make_team(app)
    group = in_group(lead_client)
    await group.send("/bindteam")
    token = await make_form(app, admin, team="Продажи")
    await _post_request(app, token, "first@firm.ru")
    assert "Заявка с сайта" in group.last_message().text
    assert not [m for m in lead_client.messages() if "Заявка с сайта" in m.text]
    await group.send("/feed")
    await group.press("Заявки с сайта")
    assert (await app.scalar(select(TeamChat.feed_requests))) is False
    assert group.last_message().buttons()[0] == ["▫️ Заявки с сайта"]
    in_group_before = len([m for m in group.messages() if "Заявка с сайта" in m.text])
    await _post_request(app, token, "second@firm.ru")
    assert len([m for m in group.messages() if "Заявка с сайта" in m.text]) == in_group_before
    assert "Заявка с сайта" in lead_client.last_message().text


async def test_won_deals_are_posted_once_and_only_while_switched_on(app: App) -> None:
    _team, (lead_client, _lead), people = await make_team(app)
    group = in_group(lead_client)
    await group.send("/bindteam")
    _client, manager = people[0]
    won_stage = await app.scalar(select(Stage).where(Stage.code == "won"))
    deal = await make_deal(app, manager, "ООО Победа", amount="150000")
    later = START + dt.timedelta(minutes=5)
    async with app.session_factory() as session, session.begin():
        row = await session.get(Deal, deal.id)
        assert row is not None
        row.stage_id, row.status, row.closed_at = won_stage.id, won_stage.kind, later
    ctx, _timer = make_context(app)
    app.clock.set(later)
    assert await intake_stage.run_due(ctx, later) == 1
    assert await intake_stage.run_due(ctx, later + dt.timedelta(minutes=1)) == 0
    won = [m for m in group.messages() if "Выиграна сделка" in m.text]
    assert len(won) == 1 and "ООО Победа" in won[0].text and "150" in won[0].text
    await group.send("/feed")
    await group.press("Выигранные сделки")
    second = await make_deal(app, manager, "ООО Вторая")
    async with app.session_factory() as session, session.begin():
        row = await session.get(Deal, second.id)
        assert row is not None
        row.stage_id, row.status, row.closed_at = won_stage.id, won_stage.kind, later
    assert await intake_stage.run_due(ctx, later + dt.timedelta(minutes=2)) == 0
    assert len([m for m in group.messages() if "Выиграна сделка" in m.text]) == 1


async def test_unbind_by_command(app: App) -> None:
    _team, (lead_client, _lead), people = await make_team(app)
    group = in_group(lead_client)
    await group.send("/bindteam")
    manager_group = in_group(people[0][0])
    await manager_group.send("/unbindteam")
    assert await app.count(TeamChat) == 1  # a manager cannot
    await group.send("/unbindteam")
    assert "отвязана" in group.last_message().text
    assert await app.count(TeamChat) == 0


async def test_the_bot_removed_from_the_group_unbinds_it(app: App) -> None:
    _team, (lead_client, _lead), _people = await make_team(app)
    await in_group(lead_client).send("/bindteam")
    me = TgUser(id=app.bot.id, is_bot=True, first_name="DealBot")
    stranger = TgUser(id=999999, is_bot=False, first_name="Незнакомец")  # not in the CRM
    update = Update(
        update_id=987654,
        my_chat_member=ChatMemberUpdated(
            chat=Chat(id=GROUP_ID, type="supergroup", title="Продажи"),
            from_user=stranger,
            date=dt.datetime.now(dt.UTC),
            old_chat_member=ChatMemberMember(user=me),
            new_chat_member=ChatMemberBanned(
                user=me, until_date=dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
            ),
        ),
    )
    await app.dp.feed_update(app.bot, update)
    assert await app.count(TeamChat) == 0
    assert not [
        r for r in app.telegram.requests if isinstance(r, SendMessage) and r.chat_id == stranger.id
    ]


async def test_a_group_that_refuses_the_bot_is_unbound_and_the_leads_get_it(app: App) -> None:
    _admin_client, admin = await app.add_user(Role.admin)
    _team, (lead_client, _lead), _people = await make_team(app)
    await in_group(lead_client).send("/bindteam")
    token = await make_form(app, admin, team="Продажи")
    app.telegram.errors.append(
        TelegramForbiddenError(method=SendMessage(chat_id=GROUP_ID, text="x"), message="kicked")
    )
    await _post_request(app, token)
    assert await app.count(TeamChat) == 0
    assert "Заявка с сайта" in lead_client.last_message().text
    lead = await app.scalar(select(User).where(User.id == _lead.id))
    assert lead.is_reachable  # a group's refusal is not the person's
