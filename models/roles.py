"""Roles and the rules of who may do what: the one place handlers and services consult."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    admin = "admin"
    lead = "lead"
    manager = "manager"
    operator = "operator"


# Which roles may invite which: a lead grows their own team, an admin anybody.
INVITABLE_BY: dict[Role, frozenset[Role]] = {
    Role.admin: frozenset(Role),
    Role.lead: frozenset({Role.manager, Role.operator}),
    Role.manager: frozenset(),
    Role.operator: frozenset(),
}


def can_invite(inviter: Role, role: Role) -> bool:
    return role in INVITABLE_BY[inviter]


def can_hard_delete(role: Role) -> bool:
    return role is Role.admin


def can_assign_owner(role: Role) -> bool:
    return role in (Role.admin, Role.lead, Role.operator)
