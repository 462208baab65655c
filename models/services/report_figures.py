"""What a period report is made of: the figures that drill down to deals (``Figure``) and the
rows of its sections (models/services/team_reports.py computes them, bot/render/report.py
shows them). Money per currency (``Amounts``), never added across currencies."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from dataclasses import dataclass, field

from ..catalog import Source
from ..money import Amounts
from ..users import User
from .funnel import Funnel


class Figure(enum.IntEnum):
    """A figure of a report that opens its deals; ``key`` says whose / which."""

    cohort = 1  # every deal created in the period
    reached = 2  # key: stage id, 0: won
    cohort_lost = 3
    src_new = 4  # key: source id, 0: no source
    src_won = 5
    src_lost = 6
    mgr_new = 7  # key: person id, 0: everybody in the report
    mgr_notes = 8
    mgr_moves = 9
    mgr_won = 10
    mgr_lost = 11
    mgr_overdue = 12
    mgr_no_next = 13
    mgr_stale = 14
    mgr_paused = 15


PERSON_FIGURES = frozenset(f for f in Figure if f.name.startswith("mgr_"))


@dataclass
class FunnelReport:
    funnel: Funnel
    won_amount: Amounts = field(default_factory=Amounts)


@dataclass
class SourceRow:
    source: Source | None  # None: no source given
    new: int = 0
    won: int = 0
    won_amount: Amounts = field(default_factory=Amounts)
    lost: int = 0
    reasons: dict[str | None, int] = field(default_factory=dict)

    @property
    def key(self) -> int:
        return self.source.id if self.source is not None else 0

    @property
    def conversion(self) -> float | None:
        return self.won / self.new if self.new else None


@dataclass
class PersonRow:
    user: User | None  # None: the total line
    new: int = 0
    notes: int = 0
    moves: int = 0
    won: int = 0
    won_amount: Amounts = field(default_factory=Amounts)
    lost: int = 0
    overdue: int = 0
    no_next: int = 0
    stale: int = 0
    paused: int = 0
    plan_won: int | None = None
    plan_amount: decimal.Decimal | None = None

    @property
    def key(self) -> int:
        return self.user.id if self.user is not None else 0

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.new, self.notes, self.moves, self.won, self.lost, self.overdue, self.no_next,
             self.stale, self.paused, self.plan_won is not None)
        )  # fmt: skip

    def add(self, other: PersonRow) -> None:
        for name in ("new", "notes", "moves", "won", "lost", "overdue", "no_next", "stale",
                     "paused"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.won_amount.merge(other.won_amount)
        if other.plan_won is not None:
            self.plan_won = (self.plan_won or 0) + other.plan_won
        if other.plan_amount is not None:
            self.plan_amount = (self.plan_amount or decimal.Decimal("0.00")) + other.plan_amount


@dataclass
class ManagersReport:
    rows: list[PersonRow]
    total: PersonRow
    plan_months: list[dt.date] | None  # None: the period is not whole months, no plan
