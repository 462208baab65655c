from datetime import date, time

import pytest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.keyboards.dates import (
    DateAction,
    DateCb,
    date_chips,
    date_to_int,
    int_to_date,
    month_calendar,
    next_week_date,
    parse_date,
    parse_time,
    time_chips,
)
from models.ids import MAX_ID

CTX = 42
# 2026-11-27 is a Friday.
FRI = date(2026, 11, 27)


def buttons(markup: InlineKeyboardMarkup) -> list[InlineKeyboardButton]:
    return [btn for row in markup.inline_keyboard for btn in row]


def cb(btn: InlineKeyboardButton) -> DateCb:
    assert btn.callback_data is not None
    return DateCb.unpack(btn.callback_data)


def texts(row: list[InlineKeyboardButton]) -> list[str]:
    return [btn.text for btn in row]


def day_button(markup: InlineKeyboardMarkup, day: int) -> InlineKeyboardButton:
    """The calendar cell for ``day`` (whatever decoration it has)."""
    found = [
        btn
        for row in markup.inline_keyboard[2:]
        for btn in row
        if btn.text.strip("[]·•") == str(day)
    ]
    assert len(found) == 1, found
    return found[0]


def assert_telegram_limits(markup: InlineKeyboardMarkup) -> None:
    assert all(1 <= len(row) <= 8 for row in markup.inline_keyboard)
    assert len(buttons(markup)) <= 100
    for btn in buttons(markup):
        assert btn.text  # Telegram rejects empty texts
        assert btn.callback_data is not None
        assert len(btn.callback_data.encode()) <= 64


# --------------------------------------------------------------------------- packing


def test_date_int_round_trip() -> None:
    assert date_to_int(FRI) == 20261127
    assert int_to_date(20261127) == FRI
    assert int_to_date(20260101) == date(2026, 1, 1)
    for d in (date(1999, 12, 31), date(2028, 2, 29), date(2026, 1, 9)):
        assert int_to_date(date_to_int(d)) == d


@pytest.mark.parametrize("value", [0, 20260231, 20261301, 20261100, -20261127])
def test_int_to_date_invalid(value: int) -> None:
    with pytest.raises(ValueError):
        int_to_date(value)


def test_callback_round_trip_and_length() -> None:
    big = MAX_ID  # the biggest deal id
    data = DateCb(action=DateAction.time, ctx=big, d=20261127, t=2359)
    packed = data.pack()
    assert packed == f"dt:4:{big}:20261127:2359"
    assert len(packed.encode()) < 40  # well under Telegram's 64 bytes
    assert DateCb.unpack(packed) == data
    assert DateCb.unpack(packed).action is DateAction.time

    # ctx is a deal id or 0 (bot/callbacks/fields.py): a negative or oversized one is forged.
    for forged in (f"dt:1:{-(2**40)}:20261127:0", f"dt:1:{MAX_ID + 1}:20261127:0"):
        with pytest.raises(ValueError):
            DateCb.unpack(forged)


def test_big_ctx_fits_in_all_keyboards() -> None:
    big = MAX_ID
    for markup in (
        date_chips(FRI, big, "ru"),
        month_calendar(2026, 11, FRI, big, "ru"),
        time_chips(big, 20261127, "ru"),
    ):
        assert_telegram_limits(markup)
        assert all(cb(btn).ctx == big for btn in buttons(markup))


# --------------------------------------------------------------------------- chips


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Friday: next week = Monday 30.11
        (date(2026, 11, 27), [date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 30),
                              date(2026, 11, 30)]),
        # Monday: next week = the Monday after (+7)
        (date(2026, 11, 30), [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 3),
                              date(2026, 12, 7)]),
        # Saturday: next week = Monday 28.12; Thursday 31.12: wraps into 2027
        (date(2026, 12, 26), [date(2026, 12, 26), date(2026, 12, 27), date(2026, 12, 29),
                              date(2026, 12, 28)]),
        (date(2026, 12, 31), [date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 3),
                              date(2027, 1, 4)]),
        # Sunday: next Monday would be "tomorrow", so the chip jumps to the Monday after (+8)
        (date(2026, 11, 29), [date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 2),
                              date(2026, 12, 7)]),
        # leap day
        (date(2028, 2, 28), [date(2028, 2, 28), date(2028, 2, 29), date(2028, 3, 2),
                             date(2028, 3, 6)]),
    ],
)  # fmt: skip
def test_date_chips_dates(today: date, expected: list[date]) -> None:
    markup = date_chips(today, CTX, "en")
    btns = buttons(markup)
    assert len(btns) == 5
    picks = [cb(btn) for btn in btns[:4]]
    assert all(p.action is DateAction.pick and p.ctx == CTX for p in picks)
    assert [int_to_date(p.d) for p in picks] == expected
    cal = cb(btns[4])
    assert cal.action is DateAction.calendar
    assert cal.d == today.year * 10000 + today.month * 100 + 1
    assert_telegram_limits(markup)


def test_next_week_is_always_a_monday_2_to_8_days_ahead() -> None:
    for offset in range(14):
        today = date(2026, 11, 23 + offset) if offset < 8 else date(2026, 12, offset - 7)
        nxt = next_week_date(today)
        assert nxt.weekday() == 0
        assert 2 <= (nxt - today).days <= 8


def test_date_chips_labels_ru_en_and_override() -> None:
    ru = buttons(date_chips(FRI, CTX, "ru"))
    assert texts(ru) == ["Сегодня", "Завтра", "+3 дня", "След. неделя", "📅 Календарь"]
    en = buttons(date_chips(FRI, CTX, "en"))
    assert texts(en) == ["Today", "Tomorrow", "+3 days", "Next week", "📅 Calendar"]
    # regional variants and unknown locales
    assert texts(buttons(date_chips(FRI, CTX, "ru-RU")))[0] == "Сегодня"
    assert texts(buttons(date_chips(FRI, CTX, "de")))[0] == "Today"

    custom = buttons(date_chips(FRI, CTX, "ru", labels={"today": "Сейчас", "calendar": "Дата…"}))
    assert texts(custom) == ["Сейчас", "Завтра", "+3 дня", "След. неделя", "Дата…"]

    with pytest.raises(ValueError):
        date_chips(FRI, CTX, "ru", labels={"tommorow": "typo"})


def test_date_chips_layout() -> None:
    rows = date_chips(FRI, CTX, "ru").inline_keyboard
    assert [len(row) for row in rows] == [2, 2, 1]


# --------------------------------------------------------------------------- calendar


def test_calendar_november_2026() -> None:
    markup = month_calendar(2026, 11, FRI, CTX, "ru")
    rows = markup.inline_keyboard
    assert_telegram_limits(markup)

    header, weekdays, *weeks = rows
    assert texts(header)[1] == "Ноябрь 2026"
    assert texts(weekdays) == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    assert all(cb(btn).action is DateAction.noop for btn in weekdays)
    assert cb(header[1]).action is DateAction.noop

    # 1 Nov 2026 is a Sunday -> 6 week rows, all exactly 7 wide
    assert len(weeks) in (5, 6)
    assert len(weeks) == 6
    assert all(len(week) == 7 for week in weeks)
    assert texts(weeks[0])[:6] == [" "] * 6
    assert all(cb(btn).action is DateAction.noop for btn in weeks[0][:6])
    assert texts(weeks[-1])[1:] == [" "] * 6

    # past days are shown but disabled
    for day in range(1, 27):
        btn = day_button(markup, day)
        assert btn.text == f"·{day}·"
        assert cb(btn).action is DateAction.noop

    # today is marked and pickable
    today_btn = day_button(markup, 27)
    assert today_btn.text == "[27]"
    assert cb(today_btn) == DateCb(action=DateAction.pick, ctx=CTX, d=20261127)

    # future days are plain and pickable
    for day in (28, 29, 30):
        btn = day_button(markup, day)
        assert btn.text == str(day)
        assert cb(btn) == DateCb(action=DateAction.pick, ctx=CTX, d=20261100 + day)

    # prev is disabled in the current month, next goes to December
    assert header[0].text == "·"
    assert cb(header[0]).action is DateAction.noop
    assert header[2].text == "›"
    assert cb(header[2]) == DateCb(action=DateAction.month, ctx=CTX, d=20261201)


def test_calendar_december_wraps_to_january() -> None:
    markup = month_calendar(2026, 12, FRI, CTX, "en")
    header = markup.inline_keyboard[0]
    assert texts(header) == ["‹", "December 2026", "›"]
    assert cb(header[2]) == DateCb(action=DateAction.month, ctx=CTX, d=20270101)
    # previous month (November) still contains pickable days -> enabled
    assert cb(header[0]) == DateCb(action=DateAction.month, ctx=CTX, d=20261101)
    # nothing is disabled, nothing is "today"
    assert all(
        not btn.text.startswith(("·", "[")) for row in markup.inline_keyboard[2:] for btn in row
    )
    assert_telegram_limits(markup)


def test_calendar_january_prev_wraps_to_december() -> None:
    markup = month_calendar(2027, 1, FRI, CTX, "en")
    header = markup.inline_keyboard[0]
    assert texts(header)[1] == "January 2027"
    assert cb(header[0]) == DateCb(action=DateAction.month, ctx=CTX, d=20261201)
    assert cb(header[2]) == DateCb(action=DateAction.month, ctx=CTX, d=20270201)


def test_calendar_weekday_names_en() -> None:
    rows = month_calendar(2026, 11, FRI, CTX, "en").inline_keyboard
    assert texts(rows[1]) == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


@pytest.mark.parametrize(
    ("month", "ru", "en"),
    [
        (1, "Январь", "January"),
        (2, "Февраль", "February"),
        (3, "Март", "March"),
        (5, "Май", "May"),
        (8, "Август", "August"),
        (11, "Ноябрь", "November"),
        (12, "Декабрь", "December"),
    ],
)
def test_calendar_month_names(month: int, ru: str, en: str) -> None:
    assert month_calendar(2027, month, FRI, CTX, "ru").inline_keyboard[0][1].text == f"{ru} 2027"
    assert month_calendar(2027, month, FRI, CTX, "en").inline_keyboard[0][1].text == f"{en} 2027"


def test_calendar_week_counts() -> None:
    # Feb 2027 starts on Monday and has 28 days -> exactly 4 weeks
    assert len(month_calendar(2027, 2, FRI, CTX, "en").inline_keyboard) == 2 + 4
    # Mar 2026 starts on Sunday and has 31 days -> 6 weeks
    assert len(month_calendar(2026, 3, date(2026, 1, 1), CTX, "en").inline_keyboard) == 2 + 6
    # Dec 2026 starts on Tuesday -> 5 weeks
    assert len(month_calendar(2026, 12, FRI, CTX, "en").inline_keyboard) == 2 + 5


def test_calendar_custom_min_date() -> None:
    # min_date in the past: earlier days of the month become pickable, today still marked
    markup = month_calendar(2026, 11, FRI, CTX, "en", min_date=date(2026, 11, 10))
    assert cb(day_button(markup, 9)).action is DateAction.noop
    assert cb(day_button(markup, 10)) == DateCb(action=DateAction.pick, ctx=CTX, d=20261110)
    assert day_button(markup, 27).text == "[27]"
    assert cb(markup.inline_keyboard[0][0]).action is DateAction.noop  # October is all < min

    # min_date at the very start of the month -> previous month entirely before it
    markup = month_calendar(2026, 11, FRI, CTX, "en", min_date=date(2026, 11, 1))
    assert cb(markup.inline_keyboard[0][0]).action is DateAction.noop

    # min_date on the last day of the previous month -> prev is enabled
    markup = month_calendar(2026, 11, FRI, CTX, "en", min_date=date(2026, 10, 31))
    assert cb(markup.inline_keyboard[0][0]) == DateCb(action=DateAction.month, ctx=CTX, d=20261001)

    # min_date in the future: today is disabled too
    markup = month_calendar(2026, 11, FRI, CTX, "en", min_date=date(2026, 11, 29))
    assert cb(day_button(markup, 27)).action is DateAction.noop
    assert cb(day_button(markup, 28)).action is DateAction.noop
    assert cb(day_button(markup, 29)).action is DateAction.pick


def test_calendar_bad_month() -> None:
    with pytest.raises(ValueError):
        month_calendar(2026, 13, FRI, CTX, "en")
    with pytest.raises(ValueError):
        month_calendar(2026, 0, FRI, CTX, "en")


# --------------------------------------------------------------------------- time chips


def test_time_chips() -> None:
    markup = time_chips(CTX, 20261127, "ru")
    assert_telegram_limits(markup)
    btns = buttons(markup)
    assert texts(btns) == [
        "09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00", "18:00",
        "Без времени",
    ]  # fmt: skip
    times = [cb(btn) for btn in btns[:-1]]
    assert [c.t for c in times] == [900, 1000, 1100, 1200, 1400, 1500, 1600, 1700, 1800]
    assert all(c.action is DateAction.time and c.d == 20261127 and c.ctx == CTX for c in times)
    assert cb(btns[-1]) == DateCb(action=DateAction.no_time, ctx=CTX, d=20261127)
    assert [len(row) for row in markup.inline_keyboard] == [3, 3, 3, 1]

    assert buttons(time_chips(CTX, 20261127, "en"))[-1].text == "Without time"


# --------------------------------------------------------------------------- parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:30", time(9, 30)),
        ("09.30", time(9, 30)),
        ("930", time(9, 30)),
        ("0930", time(9, 30)),
        ("18", time(18, 0)),
        ("7", time(7, 0)),
        ("0", time(0, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("2359", time(23, 59)),
        ("  18:05 ", time(18, 5)),
        ("9-30", time(9, 30)),
        ("9 30", time(9, 30)),
    ],
)
def test_parse_time_valid(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "24", "24:00", "9:60", "960", "2460", "25", "99", "12345", "abc", "9:3",
     "9:", ":30", "-1", "9:30:00", "12:30pm"],
)  # fmt: skip
def test_parse_time_invalid(text: str) -> None:
    assert parse_time(text) is None


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28.11", date(2026, 11, 28)),
        ("28.11.2026", date(2026, 11, 28)),
        ("28/11/26", date(2026, 11, 28)),
        ("2026-11-28", date(2026, 11, 28)),
        ("завтра", date(2026, 11, 28)),
        ("Завтра", date(2026, 11, 28)),
        ("tomorrow", date(2026, 11, 28)),
        ("сегодня", date(2026, 11, 27)),
        ("today", date(2026, 11, 27)),
        ("  Today ", date(2026, 11, 27)),
        ("послезавтра", date(2026, 11, 29)),
        ("+3", date(2026, 11, 30)),
        ("+0", date(2026, 11, 27)),
        ("+10", date(2026, 12, 7)),
        # day-month without year: next such date that is not in the past
        ("27.11", date(2026, 11, 27)),  # today is not in the past
        ("26.11", date(2027, 11, 26)),  # yesterday -> next year
        ("01.01", date(2027, 1, 1)),
        ("1.1", date(2027, 1, 1)),
        ("31.12", date(2026, 12, 31)),
        ("29.02", date(2028, 2, 29)),  # next leap day
        ("28/11", date(2026, 11, 28)),
        ("28.11.", date(2026, 11, 28)),
        # an explicit year is taken as is, even in the past
        ("01.01.2026", date(2026, 1, 1)),
        ("28-11-2026", date(2026, 11, 28)),
        ("29.02.2028", date(2028, 2, 29)),
    ],
)
def test_parse_date_valid(text: str, expected: date) -> None:
    assert parse_date(text, FRI) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31.02",
        "30.02",
        "31.04",
        "31.02.2026",
        "29.02.2026",  # not a leap year
        "00.11",
        "32.01",
        "15.13",
        "15.00",
        "2026-13-01",
        "2026-02-30",
        "28.11.202",
        "",
        "   ",
        "вчера",
        "next week",
        "28",
        "+",
        "+3x",
        "-3",
        "+99999",
        "28.11.2026.1",
        "abc",
    ],
)
def test_parse_date_invalid(text: str) -> None:
    assert parse_date(text, FRI) is None


def test_parse_date_year_wrap() -> None:
    new_years_eve = date(2026, 12, 31)
    assert parse_date("01.01", new_years_eve) == date(2027, 1, 1)
    assert parse_date("31.12", new_years_eve) == date(2026, 12, 31)
    assert parse_date("завтра", new_years_eve) == date(2027, 1, 1)
    assert parse_date("+3", new_years_eve) == date(2027, 1, 3)
    # on a leap day, "29.02" is today
    assert parse_date("29.02", date(2028, 2, 29)) == date(2028, 2, 29)
    assert parse_date("29.02", date(2028, 3, 1)) == date(2032, 2, 29)
