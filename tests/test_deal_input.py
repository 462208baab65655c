"""Creation input helpers (models.deal_input): client split, contacts, the JSON draft."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from models.contacts import ContactError, ContactKind, parse_contact
from models.deal_input import (
    MAX_CONTACTS,
    contacts_in_text,
    draft_from_data,
    draft_to_data,
    merge_contacts,
    shared_phone,
    split_client,
)
from models.services.deals import DealDraft


@pytest.mark.parametrize(
    ("text", "name", "company"),
    [
        ("Иван Петров", "Иван Петров", None),
        ("ООО Ромашка", None, "ООО Ромашка"),
        ("«Ромашка»", None, "«Ромашка»"),
        ("Acme LLC", None, "Acme LLC"),
        ("Иван Петров, ООО Ромашка", "Иван Петров", "ООО Ромашка"),
        ("ООО Ромашка, Иван Петров", "Иван Петров", "ООО Ромашка"),
        ("Иван, Ромашка, Москва", "Иван", "Ромашка, Москва"),
        ("Ивано-Франковск", "Ивано-Франковск", None),  # "ао" inside a word is no legal form
        ("", None, None),
        (" , ", None, None),
    ],
)
def test_split_client(text: str, name: str | None, company: str | None) -> None:
    assert split_client(text) == (name, company)


def test_merge_contacts_skips_repeats_and_stops_at_the_limit() -> None:
    email = parse_contact("Ivan@Firm.ru")
    merged, added = merge_contacts(
        [email], [parse_contact("ivan@firm.ru"), parse_contact("firm.ru")]
    )
    assert [c.normalized for c in merged] == ["ivan@firm.ru", "https://firm.ru"] and added == 1
    many = [parse_contact(f"a{i}@firm.ru") for i in range(MAX_CONTACTS + 3)]
    merged, added = merge_contacts([], many)
    assert len(merged) == MAX_CONTACTS == added


def test_shared_phone_without_plus() -> None:
    contact = shared_phone("79991234567")
    assert contact.kind is ContactKind.phone and contact.normalized == "+79991234567"
    assert shared_phone("+7 999 123-45-67").normalized == "+79991234567"
    with pytest.raises(ContactError):
        shared_phone("12")


def test_contacts_in_free_text() -> None:
    found = contacts_in_text("Добрый день! Мой телефон 8 999 123-45-67, почта olga@firm.ru.")
    assert {c.normalized for c in found} == {"+79991234567", "olga@firm.ru"}


def test_draft_round_trip_through_json() -> None:
    draft = DealDraft(
        client_name="<b>Иван</b>",
        company="ООО Ромашка",
        contacts=[parse_contact("ivan@firm.ru"), parse_contact("+7 999 123-45-67")],
        pipeline_id=3,
        source_id=5,
        amount=Decimal("150000.50"),
        currency="USD",
        next_action_on=dt.date(2026, 11, 28),
        next_action_time=dt.time(15, 30),
        title="Сделка",
        owner_id=7,
    )
    data = json.loads(json.dumps(draft_to_data(draft)))
    assert draft_from_data(data) == draft
    assert draft_from_data({}) == DealDraft()
