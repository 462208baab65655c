"""Helpers for the stats / plans / summary tests: teams, notes, stage moves and plans made
through the real services at chosen instants."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from models import Deal, Plan, Stage, Team, User
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal

MSK = ZoneInfo("Europe/Moscow")


def msk(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    """A Moscow wall-clock time as the aware UTC instant the clock wants."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=MSK).astimezone(dt.UTC)


async def make_team(
    app: App, name: str = "Продажи", *, lead_name: str = "Ольга Лидова", **kwargs: Any
) -> tuple[ChatClient, User, int]:
    """A lead with their team (the lead is its member, as after an invite)."""
    client, lead = await app.add_user(Role.lead, name=lead_name, **kwargs)
    async with app.session_factory() as session, session.begin():
        team = Team(name=name, lead_id=lead.id, created_at=app.clock())
        session.add(team)
        await session.flush()
        await session.execute(update(User).where(User.id == lead.id).values(team_id=team.id))
        lead.team_id = team.id
        return client, lead, team.id


async def deal_at(app: App, when: dt.datetime, owner: User, client: str, **kwargs: Any) -> Deal:
    app.clock.set(when)
    return await make_deal(app, owner, client, **kwargs)


async def note_at(
    app: App, when: dt.datetime, actor: User, deal_id: int, text: str = "Звонок"
) -> None:
    app.clock.set(when)
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        user = await session.get(User, actor.id)
        assert user is not None
        deal = await crm.deals.get_for(user, deal_id, for_edit=True)
        await crm.notes.add(user, deal, text)


async def move_at(
    app: App,
    when: dt.datetime,
    actor: User,
    deal_id: int,
    stage_code: str,
    *,
    amount: str | None = None,
    reason: str | None = None,
) -> None:
    app.clock.set(when)
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        user = await session.get(User, actor.id)
        assert user is not None
        deal = await crm.deals.get_for(user, deal_id, for_edit=True)
        stage = await session.scalar(select(Stage).where(Stage.code == stage_code))
        assert stage is not None
        options: dict[str, Any] = {"reason": reason}
        if amount is not None:
            options["amount"] = decimal.Decimal(amount)
        await crm.stage_moves.move(user, deal, stage, **options)


async def delete_deal(app: App, deal_id: int) -> None:
    async with app.session_factory() as session, session.begin():
        await session.execute(update(Deal).where(Deal.id == deal_id).values(deleted_at=app.clock()))


async def add_plan(
    app: App, user: User, month: dt.date, won: int, amount: str | None = None
) -> None:
    async with app.session_factory() as session, session.begin():
        session.add(
            Plan(
                user_id=user.id,
                month=month,
                target_won=won,
                target_amount=decimal.Decimal(amount) if amount else None,
                updated_at=app.clock(),
            )
        )


class Day:
    """The hand-built day of a team, Friday 27.11.2026 in Moscow (see ``build_day``)."""

    lead_client: ChatClient
    lead: User
    team_id: int
    ivan: User
    ivan_client: ChatClient
    petr: User
    petr_client: ChatClient
    anna: User
    stranger: User
    other_lead: User


async def build_day(app: App) -> Day:
    """A team of three managers and what they did, with every expected figure in a comment.

    Иван Петров: new 2 (F, G) · notes 3 · stage moves 2 · won 1 (150 000) · lost 0 ·
      overdue 1 (B) · no next step 1 (G) · won this month 2 (D, A) of plan 10 (1 500 000).
    Пётр Сидоров: new 2 (H, and I at 01:30 local) · notes 1 · moves 1 · won 0 · lost 1 (C) ·
      overdue 0 · no next step 2 (H, I) · won this month 0, no plan (E was won in October).
    Анна Козлова: nothing today · overdue 1 (K) · no next step 0 · won this month 0.
    A manager of another team is active too and must not appear.
    Pipeline (open deals by stage): contacts 6 (F, G, H, I, J, K), requirements 1 (B).
    """
    day = Day()
    day.lead_client, day.lead, day.team_id = await make_team(app)
    day.ivan_client, day.ivan = await app.add_user(
        Role.manager, name="Иван Петров", team_id=day.team_id
    )
    day.petr_client, day.petr = await app.add_user(
        Role.manager, name="Пётр Сидоров", team_id=day.team_id
    )
    _, day.anna = await app.add_user(Role.manager, name="Анна Козлова", team_id=day.team_id)
    _, day.other_lead, other_team = await make_team(app, "Другая команда", lead_name="Борис Другой")
    _, day.stranger = await app.add_user(Role.manager, name="Сергей Чужой", team_id=other_team)
    ivan, petr, anna = day.ivan, day.petr, day.anna

    # October: Пётр wins E (not this month).
    e = await deal_at(app, msk(2026, 10, 30, 12, 0), petr, "E")
    await move_at(app, msk(2026, 10, 30, 13, 0), petr, e.id, "won", amount="70000")
    # Earlier this month: Анна's K is overdue since the 20th; Иван wins D on the 10th.
    await deal_at(app, msk(2026, 11, 1, 12, 0), anna, "K", next_action_on=dt.date(2026, 11, 20))
    d = await deal_at(app, msk(2026, 11, 10, 11, 0), ivan, "D")
    await move_at(app, msk(2026, 11, 10, 12, 0), ivan, d.id, "won", amount="50000")
    # Yesterday (Thursday): deals, a note and a move that must not count today.
    a = await deal_at(app, msk(2026, 11, 26, 12, 0), ivan, "A", amount="100000")
    b = await deal_at(
        app, msk(2026, 11, 26, 12, 5), ivan, "B", next_action_on=dt.date(2026, 11, 25)
    )
    c = await deal_at(app, msk(2026, 11, 26, 12, 10), petr, "C")
    await note_at(app, msk(2026, 11, 26, 15, 0), ivan, a.id)
    await move_at(app, msk(2026, 11, 26, 16, 0), ivan, b.id, "requirements")
    await deal_at(
        app, msk(2026, 11, 26, 23, 30), petr, "J", next_action_on=dt.date(2026, 11, 30)
    )  # 23:30 on Thursday: not today
    # Today (Friday 27.11, Moscow).
    await deal_at(app, msk(2026, 11, 27, 1, 30), petr, "I")  # 22:30 UTC of the 26th: today
    f = await deal_at(
        app, msk(2026, 11, 27, 10, 0), ivan, "F", next_action_on=dt.date(2026, 11, 27)
    )
    await deal_at(app, msk(2026, 11, 27, 10, 5), ivan, "G")
    gone = await deal_at(app, msk(2026, 11, 27, 10, 10), ivan, "Дубль")
    await delete_deal(app, gone.id)
    await deal_at(app, msk(2026, 11, 27, 10, 15), petr, "H")
    await note_at(app, msk(2026, 11, 27, 11, 0), ivan, a.id)
    await note_at(app, msk(2026, 11, 27, 11, 5), ivan, a.id)
    await note_at(app, msk(2026, 11, 27, 11, 10), ivan, f.id)
    await note_at(app, msk(2026, 11, 27, 11, 15), petr, c.id)
    await move_at(app, msk(2026, 11, 27, 12, 0), ivan, a.id, "proposal")
    await move_at(app, msk(2026, 11, 27, 15, 0), ivan, a.id, "won", amount="150000")
    await move_at(app, msk(2026, 11, 27, 16, 0), petr, c.id, "lost", reason="Дорого")
    # The other team's manager is busy too.
    s = await deal_at(app, msk(2026, 11, 27, 10, 0), day.stranger, "Чужая")
    await note_at(app, msk(2026, 11, 27, 10, 30), day.stranger, s.id)
    await move_at(app, msk(2026, 11, 27, 11, 0), day.stranger, s.id, "won", amount="999")
    await add_plan(app, ivan, dt.date(2026, 11, 1), 10, "1500000")
    await add_plan(app, day.stranger, dt.date(2026, 11, 1), 3)
    app.clock.set(msk(2026, 11, 27, 19, 0))
    return day
