"""Amounts typed by people: "150000", "150 000", "150к", "1.5м", "150000 USD", "$1500".

Pure Python (no aiogram, no database). Failures raise :class:`MoneyError` with a stable
``reason`` that the bot maps to a translated message."""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CURRENCIES",
    "DEFAULT_CURRENCY",
    "MAX_AMOUNT",
    "Amounts",
    "Money",
    "MoneyError",
    "MoneyErrorReason",
    "parse_amount",
]

DEFAULT_CURRENCY = "RUB"
MAX_AMOUNT = decimal.Decimal("999999999999.99")  # Numeric(14, 2) of deals.amount
_MAX_INPUT = 64

MoneyErrorReason = Literal["empty", "not_a_number", "negative", "zero", "too_big", "currency"]

# What people type for a currency -> ISO code. Matched case-insensitively, dots ignored.
_CURRENCY_WORDS: dict[str, str] = {
    "₽": "RUB", "р": "RUB", "руб": "RUB", "рубль": "RUB", "рубля": "RUB", "рублей": "RUB",
    "rub": "RUB", "rur": "RUB",
    "$": "USD", "usd": "USD", "долл": "USD", "доллар": "USD", "доллара": "USD",
    "долларов": "USD", "dollar": "USD", "dollars": "USD",
    "€": "EUR", "eur": "EUR", "евро": "EUR", "euro": "EUR",
    "₸": "KZT", "kzt": "KZT", "тенге": "KZT",
    "byn": "BYN", "бел.руб": "BYN",
    "₴": "UAH", "uah": "UAH", "грн": "UAH",
    "¥": "CNY", "cny": "CNY", "юань": "CNY", "юаней": "CNY",
    "£": "GBP", "gbp": "GBP",
    "chf": "CHF", "aed": "AED", "try": "TRY",
}  # fmt: skip
CURRENCIES = frozenset(_CURRENCY_WORDS.values())

# Multipliers: thousands, millions, billions.
_SCALES: dict[str, int] = {
    "к": 1_000, "k": 1_000, "тыс": 1_000, "т": 1_000, "thousand": 1_000,
    "м": 1_000_000, "m": 1_000_000, "млн": 1_000_000, "mln": 1_000_000, "mn": 1_000_000,
    "кк": 1_000_000, "kk": 1_000_000, "million": 1_000_000,
    "млрд": 1_000_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "billion": 1_000_000_000,
}  # fmt: skip

_SIGNS = "₽$€₸₴¥£"
# Optional sign/currency before, the number, then optional words (scale and/or currency).
_AMOUNT_RE = re.compile(
    rf"^(?P<pre>[{_SIGNS}]|[a-z]{{3}})?\s*(?P<minus>[-−–])?\s*(?P<pre2>[{_SIGNS}])?\s*"
    r"(?P<number>\d[\d\s\u00a0\u202f'’.,]*)"
    rf"\s*(?P<rest>[^\d]*)$",
    re.IGNORECASE,
)
_WORD_RE = re.compile(rf"[{_SIGNS}]|[^\W\d_]+(?:\.[^\W\d_]+)*", re.IGNORECASE)


class MoneyError(ValueError):
    """An amount that could not be understood; ``reason`` is a stable key for i18n."""

    def __init__(self, reason: MoneyErrorReason, raw: str = "") -> None:
        super().__init__(reason, raw)
        self.reason: MoneyErrorReason = reason
        self.raw: str = raw


@dataclass(frozen=True)
class Money:
    amount: decimal.Decimal
    currency: str


class Amounts(dict[str, decimal.Decimal]):
    """Money per currency (ISO code -> amount): a report adds deals up per currency and
    never across currencies (100 000 RUB and 1 000 USD are not "101 000")."""

    def add(self, currency: str | None, amount: decimal.Decimal) -> None:
        if amount:
            code = currency or DEFAULT_CURRENCY
            self[code] = self.get(code, decimal.Decimal("0.00")) + amount

    def merge(self, other: Amounts) -> None:
        for currency, amount in other.items():
            self.add(currency, amount)

    def of(self, currency: str) -> decimal.Decimal:
        return self.get(currency, decimal.Decimal("0.00"))

    def ordered(self, first: str = DEFAULT_CURRENCY) -> list[tuple[str, decimal.Decimal]]:
        """The default currency first, then the others by code."""
        return sorted(self.items(), key=lambda item: (item[0] != first, item[0]))


def _number(text: str, raw: str, *, scaled: bool) -> decimal.Decimal:
    """Digits with spaces/apostrophes between groups and "." or "," as the decimal mark.

    Both marks present: the last one is decimal ("1,500,000.50", "1.500.000,50"). One mark
    repeated separates thousands ("1.500.000"). One mark before exactly three digits also
    separates thousands ("150,000", "150.000": nobody types kopecks to a tenth), unless a
    scale follows ("1,250 млн" is 1.25 million)."""
    compact = re.sub(r"[\s\u00a0\u202f'’]", "", text).rstrip(".,")
    marks = {ch for ch in compact if ch in ".,"}
    if len(marks) == 2:
        decimal_mark = max(".,", key=compact.rfind)
        compact = compact.replace("," if decimal_mark == "." else ".", "")
        compact = compact.replace(",", ".")
    elif marks:
        mark = marks.pop()
        head, _, tail = compact.partition(mark)
        thousands = compact.count(mark) > 1 or (
            len(tail) == 3 and head.lstrip("0") != "" and not scaled
        )
        compact = compact.replace(mark, "") if thousands else compact.replace(mark, ".")
    if not compact or compact.count(".") > 1:
        raise MoneyError("not_a_number", raw)
    try:
        return decimal.Decimal(compact)
    except decimal.InvalidOperation as exc:
        raise MoneyError("not_a_number", raw) from exc


def _words(rest: str, raw: str) -> tuple[int, str | None]:
    """Scale and currency from the words after the number ("к", "млн руб", "USD")."""
    scale, currency = 1, None
    leftover = _WORD_RE.sub(" ", rest).strip(" .")
    if leftover:
        raise MoneyError("not_a_number", raw)
    for match in _WORD_RE.finditer(rest):
        word = match.group().lower().rstrip(".")
        if word in _SCALES and scale == 1 and currency is None:
            scale = _SCALES[word]
        elif word in _CURRENCY_WORDS and currency is None:
            currency = _CURRENCY_WORDS[word]
        elif len(word) == 3 and word.isascii() and word.upper() in CURRENCIES:
            currency = word.upper()
        else:
            raise MoneyError("currency" if currency is None else "not_a_number", raw)
    return scale, currency


def parse_amount(text: str, default_currency: str = DEFAULT_CURRENCY) -> Money:
    """Parse an amount typed by a user; the currency defaults to ``default_currency``.

    Refuses negatives, zero, more than 999 999 999 999.99 and anything that is not a
    number. Kopecks are rounded half up to two decimals."""
    raw = (text or "").strip()
    if not raw:
        raise MoneyError("empty", raw)
    if len(raw) > _MAX_INPUT:
        raise MoneyError("not_a_number", raw)
    match = _AMOUNT_RE.match(raw)
    if match is None:
        if re.match(r"^\s*[-−–]", raw) and any(ch.isdigit() for ch in raw):
            raise MoneyError("negative", raw)
        raise MoneyError("not_a_number", raw)
    currency: str | None = None
    for pre in (match["pre"], match["pre2"]):
        if pre:
            code = _CURRENCY_WORDS.get(pre.lower())
            if code is None and pre.upper() in CURRENCIES:
                code = pre.upper()
            if code is None:
                raise MoneyError("currency", raw)
            currency = code
    scale, after = _words(match["rest"], raw)
    value = _number(match["number"], raw, scaled=scale != 1)
    if after is not None:
        if currency is not None and after != currency:
            raise MoneyError("currency", raw)
        currency = after
    if match["minus"]:
        raise MoneyError("negative", raw)
    if value * scale > MAX_AMOUNT:  # before quantize: beyond 28 digits it raises
        raise MoneyError("too_big", raw)
    amount = (value * scale).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    if amount == 0:
        raise MoneyError("zero", raw)
    if amount > MAX_AMOUNT:  # 999999999999.995 rounds up past the limit
        raise MoneyError("too_big", raw)
    return Money(amount, currency or default_currency)
