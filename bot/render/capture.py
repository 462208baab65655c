"""The capture message: what was found in a forwarded message / shared contact / typed
contact, the deals it matches (each with "as a note" / "open"), or a new deal offered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.capture import CaptureAct, CaptureCb
from bot.i18n import Tr
from bot.keyboards.buttons import button, pack
from bot.render.deal_card import CONTACT_ICONS
from bot.render.format import clip, esc, fmt_date
from models.contacts import ParsedContact
from models.deals import Deal

TITLE_PREVIEW = 60


@dataclass
class Capture:
    token: int
    name: str | None
    contacts: list[ParsedContact]
    note_on: dt.date | None  # the forwarded text's own day, when there is a text
    matches: list[Deal] = field(default_factory=list)
    total: int = 0
    show_owner: bool = False


def render_capture(cap: Capture, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    what = ", ".join(c.value for c in cap.contacts)
    lines: list[str] = []
    if cap.matches:
        lines.append(tr("capture.found", what=what, n=cap.total))
        for deal in cap.matches:
            owner = f" · {esc(deal.owner.display_name)}" if cap.show_owner else ""
            title = esc(clip(deal.title, TITLE_PREVIEW))
            # "• #12": a card's title line is "#12 · ", and a reply to this message must not
            # be taken for a reply to the card of the first deal listed (a note, a file).
            stage = esc(deal.stage.label(tr.locale))
            lines.append(f"• <b>#{deal.id}</b> · {title} — {stage}{owner}")
        if cap.total > len(cap.matches):
            lines.append(tr("capture.found_more", n=len(cap.matches)))
        if cap.note_on is not None:
            lines += ["", tr("capture.forwarded", date=fmt_date(cap.note_on, tr))]
    else:
        lines.append(tr("capture.none", what=what) if what else tr("capture.none_plain"))
        lines.append("")
        if cap.name:
            lines.append(f"👤 {esc(cap.name)}")
        lines += [f"{CONTACT_ICONS[c.kind]} {esc(c.value)}" for c in cap.contacts]
        if cap.note_on is not None:
            lines.append(tr("capture.forwarded_new", date=fmt_date(cap.note_on, tr)))
        lines += ["", tr("capture.offer_new")]
        if cap.note_on is not None:
            lines.append(tr("capture.how_existing"))
    return "\n".join(lines), _keyboard(cap, tr)


def _keyboard(cap: Capture, tr: Tr) -> InlineKeyboardMarkup:
    def cb(act: CaptureAct, deal_id: int = 0) -> str:
        return pack(CaptureCb, act=act, deal_id=deal_id, t=cap.token)

    rows: list[list[InlineKeyboardButton]] = []
    for deal in cap.matches:
        row = [button(tr("capture.btn_open", id=deal.id), cb(CaptureAct.open, deal.id))]
        if cap.note_on is not None:
            row.insert(0, button(tr("capture.btn_note", id=deal.id), cb(CaptureAct.note, deal.id)))
        rows.append(row)
    rows.append(
        [
            button(tr("capture.btn_new"), cb(CaptureAct.new)),
            button(tr("capture.btn_cancel"), cb(CaptureAct.cancel)),
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)
