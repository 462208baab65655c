"""Moving a deal along: to another stage of its pipeline, and to the date of its next step.

Rules (the sales handbook's calendar rules):
- the status mirrors the stage's kind; won/lost set ``closed_at`` (now), any other kind clears
  it (reopening); lost and paused need a reason, other kinds clear it;
- only OPEN deals have a next step: a move to won / lost / paused clears the next action date
  (the DealEvent keeps the old one for history), so no list or reminder scan can ever treat a
  closed or paused deal as due, whatever it filters on; a reopened deal asks for a new date;
- moving to the stage the deal is on changes nothing and records nothing (a double tap);
- every change records DealEvents and touches the deal (version + updated_at).

Callers pass a deal loaded by ``crm.deals.get_for(actor, id, for_edit=True)`` (rights checked,
owner / stage / pipeline loaded)."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ..catalog import CLOSED_KINDS, Stage, StageKind
from ..deals import Deal, EventKind
from ..errors import InvalidInput, NotFound
from ..seed import LOST_REASONS, PAUSE_REASONS
from ..timeutil import local_now
from ..users import User
from .deals import clean_text, next_action_values

if TYPE_CHECKING:
    from ..crm import Crm

MAX_REASON = 500
REASON_KINDS = frozenset({StageKind.lost, StageKind.paused})


class Unset:
    pass


UNSET: Final = Unset()


def reason_codes(kind: StageKind) -> tuple[str, ...]:
    """The listed reasons offered for a move to a stage of this kind (translated by the bot)."""
    if kind is StageKind.lost:
        return LOST_REASONS
    if kind is StageKind.paused:
        return PAUSE_REASONS
    return ()


def stage_ref(stage: Stage) -> str:
    """How a stage is named in DealEvent.old / .new: its code, else (admin-made) its name."""
    return stage.code or stage.name


_AMOUNT_RE = re.compile(r"(\d[\d ]*(?:[.,]\d{1,2})?)\s*(к|k|тыс\.?|млн|m|mln)?\s*\.?")
_MULTIPLIERS = {"к": 1000, "k": 1000, "тыс": 1000, "тыс.": 1000, "млн": 10**6, "m": 10**6}
_MULTIPLIERS["mln"] = 10**6
_CURRENCY_RE = re.compile(r"(₽|руб\.?|р\.?|rub|\$|usd|€|eur)$")


def parse_amount(text: str) -> decimal.Decimal | None:
    """A typed amount: "150000", "150 000", "150 000,50", "150к", "1,5 млн", "150000 ₽";
    None when it is not an amount. Range checks are ``Deals.checked_amount``'s job."""
    value = text.strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    value = _CURRENCY_RE.sub("", value).strip()
    match = _AMOUNT_RE.fullmatch(value)
    if match is None:
        return None
    number = match[1].replace(" ", "").replace(",", ".")
    try:
        amount = decimal.Decimal(number)
    except decimal.InvalidOperation:
        return None
    if match[2]:
        amount *= _MULTIPLIERS[match[2]]
    return amount


@dataclass(frozen=True)
class StageMove:
    changed: bool
    old: Stage
    new: Stage

    @property
    def asks_next_step(self) -> bool:
        """After a change on an open deal the user is asked for the next step's date."""
        return self.changed and self.new.kind is StageKind.open


def fmt_next(day: dt.date | None, at: dt.time | None) -> str | None:
    """How a next action is written in DealEvent.old / .new: ISO date [+ HH:MM]."""
    if day is None:
        return None
    return f"{day.isoformat()} {at.strftime('%H:%M')}" if at else day.isoformat()


class StageMoves:
    def __init__(self, crm: Crm) -> None:
        self.session = crm.session
        self.clock = crm.clock
        self.deals = crm.deals

    async def stages_for(self, deal: Deal) -> list[Stage]:
        return await self.deals.stages_of(deal.pipeline_id)

    async def stage_for(self, deal: Deal, stage_id: int) -> Stage:
        """A stage the deal may move to: of its pipeline (or of every pipeline), not archived."""
        stage = await self.deals.stage(stage_id)  # no query when preloaded
        if stage is None or stage.is_archived or stage.pipeline_id not in (None, deal.pipeline_id):
            raise NotFound("stage.gone")
        return stage

    async def move(
        self,
        actor: User,
        deal: Deal,
        stage: Stage,
        *,
        reason: str | None = None,
        amount: decimal.Decimal | Unset | None = UNSET,
        version: int | None = None,
    ) -> StageMove:
        """Move ``deal`` to ``stage``. ``reason`` is required for lost / paused; ``amount``
        (won) replaces the deal's amount when given. ``version`` (the button's) raises
        Conflict when the deal changed since; the same stage is a no-op before that check,
        so a double tap is harmless."""
        old = deal.stage
        if stage.id == deal.stage_id:
            return StageMove(False, old, stage)
        self.deals.expect_version(deal, version)
        if stage.kind in REASON_KINDS:
            reason = clean_text(reason, MAX_REASON, key="reason")
            if reason is None:
                raise InvalidInput("stage.reason_required")
        else:
            reason = None
        event = self.deals.event
        changes: dict[str, object] = {}
        events = []
        if not isinstance(amount, Unset):
            amount = self.deals.checked_amount(amount)
            if amount != deal.amount:
                events.append(
                    event(deal, actor, EventKind.field, field="amount", old=deal.amount, new=amount)
                )
                changes["amount"] = amount
        events.append(event(deal, actor, EventKind.stage, old=stage_ref(old), new=stage_ref(stage)))
        if reason != deal.reason:
            events.append(
                event(deal, actor, EventKind.field, field="reason", old=deal.reason, new=reason)
            )
        changes["stage_id"] = stage.id
        changes["status"] = stage.kind
        changes["reason"] = reason
        changes["closed_at"] = self.clock() if stage.kind in CLOSED_KINDS else None
        changes["last_contact_at"] = self.clock()  # a stage move is a contact (staleness.py)
        if stage.kind is not StageKind.open and deal.next_action_on is not None:
            events.append(self._next_event(actor, deal, None, None))
            changes.update(next_action_values(None, None, deal.owner))
        # The stage object too: the card rendered next must show it.
        await self.deals.write(deal, changes, events, stage=stage)
        return StageMove(True, old, stage)

    async def set_next_action(
        self,
        actor: User,
        deal: Deal,
        day: dt.date,
        at: dt.time | None = None,
        *,
        keep_time: bool = False,
    ) -> bool:
        """Set the next step of an open deal; False when nothing changed. Past days (and past
        times today) are refused. ``keep_time``: picking the day the deal is already on keeps
        its time (the time is chosen in the next step of the picker)."""
        if not deal.is_open:
            raise InvalidInput("next.not_open")
        self.deals.validate_next_action(actor, day)
        if keep_time and at is None and day == deal.next_action_on:
            at = deal.next_action_time
        if at is not None:
            # The time is the owner's wall-clock time (as apply_next_action stores it).
            now = local_now(self.clock(), deal.owner.timezone)
            if day == now.date() and at < now.time().replace(second=0, microsecond=0):
                raise InvalidInput("next.time_past")
        if day == deal.next_action_on and at == deal.next_action_time:
            return False
        event = self._next_event(actor, deal, day, at)
        await self.deals.write(deal, next_action_values(day, at, deal.owner), [event])
        return True

    def _next_event(
        self, actor: User, deal: Deal, day: dt.date | None, at: dt.time | None
    ) -> dict[str, Any]:
        return self.deals.event(
            deal,
            actor,
            EventKind.next_action,
            old=fmt_next(deal.next_action_on, deal.next_action_time),
            new=fmt_next(day, at),
        )
