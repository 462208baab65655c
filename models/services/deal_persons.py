"""The people on the client's side of a deal, and the deal's labelled links.

A person has a name, a position and their own e-mails and phones (each its own Contact row,
``person_id`` set). A link is a Contact of kind ``link`` with a label ("Источник", "Задача":
the handbook's URL field), kept apart from the client's website (kind ``url``).

Every change records a DealEvent (field ``person`` / ``link``) and bumps the deal's version,
like the other edits (services/deal_editing.py). Methods take a deal loaded with
``crm.editing.load`` (rights checked for editing)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..contacts import ContactError, ContactKind, normalize_url, parse_contact
from ..deals import Contact, Deal, DealPerson, EventKind
from ..errors import InvalidInput, NotFound
from ..users import User
from .deal_editing import MAX_CONTACTS, AddedContact
from .deals import clean_text

if TYPE_CHECKING:
    from ..crm import Crm

# DealEvent.field values of the changes made here.
PERSON = "person"
LINK = "link"

MAX_PERSON_NAME = 120
MAX_POSITION = 120
MAX_LABEL = 64
MAX_PERSONS = 10
MAX_LINKS = 10
DEFAULT_LINK_LABEL = {"ru": "Ссылка", "en": "Link"}
# "Задача: https://jira...", "Источник https://avito.ru/...", "https://... Задача".
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_LABEL_JUNK = " \t:—–-|·,;"


def parse_link(raw: str | None, default_label: str) -> tuple[str, str, str]:
    """``"Задача: https://jira.firm.ru/T-1"`` -> (label, value, normalized URL). Refuses text
    without an http(s) address, a bad address and a label over MAX_LABEL characters."""
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("persons.link_empty")
    match = _URL_RE.search(text)
    if match is None:  # a bare domain: "Источник avito.ru/item/1"
        match = next(
            (m for m in reversed(list(re.finditer(r"\S+", text))) if _is_url(m.group())), None
        )
    if match is None:
        raise InvalidInput("persons.link_no_url")
    value = match.group().rstrip(".,;)")
    label = (text[: match.start()] + " " + text[match.end() :]).strip(_LABEL_JUNK).strip()
    label = " ".join(label.split()) or default_label
    if len(label) > MAX_LABEL:
        raise InvalidInput("input.too_long", field="label", length=len(label), limit=MAX_LABEL)
    try:
        normalized = normalize_url(value)
    except ContactError as exc:
        raise InvalidInput(f"edit.contact_{exc.reason}", value=exc.raw[:100]) from None
    return label, value, normalized


def _is_url(token: str) -> bool:
    if "." not in token:
        return False
    try:
        normalize_url(token.rstrip(".,;)"))
    except ContactError:
        return False
    return True


class DealPersons:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session
        self.deals = crm.deals

    # -- reading -----------------------------------------------------------------------------
    @staticmethod
    def person(deal: Deal, person_id: int) -> DealPerson:
        person = next((p for p in deal.persons if p.id == person_id), None)
        if person is None:
            raise NotFound("persons.gone")
        return person

    @staticmethod
    def contacts_of(deal: Deal, person_id: int | None) -> list[Contact]:
        """A person's e-mails and phones; ``None``: the deal's own contacts (links aside)."""
        own = [c for c in deal.contacts if c.person_id == person_id]
        return own if person_id is not None else [c for c in own if c.kind is not ContactKind.link]

    @staticmethod
    def links(deal: Deal) -> list[Contact]:
        return [c for c in deal.contacts if c.kind is ContactKind.link]

    # -- persons -----------------------------------------------------------------------------
    async def add_person(
        self, actor: User, deal: Deal, name: str | None, position: str | None = None
    ) -> DealPerson:
        name = self._name(name)
        position = clean_text(position, MAX_POSITION, key="position")
        if len(deal.persons) >= MAX_PERSONS:
            raise InvalidInput("persons.full", limit=MAX_PERSONS)
        person = DealPerson(name=name, position=position)
        deal.persons.append(person)
        self._changed(actor, deal, None, name)
        await self.session.flush()  # its id, for the buttons that follow
        return person

    async def rename(self, actor: User, deal: Deal, person_id: int, name: str | None) -> bool:
        person = self.person(deal, person_id)
        name = self._name(name)
        if name == person.name:
            return False
        old, person.name = person.name, name
        self._changed(actor, deal, old, name)
        await self.session.flush()
        return True

    async def set_position(
        self, actor: User, deal: Deal, person_id: int, position: str | None
    ) -> bool:
        """A new position; empty text clears it."""
        person = self.person(deal, person_id)
        position = clean_text(position, MAX_POSITION, key="position")
        if position == person.position:
            return False
        old, person.position = person.position, position
        who = person.name
        self._changed(actor, deal, f"{who}: {old or '—'}", f"{who}: {position or '—'}")
        await self.session.flush()
        return True

    async def remove_person(self, actor: User, deal: Deal, person_id: int) -> DealPerson:
        """The person and their own contacts go; the deal keeps its other people."""
        person = self.person(deal, person_id)
        own = self.contacts_of(deal, person.id)
        left = len(deal.contacts) - len(own) + len(deal.persons) - 1
        if deal.client_name is None and deal.company is None and left == 0:
            raise InvalidInput("deal.needs_client")  # the deal must say whom it is with
        for contact in own:
            deal.contacts.remove(contact)
        deal.persons.remove(person)
        self._changed(actor, deal, person.name, None)
        await self.session.flush()
        return person

    async def add_contact(
        self, actor: User, deal: Deal, person_id: int, raw: str | None
    ) -> AddedContact:
        """An e-mail or a phone of the person (a website belongs to the deal, not a person)."""
        person = self.person(deal, person_id)
        try:
            parsed = parse_contact(raw or "")
        except ContactError as exc:
            raise InvalidInput(f"edit.contact_{exc.reason}", value=exc.raw[:100]) from None
        if parsed.kind not in (ContactKind.email, ContactKind.phone):
            raise InvalidInput("persons.contact_not_person", value=parsed.value)
        mine = self.contacts_of(deal, person.id)
        if any(c.kind is parsed.kind and c.normalized == parsed.normalized for c in mine):
            raise InvalidInput("edit.contact_exists", value=parsed.value)
        if len(deal.contacts) >= MAX_CONTACTS:
            raise InvalidInput("edit.contacts_full", limit=MAX_CONTACTS)
        duplicates = await self.deals.find_duplicates([parsed], exclude_deal_id=deal.id)
        contact = Contact(
            kind=parsed.kind, value=parsed.value, normalized=parsed.normalized, person_id=person.id
        )
        deal.contacts.append(contact)
        self._changed(actor, deal, None, f"{person.name}: {parsed.value}")
        await self.session.flush()
        return AddedContact(contact, duplicates)

    async def remove_contact(
        self, actor: User, deal: Deal, person_id: int, contact_id: int
    ) -> Contact:
        person = self.person(deal, person_id)
        contact = next((c for c in self.contacts_of(deal, person.id) if c.id == contact_id), None)
        if contact is None:
            raise NotFound("edit.contact_gone")
        deal.contacts.remove(contact)
        self._changed(actor, deal, f"{person.name}: {contact.value}", None)
        await self.session.flush()
        return contact

    # -- links -------------------------------------------------------------------------------
    async def add_link(self, actor: User, deal: Deal, raw: str | None, locale: str) -> Contact:
        label, value, normalized = parse_link(raw, DEFAULT_LINK_LABEL.get(locale, "Link"))
        links = self.links(deal)
        if any(c.normalized == normalized and c.label == label for c in links):
            raise InvalidInput("edit.contact_exists", value=value)
        if len(links) >= MAX_LINKS or len(deal.contacts) >= MAX_CONTACTS:
            raise InvalidInput("persons.links_full", limit=MAX_LINKS)
        contact = Contact(kind=ContactKind.link, value=value, normalized=normalized, label=label)
        deal.contacts.append(contact)
        self._changed(actor, deal, None, f"{label}: {value}", field=LINK)
        await self.session.flush()
        return contact

    async def remove_link(self, actor: User, deal: Deal, contact_id: int) -> Contact:
        contact = next((c for c in self.links(deal) if c.id == contact_id), None)
        if contact is None:
            raise NotFound("edit.contact_gone")
        deal.contacts.remove(contact)
        self._changed(actor, deal, f"{contact.label}: {contact.value}", None, field=LINK)
        await self.session.flush()
        return contact

    # -- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _name(raw: str | None) -> str:
        name = clean_text(raw, MAX_PERSON_NAME, key="name")
        if name is None:
            raise InvalidInput("persons.name_empty")
        return " ".join(name.split())

    def _changed(
        self, actor: User, deal: Deal, old: str | None, new: str | None, *, field: str = PERSON
    ) -> None:
        self.deals.record(deal, actor, EventKind.field, field=field, old=old, new=new)
        self.deals.touch(deal)
        deal.refresh_search_text()  # names, phones and e-mails of people are searched too


