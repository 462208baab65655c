"""What a person types while creating a deal, before it becomes a deal: splitting a client
text into name and company, merging contacts, and keeping a DealDraft as plain JSON (a chat
wizard stores it between messages).

Pure Python: no aiogram, no database."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .contacts import ContactError, ContactKind, ParsedContact, normalize_phone, parse_quick_deal
from .services.deals import DealDraft

__all__ = [
    "DRAFT_KEYS",
    "MAX_CONTACTS",
    "contacts_in_text",
    "draft_from_data",
    "draft_to_data",
    "merge_contacts",
    "shared_phone",
    "split_client",
]

MAX_CONTACTS = 10

DRAFT_KEYS = (
    "client_name",
    "company",
    "contacts",
    "pipeline_id",
    "source_id",
    "amount",
    "currency",
    "next_on",
    "next_time",
    "title",
    "owner_id",
)

# Legal forms that say "this is a company, not a person".
_COMPANY_RE = re.compile(
    r"(?<![\w])(ооо|оао|зао|пао|ао|ип|нко|ано|гк|фгуп|муп|llc|ltd|inc|gmbh|corp|plc|jsc)"
    r"(?![\w])|[«\"]",
    re.IGNORECASE,
)


def split_client(text: str) -> tuple[str | None, str | None]:
    """``"Иван Петров, ООО Ромашка"`` -> (name, company). Without a comma the whole text is
    the name unless it carries a legal form ("ООО", "LLC", quotes): then it is the company."""
    parts = [p.strip() for p in text.split(",", 1)]
    parts = [p for p in parts if p]
    if not parts:
        return None, None
    if len(parts) == 1:
        return (None, parts[0]) if _COMPANY_RE.search(parts[0]) else (parts[0], None)
    first, second = parts
    if _COMPANY_RE.search(first) and not _COMPANY_RE.search(second):
        return second, first
    return first, second


def merge_contacts(
    have: Iterable[ParsedContact], new: Iterable[ParsedContact]
) -> tuple[list[ParsedContact], int]:
    """Append new contacts not yet present (by kind + normalised value), at most
    MAX_CONTACTS in all; returns the list and how many were added."""
    merged = list(have)
    seen = {(c.kind, c.normalized) for c in merged}
    added = 0
    for contact in new:
        key = (contact.kind, contact.normalized)
        if key in seen or len(merged) >= MAX_CONTACTS:
            continue
        seen.add(key)
        merged.append(contact)
        added += 1
    return merged, added


def contacts_in_text(text: str, default_region: str = "RU") -> list[ParsedContact]:
    """Every valid contact found in free text (a forwarded letter); the rest is ignored."""
    return parse_quick_deal(text, default_region).contacts


def shared_phone(phone: str, default_region: str = "RU") -> ParsedContact:
    """A phone from Telegram's "share contact": usually international digits without "+"."""
    digits = phone.strip()
    candidates = [digits]
    if digits.isdigit():
        candidates.insert(0, "+" + digits)
    error: ContactError | None = None
    for candidate in candidates:
        try:
            normalized = normalize_phone(candidate, default_region)
        except ContactError as exc:
            error = error or exc
            continue
        return ParsedContact(ContactKind.phone, candidate, normalized)
    assert error is not None
    raise error


# -- the draft as JSON -------------------------------------------------------------------


def draft_to_data(draft: DealDraft) -> dict[str, Any]:
    return {
        "client_name": draft.client_name,
        "company": draft.company,
        "contacts": [[c.kind.value, c.value, c.normalized] for c in draft.contacts],
        "pipeline_id": draft.pipeline_id,
        "source_id": draft.source_id,
        "amount": None if draft.amount is None else str(draft.amount),
        "currency": draft.currency,
        "next_on": None if draft.next_action_on is None else draft.next_action_on.isoformat(),
        "next_time": (
            None if draft.next_action_time is None else draft.next_action_time.strftime("%H:%M")
        ),
        "title": draft.title,
        "owner_id": draft.owner_id,
    }


def draft_from_data(data: Mapping[str, Any]) -> DealDraft:
    amount = data.get("amount")
    next_on = data.get("next_on")
    next_time = data.get("next_time")
    return DealDraft(
        client_name=data.get("client_name"),
        company=data.get("company"),
        contacts=[
            ParsedContact(ContactKind(kind), value, normalized)
            for kind, value, normalized in data.get("contacts") or []
        ],
        pipeline_id=data.get("pipeline_id"),
        source_id=data.get("source_id"),
        amount=None if amount is None else decimal.Decimal(amount),
        currency=data.get("currency"),
        next_action_on=None if next_on is None else dt.date.fromisoformat(next_on),
        next_action_time=None if next_time is None else dt.time.fromisoformat(next_time),
        title=data.get("title"),
        owner_id=data.get("owner_id"),
    )
