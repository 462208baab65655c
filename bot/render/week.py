"""The week view: the coming 7 days, each with its deal count and deals; a button per deal
(opens the card). Pure."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.rhythm import WeekCb
from bot.i18n import Tr
from bot.keyboards.dates import WEEKDAY_NAMES
from bot.render.format import clip, esc, fmt_short_date
from bot.render.staleness import open_button
from models.services.week import WeekDeal, WeekView

TEXT_BUDGET = 3800
BUTTONS = 40
TITLE_IN_LINE = 50
TITLE_ON_BUTTON = 28


def day_label(day: dt.date, tr: Tr) -> str:
    names = WEEKDAY_NAMES["ru" if tr.locale == "ru" else "en"]
    return f"{names[day.weekday()]} {fmt_short_date(day, tr)}"


def _line(deal: WeekDeal) -> str:
    when = f"🕒 {deal.next_action_time:%H:%M} " if deal.next_action_time else ""
    who = ", ".join(x for x in (deal.client_name, deal.company) if x)
    tail = f" · 👤 {esc(clip(who, TITLE_IN_LINE))}" if who else ""
    return f"  • {when}<b>#{deal.id}</b> {esc(clip(deal.title, TITLE_IN_LINE))}{tail}"


def week_button(tr: Tr, *, edit: bool = False) -> InlineKeyboardButton:
    key = "week.btn_refresh" if edit else "week.btn"
    return InlineKeyboardButton(text=tr(key), callback_data=WeekCb(edit=int(edit)).pack())


def render_week(view: WeekView, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    start, end = fmt_short_date(view.start, tr), fmt_short_date(view.end, tr)
    refresh = [week_button(tr, edit=True)]
    if not view.total:
        return tr("week.empty", start=start, end=end), InlineKeyboardMarkup(
            inline_keyboard=[refresh]
        )
    by_day: dict[dt.date, list[WeekDeal]] = {}
    for deal in view.deals:
        by_day.setdefault(deal.next_action_on, []).append(deal)
    lines = [tr("week.title", start=start, end=end)]
    size = len(lines[0])
    listed: list[WeekDeal] = []
    for day in view.days:
        count = view.counts.get(day, 0)
        lines.append("")
        if not count:
            lines.append(tr("week.day_empty", day=day_label(day, tr)))
            continue
        lines.append(tr("week.day", day=day_label(day, tr), count=count))
        shown = 0
        for deal in by_day.get(day, []):
            line = _line(deal)
            if size + len(line) + 1 > TEXT_BUDGET:
                break
            lines.append(line)
            size += len(line) + 1
            listed.append(deal)
            shown += 1
        if shown < count:
            lines.append("  " + tr("stale.more", count=count - shown))
    lines += ["", tr("week.total", count=view.total)]
    if len(listed) > BUTTONS:
        lines.append(tr("week.buttons_first", count=BUTTONS))
    rows = []
    for deal in listed[:BUTTONS]:
        label = day_label(deal.next_action_on, tr)
        if deal.next_action_time:
            label += f" {deal.next_action_time:%H:%M}"
        rows.append([open_button(deal.id, f"{label} · {clip(deal.title, TITLE_ON_BUTTON)}")])
    rows.append(refresh)
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)
