"""A team's Telegram group: bound by an admin or the team's lead with a command sent in the
group, unbound the same way or when the bot is removed from it. The feed posts new web
requests (with Claim), won deals and escalations there, each switchable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from sqlalchemy import delete, select

from ..catalog import StageKind
from ..deals import Deal
from ..errors import AccessDenied, InvalidInput, NotFound
from ..intake import TeamChat
from ..roles import Role
from ..sql import affected_rows
from ..users import Team, User

if TYPE_CHECKING:
    from ..crm import Crm

Switch = Literal["feed_requests", "feed_won", "feed_escalations"]
SWITCHES: tuple[Switch, ...] = ("feed_requests", "feed_won", "feed_escalations")
WON_HORIZON = dt.timedelta(days=1)  # a won deal is news for a day


class TeamFeed:
    def __init__(self, crm: Crm) -> None:
        self.session = crm.session
        self.clock = crm.clock

    @staticmethod
    def may_manage(actor: User, team: Team) -> bool:
        if actor.role is Role.admin:
            return True
        return actor.role is Role.lead and (team.lead_id == actor.id or actor.team_id == team.id)

    async def _team_for(self, actor: User, name: str | None) -> Team:
        if not name:
            if actor.role is Role.lead and actor.team_id is not None:
                team = await self.session.get(Team, actor.team_id)
                if team is not None:
                    return team
            raise InvalidInput("feed.name_the_team")
        wanted = " ".join(name.split()).casefold()
        for team in await self.session.scalars(select(Team).order_by(Team.id)):
            if " ".join(team.name.split()).casefold() == wanted:
                return team
        raise NotFound("intake.no_such_team", name=name)

    async def bind(
        self, actor: User, chat_id: int, title: str | None, team_name: str | None
    ) -> Team:
        """Bind the group ``chat_id`` to a team (one group per team, one team per group: a
        new binding replaces an old one of either)."""
        team = await self._team_for(actor, team_name)
        if not self.may_manage(actor, team):
            raise AccessDenied("feed.not_allowed")
        await self.session.execute(
            delete(TeamChat).where((TeamChat.chat_id == chat_id) | (TeamChat.team_id == team.id))
        )
        self.session.add(
            TeamChat(
                team_id=team.id,
                chat_id=chat_id,
                title=(title or "")[:255] or None,
                feed_requests=True,
                feed_won=True,
                feed_escalations=True,
                bound_by_id=actor.id,
                bound_at=self.clock(),
            )
        )
        await self.session.flush()
        return team

    async def of_chat(self, chat_id: int) -> tuple[TeamChat, Team] | None:
        row = (
            await self.session.execute(
                select(TeamChat, Team)
                .join(Team, Team.id == TeamChat.team_id)
                .where(TeamChat.chat_id == chat_id)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def of_team(self, team_id: int | None) -> TeamChat | None:
        if team_id is None:
            return None
        return await self.session.scalar(select(TeamChat).where(TeamChat.team_id == team_id))

    async def of_teams(self, team_ids: Iterable[int | None]) -> dict[int, TeamChat]:
        """``of_team`` of several teams in one statement."""
        ids = sorted({t for t in team_ids if t is not None})
        if not ids:
            return {}
        chats = await self.session.scalars(select(TeamChat).where(TeamChat.team_id.in_(ids)))
        return {chat.team_id: chat for chat in chats}

    async def managed(self, actor: User, chat_id: int) -> tuple[TeamChat, Team]:
        bound = await self.of_chat(chat_id)
        if bound is None:
            raise NotFound("feed.not_bound")
        if not self.may_manage(actor, bound[1]):
            raise AccessDenied("feed.not_allowed")
        return bound

    async def unbind(self, actor: User, chat_id: int) -> Team:
        chat, team = await self.managed(actor, chat_id)
        await self.session.delete(chat)
        await self.session.flush()
        return team

    async def forget_chat(self, chat_id: int) -> bool:
        """The bot was removed from the group (or Telegram refuses it): no binding left."""
        result = await self.session.execute(delete(TeamChat).where(TeamChat.chat_id == chat_id))
        return affected_rows(result) > 0

    async def toggle(self, actor: User, chat_id: int, switch: Switch) -> TeamChat:
        chat, _team = await self.managed(actor, chat_id)
        setattr(chat, switch, not getattr(chat, switch))
        await self.session.flush()
        return chat

    async def won_to_post(self, now: dt.datetime) -> list[tuple[Deal, User, TeamChat]]:
        """Deals won in the last day, after their team's group was bound, whose group takes
        won deals (the sent-log makes each go out once)."""
        rows = await self.session.execute(
            select(Deal, User, TeamChat)
            .join(User, User.id == Deal.owner_id)
            .join(TeamChat, TeamChat.team_id == User.team_id)
            .where(
                TeamChat.feed_won.is_(True),
                Deal.status == StageKind.won,
                Deal.deleted_at.is_(None),
                Deal.closed_at.is_not(None),
                Deal.closed_at >= TeamChat.bound_at,
                Deal.closed_at > now - WON_HORIZON,
            )
            .order_by(Deal.closed_at)
            .limit(200)
        )
        return [(deal, owner, chat) for deal, owner, chat in rows]
