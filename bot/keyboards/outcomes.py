"""Row buttons of one-tap outcomes, for a phone: one row per deal, at most five short
buttons, so a list of eight deals stays a compact block under the text.

Short row:    [1. Client…] [☎ → завтра] [✓] [»]
Expanded row: [1: +1д] [+3д] [нед.] [📅] [🔀] [‹]   ("»" opens it in place, one at a time;
in a digest ⏰ (snooze: +1 hour, the next work day, a date) stands for 📅)

"1. Client…" opens the card; "✓" starts the card's note flow (the note, then the next date;
the card then offers "‹ back to the list", which redraws the list as it is now in its place);
"📅" the next-date flow (calendar, "⏰ time"), "🔀" the stage flow, both leading back the same
way (same page and owner filter). One row per deal rather
than a number picker: the usual outcome is one tap on the row itself, never a "choose the
deal" step first."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import DealAction, DealCb
from bot.callbacks.digest import SnoozeAction, SnoozeCb
from bot.callbacks.lists import Back, ListCb
from bot.callbacks.outcomes import Out, OutCb, Src
from bot.i18n import Tr
from bot.keyboards.buttons import button, pack
from bot.render.format import clip
from models.services.deal_lists import ListKind

LABEL_ON_ROW = 14

Rows = list[list[InlineKeyboardButton]]


def _out(
    text: str, act: Out, src: Src, deal_id: int = 0, v: int = 0, page: int = 1, owner: int = 0
) -> InlineKeyboardButton:
    data = pack(OutCb, act=act, src=src, deal_id=deal_id, v=v, page=page, owner=owner)
    return button(text, data)


def outcome_row(
    n: int,
    deal_id: int,
    version: int,
    label: str,
    tr: Tr,
    src: Src,
    *,
    page: int = 1,
    owner: int = 0,
    expanded: bool = False,
    open_data: str | None = None,
) -> list[InlineKeyboardButton]:
    """The buttons of one deal's row (see the module's docstring). ``page``, ``owner``: the
    list's, for its redraw. ``open_data``: the deal's "open" callback data when the caller
    has it packed already."""

    def out(text: str, act: Out) -> InlineKeyboardButton:
        return _out(text, act, src, deal_id, version, page, owner)

    if open_data is None:
        open_data = pack(DealCb, action=DealAction.open, deal_id=deal_id)

    dates = out("📅", Out.dates)
    if src is Src.no_next:
        opener = button(f"{n}. {clip(label, LABEL_ON_ROW)}", open_data)
        return [
            opener,
            out(tr("oc.btn_plus1"), Out.plus1),
            out(tr("oc.btn_plus3"), Out.plus3),
            dates,
        ]
    if expanded:
        if src is Src.digest:  # the digest's snooze menu: +1 hour, next work day, a date
            dates = button(
                "⏰", pack(SnoozeCb, action=SnoozeAction.menu, deal_id=deal_id, v=version)
            )
        stage = out("🔀", Out.stage)
        return [
            out(f"{n}: " + tr("oc.btn_plus1"), Out.plus1),
            out(tr("oc.btn_plus3"), Out.plus3),
            out(tr("oc.btn_week"), Out.next_week),
            dates,
            stage,
            out("‹", Out.less),
        ]
    return [
        button(f"{n}. {clip(label, LABEL_ON_ROW)}", open_data),
        out(tr("oc.btn_no_answer"), Out.no_answer),
        out("✓", Out.note),
        out("»", Out.more),
    ]


def back_data(row: OutCb) -> str:
    """The data of "back to the list" for a "✓", "🔀" or "📅" pressed on a row: that list,
    same page and owner filter (kept in the flow's state, shown on the card when the flow is
    done)."""
    return pack(OutCb, act=Out.back, src=row.src, page=row.page, owner=row.owner)


_BACK_LABELS = {
    Src.today: "oc.btn_back_today",
    Src.overdue: "oc.btn_back_overdue",
    Src.digest: "oc.btn_back_digest",
    Src.no_next: "oc.btn_back_no_next",
}


def with_back(markup: InlineKeyboardMarkup | None, back: str, tr: Tr) -> InlineKeyboardMarkup:
    """The card's keyboard with "‹ back to <list>" under it (``back``: ``back_data``)."""
    src = OutCb.unpack(back).src
    rows = list(markup.inline_keyboard) if markup else []
    rows.append([button(tr(_BACK_LABELS[src]), back)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def tail_rows(tr: Tr, src: Src, *, page: int = 1, owner: int = 0, due: bool, no_next: int) -> Rows:
    """Under the rows: "move the rest to tomorrow" (while something is due) and the "no next
    step" list with its count (while there is one): under a list, of the same owner filter,
    and leading back to that list."""
    rows: Rows = []
    if due and src is not Src.no_next:
        rows.append([_out(tr("oc.btn_rest"), Out.rest, src, page=page, owner=owner)])
    if no_next and src is not Src.no_next:
        back = BACK_OF.get(src, Back.none)
        data = pack(ListCb, kind=ListKind.no_next, owner=owner, back=back)
        rows.append([button(tr("oc.btn_no_next", count=no_next), data)])
    return rows


# The lists "no next step" may lead back to (ListCb.back).
BACK_OF = {Src.today: Back.today, Src.overdue: Back.overdue}
_BACK_SRC = {back: src for src, back in BACK_OF.items()}


def back_to_list_row(tr: Tr, back: Back, owner: int) -> list[InlineKeyboardButton]:
    """ "‹ back to Today / Overdue" under the "no next step" list opened from there, with
    the same owner filter."""
    label = tr(_BACK_LABELS[_BACK_SRC[back]])
    return [button(label, pack(ListCb, kind=ListKind(back.value), owner=owner))]


def confirm_rest_keyboard(tr: Tr, src: Src, page: int, owner: int = 0) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _out(tr("oc.btn_rest_yes"), Out.rest_yes, src, page=page, owner=owner),
                _out(tr("oc.btn_rest_no"), Out.rest_no, src, page=page, owner=owner),
            ]
        ]
    )


def with_outcomes(
    markup: InlineKeyboardMarkup | None,
    versions: dict[int, int],
    tr: Tr,
    src: Src,
    *,
    page: int = 1,
    owner: int = 0,
    expanded: int = 0,
    no_next: int = 0,
) -> InlineKeyboardMarkup | None:
    """A list's keyboard with each deal's "open" row turned into its outcome row
    (``versions``: deal id -> version of the deals shown), and the tail rows. ``page``,
    ``owner``: the list's page and owner filter, kept by the redraw after an outcome."""
    rows: Rows = []
    # The "open" data of each deal shown -> its id: a row is a deal's when its one button
    # carries that data (compared as strings: no unpacking of every row).
    opened = {pack(DealCb, action=DealAction.open, deal_id=deal): deal for deal in versions}
    for row in markup.inline_keyboard if markup else []:
        data = (row[0].callback_data or "") if len(row) == 1 else ""
        deal = opened.get(data)
        if deal is None:
            rows.append(list(row))
            continue
        number, _, label = row[0].text.partition(". ")
        n = int(number) if number.isdigit() else 0
        rows.append(
            outcome_row(
                n,
                deal,
                versions[deal],
                label,
                tr,
                src,
                page=page,
                owner=owner,
                expanded=deal == expanded,
                open_data=data,
            )
        )
    rows += tail_rows(tr, src, page=page, owner=owner, due=bool(versions), no_next=no_next)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def no_next_keyboard(tr: Tr, count: int) -> InlineKeyboardMarkup:
    """The evening nudge's one button: the "no next step" list."""
    data = ListCb(kind=ListKind.no_next).pack()
    return InlineKeyboardMarkup(inline_keyboard=[[button(tr("oc.btn_no_next", count=count), data)]])
