"""Out-of-office messages: the /away screens, the colleague's cover digest, the lead's
escalation of an absent person's overdue deals, the summary's "who is away". Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.rhythm import AwayAction, AwayCb
from bot.i18n import Tr
from bot.keyboards.dates import date_to_int, next_week_date
from bot.render.format import clip, esc, fmt_date, fmt_short_date
from bot.render.staleness import open_button
from models.deals import Deal
from models.services.absences import AwayPerson, CoveredDeal
from models.users import User

TITLE_IN_LINE = 60
TITLE_ON_BUTTON = 32
TEXT_BUDGET = 3800
BUTTONS = 20


def _cb(action: AwayAction, value: int = 0, until: int = 0) -> str:
    return AwayCb(action=action, value=value, until=until).pack()


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def render_away_ask(
    today: dt.date, tr: Tr, *, current: dt.date | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """Date chips: tomorrow, in 3 days, next week's Monday and Friday, in two weeks."""
    friday = next_week_date(today) + dt.timedelta(days=4)
    days = sorted(
        {
            today + dt.timedelta(days=1),
            today + dt.timedelta(days=3),
            next_week_date(today),
            friday,
            today + dt.timedelta(days=14),
        }
    )
    chips = [_button(fmt_short_date(d, tr), _cb(AwayAction.day, date_to_int(d))) for d in days]
    rows = [chips[:3], chips[3:]]
    if current is not None:
        rows.append([_button(tr("away.btn_off"), _cb(AwayAction.off))])
    rows.append([_button(tr("away.btn_cancel"), _cb(AwayAction.cancel))])
    text = tr("away.ask_day")
    if current is not None:
        text = tr("away.status", day=fmt_date(current, tr)) + "\n\n" + text
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def render_substitute_ask(
    until: dt.date, colleagues: Sequence[User], tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    packed = date_to_int(until)
    rows = [
        [_button(clip(c.display_name, 40), _cb(AwayAction.substitute, c.id, packed))]
        for c in colleagues
    ]
    rows.append([_button(tr("away.btn_nobody"), _cb(AwayAction.substitute, 0, packed))])
    rows.append([_button(tr("away.btn_cancel"), _cb(AwayAction.cancel))])
    return tr("away.ask_substitute", day=fmt_date(until, tr)), InlineKeyboardMarkup(
        inline_keyboard=rows
    )


def render_away_set(until: dt.date, substitute: User | None, tr: Tr) -> str:
    lines = [tr("away.set", day=fmt_date(until, tr))]
    if substitute is not None:
        lines.append(tr("away.set_substitute", name=substitute.display_name))
    return "\n".join(lines)


def render_status(until: dt.date, substitute_name: str | None, tr: Tr) -> str:
    lines = [tr("away.status", day=fmt_date(until, tr))]
    if substitute_name:
        lines.append(tr("away.set_substitute", name=substitute_name))
    return "\n".join(lines)


def render_cover(
    person: AwayPerson, day: dt.date, deals: Sequence[CoveredDeal], tr: Tr
) -> tuple[str, None]:
    """To the colleague: the absent person's deals of the day, with tappable phones (the
    deals stay the owner's: a manager may not open a colleague's deal)."""
    lines = [
        tr("away.cover_title", name=person.name, day=fmt_date(day, tr), count=len(deals)),
        tr("away.cover_hint"),
        "",
    ]
    size = sum(len(x) + 1 for x in lines)
    for n, deal in enumerate(deals, 1):
        head = f"{n}. <b>#{deal.id}</b> {esc(clip(deal.title, TITLE_IN_LINE))}"
        if deal.next_action_time is not None:
            head += f" · 🕒 {deal.next_action_time:%H:%M}"
        parts = [head]
        who = ", ".join(x for x in (deal.client_name, deal.company) if x)
        if who:
            parts.append("👤 " + esc(clip(who, TITLE_IN_LINE)))
        # Bare numbers: Telegram makes them tappable.
        parts += [f"📞 {esc(phone)}" for phone in deal.phones[:2]]
        line = "\n".join(parts)
        if size + len(line) + 1 > TEXT_BUDGET:
            lines.append(tr("stale.more", count=len(deals) - n + 1))
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines), None


def render_away_escalation(
    person: AwayPerson, deals: Sequence[Deal], tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    """To the lead: an absent person's overdue deals, at once."""
    lines = [
        tr(
            "away.escalate_title",
            name=person.name,
            day=fmt_date(person.until, tr),
            count=len(deals),
        )
    ]
    size = len(lines[0])
    shown = 0
    for n, deal in enumerate(deals, 1):
        assert deal.next_action_on is not None
        line = tr(
            "away.escalate_line",
            n=n,
            deal_id=deal.id,
            title=clip(deal.title, TITLE_IN_LINE),
            day=fmt_short_date(deal.next_action_on, tr),
        )
        if size + len(line) + 1 > TEXT_BUDGET:
            lines.append(tr("stale.more", count=len(deals) - shown))
            break
        lines.append(line)
        size += len(line) + 1
        shown += 1
    rows = [
        [open_button(deal.id, f"{n}. {clip(deal.title, TITLE_ON_BUTTON)}")]
        for n, deal in enumerate(deals[: min(shown, BUTTONS)], 1)
    ]
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def away_summary_lines(people: Sequence[AwayPerson], tr: Tr) -> list[str]:
    lines = [tr("away.summary_title")]
    for person in people:
        line = tr("away.summary_line", name=person.name, day=fmt_date(person.until, tr))
        if person.substitute_name:
            line += tr("away.summary_substitute", name=person.substitute_name)
        lines.append(line)
    return lines
