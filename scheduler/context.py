"""What every scheduler job needs, set once at start-up (jobs take no arguments: APScheduler
must never hold a session, a ``Bot`` or a ``Message``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Translator
from bot.sender import Sender
from bot.settings import Settings
from models.clock import Clock
from models.crm import Crm, CrmConfig

if TYPE_CHECKING:
    from .lease import SchedulerLeaseKeeper


@dataclass
class SchedulerContext:
    session_factory: async_sessionmaker[AsyncSession]
    sender: Sender
    translator: Translator
    settings: Settings
    clock: Clock
    # Sessions for pure reads (due scans, report building): on SQLite they take no write
    # lock, so a 09:00 wave of digests never makes the bot's own updates wait.
    read_factory: async_sessionmaker[AsyncSession] | None = None
    # Exactly one scheduler per database: jobs work only while this holds the lease (None:
    # no lease, e.g. a test driving the jobs directly).
    lease: SchedulerLeaseKeeper | None = None

    @property
    def reader(self) -> async_sessionmaker[AsyncSession]:
        return self.read_factory or self.session_factory

    @property
    def config(self) -> CrmConfig:
        return CrmConfig(
            timezone=self.settings.default_timezone,
            language=self.settings.default_language,
            overdue_escalation_days=self.settings.overdue_escalation_days,
        )

    def crm(self, session: AsyncSession) -> Crm:
        """The same service holder a handler gets, over a session the job opened."""
        return Crm(session, self.config, self.clock)


_current: SchedulerContext | None = None


def set_context(ctx: SchedulerContext | None) -> None:
    global _current
    _current = ctx


def get_context() -> SchedulerContext:
    if _current is None:
        raise RuntimeError("the scheduler context is not set (start_scheduler sets it)")
    return _current
