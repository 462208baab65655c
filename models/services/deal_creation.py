"""What the creation flow needs besides ``Deals.create``: who may be made the owner and
the preview of the title."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from ..errors import AccessDenied, NotFound
from ..owner_spec import match_owner
from ..roles import Role, can_assign_owner
from ..users import User
from .deals import DealDraft, default_title

if TYPE_CHECKING:
    from ..crm import Crm

# People who own deals; operators and admins enter data and run the CRM.
OWNER_ROLES = (Role.manager, Role.lead)


class DealCreation:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    async def assignable_owners(self, actor: User) -> list[User]:
        """Active managers and leads ``actor`` may make the owner of a new deal (``actor``
        themself excluded: they are the default). A lead: only their own team."""
        if not can_assign_owner(actor.role):
            return []
        query = select(User).where(
            User.is_active.is_(True), User.role.in_(OWNER_ROLES), User.id != actor.id
        )
        if actor.role is Role.lead:
            if actor.team_id is None:
                return []
            query = query.where(User.team_id == actor.team_id)
        elif actor.role is Role.operator and actor.team_id is not None:
            query = query.where(User.team_id == actor.team_id)  # an operator of a team
        return list(await self.session.scalars(query.order_by(User.full_name, User.id)))

    async def named_owners(self, actor: User, spec: str) -> list[User]:
        """Whom ``spec`` ("@ivan", "Иванов", an e-mail) names among the assignable owners
        (``actor`` themself included when they own deals)."""
        people = await self.assignable_owners(actor)
        if actor.role in OWNER_ROLES:
            people.insert(0, actor)
        return match_owner(spec, people)

    async def owner_of(self, actor: User, draft: DealDraft) -> User | None:
        """The user the draft's deal will belong to; None when the chosen one is no longer
        active (the caller falls back to ``actor``)."""
        if draft.owner_id is None or draft.owner_id == actor.id:
            return actor
        owner = await self.session.get(User, draft.owner_id)
        return owner if owner is not None and owner.is_active else None

    async def assignable(self, actor: User, owner_id: int) -> User:
        """The chosen owner, if ``actor`` may choose them now."""
        if owner_id == actor.id:
            return actor
        owner = await self.session.get(User, owner_id)
        if owner is None or not owner.is_active:
            raise NotFound("error.user_not_found")
        if (
            not can_assign_owner(actor.role)
            or owner.role not in OWNER_ROLES
            or (actor.role is Role.lead and owner.team_id != actor.team_id)
            or (
                actor.role is Role.operator
                and actor.team_id is not None
                and owner.team_id != actor.team_id
            )
        ):
            raise AccessDenied("deal.cannot_assign")
        return owner

    @staticmethod
    def title_preview(owner: User, draft: DealDraft) -> str:
        """The title the deal gets: the one typed, else the default one."""
        if draft.title:
            return draft.title
        client = draft.client_name or draft.company
        if client is None and draft.contacts:
            client = draft.contacts[0].value
        return default_title(owner, client)
