"""Small formatters shared by every renderer: dates, money, due markers."""

from __future__ import annotations

import datetime as dt
import decimal

from bot.i18n import Tr, escape
from models.deals import Deal

CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€", "KZT": "₸", "BYN": "Br", "UAH": "₴"}


def fmt_date(day: dt.date, tr: Tr) -> str:
    return day.strftime("%d.%m.%Y") if tr.locale == "ru" else day.strftime("%d %b %Y")


def fmt_short_date(day: dt.date, tr: Tr) -> str:
    return day.strftime("%d.%m") if tr.locale == "ru" else day.strftime("%d %b")


def fmt_amount(amount: decimal.Decimal | None, currency: str | None) -> str:
    if amount is None:
        return ""
    whole = amount == amount.to_integral_value()
    number = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    number = number.replace(",", "\u202f")  # narrow no-break space: 1 500 000
    sign = CURRENCY_SIGNS.get((currency or "").upper(), currency or "")
    return f"{number} {sign}".strip()


def due_marker(deal: Deal, today: dt.date, tr: Tr) -> str:
    """How urgent the next step is: overdue / today / none set (for open deals only)."""
    if not deal.is_open:
        return ""
    if deal.next_action_on is None:
        return tr("due.none")
    days = (today - deal.next_action_on).days
    if days > 0:
        return tr("due.overdue", days=days)
    if days == 0:
        return tr("due.today")
    return ""


def fmt_next_action(deal: Deal, tr: Tr) -> str:
    if deal.next_action_on is None:
        return "—"
    text = fmt_date(deal.next_action_on, tr)
    if deal.next_action_time is not None:
        text += " " + deal.next_action_time.strftime("%H:%M")
    return text


def clip(text: str, limit: int) -> str:
    """Shorten plain text for a preview (the full text stays in the database)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def esc(value: object) -> str:
    return escape(value)
