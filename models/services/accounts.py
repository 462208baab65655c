"""Users, teams and invites: who is in the CRM and how they got there."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..clock import Clock
from ..errors import AccessDenied, InvalidInput, NotFound
from ..roles import Role, can_invite
from ..sql import affected_rows
from ..users import Invite, Team, User

# What secrets.token_urlsafe makes (the codes are its 16 characters); anything else is unknown.
INVITE_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# How stale "last seen" may get: a write per update would make every update a write transaction.
SEEN_EVERY = dt.timedelta(minutes=5)

# Run on every update (the auth middleware): built once, not per call (~0.1 ms each).
_ACTIVE_BY_TELEGRAM_ID = select(User).where(
    User.telegram_id == bindparam("telegram_id"), User.is_active.is_(True)
)


@dataclass(frozen=True)
class Profile:
    """What Telegram tells us about a person, independent of any Telegram library."""

    telegram_id: int
    full_name: str
    username: str | None = None


class Accounts:
    def __init__(self, session: AsyncSession, clock: Clock, *, timezone: str, language: str):
        self.session = session
        self.clock = clock
        self.default_timezone = timezone
        self.default_language = language

    async def active_by_telegram_id(self, telegram_id: int) -> User | None:
        """The user allowed in right now; a deactivated user counts as unknown."""
        return await self.session.scalar(_ACTIVE_BY_TELEGRAM_ID, {"telegram_id": telegram_id})

    async def active_admins(self) -> list[User]:
        return list(
            await self.session.scalars(
                select(User)
                .where(User.role == Role.admin, User.is_active.is_(True))
                .order_by(User.id)
            )
        )

    async def get(self, user_id: int) -> User:
        user = await self.session.get(User, user_id)
        if user is None:
            raise NotFound("error.user_not_found")
        return user

    async def bootstrap_admin(self, profile: Profile, language: str | None = None) -> User:
        """Make an ADMIN_IDS person an active admin, creating or restoring their account."""
        user = await self.session.scalar(
            select(User).where(User.telegram_id == profile.telegram_id)
        )
        if user is None:
            user = self._new_user(profile, Role.admin, team_id=None, language=language)
            self.session.add(user)
        else:
            user.role = Role.admin
            user.is_active = True
            user.is_reachable = True
        await self.session.flush()
        return user

    async def create_invite(
        self, inviter: User, role: Role, *, ttl: dt.timedelta, team_id: int | None = None
    ) -> Invite:
        if not can_invite(inviter.role, role):
            raise AccessDenied("invite.not_allowed", role=role.value)
        if inviter.role is Role.lead:
            team_id = await self._ensure_team_of(inviter)
        now = self.clock()
        invite = Invite(
            code=secrets.token_urlsafe(12),
            role=role,
            team_id=team_id,
            created_by_id=inviter.id,
            created_at=now,
            expires_at=now + ttl,
        )
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def redeem_invite(self, code: str, profile: Profile, language: str | None) -> User:
        """Register (or re-admit) a person by a single-use code. Raises before writing anything
        when the code is unknown, used or expired."""
        if not INVITE_CODE.fullmatch(code):  # not one of ours (and a NUL breaks PostgreSQL)
            raise NotFound("invite.unknown")
        invite = await self.session.scalar(select(Invite).where(Invite.code == code))
        if invite is None:
            raise NotFound("invite.unknown")
        if invite.used_at is not None:
            raise InvalidInput("invite.used")
        now = self.clock()
        if invite.expires_at <= now:
            raise InvalidInput("invite.expired")
        # Mark used with a guarded UPDATE so two people racing on one code cannot both pass.
        claimed = await self.session.execute(
            update(Invite)
            .where(Invite.id == invite.id, Invite.used_at.is_(None))
            .values(used_at=now)
        )
        if affected_rows(claimed) != 1:
            raise InvalidInput("invite.used")
        user = await self.session.scalar(
            select(User).where(User.telegram_id == profile.telegram_id)
        )
        if user is None:
            user = self._new_user(profile, invite.role, invite.team_id, language)
            self.session.add(user)
        else:  # a deactivated former colleague comes back with the invite's role
            user.role = invite.role
            user.team_id = invite.team_id
            user.is_active = True
            user.is_reachable = True
            user.full_name = profile.full_name[:200]
        await self.session.flush()
        invite.used_by_id = user.id
        if invite.role is Role.lead and invite.team_id is None:
            await self._ensure_team_of(user)
        await self.session.flush()
        return user

    async def set_language(self, user: User, language: str) -> None:
        user.language = language
        await self.session.flush()

    async def mark_unreachable(self, user_id: int) -> bool:
        """Record that Telegram refuses delivery; True when this is news (tell an admin once)."""
        result = await self.session.execute(
            update(User)
            .where(User.id == user_id, User.is_reachable.is_(True))
            .values(is_reachable=False)
        )
        return bool(affected_rows(result))

    async def mark_reachable(self, user: User) -> None:
        if not user.is_reachable:
            user.is_reachable = True
            await self.session.flush()

    async def seen(self, user: User) -> None:
        """They write to us: note when (for the people list) at most once per SEEN_EVERY,
        so most updates stay read-only transactions; and they are reachable again."""
        now = self.clock()
        stale = user.last_seen_at is None or now - user.last_seen_at >= SEEN_EVERY
        if not stale and user.is_reachable:
            return
        if stale:
            user.last_seen_at = now
        user.is_reachable = True
        await self.session.flush()

    async def ensure_team_of(self, lead: User) -> int:
        return await self._ensure_team_of(lead)

    async def _ensure_team_of(self, lead: User) -> int:
        """A lead always has a team; create one named after them on first need."""
        if lead.team_id is not None:
            return lead.team_id
        team = Team(
            name=f"{lead.full_name} #{lead.id}"[:100], lead_id=lead.id, created_at=self.clock()
        )
        self.session.add(team)
        await self.session.flush()
        lead.team_id = team.id
        return team.id

    def _new_user(
        self, profile: Profile, role: Role, team_id: int | None, language: str | None
    ) -> User:
        return User(
            telegram_id=profile.telegram_id,
            full_name=(profile.full_name or str(profile.telegram_id))[:200],
            username=profile.username,
            role=role,
            team_id=team_id,
            timezone=self.default_timezone,
            language=language or self.default_language,
            created_at=self.clock(),
        )
