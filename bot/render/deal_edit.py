"""Messages and keyboards of editing a deal: the field menu, prompts, pickers, the contact
list, delete confirmations and the new-owner picker. Pure functions: text + markup."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import (
    EditAction,
    EditCb,
    EditField,
    ReassignAction,
    ReassignCb,
    RemoveAction,
    RemoveCb,
)
from bot.i18n import Tr
from bot.render.deal_card import CONTACT_ICONS
from bot.render.deal_persons import edit_menu_row
from bot.render.format import clip, esc, fmt_amount
from models.catalog import Pipeline, Source
from models.contacts import ContactKind
from models.deals import Deal
from models.services.deal_editing import Candidates
from models.services.deals import DuplicateMatch
from models.users import User

View = tuple[str, InlineKeyboardMarkup]
Rows = list[list[InlineKeyboardButton]]
T = TypeVar("T")

TITLE_PREVIEW = 80
BUTTON_PREVIEW = 40
PROMPT_PREVIEW = 200
# Pipelines and sources, most used first: a phone screen's worth a page.
CATALOG_PAGE = 8
PIPELINE_LABEL = 48
REASSIGN_PAGE = 10
# Fields typed as text, and the key of their prompt.
TEXT_FIELDS = {
    EditField.title: "edit.ask_title",
    EditField.client: "edit.ask_client",
    EditField.company: "edit.ask_company",
    EditField.amount: "edit.ask_amount",
}
MENU_FIELDS = (
    (EditField.title, "edit.field.title"),
    (EditField.client, "edit.field.client"),
    (EditField.company, "edit.field.company"),
    (EditField.contacts, "edit.field.contacts"),
    (EditField.pipeline, "edit.field.pipeline"),
    (EditField.source, "edit.field.source"),
    (EditField.amount, "edit.field.amount"),
)
FIELD_LABELS = dict(MENU_FIELDS)


# -- helpers -------------------------------------------------------------------------------------
def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def markup(rows: Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def grid(buttons: Sequence[InlineKeyboardButton], width: int) -> Rows:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def page_of(items: Sequence[T], page: int, size: int) -> tuple[Sequence[T], int, int]:
    """The items of ``page`` (clamped into range), the page and the number of pages."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return items[page * size : (page + 1) * size], page, pages


def page_row(
    page: int, pages: int, tr: Tr, callback: Callable[[int], CallbackData]
) -> list[InlineKeyboardButton]:
    """‹ › to the neighbouring pages, when there are any."""
    row = []
    if page > 0:
        row.append(button(tr("common.prev"), callback(page - 1)))
    if page < pages - 1:
        row.append(button(tr("common.next"), callback(page + 1)))
    return row


def _title(deal: Deal) -> str:
    return clip(deal.title, TITLE_PREVIEW)


def _cb(
    action: EditAction,
    deal: Deal,
    *,
    field: EditField = EditField.none,
    item: int = 0,
    page: int = 0,
) -> EditCb:
    return EditCb(
        action=action, deal_id=deal.id, v=deal.version, field=field, item=item, page=page
    )


def _back_and_cancel(deal: Deal, tr: Tr) -> list[InlineKeyboardButton]:
    return [
        button(tr("common.back"), _cb(EditAction.menu, deal)),
        button(tr("common.cancel"), _cb(EditAction.close, deal)),
    ]


def _to_card(deal: Deal, tr: Tr, key: str = "common.back") -> InlineKeyboardButton:
    return button(tr(key), DealCb(action=DealAction.refresh, deal_id=deal.id, v=deal.version))


# -- the field menu and text prompts -------------------------------------------------------------
def edit_menu(deal: Deal, tr: Tr) -> View:
    fields = [button(tr(key), _cb(EditAction.ask, deal, field=f)) for f, key in MENU_FIELDS]
    rows = [
        *grid(fields, 2),
        edit_menu_row(deal, tr),  # contact persons and labelled links (bot/render/deal_persons)
        [button(tr("edit.btn_to_card"), _cb(EditAction.close, deal))],
    ]
    return tr("edit.menu", id=deal.id, title=_title(deal)), markup(rows)


def current_value(deal: Deal, field: EditField) -> str | None:
    values = {
        EditField.title: deal.title,
        EditField.client: deal.client_name,
        EditField.company: deal.company,
        EditField.amount: fmt_amount(deal.amount, deal.currency) or None,
    }
    return values[field]


def value_prompt(deal: Deal, field: EditField, tr: Tr) -> View:
    current = current_value(deal, field)
    clear = []
    if field is not EditField.title and current is not None:
        clear = [button(tr("edit.btn_clear"), _cb(EditAction.clear, deal, field=field))]
    if current is not None and len(current) > PROMPT_PREVIEW:
        current = clip(current, PROMPT_PREVIEW)
    text = tr(TEXT_FIELDS[field], id=deal.id, current=current or "—")
    return text, markup([clear, _back_and_cancel(deal, tr)])


# -- pickers -------------------------------------------------------------------------------------
def pipeline_picker(deal: Deal, pipelines: Sequence[Pipeline], tr: Tr, page: int) -> View:
    shown, page, pages = page_of(pipelines, page, CATALOG_PAGE)
    items = [
        button(
            ("✓ " if p.id == deal.pipeline_id else "") + clip(p.label(tr.locale), PIPELINE_LABEL),
            _cb(EditAction.pipeline, deal, item=p.id),
        )
        for p in shown
    ]
    rows = [
        *grid(items, 1),  # long names: one a row
        page_row(page, pages, tr, _picker_page(deal, EditField.pipeline)),
        _back_and_cancel(deal, tr),
    ]
    text = tr("edit.pick_pipeline", id=deal.id, current=deal.pipeline.label(tr.locale))
    return text, markup(rows)


def source_picker(deal: Deal, sources: Sequence[Source], tr: Tr, page: int) -> View:
    shown, page, pages = page_of(sources, page, CATALOG_PAGE)
    items = [
        button(
            ("✓ " if s.id == deal.source_id else "") + clip(s.label(tr.locale), BUTTON_PREVIEW),
            _cb(EditAction.source, deal, item=s.id),
        )
        for s in shown
    ]
    none = []
    if deal.source_id is not None:
        none = [button(tr("edit.btn_no_source"), _cb(EditAction.source, deal, item=0))]
    rows = [
        *grid(items, 2),
        none,
        page_row(page, pages, tr, _picker_page(deal, EditField.source)),
        _back_and_cancel(deal, tr),
    ]
    current = deal.source.label(tr.locale) if deal.source is not None else "—"
    return tr("edit.pick_source", id=deal.id, current=current), markup(rows)


def _picker_page(deal: Deal, field: EditField) -> Callable[[int], CallbackData]:
    return lambda page: _cb(EditAction.page, deal, field=field, page=page)


# -- contacts ------------------------------------------------------------------------------------
def contacts_view(deal: Deal, tr: Tr, notice: str | None = None) -> View:
    """The deal's contacts, one ✖ button each to remove it, and ➕ to add one.
    ``notice`` is trusted markup (already translated and escaped)."""
    lines = [notice, ""] if notice else []
    lines.append(tr("edit.contacts", id=deal.id, title=_title(deal)))
    rows: Rows = []
    for contact in deal.contacts:
        if contact.person_id is not None or contact.kind is ContactKind.link:
            continue  # a person's own contact, or a labelled link: edited in their views
        lines.append(f"{CONTACT_ICONS[contact.kind]} {esc(contact.value)}")
        value = clip(contact.value, BUTTON_PREVIEW)
        rows.append(
            [
                button(
                    tr("edit.btn_remove_contact", value=value),
                    _cb(EditAction.remove_contact, deal, item=contact.id),
                )
            ]
        )
    own = [c for c in deal.contacts if c.person_id is None and c.kind is not ContactKind.link]
    lines.append(tr("edit.contacts_hint") if own else tr("edit.contacts_none"))
    rows.append([button(tr("edit.btn_add_contact"), _cb(EditAction.add_contact, deal))])
    rows.append(_back_and_cancel(deal, tr))
    return "\n".join(lines), markup(rows)


def contact_prompt(deal: Deal, tr: Tr) -> View:
    back = _cb(EditAction.ask, deal, field=EditField.contacts)
    rows = [
        [
            button(tr("common.back"), back),
            button(tr("common.cancel"), _cb(EditAction.close, deal)),
        ]
    ]
    return tr("edit.ask_contact", id=deal.id), markup(rows)


def duplicate_lines(matches: Sequence[DuplicateMatch], value: str, tr: Tr) -> list[str]:
    return [
        tr(
            "edit.duplicate",
            value=value,
            id=match.deal_id,
            title=clip(match.title, TITLE_PREVIEW),
            owner=match.owner_name,
        )
        for match in matches
    ]


# -- delete / restore ----------------------------------------------------------------------------
def delete_confirm(deal: Deal, tr: Tr) -> View:
    yes = RemoveCb(action=RemoveAction.confirm, deal_id=deal.id, v=deal.version)
    rows = [[button(tr("delete.btn_yes"), yes), _to_card(deal, tr)]]
    return tr("delete.ask", id=deal.id, title=_title(deal)), markup(rows)


def hard_delete_confirm(deal: Deal, tr: Tr, *, again: bool) -> View:
    """Two confirmations: ``again`` is the last one, whose button deletes."""
    action = RemoveAction.hard_final if again else RemoveAction.hard_sure
    yes = RemoveCb(action=action, deal_id=deal.id, v=deal.version)
    back = RemoveCb(action=RemoveAction.back, deal_id=deal.id, v=deal.version)
    rows = [
        [button(tr("delete.btn_hard_final" if again else "delete.btn_hard_yes"), yes)],
        [button(tr("common.cancel" if again else "common.back"), back)],
    ]
    key = "delete.hard_ask_again" if again else "delete.hard_ask"
    return tr(key, id=deal.id, title=_title(deal)), markup(rows)


def hard_deleted_text(deal_id: int, title: str, tr: Tr) -> str:
    return tr("delete.hard_done", id=deal_id, title=clip(title, TITLE_PREVIEW))


# -- reassign ------------------------------------------------------------------------------------
def reassign_picker(deal: Deal, candidates: Candidates, viewer: User, tr: Tr) -> View:
    rows: Rows = []
    for person in candidates.users:
        name = clip(person.full_name, BUTTON_PREVIEW)
        if person.id == viewer.id:
            name = tr("reassign.me", name=name)
        pick = ReassignCb(
            action=ReassignAction.pick, deal_id=deal.id, v=deal.version, item=person.id
        )
        rows.append([button(name, pick)])

    def page_cb(page: int) -> ReassignCb:
        return ReassignCb(action=ReassignAction.page, deal_id=deal.id, v=deal.version, item=page)

    rows.append(page_row(candidates.page, candidates.pages, tr, page_cb))
    rows.append([_to_card(deal, tr)])
    text = tr("reassign.ask", id=deal.id, title=_title(deal), owner=deal.owner.display_name)
    if not candidates.users:
        text += "\n\n" + tr("reassign.nobody")
    return text, markup(rows)


def reassign_notification(deal: Deal, actor: User, tr: Tr) -> View:
    open_card = DealCb(action=DealAction.open, deal_id=deal.id)
    text = tr("reassign.notify", id=deal.id, title=_title(deal), actor=actor.full_name)
    return text, markup([[button(tr("card.btn_open"), open_card)]])
