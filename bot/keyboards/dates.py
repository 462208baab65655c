"""Date / time pickers for the "next action date" of a deal.

Everything here is a pure function returning an ``InlineKeyboardMarkup`` (or a parsed value),
so it can be tested without Telegram.  The module deliberately imports nothing from other
project packages: it receives a ``locale`` ("ru" or "en"; anything else falls back to "en")
and carries its own month / weekday names, which are locale data rather than UI sentences.
UI sentences (the chip labels) have RU/EN defaults and can be overridden by the caller.

Callback data
-------------
All buttons carry a :class:`DateCb` (prefix ``"dt"``)::

    dt:<action>:<ctx>:<d>:<t>

* ``ctx`` is an opaque int of the caller (e.g. a deal id), passed through untouched;
* ``d`` is a date packed as ``YYYYMMDD`` (see :func:`date_to_int`); for month navigation
  and for :attr:`DateAction.calendar` it is the first day of the month to show (``YYYYMM01``);
* ``t`` is a time packed as ``HHMM`` (only for :attr:`DateAction.time`).

Buttons that must do nothing (headers, disabled days, empty cells) use
:attr:`DateAction.noop`; the handler should just ``callback.answer()`` them.
"""

import calendar
import re
from collections.abc import Mapping
from datetime import date, time, timedelta
from enum import IntEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.fields import Num, OptId
from bot.keyboards.buttons import button, pack

__all__ = [
    "CHIP_LABEL_KEYS",
    "COMMON_TIMES",
    "DEFAULT_CHIP_LABELS",
    "MONTH_NAMES",
    "WEEKDAY_NAMES",
    "DateAction",
    "DateCb",
    "date_chips",
    "date_to_int",
    "int_to_date",
    "month_calendar",
    "next_week_date",
    "parse_date",
    "parse_time",
    "time_chips",
    "time_to_int",
]


class DateAction(IntEnum):
    pick = 1  # a concrete day was chosen (d = YYYYMMDD)
    month = 2  # navigate to another month (d = YYYYMM01)
    noop = 3  # header / disabled / empty cell
    time = 4  # a time was chosen (d = YYYYMMDD, t = HHMM)
    no_time = 5  # skip the time (d = YYYYMMDD)
    calendar = 6  # open the month calendar from the chips (d = YYYYMM01)


class DateCb(CallbackData, prefix="dt"):
    action: DateAction
    ctx: OptId
    d: Num = 0
    t: Num = 0


# --------------------------------------------------------------------------- locale data

MONTH_NAMES: dict[str, tuple[str, ...]] = {
    "ru": (
        "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
        "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

# Weeks start on Monday in both locales.
WEEKDAY_NAMES: dict[str, tuple[str, ...]] = {
    "ru": ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"),
    "en": ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"),
}

CHIP_LABEL_KEYS: tuple[str, ...] = ("today", "tomorrow", "plus3", "next_week", "calendar")

DEFAULT_CHIP_LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "today": "Сегодня",
        "tomorrow": "Завтра",
        "plus3": "+3 дня",
        "next_week": "След. неделя",
        "calendar": "📅 Календарь",
    },
    "en": {
        "today": "Today",
        "tomorrow": "Tomorrow",
        "plus3": "+3 days",
        "next_week": "Next week",
        "calendar": "📅 Calendar",
    },
}

_NO_TIME_LABEL: dict[str, str] = {"ru": "Без времени", "en": "Without time"}

COMMON_TIMES: tuple[time, ...] = tuple(time(h) for h in (9, 10, 11, 12, 14, 15, 16, 17, 18))

# Rendering of calendar cells.
PREV_SYMBOL = "‹"
NEXT_SYMBOL = "›"
DISABLED_NAV_SYMBOL = "·"
EMPTY_CELL = " "


def _button(text: str, data: DateCb) -> InlineKeyboardButton:
    # Rows are built directly: InlineKeyboardBuilder deep-copies the whole keyboard on every
    # button (~0.5 ms for a calendar, on the path of every note and stage move).
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _chip(text: str, action: DateAction, ctx: int, day: int) -> InlineKeyboardButton:
    """A date chip: asked for after every note and stage move (fast buttons)."""
    return button(text, pack(DateCb, action=action, ctx=ctx, d=day))


def _lang(locale: str) -> str:
    """Normalise ``"ru"``, ``"ru-RU"``, ``"ru_RU"``... to ``"ru"``; anything unknown -> "en"."""
    lang = (locale or "").strip().lower().replace("_", "-").split("-")[0]
    return lang if lang in MONTH_NAMES else "en"


# --------------------------------------------------------------------------- packing helpers


def date_to_int(value: date) -> int:
    """``date(2026, 11, 27)`` -> ``20261127``."""
    return value.year * 10000 + value.month * 100 + value.day


def int_to_date(value: int) -> date:
    """``20261127`` -> ``date(2026, 11, 27)``; raises ``ValueError`` for an impossible date."""
    if value <= 0:
        raise ValueError(f"not a packed date: {value!r}")
    year, rest = divmod(value, 10000)
    month, day = divmod(rest, 100)
    return date(year, month, day)


def time_to_int(value: time) -> int:
    """``time(9, 30)`` -> ``930``."""
    return value.hour * 100 + value.minute


def _month_start_int(year: int, month: int) -> int:
    return year * 10000 + month * 100 + 1


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


# --------------------------------------------------------------------------- chips


def next_week_date(today: date) -> date:
    """Date behind the "Next week" chip: the Monday of the next calendar week.

    On Sunday that Monday is tomorrow, which would duplicate the "Tomorrow" chip, so on Sunday
    the chip jumps to the Monday after it (``today + 8``).  Hence the result is always
    2..8 days ahead: Mon -> +7, Tue -> +6, ..., Sat -> +2, Sun -> +8.
    """
    days = 7 - today.weekday()  # Mon(0) -> 7, ..., Sun(6) -> 1
    if days == 1:
        days = 8
    return today + timedelta(days=days)


def date_chips(
    today: date,
    ctx: int,
    locale: str,
    labels: Mapping[str, str] | None = None,
) -> InlineKeyboardMarkup:
    """Quick picks: Today / Tomorrow / +3 days / Next week, and a "📅 Calendar" button.

    Layout: ``[Today][Tomorrow]`` / ``[+3 days][Next week]`` / ``[📅 Calendar]``.
    The day chips are :attr:`DateAction.pick` with ``d`` = the date; the calendar button is
    :attr:`DateAction.calendar` with ``d`` = first day of ``today``'s month.

    ``labels`` overrides (some of) the default texts; keys are :data:`CHIP_LABEL_KEYS`
    (``today``, ``tomorrow``, ``plus3``, ``next_week``, ``calendar``).  Unknown keys raise
    ``ValueError`` so that typos do not silently fall back to the defaults.
    """
    texts = dict(DEFAULT_CHIP_LABELS[_lang(locale)])
    if labels:
        unknown = set(labels) - set(CHIP_LABEL_KEYS)
        if unknown:
            raise ValueError(f"unknown chip label keys: {sorted(unknown)}")
        texts.update(labels)

    picks = (
        ("today", today),
        ("tomorrow", today + timedelta(days=1)),
        ("plus3", today + timedelta(days=3)),
        ("next_week", next_week_date(today)),
    )
    chips = [_chip(texts[key], DateAction.pick, ctx, date_to_int(day)) for key, day in picks]
    month_start = _month_start_int(today.year, today.month)
    calendar_button = _chip(texts["calendar"], DateAction.calendar, ctx, month_start)
    return InlineKeyboardMarkup(inline_keyboard=[chips[:2], chips[2:], [calendar_button]])


# --------------------------------------------------------------------------- month calendar


def _day_text(day: date, today: date, disabled: bool) -> str:
    if disabled:
        return f"·{day.day}·"
    if day == today:
        return f"[{day.day}]"
    return str(day.day)


def month_calendar(
    year: int,
    month: int,
    today: date,
    ctx: int,
    locale: str,
    min_date: date | None = None,
) -> InlineKeyboardMarkup:
    """A month grid (weeks start on Monday).

    Rows:

    * header ``‹`` / ``Ноябрь 2026`` / ``›`` -- the arrows are :attr:`DateAction.month` with
      ``d`` = ``YYYYMM01`` of the target month (Dec -> Jan wraps the year); ``‹`` is disabled
      (noop, ``·``) when the previous month lies entirely before ``min_date``; the title is noop;
    * weekday names (noop);
    * 4-6 week rows of exactly 7 buttons: days before ``min_date`` (default: ``today``) are
      shown as ``·12·`` and are noop, today is shown as ``[27]``, other days are
      :attr:`DateAction.pick`; cells outside the month are noop with a blank text.

    At most 3 + 7 + 6 * 7 = 52 buttons, rows at most 7 wide.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month!r}")
    lang = _lang(locale)
    if min_date is None:
        min_date = today
    noop = DateCb(action=DateAction.noop, ctx=ctx)

    # Header: previous month / title / next month.
    prev_year, prev_month = _shift_month(year, month, -1)
    next_year, next_month = _shift_month(year, month, 1)
    prev_last_day = date(prev_year, prev_month, calendar.monthrange(prev_year, prev_month)[1])
    if prev_last_day < min_date:
        prev_button = _button(DISABLED_NAV_SYMBOL, noop)
    else:
        prev_button = _button(
            PREV_SYMBOL,
            DateCb(action=DateAction.month, ctx=ctx, d=_month_start_int(prev_year, prev_month)),
        )
    header = [
        prev_button,
        _button(f"{MONTH_NAMES[lang][month - 1]} {year}", noop),
        _button(
            NEXT_SYMBOL,
            DateCb(action=DateAction.month, ctx=ctx, d=_month_start_int(next_year, next_month)),
        ),
    ]

    # Weekday names.
    rows = [header, [_button(name, noop) for name in WEEKDAY_NAMES[lang]]]

    # Weeks.
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdayscalendar(year, month)
    for week in weeks:
        row = []
        for day_number in week:
            if day_number == 0:
                row.append(_button(EMPTY_CELL, noop))
                continue
            day = date(year, month, day_number)
            disabled = day < min_date
            row.append(
                _button(
                    _day_text(day, today, disabled),
                    noop
                    if disabled
                    else DateCb(action=DateAction.pick, ctx=ctx, d=date_to_int(day)),
                )
            )
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


# --------------------------------------------------------------------------- time chips


def time_chips(ctx: int, d: int, locale: str) -> InlineKeyboardMarkup:
    """Common times (09:00 ... 18:00, three per row) plus "Без времени" / "Without time".

    Time buttons are :attr:`DateAction.time` with ``t`` = ``HHMM``; the last button is
    :attr:`DateAction.no_time`.  Every button carries the chosen date ``d`` (``YYYYMMDD``), so
    the handler does not have to remember it.
    """
    times = [
        _button(
            moment.strftime("%H:%M"),
            DateCb(action=DateAction.time, ctx=ctx, d=d, t=time_to_int(moment)),
        )
        for moment in COMMON_TIMES
    ]
    no_time = _button(
        _NO_TIME_LABEL[_lang(locale)], DateCb(action=DateAction.no_time, ctx=ctx, d=d)
    )
    rows = [times[i : i + 3] for i in range(0, len(times), 3)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [no_time]])


# --------------------------------------------------------------------------- text parsing

_TIME_SEPARATED_RE = re.compile(r"(\d{1,2})\s*[:.,\-hч ]\s*(\d{2})")
_TIME_DIGITS_RE = re.compile(r"\d{1,4}")


def parse_time(text: str) -> time | None:
    """Parse a time typed by the user; ``None`` if it is not a valid time.

    Accepted: ``"9:30"``, ``"09.30"``, ``"9-30"``, ``"9 30"``, ``"930"``, ``"0930"``, ``"18"``.
    Hours 0-23, minutes 0-59 (so ``"24:00"``, ``"9:60"`` -> ``None``).
    """
    value = text.strip().lower()
    if match := _TIME_SEPARATED_RE.fullmatch(value):
        hours, minutes = int(match[1]), int(match[2])
    elif _TIME_DIGITS_RE.fullmatch(value):
        if len(value) <= 2:
            hours, minutes = int(value), 0
        else:
            hours, minutes = int(value[:-2]), int(value[-2:])
    else:
        return None
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        return None
    return time(hours, minutes)


_DATE_WORDS: dict[str, int] = {
    "сегодня": 0,
    "today": 0,
    "завтра": 1,
    "tomorrow": 1,
    "послезавтра": 2,
}
_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_RE = re.compile(r"(\d{1,2})[./\-](\d{1,2})(?:[./\-](\d{4}|\d{2}))?\.?")
_PLUS_DAYS_RE = re.compile(r"\+\s*(\d{1,4})")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, today: date) -> date | None:
    """Parse a date typed by the user; ``None`` if it is not a valid date.

    Accepted forms:

    * ``"сегодня"`` / ``"today"``, ``"завтра"`` / ``"tomorrow"``, ``"послезавтра"``;
    * ``"+3"`` -- that many days from ``today`` (0..9999);
    * ``"2026-11-28"`` (ISO);
    * ``"28.11.2026"``, ``"28/11/26"``, ``"28-11-2026"`` (two-digit years mean 20YY);
    * ``"28.11"`` / ``"28/11"`` -- without a year: the next such date that is not in the past
      (``today`` itself counts), so ``"01.01"`` typed in November means next January.
      ``"29.02"`` means the next Feb 29 that is not in the past.

    Impossible dates (``"31.02"``, ``"2026-13-01"``) give ``None``.  A date with an explicit
    year is returned as is even if it lies in the past; the caller decides what to do with it.
    """
    value = text.strip().lower().replace("ё", "е")
    if value in _DATE_WORDS:
        return today + timedelta(days=_DATE_WORDS[value])

    if match := _PLUS_DAYS_RE.fullmatch(value):
        try:
            return today + timedelta(days=int(match[1]))
        except OverflowError:
            return None

    if match := _ISO_RE.fullmatch(value):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))

    if match := _DMY_RE.fullmatch(value):
        day, month = int(match[1]), int(match[2])
        if match[3] is not None:
            year = int(match[3])
            if year < 100:
                year += 2000
            return _safe_date(year, month, day)
        # No year: reject impossible day/month (checked against a leap year), then take the
        # first occurrence on or after today.  A leap year always comes within 8 years.
        if _safe_date(2000, month, day) is None:
            return None
        for year in range(today.year, today.year + 9):
            candidate = _safe_date(year, month, day)
            if candidate is not None and candidate >= today:
                return candidate
        return None

    return None
