"""What the reminder scans hand to the scheduler (recipients, due lists, timed and escalated
deals, time-zone slots), the daily kinds and snooze choices, and the sent-log keys; see
models/services/reminders.py for how the keys are used."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from ..users import User

if TYPE_CHECKING:
    pass

# A timed reminder whose moment is further in the past than this is stale (the scheduler was
# down): it is dropped rather than delivered hours late. The morning digest lists the deal.
REMIND_STALE_AFTER = dt.timedelta(hours=2)
# Deals listed per person in one digest statement (the message shows fewer; counts are exact).
DUE_LIST_LIMIT = 60
SNOOZE_ROUND_MINUTES = 5


class Daily(enum.StrEnum):
    """A once-a-day message and the ``User`` column holding its local time."""

    digest = "digest"
    followup = "followup"
    escalations = "escalations"


DAILY_TIME = {
    Daily.digest: User.digest_time,
    Daily.followup: User.followup_time,
    Daily.escalations: User.followup_time,
}


class Snooze(enum.IntEnum):
    hour = 1  # in an hour (rounded up to 5 minutes), with that time
    next_day = 2  # the owner's next work day, same time if the deal had one


# -- keys -------------------------------------------------------------------------------------
def daily_key(kind: Daily, user_id: int, day: dt.date) -> str:
    return f"{kind.value}:{user_id}:{day.isoformat()}"


def remind_key(deal_id: int, at: dt.datetime) -> str:
    return f"remind:{deal_id}:{at.astimezone(dt.UTC).isoformat()}"


def escalate_key(deal_id: int, day: dt.date) -> str:
    return f"escalate:{deal_id}:{day.isoformat()}"


def blocked_key(user_id: int, day: dt.date) -> str:
    return f"blocked:{user_id}:{day.isoformat()}"


# -- what the scheduler gets back -----------------------------------------------------------
@dataclass(frozen=True)
class Recipient:
    """A person to be told something, with what delivery and rendering need."""

    id: int
    telegram_id: int
    full_name: str
    email: str | None
    username: str | None
    language: str
    timezone: str
    work_days: str

    @property
    def display_name(self) -> str:
        return self.email or self.full_name


class DueDeal(NamedTuple):
    """One line of a digest: the few columns a line and its buttons need (a tuple: a 09:00
    wave loads ~250,000 of them)."""

    id: int
    title: str
    client_name: str | None
    company: str | None
    next_action_on: dt.date
    next_action_time: dt.time | None
    version: int
    owner_id: int


@dataclass
class DueList:
    """A person's due deals for one local day: exact counts, the first deals in full."""

    today: dt.date
    overdue_total: int = 0
    today_total: int = 0
    deals: list[DueDeal] = field(default_factory=list)
    # Filled by models/services/outcomes.py: a deal's first phone, deals without a next step.
    phones: dict[int, str] = field(default_factory=dict)
    no_next: int = 0

    @property
    def total(self) -> int:
        return self.overdue_total + self.today_total


@dataclass(frozen=True)
class TimedDue:
    deal: DueDeal
    at: dt.datetime
    owner: Recipient

    @property
    def key(self) -> str:
        return remind_key(self.deal.id, self.at)


@dataclass(frozen=True)
class EscalatedDeal:
    deal: DueDeal
    owner_name: str
    days_overdue: int

    @property
    def key(self) -> str:
        return escalate_key(self.deal.id, self.deal.next_action_on)


@dataclass(frozen=True)
class ZoneSlot:
    """The local wall clock of one time zone at the scan's instant."""

    timezone: str
    day: dt.date
    time: dt.time
    weekday: int  # ISO, Monday = 1
