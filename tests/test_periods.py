"""Report periods: the chips around a day (weeks across a year's end, quarters), typed ranges
and their polite refusals, the UTC bounds of local days, whole months for plans."""

from __future__ import annotations

import datetime as dt

import pytest

from models.errors import InvalidInput
from models.periods import Period, PeriodKind, of_codes, parse_range, preset

D = dt.date


@pytest.mark.parametrize(
    ("kind", "today", "start", "end"),
    [
        (PeriodKind.this_week, D(2026, 12, 2), D(2026, 11, 30), D(2026, 12, 6)),
        (PeriodKind.last_week, D(2026, 12, 2), D(2026, 11, 23), D(2026, 11, 29)),
        (PeriodKind.this_week, D(2027, 1, 1), D(2026, 12, 28), D(2027, 1, 3)),
        (PeriodKind.last_week, D(2026, 11, 30), D(2026, 11, 23), D(2026, 11, 29)),  # a Monday
        (PeriodKind.this_month, D(2028, 2, 10), D(2028, 2, 1), D(2028, 2, 29)),
        (PeriodKind.last_month, D(2027, 1, 31), D(2026, 12, 1), D(2026, 12, 31)),
        (PeriodKind.this_quarter, D(2026, 12, 2), D(2026, 10, 1), D(2026, 12, 31)),
        (PeriodKind.last_quarter, D(2026, 12, 2), D(2026, 7, 1), D(2026, 9, 30)),
        (PeriodKind.last_quarter, D(2027, 2, 1), D(2026, 10, 1), D(2026, 12, 31)),
        (PeriodKind.this_quarter, D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)),
    ],
)
def test_chips(kind: PeriodKind, today: dt.date, start: dt.date, end: dt.date) -> None:
    assert preset(kind, today) == Period(start, end, kind)


def test_typed_ranges() -> None:
    today = D(2026, 12, 2)
    assert parse_range("01.10.2026-15.10.2026", today) == Period(D(2026, 10, 1), D(2026, 10, 15))
    assert parse_range(" 1.10.26 – 15/10/26 ", today) == Period(D(2026, 10, 1), D(2026, 10, 15))
    assert parse_range("01.10.2026 по 15.10.2026", today).days == 15
    # A range that is a chip reads as the chip.
    assert parse_range("01.11.2026-30.11.2026", today).kind is PeriodKind.last_month
    assert parse_range("05.11.2026-05.11.2026", today).days == 1


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "report.bad_range_format"),
        ("октябрь", "report.bad_range_format"),
        ("01.10.2026", "report.bad_range_format"),
        ("01.10.2026-15.10.2026-20.10.2026", "report.bad_range_format"),
        ("1" * 200, "report.bad_range_format"),
        ("31.11.2026-01.12.2026", "report.bad_date"),
        ("01.13.2026-01.12.2026", "report.bad_date"),
        ("01.01.1999-01.02.1999", "report.bad_date"),
        ("15.10.2026-01.10.2026", "report.range_reversed"),
        ("01.01.2025-02.01.2026", "report.range_too_long"),
    ],
)
def test_bad_ranges(typed: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_range(typed, D(2026, 12, 2))
    assert caught.value.key == key


def test_codes_and_bounds() -> None:
    period = of_codes(D(2026, 11, 1).toordinal(), D(2026, 11, 30).toordinal(), D(2026, 12, 2))
    assert period.kind is PeriodKind.last_month
    start, end = period.bounds("Europe/Moscow")
    assert start == dt.datetime(2026, 10, 31, 21, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 11, 30, 21, 0, tzinfo=dt.UTC)
    assert period.months() == [D(2026, 11, 1)]
    assert preset(PeriodKind.this_quarter, D(2026, 12, 2)).months() == [
        D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1),
    ]  # fmt: skip
    assert preset(PeriodKind.this_week, D(2026, 12, 2)).months() is None
    assert Period(D(2026, 11, 2), D(2026, 11, 30)).months() is None
    for start_, end_ in ((5, 2), (0, 10**7)):
        with pytest.raises(InvalidInput):
            of_codes(start_, end_, D(2026, 12, 2))
