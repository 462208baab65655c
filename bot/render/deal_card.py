"""The deal card: one message, edited in place as the user works on the deal."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import DealAction, DealCb
from bot.callbacks.files import FileAct, FileCb
from bot.i18n import Tr
from bot.keyboards.buttons import button as fast_button
from bot.keyboards.buttons import pack
from bot.render.deal_persons import card_lines as persons_card_lines
from bot.render.format import clip, due_marker, esc, fmt_amount, fmt_next_action, fmt_short_date
from bot.render.staleness import stale_mark
from models.access import can_reassign
from models.contacts import ContactKind, contact_link
from models.roles import can_hard_delete
from models.services.deals import DealCard
from models.users import User

CARD_LIMIT = 4096
NOTE_PREVIEW = 600
CONTACT_ICONS = {
    ContactKind.phone: "📞",
    ContactKind.email: "✉️",
    ContactKind.url: "🔗",
    ContactKind.link: "🔗",
}


def render_deal_card(
    card: DealCard, viewer: User, tr: Tr, today: dt.date, *, notice: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    return card_text(card, tr, today, notice=notice), deal_card_keyboard(card, viewer, tr)


def card_text(card: DealCard, tr: Tr, today: dt.date, *, notice: str | None = None) -> str:
    """The card's text alone: for a picker shown in place of the card's own buttons."""
    return _card_text(card, tr, today, notice)


def _card_text(card: DealCard, tr: Tr, today: dt.date, notice: str | None) -> str:
    deal = card.deal
    lines = []
    if notice:
        lines += [notice, ""]
    if deal.deleted_at is not None:
        lines.append(tr("card.deleted_banner"))
    lines.append(f"<b>#{deal.id} · {esc(deal.title)}</b>")
    if deal.client_name:
        lines.append(f"👤 {esc(deal.client_name)}")
    if deal.company:
        lines.append(f"🏢 {esc(deal.company)}")
    for contact in deal.contacts:
        if contact.person_id is not None or contact.kind is ContactKind.link:
            continue  # shown with their person / as a labelled link, below
        href = esc(contact_link(contact.kind, contact.normalized)).replace('"', "&quot;")
        who = f" ({esc(contact.person_name)})" if contact.person_name else ""
        icon = CONTACT_ICONS[contact.kind]
        lines.append(f'{icon} <a href="{href}">{esc(contact.value)}</a>{who}')
    lines += persons_card_lines(deal, tr)
    lines.append("")
    lines.append(tr("card.pipeline", pipeline=deal.pipeline.label(tr.locale)))
    lines.append(tr("card.stage", stage=deal.stage.label(tr.locale)))
    if deal.reason:
        lines.append(tr("card.reason", reason=deal.reason))
    if deal.source is not None:
        lines.append(tr("card.source", source=deal.source.label(tr.locale)))
    if deal.amount is not None:
        lines.append(tr("card.amount", amount=fmt_amount(deal.amount, deal.currency)))
    lines.append(tr("card.owner", owner=deal.owner.display_name))
    if deal.is_open or deal.next_action_on is not None:
        marker = due_marker(deal, today, tr)
        next_line = tr("card.next", next=fmt_next_action(deal, tr))
        lines.append(f"{next_line} {marker}".rstrip())
    stale = stale_mark(deal, today, deal.owner.timezone, tr)  # the owner's calendar
    if stale:
        lines.append(stale)
    head = "\n".join(lines)
    return head + _notes_block(card, tr, CARD_LIMIT - len(head) - 2)


def _notes_block(card: DealCard, tr: Tr, room: int) -> str:
    if not card.last_notes:
        return ""
    title = tr("card.notes", total=card.notes_total)
    items = [
        f"<b>{note.number:02d}</b> · {fmt_short_date(note.happened_on, tr)} — "
        f"{esc(clip(note.text, NOTE_PREVIEW))}"
        for note in card.last_notes
    ]
    # Keep the newest notes when the card would exceed Telegram's 4096 characters.
    while items and len(title) + sum(len(i) + 1 for i in items) + 2 > room:
        items.pop(0)
    return "\n\n" + "\n".join([title, *items]) if items else ""


def deal_card_keyboard(card: DealCard, viewer: User, tr: Tr) -> InlineKeyboardMarkup:
    # Built directly: InlineKeyboardBuilder deep-copies the keyboard on every button
    # (~0.3 ms for this card, on the path of every card shown).
    deal = card.deal

    def button(key: str, action: DealAction) -> InlineKeyboardButton:
        return fast_button(tr(key), pack(DealCb, action=action, deal_id=deal.id, v=deal.version))

    if deal.deleted_at is not None:
        rows = [[button("card.btn_restore", DealAction.restore)]]
        if can_hard_delete(viewer.role):
            rows.append([button("card.btn_hard_delete", DealAction.hard_delete)])
        return InlineKeyboardMarkup(inline_keyboard=rows)
    buttons = [
        button("card.btn_note", DealAction.note),
        button("card.btn_stage", DealAction.stage),
        button("card.btn_next_date", DealAction.next_date),
        button("card.btn_edit", DealAction.edit),
        button("card.btn_history", DealAction.history),
        button("card.btn_delete", DealAction.delete),
    ]
    if can_reassign(viewer):
        buttons.append(button("card.btn_reassign", DealAction.reassign))
    buttons.append(files_button(card, tr))
    return InlineKeyboardMarkup(
        inline_keyboard=[buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    )


def files_button(card: DealCard, tr: Tr) -> InlineKeyboardButton:
    """📎 with the number of files on the deal: lists them, and the next file sent attaches."""
    label = tr("files.btn_card", n=card.files_total) if card.files_total else tr("files.btn_none")
    data = pack(FileCb, act=FileAct.panel, deal_id=card.deal.id, file_id=0)
    return fast_button(label, data)
