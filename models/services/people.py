"""People administration: who sees whom, deactivate / reactivate, role and team, and the
hand-over of a leaver's open deals. Admins act on everybody; a lead on their own team's
managers and operators only (never on admins, other teams, or themself)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, SQLColumnExpression, false, func, select, true
from sqlalchemy.orm import joinedload, selectinload

from ..catalog import CLOSED_KINDS
from ..deals import Deal
from ..errors import AccessDenied, InvalidInput, NotFound
from ..roles import Role
from ..users import Team, User
from .deal_creation import OWNER_ROLES

if TYPE_CHECKING:
    from ..crm import Crm

# Whom a lead may switch off or hand over: the people they invite themselves.
LEAD_MANAGES = (Role.manager, Role.operator)


@dataclass(frozen=True)
class Person:
    user: User
    open_deals: int


@dataclass(frozen=True)
class PeoplePage:
    people: list[Person]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class HandOver:
    leaver: User
    new_owner: User
    count: int


def can_list_people(actor: User) -> bool:
    return actor.role in (Role.admin, Role.lead)


def _visible(actor: User) -> ColumnElement[bool]:
    if actor.role is Role.admin:
        return true()
    if actor.role is Role.lead and actor.team_id is not None:
        return User.team_id == actor.team_id
    if actor.role is Role.lead:
        return User.id == actor.id
    return false()


def _open_deals_of(user_id: SQLColumnExpression[int] | int) -> ColumnElement[bool]:
    return (
        (Deal.owner_id == user_id)
        & Deal.status.not_in(list(CLOSED_KINDS))
        & Deal.deleted_at.is_(None)
    )


class People:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    # -- reading -----------------------------------------------------------------------------
    async def page(self, actor: User, page: int, per_page: int) -> PeoplePage:
        """Active people first, then by name; each with their count of open deals."""
        if not can_list_people(actor):
            raise AccessDenied("people.not_allowed")
        where = _visible(actor)
        total = int(await self.session.scalar(select(func.count(User.id)).where(where)) or 0)
        pages = max(1, math.ceil(total / per_page))
        page = min(max(page, 0), pages - 1)
        open_deals = select(func.count(Deal.id)).where(_open_deals_of(User.id)).scalar_subquery()
        rows = await self.session.execute(
            select(User, open_deals)
            .where(where)
            .options(joinedload(User.team))
            .order_by(User.is_active.desc(), User.full_name, User.id)
            .offset(page * per_page)
            .limit(per_page)
        )
        people = [Person(user, int(count or 0)) for user, count in rows.all()]
        return PeoplePage(people, page, pages, total)

    async def get_for(self, actor: User, user_id: int) -> Person:
        """A person ``actor`` may see, with their open deals counted."""
        if not can_list_people(actor):
            raise AccessDenied("people.not_allowed")
        user = await self.session.scalar(
            select(User).where(User.id == user_id).options(joinedload(User.team))
        )
        if user is None:
            raise NotFound("error.user_not_found")
        if actor.role is not Role.admin and not (
            user.id == actor.id or (actor.team_id is not None and user.team_id == actor.team_id)
        ):
            raise AccessDenied("people.other_team")
        return Person(user, await self.open_deals(user.id))

    async def open_deals(self, user_id: int) -> int:
        return int(
            await self.session.scalar(select(func.count(Deal.id)).where(_open_deals_of(user_id)))
            or 0
        )

    async def teams(self) -> list[Team]:
        return list(await self.session.scalars(select(Team).order_by(Team.name, Team.id)))

    # -- rights ------------------------------------------------------------------------------
    @staticmethod
    def may_manage(actor: User, target: User) -> bool:
        """Deactivate, reactivate, hand over: an admin anybody; a lead their team's managers
        and operators (never an admin, another team, or themself)."""
        if actor.role is Role.admin:
            return True
        return (
            actor.role is Role.lead
            and actor.team_id is not None
            and target.team_id == actor.team_id
            and target.id != actor.id
            and target.role in LEAD_MANAGES
        )

    def _check_manage(self, actor: User, target: User) -> None:
        if not self.may_manage(actor, target):
            raise AccessDenied("people.not_yours")

    @staticmethod
    def _check_admin(actor: User) -> None:
        if actor.role is not Role.admin:
            raise AccessDenied("people.admin_only")

    async def _other_active_admins(self, user_id: int) -> int:
        return int(
            await self.session.scalar(
                select(func.count(User.id)).where(
                    User.role == Role.admin, User.is_active.is_(True), User.id != user_id
                )
            )
            or 0
        )

    async def _keep_an_admin(self, target: User) -> None:
        is_admin = target.role is Role.admin and target.is_active
        if is_admin and not await self._other_active_admins(target.id):
            raise InvalidInput("people.last_admin")

    # -- writing -----------------------------------------------------------------------------
    async def set_active(self, actor: User, target: User, active: bool) -> bool:
        """Switch access off or on; False when it already was so (a double tap). Deals stay
        with the person until handed over."""
        self._check_manage(actor, target)
        if target.is_active == active:
            return False
        if not active:
            await self._keep_an_admin(target)
        target.is_active = active
        await self.session.flush()
        return True

    async def set_role(self, actor: User, target: User, role: Role) -> bool:
        self._check_admin(actor)
        if target.role is role:
            return False
        if role is not Role.admin:
            await self._keep_an_admin(target)
        if target.role is Role.lead:
            await self._drop_lead(target)
        target.role = role
        if role is Role.lead and target.team_id is not None:
            team = await self.session.get(Team, target.team_id)
            if team is not None and team.lead_id is None:
                team.lead_id = target.id
        elif role is Role.lead:
            target.team = await self.session.get(
                Team, await self.crm.accounts.ensure_team_of(target)
            )
        await self.session.flush()
        return True

    async def set_team(self, actor: User, target: User, team_id: int | None) -> bool:
        self._check_admin(actor)
        if target.team_id == team_id:
            return False
        team = None
        if team_id is not None:
            team = await self.session.get(Team, team_id)
            if team is None:
                raise NotFound("people.team_gone")
        if target.role is Role.lead:
            await self._drop_lead(target)
            if team is not None and team.lead_id is None:
                team.lead_id = target.id
        target.team, target.team_id = team, team_id
        await self.session.flush()
        return True

    async def _drop_lead(self, target: User) -> None:
        if target.team_id is None:
            return
        team = await self.session.get(Team, target.team_id)
        if team is not None and team.lead_id == target.id:
            team.lead_id = None

    # -- hand-over ---------------------------------------------------------------------------
    async def handover_candidates(self, actor: User, leaver: User) -> list[User]:
        """Active managers and leads who may take the leaver's deals: a lead's team (the lead
        included), anybody for an admin; the leaver's own team first."""
        query = select(User).where(
            User.is_active.is_(True), User.role.in_(OWNER_ROLES), User.id != leaver.id
        )
        if actor.role is not Role.admin:
            query = query.where((User.team_id == actor.team_id) | (User.id == actor.id))
        people = list(await self.session.scalars(query.order_by(User.full_name, User.id)))
        return sorted(people, key=lambda u: leaver.team_id is None or u.team_id != leaver.team_id)

    async def hand_over(self, actor: User, leaver: User, new_owner_id: int) -> HandOver:
        """Every open deal of ``leaver`` to the new owner, each audited like a reassign, in
        the caller's one transaction. A repeat finds nothing left (count 0)."""
        self._check_manage(actor, leaver)
        new_owner = await self.session.get(User, new_owner_id)
        if new_owner is None or not new_owner.is_active:
            raise InvalidInput("people.handover_inactive")
        candidates = {u.id for u in await self.handover_candidates(actor, leaver)}
        if new_owner.id not in candidates:
            raise AccessDenied("deal.cannot_assign")
        # Serialises two taps on PostgreSQL (SQLite's write transactions are serial anyway).
        await self.session.execute(select(User.id).where(User.id == leaver.id).with_for_update())
        deals = list(
            await self.session.scalars(
                select(Deal)
                .where(_open_deals_of(leaver.id))
                .options(
                    joinedload(Deal.owner), selectinload(Deal.contacts), selectinload(Deal.persons)
                )
                .order_by(Deal.id)
            )
        )
        editing = self.crm.editing
        for deal in deals:
            editing.move_owner(actor, deal, new_owner)
        await self.session.flush()
        return HandOver(leaver, new_owner, len(deals))
