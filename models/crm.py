"""One holder of every service over one session: what a handler or a job receives.

Services are built on first use. Feature services take the holder itself (``Service(crm)``)
so they share the session, the clock and the core ``deals`` service."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from .clock import Clock, utc_now
from .services.accounts import Accounts
from .services.catalogs import Catalogs
from .services.deals import Deals

if TYPE_CHECKING:
    from .services.absences import Absences
    from .services.catalog_admin import CatalogAdmin
    from .services.deal_editing import DealEditing
    from .services.deal_files import DealFiles
    from .services.deal_lists import DealLists
    from .services.deal_persons import DealPersons
    from .services.early_reminders import EarlyReminders
    from .services.imports import Imports
    from .services.notes import Notes
    from .services.people import People
    from .services.plans import Plans
    from .services.profiles import Profiles
    from .services.reminders import Reminders
    from .services.reports import Reports
    from .services.stage_moves import StageMoves
    from .services.staleness import Staleness
    from .services.team_reports import TeamReports
    from .services.week import Week


@dataclass(frozen=True)
class CrmConfig:
    timezone: str = "Europe/Moscow"
    language: str = "ru"
    overdue_escalation_days: int = 3


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
        self.deals = Deals(session, clock)
        self.catalogs = Catalogs(session)

    @cached_property
    def catalog_admin(self) -> CatalogAdmin:
        from .services.catalog_admin import CatalogAdmin

        return CatalogAdmin(self)

    @cached_property
    def notes(self) -> Notes:
        from .services.notes import Notes

        return Notes(self)

    @cached_property
    def stage_moves(self) -> StageMoves:
        from .services.stage_moves import StageMoves

        return StageMoves(self)

    @cached_property
    def lists(self) -> DealLists:
        from .services.deal_lists import DealLists

        return DealLists(self)

    @cached_property
    def editing(self) -> DealEditing:
        from .services.deal_editing import DealEditing

        return DealEditing(self)

    @cached_property
    def persons(self) -> DealPersons:
        from .services.deal_persons import DealPersons

        return DealPersons(self)

    @cached_property
    def reminders(self) -> Reminders:
        from .services.reminders import Reminders

        return Reminders(self)

    @cached_property
    def reports(self) -> Reports:
        from .services.reports import Reports

        return Reports(self)

    @cached_property
    def imports(self) -> Imports:
        from .services.imports import Imports

        return Imports(self)

    @cached_property
    def plans(self) -> Plans:
        from .services.plans import Plans

        return Plans(self)

    @cached_property
    def files(self) -> DealFiles:
        from .services.deal_files import DealFiles

        return DealFiles(self)

    @cached_property
    def people(self) -> People:
        from .services.people import People

        return People(self)

    @cached_property
    def profiles(self) -> Profiles:
        from .services.profiles import Profiles

        return Profiles(self.session)

    @cached_property
    def staleness(self) -> Staleness:
        from .services.staleness import Staleness

        return Staleness(self)

    @cached_property
    def early_reminders(self) -> EarlyReminders:
        from .services.early_reminders import EarlyReminders

        return EarlyReminders(self)

    @cached_property
    def absences(self) -> Absences:
        from .services.absences import Absences

        return Absences(self)

    @cached_property
    def week(self) -> Week:
        from .services.week import Week

        return Week(self)

    @cached_property
    def team_reports(self) -> TeamReports:
        from .services.team_reports import TeamReports

        return TeamReports(self)
