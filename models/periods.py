"""Report periods: whole local days of the viewer, from ``start`` to ``end`` inclusive.

The chips (this week, last week, this month, ...) are computed from the viewer's local today;
a typed range ("01.10.2026-15.10.2026") is validated here. A period travels in a button as two
day ordinals, so a report's buttons keep their period whatever day they are pressed on."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from .errors import InvalidInput
from .timeutil import to_utc

MAX_DAYS = 366  # a custom range of at most a year: a report, not an archive dump
_EARLIEST = dt.date(2000, 1, 1)
_DATE = r"(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})"
_RANGE_RE = re.compile(rf"^\s*{_DATE}\s*(?:-|–|—|\.\.|по|to)\s*{_DATE}\s*$", re.IGNORECASE)
_MAX_INPUT = 64


class PeriodKind(enum.IntEnum):
    this_week = 1
    last_week = 2
    this_month = 3
    last_month = 4
    this_quarter = 5
    last_quarter = 6
    custom = 7


PRESETS = tuple(k for k in PeriodKind if k is not PeriodKind.custom)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: PeriodKind = PeriodKind.custom

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, timezone: str) -> tuple[dt.datetime, dt.datetime]:
        """UTC [from, to) of the period's local days."""
        midnight = dt.time(0, 0)
        return (
            to_utc(self.start, midnight, timezone),
            to_utc(self.end + dt.timedelta(days=1), midnight, timezone),
        )

    def months(self) -> list[dt.date] | None:
        """The first days of the whole months the period is made of; None when it is not
        whole months (a week, a custom range from the 5th): plans are monthly."""
        if self.start.day != 1 or (self.end + dt.timedelta(days=1)).day != 1:
            return None
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = _next_month(month)
        return months

    @property
    def codes(self) -> tuple[int, int]:
        return self.start.toordinal(), self.end.toordinal()


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def preset(kind: PeriodKind, today: dt.date) -> Period:
    """A chip's period around the viewer's local ``today`` (weeks start on Monday)."""
    one = dt.timedelta(days=1)
    if kind in (PeriodKind.this_week, PeriodKind.last_week):
        monday = today - dt.timedelta(days=today.weekday())
        if kind is PeriodKind.last_week:
            monday -= dt.timedelta(days=7)
        return Period(monday, monday + dt.timedelta(days=6), kind)
    if kind in (PeriodKind.this_month, PeriodKind.last_month):
        first = today.replace(day=1)
        if kind is PeriodKind.last_month:
            first = (first - one).replace(day=1)
        return Period(first, _next_month(first) - one, kind)
    if kind in (PeriodKind.this_quarter, PeriodKind.last_quarter):
        first = _quarter_start(today)
        if kind is PeriodKind.last_quarter:
            first = _quarter_start(first - one)
        end = _next_month(_next_month(_next_month(first))) - one
        return Period(first, end, kind)
    raise ValueError(kind)


def named(start: dt.date, end: dt.date, today: dt.date) -> Period:
    """The period with its chip's kind when it is one of the chips of ``today``."""
    for kind in PRESETS:
        chip = preset(kind, today)
        if (chip.start, chip.end) == (start, end):
            return chip
    return Period(start, end)


def of_codes(start: int, end: int, today: dt.date) -> Period:
    """A period from a button's day ordinals; a forged or broken pair is refused."""
    try:
        first, last = dt.date.fromordinal(start), dt.date.fromordinal(end)
    except (ValueError, OverflowError) as exc:
        raise InvalidInput("report.bad_period") from exc
    _check(first, last)
    return named(first, last, today)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def parse_range(text: str, today: dt.date) -> Period:
    """A typed range "01.10.2026-15.10.2026" (also "1.10.26 - 15.10.26", "по", "..")."""
    raw = (text or "").strip()
    match = _RANGE_RE.match(raw) if len(raw) <= _MAX_INPUT else None
    if match is None:
        raise InvalidInput("report.bad_range_format")
    d1, m1, y1, d2, m2, y2 = match.groups()
    try:
        first = dt.date(_year(y1), int(m1), int(d1))
        last = dt.date(_year(y2), int(m2), int(d2))
    except ValueError as exc:
        raise InvalidInput("report.bad_date") from exc
    _check(first, last)
    return named(first, last, today)


def _check(first: dt.date, last: dt.date) -> None:
    if first > last:
        raise InvalidInput("report.range_reversed")
    if first < _EARLIEST:
        raise InvalidInput("report.bad_date")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput("report.range_too_long", days=MAX_DAYS)
