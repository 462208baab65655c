"""Texts of the deal creation wizard: what is entered so far, the question of the step,
contact / amount errors, duplicates. Pure functions: text in, text out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.i18n import Tr
from bot.render.format import clip, fmt_amount, fmt_date
from models.contacts import ContactError
from models.money import MoneyError
from models.services.deals import DealDraft

CONTACT_PREVIEW = 80
NAME_PREVIEW = 60
MAX_DUPS_SHOWN = 5


@dataclass(frozen=True)
class DraftView:
    """A draft with the names of what its ids point to, resolved by the handler."""

    draft: DealDraft
    pipeline: str | None = None
    source: str | None = None
    owner: str | None = None  # only when somebody else than the author
    title: str | None = None  # shown on the confirmation step


@dataclass(frozen=True)
class DupView:
    """A duplicate as kept in the wizard's data (plain JSON)."""

    deal_id: int
    owner: str
    stage: str
    matched: str

    def to_data(self) -> list[Any]:
        return [self.deal_id, self.owner, self.stage, self.matched]

    @classmethod
    def from_data(cls, row: Sequence[Any]) -> DupView:
        return cls(int(row[0]), str(row[1]), str(row[2]), str(row[3]))


def fmt_when(day: dt.date | None, at: dt.time | None, tr: Tr) -> str:
    if day is None:
        return "—"
    text = fmt_date(day, tr)
    return f"{text} {at.strftime('%H:%M')}" if at else text


def summary(view: DraftView, tr: Tr) -> str:
    """What is entered so far, one line a field (empty fields are left out)."""
    d = view.draft
    lines = []
    if d.client_name:
        lines.append(tr("create.sum_client", value=d.client_name))
    if d.company:
        lines.append(tr("create.sum_company", value=d.company))
    for contact in d.contacts:
        lines.append(
            tr(
                f"create.sum_contact_{contact.kind.value}",
                value=clip(contact.value, CONTACT_PREVIEW),
            )
        )
    if view.pipeline:
        lines.append(tr("create.sum_pipeline", value=view.pipeline))
    if view.source:
        lines.append(tr("create.sum_source", value=view.source))
    if d.amount is not None:
        lines.append(tr("create.sum_amount", value=fmt_amount(d.amount, d.currency)))
    if d.next_action_on is not None:
        lines.append(
            tr("create.sum_next", value=fmt_when(d.next_action_on, d.next_action_time, tr))
        )
    if view.owner:
        lines.append(tr("create.sum_owner", value=view.owner))
    if view.title:
        lines.append(tr("create.sum_title", value=view.title))
    return "\n".join(lines)


def wizard_text(tr: Tr, view: DraftView | None, question: str, notice: str | None = None) -> str:
    """Header, what is entered so far, a notice (an error or a hint) and the question."""
    parts = [tr("create.header")]
    body = summary(view, tr) if view else ""
    if body:
        parts.append(body)
    if notice:
        parts.append(notice)
    parts.append(question)
    return "\n\n".join(parts)


def contact_error(error: ContactError, tr: Tr) -> str:
    return tr(f"create.err_{error.reason}", raw=clip(error.raw, CONTACT_PREVIEW))


def contact_errors(errors: Sequence[ContactError], tr: Tr) -> str:
    return "\n".join("⚠️ " + contact_error(e, tr) for e in errors)


def not_contacts(leftover: str, tr: Tr) -> str:
    return "⚠️ " + tr("create.err_not_contact", raw=clip(leftover, CONTACT_PREVIEW))


def money_error(error: MoneyError, tr: Tr) -> str:
    return tr(f"create.amount_{error.reason}", raw=clip(error.raw, CONTACT_PREVIEW))


def duplicates_text(dups: Sequence[DupView], tr: Tr) -> str:
    lines = [tr("create.dups_found")]
    for dup in dups[:MAX_DUPS_SHOWN]:
        lines.append(
            "• "
            + tr(
                "create.dup_line",
                id=dup.deal_id,
                owner=clip(dup.owner, NAME_PREVIEW),
                stage=dup.stage,
                matched=clip(dup.matched, CONTACT_PREVIEW),
            )
        )
    if len(dups) > MAX_DUPS_SHOWN:
        lines.append(tr("create.dups_more", count=len(dups) - MAX_DUPS_SHOWN))
    lines.append("")
    lines.append(tr("create.dups_question"))
    return "\n".join(lines)
