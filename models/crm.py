"""One holder of every service over one session: what a handler or a job receives."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from .clock import Clock, utc_now
from .services.accounts import Accounts


@dataclass(frozen=True)
class CrmConfig:
    timezone: str = "Europe/Moscow"
    language: str = "ru"


class Crm:
    def __init__(
        self, session: AsyncSession, config: CrmConfig | None = None, clock: Clock = utc_now
    ):
        self.session = session
        self.config = config or CrmConfig()
        self.clock = clock
        self.accounts = Accounts(
            session, clock, timezone=self.config.timezone, language=self.config.language
        )
