"""Out of office (``crm.absences``): /away until a date, optionally with a colleague of the same
team who gets the absent person's deals of the day.

An absence is over on the day after ``until`` in the person's own calendar: every reader
compares ``until`` with the person's local today, so nothing has to run at midnight; a row
that is over is replaced by the next /away or removed by /away off. While away: the digest
and the follow-up are not due (``reminders.daily_due_stmt``), timed and early reminders are
skipped, the person's overdue deals go to the lead at once (scheduler/away.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import aliased

from ..absence import Absence
from ..catalog import StageKind
from ..contacts import ContactKind
from ..deals import Contact, Deal
from ..errors import InvalidInput
from ..timeutil import local_today
from ..users import Team, User
from .sent_log import chunks

if TYPE_CHECKING:
    from ..crm import Crm

MAX_AWAY_DAYS = 365
COLLEAGUES_SHOWN = 20


@dataclass(frozen=True)
class AwayPerson:
    """An absence in force, with what the scheduler and the summary need."""

    user_id: int
    name: str
    timezone: str
    team_id: int | None
    until: dt.date
    substitute_id: int | None
    substitute_name: str | None


@dataclass(frozen=True)
class CoveredDeal:
    id: int
    title: str
    client_name: str | None
    company: str | None
    next_action_time: dt.time | None
    phones: tuple[str, ...]


class Absences:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session
        self.clock = crm.clock

    def today(self, user: User) -> dt.date:
        return local_today(self.clock(), user.timezone)

    async def current(self, user: User) -> Absence | None:
        """The user's absence if it is in force today (their calendar)."""
        row = await self.session.get(Absence, user.id)
        if row is None or row.until < self.today(user):
            return None
        return row

    def check_until(self, user: User, day: dt.date) -> dt.date:
        today = self.today(user)
        if day <= today:
            raise InvalidInput("away.past", day=day.strftime("%d.%m.%Y"))
        if day > today + dt.timedelta(days=MAX_AWAY_DAYS):
            raise InvalidInput("away.too_far")
        return day

    async def colleagues(self, user: User) -> list[User]:
        """Who may cover: active people of the user's team (the lead too), not the user."""
        if user.team_id is None:
            return []
        rows = await self.session.scalars(
            select(User)
            .where(User.team_id == user.team_id, User.id != user.id, User.is_active.is_(True))
            .order_by(User.full_name, User.id)
            .limit(COLLEAGUES_SHOWN)
        )
        return list(rows)

    async def substitute(self, user: User, substitute_id: int) -> User:
        other = await self.session.get(User, substitute_id)
        if (
            other is None
            or not other.is_active
            or other.id == user.id
            or user.team_id is None
            or other.team_id != user.team_id
        ):
            raise InvalidInput("away.bad_substitute")
        return other

    async def start(self, user: User, until: dt.date, substitute_id: int | None) -> Absence:
        until = self.check_until(user, until)
        if substitute_id is not None:
            await self.substitute(user, substitute_id)
        row = await self.session.get(Absence, user.id)
        if row is None:
            row = Absence(user_id=user.id, until=until, created_at=self.clock())
            self.session.add(row)
        row.until = until
        row.substitute_id = substitute_id
        row.created_at = self.clock()
        await self.session.flush()
        return row

    async def end(self, user: User) -> bool:
        """/away off: False when no absence was in force (nothing changed)."""
        current = await self.current(user)
        await self.session.execute(delete(Absence).where(Absence.user_id == user.id))
        return current is not None

    # -- for the scheduler and the summary ------------------------------------------------------
    async def in_force(
        self, now: dt.datetime, *, team_ids: Sequence[int] | None = None
    ) -> list[AwayPerson]:
        """Absences in force at ``now`` (each in its person's calendar); the table holds a
        row per person who ever set one, so this reads a handful of rows."""
        sub = aliased(User)
        stmt = (
            select(
                User.id,
                User.email,
                User.full_name,
                User.timezone,
                User.team_id,
                Absence.until,
                Absence.substitute_id,
                sub.email,
                sub.full_name,
                sub.is_active,
            )
            .join(User, User.id == Absence.user_id)
            .outerjoin(sub, sub.id == Absence.substitute_id)
            # No zone is more than a day ahead of UTC: older rows are over everywhere.
            .where(Absence.until >= (now - dt.timedelta(days=1)).date(), User.is_active.is_(True))
            .order_by(User.full_name, User.id)
        )
        if team_ids is not None:
            stmt = stmt.where(User.team_id.in_(team_ids))
        people = []
        for (
            uid,
            email,
            name,
            zone,
            team_id,
            until,
            sub_id,
            s_email,
            s_name,
            s_active,
        ) in await self.session.execute(stmt):
            if until < local_today(now, zone):
                continue
            covered = sub_id if s_active else None
            people.append(
                AwayPerson(
                    uid,
                    email or name,
                    zone,
                    team_id,
                    until,
                    covered,
                    (s_email or s_name) if covered else None,
                )
            )
        return people

    async def away_ids(self, people: Sequence[tuple[int, str]], now: dt.datetime) -> set[int]:
        """Of (user id, time zone), those away at ``now``."""
        ids = sorted({uid for uid, _ in people})
        if not ids:
            return set()
        zones = dict(people)
        away: set[int] = set()
        for part in chunks(ids):
            for uid, until in await self.session.execute(
                select(Absence.user_id, Absence.until).where(Absence.user_id.in_(part))
            ):
                if until >= local_today(now, zones[uid]):
                    away.add(uid)
        return away

    async def lead_of(self, team_id: int) -> User | None:
        team = await self.session.get(Team, team_id)
        if team is None or team.lead_id is None:
            return None
        return await self.session.get(User, team.lead_id)

    async def overdue_of(self, person: AwayPerson, now: dt.datetime) -> list[Deal]:
        today = local_today(now, person.timezone)
        rows = await self.session.scalars(
            select(Deal)
            .where(
                Deal.owner_id == person.user_id,
                Deal.status == StageKind.open,
                Deal.next_action_on < today,
                Deal.deleted_at.is_(None),
            )
            .order_by(Deal.next_action_on, Deal.id)
        )
        return list(rows)

    async def todays_of(self, person: AwayPerson, day: dt.date) -> list[CoveredDeal]:
        """The absent person's deals of ``day``, with their phones, for the colleague."""
        deals = list(
            await self.session.execute(
                select(
                    Deal.id,
                    Deal.title,
                    Deal.client_name,
                    Deal.company,
                    Deal.next_action_time,
                )
                .where(
                    Deal.owner_id == person.user_id,
                    Deal.status == StageKind.open,
                    Deal.next_action_on == day,
                    Deal.deleted_at.is_(None),
                )
                .order_by(Deal.next_action_time.asc().nulls_last(), Deal.id)
            )
        )
        if not deals:
            return []
        phones: dict[int, list[str]] = {}
        for part in chunks([d[0] for d in deals]):
            # The kind checked here, not in SQL (see Outcomes.first_phones: SQLite would read
            # the (kind, normalized) index, every phone of the company).
            for deal_id, kind, value in await self.session.execute(
                select(Contact.deal_id, Contact.kind, Contact.value)
                .where(Contact.deal_id.in_(part))
                .order_by(Contact.id)
            ):
                if kind == ContactKind.phone:
                    phones.setdefault(deal_id, []).append(value)
        return [CoveredDeal(*d, tuple(phones.get(d[0], ()))) for d in deals]
