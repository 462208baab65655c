"""Reading what was typed into the New-deal flow: a shared contact, a forwarded message or
text, into a client and contacts; and a typed next-step date ("завтра в 15:00")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aiogram.types import Message

from bot.i18n import Tr
from bot.keyboards.dates import parse_date, parse_time
from bot.render.create import contact_errors, not_contacts
from handlers.create_steps import (
    Ctx,
)
from models.contacts import ContactError, ParsedContact, parse_quick_deal
from models.deal_input import (
    MAX_CONTACTS,
    contacts_in_text,
    merge_contacts,
    shared_phone,
    split_client,
)
from models.services.deals import MAX_CLIENT


@dataclass
class Found:
    """Client and contacts found in one message, and what was wrong in it."""

    name: str | None = None
    company: str | None = None
    contacts: list[ParsedContact] = field(default_factory=list)
    errors: list[ContactError] = field(default_factory=list)
    leftover: str | None = None  # text that is no contact (where only contacts are expected)


def _origin_name(message: Message) -> str | None:
    """Who wrote a forwarded message: a user, a hidden user, a chat or a channel."""
    origin = message.forward_origin
    name = None
    for attr in ("sender_user", "sender_chat", "chat"):
        who = getattr(origin, attr, None)
        if who is not None:
            name = getattr(who, "full_name", None) or getattr(who, "title", None)
            break
    else:
        name = getattr(origin, "sender_user_name", None)
    return name[:MAX_CLIENT] if name else None


def read(message: Message, *, names: bool) -> Found | None:
    """What a message gives: a shared contact, a forwarded message (its author and the
    contacts in it), or text. ``names``: text that is no contact is the client's name
    (else it is reported). None for a sticker, a photo and the like."""
    if message.contact is not None:
        c = message.contact
        name = " ".join(p for p in (c.first_name, c.last_name) if p) or None
        try:
            return Found(name=name, contacts=[shared_phone(c.phone_number)])
        except ContactError as exc:
            return Found(name=name, errors=[exc])
    text = message.text or message.caption
    if message.forward_origin is not None:
        return Found(name=_origin_name(message), contacts=contacts_in_text(text or ""))
    if text is None:
        return None
    parsed = parse_quick_deal(text)
    found = Found(contacts=parsed.contacts, errors=parsed.errors)
    if names:
        found.name, found.company = split_client(parsed.client)
    elif parsed.client:
        found.leftover = parsed.client
    return found


def too_long(tr: Tr, *values: str | None) -> str | None:
    """The refusal for a client name or company over the column's length, if any."""
    for value in values:
        if value and len(value) > MAX_CLIENT:
            return tr("create.client_too_long", length=len(value), limit=MAX_CLIENT)
    return None


def problems(found: Found, tr: Tr) -> list[str]:
    notices = []
    if found.errors:
        notices.append(contact_errors(found.errors, tr))
    if found.leftover:
        notices.append(not_contacts(found.leftover, tr))
    return notices


def take(ctx: Ctx, found: Found, *, replace_client: bool) -> str | None:
    """Put what was found into the draft; the notice to show (errors, limits), if any."""
    draft, notices = ctx.draft, problems(found, ctx.tr)
    if found.name or found.company:
        if replace_client:
            draft.client_name, draft.company = found.name, found.company
        elif not (draft.client_name or draft.company):
            draft.client_name = found.name
    draft.contacts, added = merge_contacts(draft.contacts, found.contacts)
    if len(found.contacts) > added and len(draft.contacts) >= MAX_CONTACTS:
        notices.append("⚠️ " + ctx.tr("create.contacts_limit", limit=MAX_CONTACTS))
    elif found.contacts and not added and not notices:
        notices.append(ctx.tr("create.contacts_same"))
    ctx.keep(draft)
    return "\n".join(notices) or None


def parse_when(text: str, today: dt.date) -> tuple[dt.date, dt.time | None] | None:
    """ "28.11", "завтра", "28.11 15:00", "завтра в 15:00", "tomorrow at 9"."""
    text = " ".join(text.split())
    day = parse_date(text, today)
    if day is not None:
        return day, None
    head, _, tail = text.rpartition(" ")
    for word in (" в", " во", " at"):
        head = head.removesuffix(word)
    if not head:
        return None
    day, at = parse_date(head, today), parse_time(tail)
    return (day, at) if day is not None and at is not None else None
