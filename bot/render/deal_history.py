"""The deal's timeline: one page of events, newest first, in the viewer's language and zone."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Protocol

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import HistoryCb
from bot.i18n import Tr
from bot.render.deal_edit import button, markup, page_row
from bot.render.format import clip, esc, fmt_amount, fmt_date
from models.deals import DealEvent, EventKind
from models.services import deal_editing as fields
from models.services.deal_editing import HistoryPage
from models.timeutil import local_now
from models.users import User


class Labelled(Protocol):
    def label(self, locale: str) -> str: ...


VALUE_PREVIEW = 60
NAME_PREVIEW = 40
SIMPLE_KINDS = {
    EventKind.deleted: "history.deleted",
    EventKind.restored: "history.restored",
    EventKind.denied: "history.denied",
    EventKind.imported: "history.imported",
}


def render_history(page: HistoryPage, viewer: User, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    deal = page.deal
    lines = [tr("history.title", id=deal.id, title=clip(deal.title, 80))]
    if page.pages > 1:
        lines.append(tr("history.page", page=page.page + 1, pages=page.pages, total=page.total))
    if not page.events:
        lines += ["", tr("history.empty")]
    for event in page.events:
        local = local_now(event.at, viewer.timezone)
        when = f"{fmt_date(local.date(), tr)} {local:%H:%M}"
        actor = page.users.get(event.actor_id) if event.actor_id is not None else None
        who = clip(actor.full_name, NAME_PREVIEW) if actor else tr("history.system")
        lines += ["", f"<i>{when}</i> · <b>{esc(who)}</b>", _what(event, page, tr)]

    def page_cb(n: int) -> HistoryCb:
        return HistoryCb(deal_id=deal.id, page=n)

    back = DealCb(action=DealAction.refresh, deal_id=deal.id, v=deal.version)
    rows = [page_row(page.page, page.pages, tr, page_cb), [button(tr("edit.btn_to_card"), back)]]
    return "\n".join(lines), markup(rows)


def _what(event: DealEvent, page: HistoryPage, tr: Tr) -> str:
    """One event in words; ids become names, unknown shapes are shown as stored."""
    kind = event.kind
    if kind in SIMPLE_KINDS:
        return tr(SIMPLE_KINDS[kind])
    if kind is EventKind.created:
        return tr("history.created", title=_clip(event.new))
    if kind is EventKind.note:
        if event.field == "happened_on":  # "03: 2026-11-25" -> "03: 2026-11-27"
            number, _, old = (event.old or "").partition(": ")
            new = (event.new or "").partition(": ")[2]
            return tr("history.note_date", number=number, old=_when(old, tr), new=_when(new, tr))
        return tr("history.note", number=_note_number(event.new or event.old))
    if kind is EventKind.stage:
        old, new = _ref(event.old, page.stages, tr), _ref(event.new, page.stages, tr)
        return tr("history.stage", old=old, new=new)
    if kind is EventKind.next_action:
        return tr("history.next_action", old=_when(event.old, tr), new=_when(event.new, tr))
    if kind is EventKind.owner:
        return tr(
            "history.owner", old=_owner(event, event.old, page), new=_owner(event, event.new, page)
        )
    if event.field == fields.CONTACT:
        if event.new is not None:
            return tr("history.contact_added", value=_clip(event.new))
        return tr("history.contact_removed", value=_clip(event.old))
    name = event.field or ""
    label = tr(f"edit.field.{name}") if tr.has(f"edit.field.{name}") else name
    return tr(
        "history.field",
        field=label,
        old=_value(name, event.old, page, tr),
        new=_value(name, event.new, page, tr),
    )


def _clip(value: str | None) -> str:
    return clip(value, VALUE_PREVIEW) if value else "—"


def _value(name: str, value: str | None, page: HistoryPage, tr: Tr) -> str:
    if value is None:
        return "—"
    catalogs: dict[str, Mapping[str, Labelled]] = {
        fields.PIPELINE: page.pipelines,
        fields.SOURCE: page.sources,
    }
    catalog = catalogs.get(name)
    if catalog is not None:
        return _ref(value, catalog, tr)
    if name == fields.AMOUNT:  # "150000.00 RUB" (or a bare number)
        number, _, currency = value.partition(" ")
        try:
            return fmt_amount(decimal.Decimal(number), currency or None)
        except decimal.InvalidOperation:
            pass
    return _clip(value)


def _ref(value: str | None, catalog: Mapping[str, Labelled], tr: Tr) -> str:
    """A stage / pipeline / source logged by id or code, by its name; else as logged."""
    item = catalog.get(value) if value is not None else None
    return item.label(tr.locale) if item is not None else _clip(value)


def _owner(event: DealEvent, value: str | None, page: HistoryPage) -> str:
    # Owners are logged by name (as they were called then: people get renamed).
    return _clip(value)


def _note_number(value: str | None) -> str:
    return f"{int(value):02d}" if value is not None and value.isdigit() else _clip(value)


def _when(value: str | None, tr: Tr) -> str:
    """Next-action dates are logged in ISO form: "2026-11-28" or "2026-11-28 14:00"."""
    if not value:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return _clip(value)
    text = fmt_date(moment.date(), tr)
    if len(value) > 10:  # a time was given
        text += f" {moment:%H:%M}"
    return text
