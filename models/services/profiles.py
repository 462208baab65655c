"""A person's own profile: the name colleagues see, the e-mail (validated like a deal's
e-mail contact) and what their new deal titles start with."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..contacts import ContactError, normalize_email
from ..errors import InvalidInput
from ..titles import TitlePrefix
from ..users import User

# Room on a phone's list row and on a picker button; far below the column's 200.
MAX_NAME = 100


class Profiles:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def set_name(self, user: User, raw: str | None) -> bool:
        name = " ".join((raw or "").split())
        if not name:
            raise InvalidInput("profile.name_empty")
        if len(name) > MAX_NAME:
            raise InvalidInput("profile.name_too_long", length=len(name), limit=MAX_NAME)
        if name == user.full_name:
            return False
        user.full_name = name
        await self.session.flush()
        return True

    async def set_email(self, user: User, raw: str | None) -> bool:
        """The same validation as a deal's e-mail contact; stored lower-cased."""
        try:
            email = normalize_email(raw or "")
        except ContactError as exc:
            raise InvalidInput("profile.email_bad", reason=exc.reason) from exc
        if email == user.email:
            return False
        user.email = email
        await self.session.flush()
        return True

    async def clear_email(self, user: User) -> bool:
        if user.email is None:
            return False
        user.email = None
        await self.session.flush()
        return True

    async def set_title_prefix(self, user: User, choice: TitlePrefix) -> bool:
        if user.title_prefix == choice:
            return False
        user.title_prefix = choice.value
        await self.session.flush()
        return True
