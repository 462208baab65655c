"""Deal lists as one message: a numbered page of deals, a button per deal, filter buttons and
‹ n/m › paging. Pure functions: a page in, text + keyboard out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import DealAction, DealCb
from bot.callbacks.lists import (
    Back,
    DeletedOpenCb,
    ListCb,
    ListPickCb,
    Pick,
    SearchAction,
    SearchCb,
)
from bot.i18n import Html, Tr
from bot.keyboards.buttons import button, pack
from bot.keyboards.export import export_row
from bot.render.format import clip, due_marker, esc, fmt_amount, fmt_short_date
from bot.render.staleness import stale_mark
from bot.render.week import week_button
from models.catalog import Pipeline, Stage
from models.deals import Deal
from models.roles import Role
from models.services.deal_lists import PAGE_SIZE, DealPage, ListFilter, ListKind, OwnerPage
from models.timeutil import local_now
from models.titles import names_of, strip_owner
from models.users import User

# Plain lists, not InlineKeyboardBuilder: its export() deep-copies every button (~0.6 ms a
# list on this stack, more than the queries).
Rows = list[list[InlineKeyboardButton]]

TEXT_LIMIT = 4096
TITLE_CLIP = 80
CLIENT_CLIP = 60
STAGE_CLIP = 24
BUTTON_CLIP = 40
LABEL_CLIP = 20

_TITLES = {
    ListKind.today: "lists.today_title",
    ListKind.overdue: "lists.overdue_title",
    ListKind.mine: "lists.mine_title",
    ListKind.deleted: "lists.deleted_title",
    ListKind.search: "search.title",
    ListKind.no_next: "oc.no_next_title",
}
_EMPTY = {
    ListKind.today: "lists.empty_today",
    ListKind.overdue: "lists.empty_overdue",
    ListKind.mine: "lists.empty_mine",
    ListKind.deleted: "lists.empty_deleted",
    ListKind.search: "search.empty",
    ListKind.no_next: "oc.no_next_empty",
}
# "My deals" leads to the recycle bin and back.
_SWITCH = {
    ListKind.mine: (ListKind.deleted, "lists.btn_deleted"),
    ListKind.deleted: (ListKind.mine, "lists.btn_mine"),
}


def render_deal_list(
    page: DealPage,
    viewer: User,
    tr: Tr,
    *,
    q: int = 0,
    phones: Mapping[int, str] | None = None,
    back: Back = Back.none,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The list message. ``q`` is the search serial number (search lists only); ``phones``:
    deal id -> the client's phone, shown bare in its row (Telegram makes it tappable);
    ``back``: the list "no next step" was opened from (ListCb.back), kept by its pages."""
    rows: Rows = []
    first = (page.page - 1) * PAGE_SIZE + 1
    for n, deal in enumerate(page.deals, start=first):
        rows.append([_item_button(n, deal, page.kind)])
    if page.pages > 1:
        rows.append(_nav_buttons(page, tr, q, back))
    _filter_rows(rows, page, viewer, tr, back)
    if page.total:
        rows.append(export_row(page.kind, page.filters, tr, q))
    if page.kind in _SWITCH:
        target, key = _SWITCH[page.kind]
        rows.append([InlineKeyboardButton(text=tr(key), callback_data=ListCb(kind=target).pack())])
    if page.kind is ListKind.today:
        rows.append([week_button(tr)])  # the coming 7 days (handlers/week.py)
    if page.kind is ListKind.search:
        again = SearchCb(action=SearchAction.again).pack()
        rows.append([InlineKeyboardButton(text=tr("search.btn_again"), callback_data=again)])
    markup = InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
    return _text(page, viewer, tr, phones), markup


def _text(page: DealPage, viewer: User, tr: Tr, phones: Mapping[int, str] | None = None) -> str:
    query = page.query.text if page.query else ""
    lines: list[str] = []
    if page.deals:
        lines.append(
            tr(
                _TITLES[page.kind],
                date=fmt_short_date(page.today, tr),
                total=page.total,
                query=query,
            )
        )
    elif page.filters.active:
        lines.append(tr("lists.empty_filtered"))
    else:
        lines.append(tr(_EMPTY[page.kind], query=query))
    if page.filters.active:
        lines.append(tr("lists.filters", filters=Html(_filter_summary(page, tr))))
    if page.pages > 1:
        lines.append(tr("lists.page", page=page.page, pages=page.pages))
    head = "\n".join(lines)
    items = [
        _item_text(n, deal, page, viewer, tr)
        for n, deal in enumerate(page.deals, start=(page.page - 1) * PAGE_SIZE + 1)
    ]
    if phones:
        items = [_with_phone(i, phones.get(d.id)) for i, d in zip(items, page.deals, strict=False)]
    # Clipped fields keep 8 items far below 4096 characters; this is the last safety net.
    while items and len(head) + sum(len(i) + 2 for i in items) > TEXT_LIMIT:
        items.pop()
    return "\n\n".join([head, *items])


def _with_phone(item: str, phone: str | None) -> str:
    return f"{item} · 📞 {esc(phone)}" if phone else item


def _item_text(n: int, deal: Deal, page: DealPage, viewer: User, tr: Tr) -> str:
    parts = []
    who = ", ".join(x for x in (deal.client_name, deal.company) if x)
    if who:
        parts.append("👤 " + esc(clip(who, CLIENT_CLIP)))
    parts.append(esc(clip(deal.stage.label(tr.locale), STAGE_CLIP)))
    if page.kind is ListKind.deleted and deal.deleted_at is not None:
        parts.append(
            tr("lists.deleted_on", date=fmt_short_date(_local_day(deal.deleted_at, viewer), tr))
        )
    else:
        when = _next_text(deal, page.today, tr)
        if when:
            parts.append(when)
    stale = stale_mark(deal, page.today, viewer.timezone, tr)
    if stale and page.kind is not ListKind.deleted:
        parts.append(stale)
    if deal.amount is not None:
        parts.append("💰 " + esc(fmt_amount(deal.amount, deal.currency)))
    if viewer.role is not Role.manager and deal.owner_id != viewer.id:
        parts.append("👔 " + esc(clip(deal.owner.display_name, CLIENT_CLIP)))
    title = deal.title
    if deal.owner_id == viewer.id:  # one's own deal: the client first, not one's own name
        title = strip_owner(title, names_of(viewer))
    return f"<b>{n}.</b> {esc(clip(title, TITLE_CLIP))}\n" + " · ".join(parts)


def _next_text(deal: Deal, today: dt.date, tr: Tr) -> str:
    marker = due_marker(deal, today, tr)
    if deal.next_action_on is None:
        return marker
    text = "📅 " + fmt_short_date(deal.next_action_on, tr)
    if deal.next_action_time is not None:
        text += " " + deal.next_action_time.strftime("%H:%M")
    return f"{text} {marker}".rstrip()


def _local_day(moment: dt.datetime, viewer: User) -> dt.date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return local_now(moment, viewer.timezone).date()


def _item_button(n: int, deal: Deal, kind: ListKind) -> InlineKeyboardButton:
    label = deal.client_name or deal.company or deal.title
    text = f"{n}. {clip(label, BUTTON_CLIP)}"
    if kind is ListKind.deleted:
        data = DeletedOpenCb(deal_id=deal.id).pack()
    else:  # packed without pydantic (bot/keyboards/buttons.py): 8 rows on every list
        data = pack(DealCb, action=DealAction.open, deal_id=deal.id)
    return button(text, data)


def _nav_buttons(
    page: DealPage, tr: Tr, q: int, back: Back = Back.none
) -> list[InlineKeyboardButton]:
    f = page.filters

    def to(number: int, text: str) -> InlineKeyboardButton:
        data = ListCb(
            kind=page.kind,
            page=number,
            pipeline=f.pipeline_id or 0,
            stage=f.stage_id or 0,
            owner=f.owner_id or 0,
            q=q,
            back=back,
        )
        return InlineKeyboardButton(text=text, callback_data=data.pack())

    buttons = []
    if page.page > 1:
        buttons.append(to(page.page - 1, tr("common.prev")))
    # The counter re-reads the same page: a cheap "refresh".
    buttons.append(to(page.page, tr("common.page", page=page.page, pages=page.pages)))
    if page.page < page.pages:
        buttons.append(to(page.page + 1, tr("common.next")))
    return buttons


def _filter_rows(rows: Rows, page: DealPage, viewer: User, tr: Tr, back: Back = Back.none) -> None:
    kind, f = page.kind, page.filters
    if kind in (ListKind.deleted, ListKind.search):
        return
    if not page.deals and not f.active:
        return
    any_ = tr("lists.any")

    def pick(what: Pick, key: str, name: str | None) -> InlineKeyboardButton:
        data = ListPickCb(
            kind=kind,
            what=what,
            pipeline=f.pipeline_id or 0,
            stage=f.stage_id or 0,
            owner=f.owner_id or 0,
        )
        label = Html(clip(name, LABEL_CLIP)) if name else any_
        return InlineKeyboardButton(text=tr(key, name=label), callback_data=data.pack())

    row = []
    if kind is ListKind.mine:
        pipeline = _label(page.pipeline, tr) or _set_label(f, tr)
        row.append(pick(Pick.pipeline, "lists.btn_pipeline", pipeline))
        row.append(pick(Pick.stage, "lists.btn_stage", _label(page.stage, tr)))
    if row:
        rows.append(row)
    if viewer.role in (Role.lead, Role.admin):
        owner = page.owner.display_name if page.owner else None
        rows.append([pick(Pick.owner, "lists.btn_owner", owner)])
    if f.active:
        reset = ListCb(kind=kind, back=back)
        rows.append([InlineKeyboardButton(text=tr("lists.btn_reset"), callback_data=reset.pack())])


def _label(item: Pipeline | Stage | None, tr: Tr) -> str | None:
    return item.label(tr.locale) if item is not None else None


def _set_label(f: ListFilter, tr: Tr) -> str | None:
    """A set of pipelines (handlers/pipeline_filters.py): a group, or a part of the name."""
    if f.group:
        return tr("lists.btn_group", group=f.group)
    return f.family or f.name


def _filter_summary(page: DealPage, tr: Tr) -> str:
    f, parts = page.filters, []
    if f.pipeline_id:
        parts.append(tr("lists.f_pipeline", name=_label(page.pipeline, tr) or "?"))
    if f.group:
        parts.append(tr("lists.f_group", group=f.group))
    if f.name:
        parts.append(tr("lists.f_name", name=f.name))
    if f.family:
        parts.append(tr("lists.f_family", name=f.family))
    if f.stage_id:
        parts.append(tr("lists.f_stage", name=_label(page.stage, tr) or "?"))
    if f.owner_id:
        parts.append(tr("lists.f_owner", name=page.owner.display_name if page.owner else "?"))
    return ", ".join(parts)


# -- filter pickers ------------------------------------------------------------------------
def _choice(
    kind: ListKind, f: ListFilter, text: str, *, selected: bool, q: int = 0, **changes: int
) -> InlineKeyboardButton:
    """``q``: the list's pipeline set (handlers/pipeline_filters.py), kept by the choice."""
    values: dict[str, Any] = {
        "pipeline": f.pipeline_id or 0,
        "stage": f.stage_id or 0,
        "owner": f.owner_id or 0,
        "q": q,
    }
    values.update(changes)
    mark = "✓ " if selected else ""
    return InlineKeyboardButton(
        text=mark + clip(text, BUTTON_CLIP), callback_data=ListCb(kind=kind, **values).pack()
    )


def _back(kind: ListKind, f: ListFilter, tr: Tr, q: int = 0) -> InlineKeyboardButton:
    return _choice(kind, f, tr("lists.btn_back"), selected=False, q=q)


def render_pipeline_picker(
    kind: ListKind, f: ListFilter, pipelines: Sequence[Pipeline], tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    rows: Rows = [[_choice(kind, f, tr("lists.btn_all"), selected=not f.pipeline_id, pipeline=0)]]
    for p in pipelines:
        label = p.label(tr.locale)
        rows.append([_choice(kind, f, label, selected=p.id == f.pipeline_id, pipeline=p.id)])
    rows.append([_back(kind, f, tr)])
    return tr("lists.pick_pipeline"), InlineKeyboardMarkup(inline_keyboard=rows)


def render_stage_picker(
    kind: ListKind, f: ListFilter, stages: Sequence[Stage], tr: Tr, *, q: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    rows: Rows = [[_choice(kind, f, tr("lists.btn_all"), selected=not f.stage_id, q=q, stage=0)]]
    for s in stages:
        label = s.label(tr.locale)
        rows.append([_choice(kind, f, label, selected=s.id == f.stage_id, q=q, stage=s.id)])
    rows.append([_back(kind, f, tr, q)])
    return tr("lists.pick_stage"), InlineKeyboardMarkup(inline_keyboard=rows)


def render_owner_picker(
    kind: ListKind, f: ListFilter, owners: OwnerPage, tr: Tr, *, q: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    rows: Rows = [[_choice(kind, f, tr("lists.btn_all"), selected=not f.owner_id, q=q, owner=0)]]
    people = [
        _choice(kind, f, u.display_name, selected=u.id == f.owner_id, q=q, owner=u.id)
        for u in owners.users
    ]
    for i in range(0, len(people), 2):
        rows.append(people[i : i + 2])
    if owners.pages > 1:
        nav = []

        def to(number: int, text: str) -> InlineKeyboardButton:
            data = ListPickCb(
                kind=kind,
                what=Pick.owner,
                pipeline=f.pipeline_id or 0,
                stage=f.stage_id or 0,
                owner=f.owner_id or 0,
                page=number,
            )
            return InlineKeyboardButton(text=text, callback_data=data.pack())

        if owners.page > 1:
            nav.append(to(owners.page - 1, tr("common.prev")))
        if owners.page < owners.pages:
            nav.append(to(owners.page + 1, tr("common.next")))
        rows.append(nav)
    rows.append([_back(kind, f, tr, q)])
    text = tr("lists.pick_owner", page=owners.page, pages=owners.pages)
    return text, InlineKeyboardMarkup(inline_keyboard=rows)
