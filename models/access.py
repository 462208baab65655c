"""Who may see and change which deal. The one place for deal rights: services check single
deals with ``can_view``/``can_edit`` and filter lists with ``visible_deals``."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from .deals import Deal
from .roles import Role
from .users import User


def can_view(actor: User, deal: Deal, owner_team_id: int | None) -> bool:
    if actor.role is Role.admin:
        return True
    if deal.owner_id == actor.id:
        return True
    if actor.role is Role.lead:
        return actor.team_id is not None and owner_team_id == actor.team_id
    if actor.role is Role.operator:
        return deal.created_by_id == actor.id
    return False


def can_edit(actor: User, deal: Deal, owner_team_id: int | None) -> bool:
    # Today the same as viewing; kept apart because a read-only role is a likely next step.
    return can_view(actor, deal, owner_team_id)


def can_reassign(actor: User) -> bool:
    return actor.role in (Role.admin, Role.lead)


def visible_deals(actor: User) -> ColumnElement[bool]:
    """A WHERE clause with the deals ``actor`` may see."""
    if actor.role is Role.admin:
        return true()
    if actor.role is Role.lead:
        if actor.team_id is None:
            return Deal.owner_id == actor.id
        team = select(User.id).where(User.team_id == actor.team_id).scalar_subquery()
        return or_(Deal.owner_id == actor.id, Deal.owner_id.in_(team))
    if actor.role is Role.operator:
        return or_(Deal.owner_id == actor.id, Deal.created_by_id == actor.id)
    if actor.role is Role.manager:
        return Deal.owner_id == actor.id
    return false()
