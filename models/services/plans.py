"""Monthly plans (KPI) of managers: a lead sets them for their team, an admin for anybody.

A plan is a number of won deals and optionally an amount for one calendar month; there is at
most one per person and month (setting it again replaces it)."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, or_, select

from ..errors import AccessDenied, InvalidInput, NotFound
from ..ids import MAX_BIGINT, MAX_ID, parse_id
from ..plans import Plan
from ..roles import Role
from ..timeutil import local_today
from ..users import User

if TYPE_CHECKING:
    from ..crm import Crm

MAX_TARGET_WON = 10_000
MAX_TARGET_AMOUNT = decimal.Decimal("999999999999.99")
# Who may have a plan: those who sell (an admin may set a lead's own plan as well).
PLANNED_ROLES = (Role.manager, Role.lead)

_SPACES = re.compile(r"[\s\u00a0\u202f_']+")
_NUMBER = re.compile(r"\d+(?:[.,]\d{1,2})?")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def parse_target(text: str) -> tuple[int, decimal.Decimal | None]:
    """``"10"`` or ``"10 1500000"`` (the amount may be typed with spaces: ``"10 1 500 000"``,
    with a decimal comma, or with a "k"/"к" or "млн"/"m" suffix). Raises InvalidInput."""
    parts = (text or "").strip().lower().split(maxsplit=1)
    # isascii: "²" is a digit to str.isdigit but not to int().
    if not parts or not (parts[0].isascii() and parts[0].isdigit()) or len(parts[0]) > 6:
        raise InvalidInput("plan.bad_target")
    won = int(parts[0])
    if not 1 <= won <= MAX_TARGET_WON:
        raise InvalidInput("plan.bad_target")
    if len(parts) == 1:
        return won, None
    raw = _SPACES.sub("", parts[1])
    factor = decimal.Decimal(1)
    for suffix, multiplier in (("млн", 1_000_000), ("m", 1_000_000), ("k", 1000), ("к", 1000)):
        if raw.endswith(suffix):
            raw, factor = raw[: -len(suffix)], decimal.Decimal(multiplier)
            break
    if not _NUMBER.fullmatch(raw) or len(raw) > 16:
        raise InvalidInput("plan.bad_target")
    amount = (decimal.Decimal(raw.replace(",", ".")) * factor).quantize(decimal.Decimal("0.01"))
    if amount <= 0 or amount > MAX_TARGET_AMOUNT:
        raise InvalidInput("plan.bad_target")
    return won, amount


@dataclass(frozen=True)
class PlanTarget:
    """A person one may set a plan for, with their current plan of the month (if any)."""

    user: User
    plan: Plan | None


class Plans:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    @staticmethod
    def can_set_plans(actor: User) -> bool:
        return actor.role in (Role.admin, Role.lead)

    def current_month(self, actor: User) -> dt.date:
        return month_start(local_today(self.crm.clock(), actor.timezone))

    def months_to_choose(self, actor: User) -> tuple[dt.date, dt.date]:
        """This month and the next one, in the actor's time zone."""
        this = self.current_month(actor)
        return this, next_month(this)

    def _check_actor(self, actor: User) -> None:
        if not self.can_set_plans(actor):
            raise AccessDenied("plan.not_allowed")

    def _check_target(self, actor: User, target: User) -> None:
        if not target.is_active:
            raise NotFound("plan.user_not_found")
        if actor.role is Role.admin:
            if target.role not in PLANNED_ROLES:
                raise InvalidInput("plan.not_a_seller", name=target.full_name)
            return
        if actor.team_id is None or target.team_id != actor.team_id:
            raise AccessDenied("plan.not_your_team")
        if target.role is not Role.manager:
            raise InvalidInput("plan.not_a_seller", name=target.full_name)

    def _candidates_filter(self, actor: User) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [User.is_active.is_(True)]
        if actor.role is Role.admin:
            where.append(User.role.in_(PLANNED_ROLES))
        else:
            where += [User.team_id == actor.team_id, User.role == Role.manager]
        return where

    async def candidates(
        self, actor: User, *, page: int = 0, per_page: int = 10
    ) -> tuple[list[PlanTarget], int, int]:
        """The people ``actor`` may set plans for, a page at a time (admins may have
        thousands), with this month's plans. Returns (targets, page, pages)."""
        self._check_actor(actor)
        if actor.role is Role.lead and actor.team_id is None:
            return [], 0, 1
        where = self._candidates_filter(actor)
        total = int(await self.session.scalar(select(func.count(User.id)).where(*where)) or 0)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        users = list(
            await self.session.scalars(
                select(User)
                .where(*where)
                .order_by(User.full_name, User.id)
                .offset(page * per_page)
                .limit(per_page)
            )
        )
        plans = await self.for_users([u.id for u in users], self.current_month(actor))
        return [PlanTarget(u, plans.get(u.id)) for u in users], page, pages

    async def target(self, actor: User, user_id: int) -> User:
        """The person with this id if ``actor`` may set their plan (re-checked per button)."""
        self._check_actor(actor)
        target = await self.session.get(User, user_id)
        if target is None:
            raise NotFound("plan.user_not_found")
        self._check_target(actor, target)
        return target

    async def resolve(self, actor: User, ref: str) -> User:
        """``@username``, ``username``, a Telegram id or a CRM user id, as typed in
        ``/plan <who> <won> [amount]``."""
        self._check_actor(actor)
        ref = ref.strip().removeprefix("@")
        if not ref or len(ref) > 64:
            raise NotFound("plan.user_not_found")
        if ref.isascii() and ref.isdigit():
            number = parse_id(ref, maximum=MAX_BIGINT)
            if number is None:  # 0 or beyond BIGINT: no such person
                raise NotFound("plan.user_not_found")
            match = User.telegram_id == number
            if number <= MAX_ID:  # a CRM id too (a bigger one would overflow INTEGER)
                match = or_(match, User.id == number)
            found = list(await self.session.scalars(select(User).where(match)))
            # A Telegram id is what people copy from profiles: it wins over a row id.
            found.sort(key=lambda u: u.telegram_id != number)
        else:
            found = list(
                await self.session.scalars(
                    select(User).where(func.lower(User.username) == ref.lower())
                )
            )
        active = [u for u in found if u.is_active]
        if not active:
            raise NotFound("plan.user_not_found")
        self._check_target(actor, active[0])
        return active[0]

    async def set(
        self,
        actor: User,
        target: User,
        month: dt.date,
        target_won: int,
        target_amount: decimal.Decimal | None = None,
    ) -> Plan:
        """Create or replace ``target``'s plan for the month that contains ``month``."""
        self._check_actor(actor)
        self._check_target(actor, target)
        month = month_start(month)
        if month < self.current_month(actor):
            raise InvalidInput("plan.past_month")
        if not 1 <= target_won <= MAX_TARGET_WON:
            raise InvalidInput("plan.bad_target")
        if target_amount is not None and not 0 < target_amount <= MAX_TARGET_AMOUNT:
            raise InvalidInput("plan.bad_target")
        plan = await self.get(target.id, month)
        if plan is None:
            plan = Plan(user_id=target.id, month=month)
            self.session.add(plan)
        plan.target_won = target_won
        plan.target_amount = target_amount
        plan.set_by_id = actor.id
        plan.updated_at = self.crm.clock()
        await self.session.flush()
        return plan

    async def get(self, user_id: int, month: dt.date) -> Plan | None:
        return await self.session.scalar(
            select(Plan).where(Plan.user_id == user_id, Plan.month == month_start(month))
        )

    async def for_users(self, user_ids: list[int], month: dt.date) -> dict[int, Plan]:
        if not user_ids:
            return {}
        rows = await self.session.scalars(
            select(Plan).where(Plan.user_id.in_(user_ids), Plan.month == month_start(month))
        )
        return {plan.user_id: plan for plan in rows}
