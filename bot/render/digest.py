"""Proactive messages: the morning digest, the follow-up, a timed reminder, the lead's
escalation, the snooze menu and the admin's "cannot reach" notice. Pure functions: text +
markup, within Telegram's limits (4096 characters, 100 buttons)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import DealAction, DealCb
from bot.callbacks.digest import SnoozeAction, SnoozeCb
from bot.callbacks.outcomes import Src
from bot.i18n import Tr
from bot.keyboards.buttons import button, pack
from bot.keyboards.outcomes import outcome_row, tail_rows
from bot.render.format import clip, esc, fmt_date, fmt_next_action, fmt_short_date
from models.deals import Deal
from models.services.reminder_items import DueDeal, DueList, EscalatedDeal
from models.titles import strip_owner
from models.users import User

# Room for the text: Telegram counts 4096 characters of the visible text; we measure the
# HTML (longer), so the budget is safe whatever the tags.
TEXT_BUDGET = 3900
# Deals that get their own buttons (4 each, in 2 rows): the rest are listed in text only.
BUTTON_DEALS = 8
ESCALATION_BUTTONS = 20
TITLE_IN_LINE = 70
TITLE_ON_BUTTON = 32


def _line(n: int, deal: DueDeal, today: dt.date, tr: Tr, phone: str | None = None) -> str:
    head = f"{n}. <b>#{deal.id}</b> {esc(clip(deal.title, TITLE_IN_LINE))}"
    if phone:  # bare: Telegram makes it tappable
        head += f" · 📞 {esc(phone)}"
    if deal.next_action_on < today:
        days = (today - deal.next_action_on).days
        return f"{head} · " + tr(
            "rem.line_overdue", day=fmt_short_date(deal.next_action_on, tr), days=days
        )
    if deal.next_action_time is not None:
        return f"{head} · 🕒 {deal.next_action_time:%H:%M}"
    return head


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def deal_buttons(deal_id: int, version: int, label: str, tr: Tr) -> list[InlineKeyboardButton]:
    """Open / Done / Snooze / Stage for one deal. Done starts the deal card's note flow (then
    the next date), Stage its stage flow. Fast buttons: a 09:00 wave builds 320,000."""
    return [
        button(label, pack(DealCb, action=DealAction.open, deal_id=deal_id)),
        button(
            tr("rem.btn_done"), pack(DealCb, action=DealAction.note, deal_id=deal_id, v=version)
        ),
        button(
            tr("rem.btn_snooze"),
            pack(SnoozeCb, action=SnoozeAction.menu, deal_id=deal_id, v=version),
        ),
        button(
            tr("rem.btn_stage"), pack(DealCb, action=DealAction.stage, deal_id=deal_id, v=version)
        ),
    ]


def _listing(
    head: list[str], due: DueList, tr: Tr, *, expanded: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    deals = due.deals
    lines = list(head)
    shown: list[tuple[int, DueDeal]] = []
    section: str | None = None
    size = sum(len(x) + 1 for x in lines)
    reserve = 200  # for the "and N more" tail
    for n, deal in enumerate(deals, 1):
        wanted = "overdue" if deal.next_action_on < due.today else "today"
        extra = []
        if wanted != section:
            extra = ["", tr(f"rem.section_{wanted}")]
        line = _line(n, deal, due.today, tr, due.phones.get(deal.id))
        cost = sum(len(x) + 1 for x in [*extra, line])
        if size + cost + reserve > TEXT_BUDGET:
            break
        lines += [*extra, line]
        size += cost
        section = wanted
        shown.append((n, deal))
    hidden = due.total - len(shown)
    if hidden > 0:
        lines += ["", tr("rem.more", count=hidden)]
    elif len(shown) > BUTTON_DEALS:
        lines += ["", tr("rem.buttons_first", count=BUTTON_DEALS)]
    if due.no_next:
        lines += ["", tr("oc.digest_no_next", count=due.no_next)]
    # Rows built directly: InlineKeyboardBuilder copies the whole keyboard on every button
    # (quadratic), which costs ~80 ms per digest: minutes for a 09:00 wave.
    rows: list[list[InlineKeyboardButton]] = []
    for n, deal in shown[:BUTTON_DEALS]:
        label = deal.client_name or deal.company or deal.title
        rows.append(
            outcome_row(
                n, deal.id, deal.version, label, tr, Src.digest, expanded=deal.id == expanded
            )
        )
    rows += tail_rows(tr, Src.digest, due=bool(shown), no_next=due.no_next)
    markup = InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
    return "\n".join(lines), markup


def own_titles(due: DueList, names: Iterable[str | None]) -> DueList:
    """The recipient's own deals without their own name at the start of every title (the
    client first); only the deals shown in full are touched."""
    names = tuple(names)
    deals = [d._replace(title=strip_owner(d.title, names)) for d in due.deals]
    return replace(due, deals=deals)


def render_digest(
    due: DueList, tr: Tr, *, expanded: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The morning digest: overdue deals (oldest first), then today's (timed first); each
    row with its one-tap outcomes (``expanded``: the deal whose row shows all of them)."""
    head = [
        tr("rem.digest_title", day=fmt_date(due.today, tr)),
        tr("rem.digest_counts", today=due.today_total, overdue=due.overdue_total),
    ]
    return _listing(head, due, tr, expanded=expanded)


def render_followup(due: DueList, tr: Tr) -> tuple[str, InlineKeyboardMarkup | None]:
    """The afternoon follow-up: overdue deals only."""
    head = [tr("rem.followup_title", count=due.overdue_total), tr("rem.followup_hint")]
    return _listing(head, due, tr)


def render_reminder(deal: DueDeal, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    at = deal.next_action_time.strftime("%H:%M") if deal.next_action_time else ""
    lines = [tr("rem.remind_title", time=at), f"<b>#{deal.id}</b> {esc(deal.title)}"]
    who = " · ".join(x for x in (deal.client_name, deal.company) if x)
    if who:
        lines.append(f"👤 {esc(who)}")
    buttons = deal_buttons(deal.id, deal.version, tr("rem.btn_open"), tr)
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[buttons[:2], buttons[2:]])


def render_escalation(
    items: Sequence[EscalatedDeal], days: int, tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    """To a team lead: deals of their team overdue for more than ``days`` days."""
    lines = [tr("rem.escalate_title", days=days, count=len(items)), ""]
    size = sum(len(x) + 1 for x in lines)
    shown = 0
    for n, item in enumerate(items, 1):
        line = f"{n}. <b>#{item.deal.id}</b> {esc(clip(item.deal.title, TITLE_IN_LINE))} — " + tr(
            "rem.escalate_line",
            owner=item.owner_name,
            day=fmt_short_date(item.deal.next_action_on, tr),
            late=item.days_overdue,
        )
        if size + len(line) + 1 + 100 > TEXT_BUDGET:
            break
        lines.append(line)
        size += len(line) + 1
        shown += 1
    if shown < len(items):
        lines += ["", tr("rem.escalate_more", count=len(items) - shown)]
    rows = [
        [
            _button(
                f"{n}. {clip(item.deal.title, TITLE_ON_BUTTON)}",
                DealCb(action=DealAction.open, deal_id=item.deal.id),
            )
        ]
        for n, item in enumerate(items[: min(shown, ESCALATION_BUTTONS)], 1)
    ]
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def render_snooze_menu(
    deal: Deal, tr: Tr, today: dt.date, next_day: dt.date
) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join(
        [
            tr("rem.snooze_title", deal_id=deal.id, title=clip(deal.title, TITLE_IN_LINE)),
            tr("rem.snooze_now", when=fmt_next_action(deal, tr)),
        ]
    )
    if next_day == today + dt.timedelta(days=1):
        day_label = tr("rem.snooze_tomorrow")
    else:
        day_label = tr("rem.snooze_day", day=fmt_short_date(next_day, tr))
    builder = InlineKeyboardBuilder()

    def snooze(label: str, action: SnoozeAction) -> None:
        builder.button(
            text=label, callback_data=SnoozeCb(action=action, deal_id=deal.id, v=deal.version)
        )

    snooze(tr("rem.snooze_hour"), SnoozeAction.hour)
    snooze(day_label, SnoozeAction.next_day)
    builder.button(
        text=tr("rem.snooze_pick"),
        callback_data=DealCb(action=DealAction.next_date, deal_id=deal.id, v=deal.version),
    )
    snooze(tr("rem.snooze_cancel"), SnoozeAction.cancel)
    builder.adjust(2, 1, 1)
    return text, builder.as_markup()


def render_snoozed(deal: Deal, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    text = tr(
        "rem.snoozed",
        deal_id=deal.id,
        title=clip(deal.title, TITLE_IN_LINE),
        when=fmt_next_action(deal, tr),
    )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("rem.btn_open"), callback_data=DealCb(action=DealAction.open, deal_id=deal.id)
    )
    return text, builder.as_markup()


def render_blocked_notice(person: User, tr: Tr) -> str:
    name = person.display_name + (f" @{person.username}" if person.username else "")
    return tr("rem.blocked_notice", name=name, telegram_id=person.telegram_id)
