"""Tests for models.contacts: normalisers, kind detection and the one-message /new form."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest

from models.contacts import (
    MAX_CONTACT_LENGTH,
    ContactError,
    ContactKind,
    ParsedContact,
    QuickDeal,
    contact_link,
    looks_like_phone,
    normalize_email,
    normalize_phone,
    normalize_url,
    parse_contact,
    parse_quick_deal,
    phone_search_key,
)

RU_MOBILE = "+79991234567"


def _normalized(deal: QuickDeal) -> list[tuple[ContactKind, str]]:
    return [(c.kind, c.normalized) for c in deal.contacts]


def _reasons(deal: QuickDeal) -> list[tuple[str, str]]:
    return [(e.reason, e.raw) for e in deal.errors]


# ----------------------------------------------------------------------------- ContactKind


def test_contact_kind_is_a_str_enum() -> None:
    assert ContactKind.email == "email"
    assert ContactKind("phone") is ContactKind.phone
    assert isinstance(ContactKind.url, str)
    assert [k.value for k in ContactKind] == ["email", "phone", "url", "link"]
    assert len(max(ContactKind, key=len)) <= 8  # the column is String(8)


def test_parsed_contact_is_frozen() -> None:
    contact = ParsedContact(ContactKind.email, "a@b.ru", "a@b.ru")
    with pytest.raises(AttributeError):
        contact.value = "x"  # type: ignore[misc]  # the point: it is frozen


def test_contact_error_carries_reason_and_raw() -> None:
    err = ContactError("bad_email", "ivan@")
    assert isinstance(err, ValueError)
    assert (err.reason, err.raw) == ("bad_email", "ivan@")
    assert "bad_email" in str(err)
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.reason, copy.raw) == ("bad_email", "ivan@")


# ----------------------------------------------------------------------------- e-mail


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ivan@firm.ru", "ivan@firm.ru"),
        ("  Ivan.Petrov@Firm.RU \n", "ivan.petrov@firm.ru"),
        ("a.b+tag@sub.firm.co.uk", "a.b+tag@sub.firm.co.uk"),
        ("почта@пример.рф", "почта@пример.рф"),
        ("Почта@Пример.РФ", "почта@пример.рф"),
        ("ivan@xn--e1afmkfd.xn--p1ai", "ivan@xn--e1afmkfd.xn--p1ai"),
        ("mailto:ivan@firm.ru", "ivan@firm.ru"),
    ],
)
def test_normalize_email_accepts(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "ivan",
        "ivan@firm",
        "ivan@@firm.ru",
        "iv an@firm.ru",
        "ivan@fi rm.ru",
        "@firm.ru",
        "ivan@",
        "ivan@.ru",
        "ivan@firm.r",
        "ivan@firm.12",
        "ivan..p@firm.ru",
        ".ivan@firm.ru",
        "ivan.@firm.ru",
        "ivan@-firm.ru",
        "ivan@firm_x.ru",
        "<b>ivan@firm.ru</b>",
        "x" * 65 + "@firm.ru",
    ],
)
def test_normalize_email_rejects(raw: str) -> None:
    with pytest.raises(ContactError) as info:
        normalize_email(raw)
    assert info.value.reason == "bad_email"
    assert info.value.raw == raw.strip()


# ----------------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7 999 123-45-67", RU_MOBILE),
        ("8 (999) 123-45-67", RU_MOBILE),
        ("89991234567", RU_MOBILE),
        ("9991234567", RU_MOBILE),
        ("+7(999)123-45-67", RU_MOBILE),
        ("  +7 999 123 45 67  ", RU_MOBILE),
        ("+1 212 555 0100", "+12125550100"),
        ("+49 30 1234567", "+49301234567"),
    ],
)
def test_normalize_phone_accepts(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_normalize_phone_uses_default_region_for_national_numbers() -> None:
    assert normalize_phone("(212) 555-0100", default_region="US") == "+12125550100"
    assert normalize_phone("030 1234567", default_region="de") == "+49301234567"
    # International form ignores the default region.
    assert normalize_phone("+7 999 123-45-67", default_region="US") == RU_MOBILE


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "ivan",
        "12345",
        "+7 999 12",
        "+7 000 000-00-00",
        "8 (999) 123-45",
        "1-800-FLOWERS",
        "+7 999 123-45-67 доб. 12",
        "+7 999 123-45-67 8",
        "++79991234567",
        "1" * 20,
    ],
)
def test_normalize_phone_rejects(raw: str) -> None:
    with pytest.raises(ContactError) as info:
        normalize_phone(raw)
    assert info.value.reason == "bad_phone"
    assert info.value.raw == raw


# ----------------------------------------------------------------------------- URL


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("firm.ru", "https://firm.ru"),
        ("https://firm.ru/path", "https://firm.ru/path"),
        ("www.firm.ru", "https://www.firm.ru"),
        ("t.me/ivan", "https://t.me/ivan"),
        ("vk.com/ivan", "https://vk.com/ivan"),
        ("HTTPS://Firm.RU/Path?Q=1#Top", "https://firm.ru/Path?Q=1#Top"),
        ("http://firm.ru", "http://firm.ru"),
        ("https://firm.ru/", "https://firm.ru"),
        ("firm.ru:8080/crm", "https://firm.ru:8080/crm"),
        ("пример.рф", "https://пример.рф"),
        ("Пример.РФ/Каталог", "https://пример.рф/Каталог"),
    ],
)
def test_normalize_url_accepts(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_normalize_url_is_idempotent() -> None:
    for raw in ("firm.ru", "https://firm.ru/path", "t.me/ivan", "пример.рф"):
        once = normalize_url(raw)
        assert normalize_url(once) == once


@pytest.mark.parametrize(
    "raw",
    [
        "firm",
        "localhost",
        "1.2.3.4",
        "firm.r",
        "firm .ru",
        "https://",
        "https:///path",
        "javascript:alert(1)",
        "ftp://firm.ru",
        "https://bank.ru@evil.com",
        "firm.ru:99999",
        "firm.ru:http",
        "-firm.ru",
        "<b>firm.ru</b>",
    ],
)
def test_normalize_url_rejects(raw: str) -> None:
    with pytest.raises(ContactError) as info:
        normalize_url(raw)
    assert info.value.reason == "bad_url"


# ----------------------------------------------------------------------------- limits


@pytest.mark.parametrize("func", [normalize_email, normalize_phone, normalize_url, parse_contact])
@pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
def test_empty_input(func: Callable[[str], object], raw: str) -> None:
    with pytest.raises(ContactError) as info:
        func(raw)
    assert info.value.reason == "empty"


def test_too_long_values() -> None:
    long_email = "a" * 60 + "@" + "b" * 200 + ".ru"
    long_url = "firm.ru/" + "p" * 250
    long_phone = "+7 " + "9" * 260
    assert len(long_email) > MAX_CONTACT_LENGTH
    for func, raw in (
        (normalize_email, long_email),
        (normalize_url, long_url),
        (normalize_phone, long_phone),
        (parse_contact, long_email),
    ):
        with pytest.raises(ContactError) as info:
            func(raw)
        assert info.value.reason == "too_long"


def test_max_length_email_is_accepted() -> None:
    # Host labels are limited to 63 characters, so build the domain from several.
    email = "a" * 60 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 62 + ".ru"
    assert len(email) == MAX_CONTACT_LENGTH
    assert normalize_email(email) == email


def test_url_that_overflows_after_adding_scheme_is_too_long() -> None:
    raw = "firm.ru/" + "p" * (MAX_CONTACT_LENGTH - 8)
    assert len(raw) == MAX_CONTACT_LENGTH
    with pytest.raises(ContactError) as info:
        normalize_url(raw)
    assert info.value.reason == "too_long"


# ----------------------------------------------------------------------------- parse_contact


@pytest.mark.parametrize(
    ("raw", "kind", "value", "normalized"),
    [
        ("Ivan@Firm.ru", ContactKind.email, "Ivan@Firm.ru", "ivan@firm.ru"),
        ("почта@пример.рф", ContactKind.email, "почта@пример.рф", "почта@пример.рф"),
        ("+7 999 123-45-67", ContactKind.phone, "+7 999 123-45-67", RU_MOBILE),
        ("8 (999) 123-45-67", ContactKind.phone, "+7 999 123-45-67", RU_MOBILE),
        ("89991234567", ContactKind.phone, "+7 999 123-45-67", RU_MOBILE),
        ("9991234567", ContactKind.phone, "+7 999 123-45-67", RU_MOBILE),
        ("+1 212 555 0100", ContactKind.phone, "+1 212-555-0100", "+12125550100"),
        ("+49 30 1234567", ContactKind.phone, "+49 30 1234567", "+49301234567"),
        ("firm.ru", ContactKind.url, "firm.ru", "https://firm.ru"),
        ("https://firm.ru/path", ContactKind.url, "https://firm.ru/path", "https://firm.ru/path"),
        ("www.firm.ru", ContactKind.url, "www.firm.ru", "https://www.firm.ru"),
        ("t.me/ivan", ContactKind.url, "t.me/ivan", "https://t.me/ivan"),
        ("vk.com/ivan", ContactKind.url, "vk.com/ivan", "https://vk.com/ivan"),
        ("  firm.ru  ", ContactKind.url, "firm.ru", "https://firm.ru"),
    ],
)
def test_parse_contact_detects_kind(
    raw: str, kind: ContactKind, value: str, normalized: str
) -> None:
    assert parse_contact(raw) == ParsedContact(kind, value, normalized)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("ivan@firm", "bad_email"),
        ("@ivan", "bad_email"),
        ("+7 999 12", "bad_phone"),
        ("12345", "bad_phone"),
        ("8-999-123-45-6x", "bad_phone"),
        ("Иван Петров", "bad_url"),
        ("hello", "bad_url"),
        ("javascript:alert(1)", "bad_url"),
        # Words with a dot are not domains: city/street abbreviations and initials.
        ("г.Москва", "bad_url"),
        ("ул.Ленина", "bad_url"),
        ("А.Я.", "bad_url"),
        ("J.Smith", "bad_url"),
    ],
)
def test_parse_contact_rejects(raw: str, reason: str) -> None:
    with pytest.raises(ContactError) as info:
        parse_contact(raw)
    assert info.value.reason == reason
    assert info.value.raw == raw


def test_parse_contact_default_region() -> None:
    contact = parse_contact("(212) 555-0100", default_region="US")
    assert contact.kind is ContactKind.phone
    assert contact.normalized == "+12125550100"


# ----------------------------------------------------------------------------- search helpers


@pytest.mark.parametrize(
    ("raw", "looks", "key"),
    [
        ("+7 999 123-45-67", True, RU_MOBILE),
        ("8 (999) 123-45-67", True, RU_MOBILE),
        ("89991234567", True, RU_MOBILE),
        ("9991234567", True, RU_MOBILE),
        ("+1 212 555 0100", True, "+12125550100"),
        ("999 123", True, None),  # phone-shaped but partial: no E.164 key
        ("12345", True, None),
        ("1234", False, None),
        ("Иван", False, None),
        ("ivan@firm.ru", False, None),
        ("Ромашка 89991234567", False, None),
        ("", False, None),
    ],
)
def test_phone_search_helpers(raw: str, looks: bool, key: str | None) -> None:
    assert looks_like_phone(raw) is looks
    assert phone_search_key(raw) == key


# ----------------------------------------------------------------------------- contact_link


def test_contact_link() -> None:
    assert contact_link(ContactKind.phone, RU_MOBILE) == "tel:+79991234567"
    assert contact_link(ContactKind.email, "ivan@firm.ru") == "mailto:ivan@firm.ru"
    assert contact_link(ContactKind.url, "https://firm.ru/path") == "https://firm.ru/path"
    assert contact_link(ContactKind.url, "http://firm.ru") == "http://firm.ru"
    assert contact_link("phone", RU_MOBILE) == "tel:+79991234567"


def test_contact_link_never_yields_a_foreign_scheme() -> None:
    assert contact_link(ContactKind.url, "firm.ru") == "https://firm.ru"
    assert contact_link(ContactKind.url, "javascript:alert(1)").startswith("https://")


def test_contact_link_round_trip_with_parse_contact() -> None:
    for raw, link in (
        ("+7 999 123-45-67", "tel:+79991234567"),
        ("Ivan@Firm.ru", "mailto:ivan@firm.ru"),
        ("t.me/ivan", "https://t.me/ivan"),
    ):
        contact = parse_contact(raw)
        assert contact_link(contact.kind, contact.normalized) == link


# ----------------------------------------------------------------------------- /new form


def test_quick_deal_basic_form() -> None:
    deal = parse_quick_deal("Иван Петров, ivan@firm.ru, +7 999 123-45-67")
    assert deal == QuickDeal(
        client="Иван Петров",
        contacts=[
            ParsedContact(ContactKind.email, "ivan@firm.ru", "ivan@firm.ru"),
            ParsedContact(ContactKind.phone, "+7 999 123-45-67", RU_MOBILE),
        ],
        errors=[],
    )


def test_quick_deal_mixed_order_and_separators() -> None:
    deal = parse_quick_deal("+7 999 123-45-67; ivan@firm.ru\nИван Петров, ООО Ромашка; firm.ru")
    assert deal.client == "Иван Петров, ООО Ромашка"
    assert _normalized(deal) == [
        (ContactKind.phone, RU_MOBILE),
        (ContactKind.email, "ivan@firm.ru"),
        (ContactKind.url, "https://firm.ru"),
    ]
    assert deal.errors == []


def test_quick_deal_all_phone_spellings() -> None:
    for phone in ("+7 999 123-45-67", "8 (999) 123-45-67", "89991234567", "9991234567"):
        deal = parse_quick_deal(f"Иван, {phone}")
        assert deal.client == "Иван"
        assert _normalized(deal) == [(ContactKind.phone, RU_MOBILE)]
        assert deal.errors == []


def test_quick_deal_foreign_phones_and_urls() -> None:
    deal = parse_quick_deal(
        "John Smith, +1 212 555 0100, +49 30 1234567, t.me/ivan, vk.com/ivan, www.firm.ru, "
        "https://firm.ru/path"
    )
    assert deal.client == "John Smith"
    assert _normalized(deal) == [
        (ContactKind.phone, "+12125550100"),
        (ContactKind.phone, "+49301234567"),
        (ContactKind.url, "https://t.me/ivan"),
        (ContactKind.url, "https://vk.com/ivan"),
        (ContactKind.url, "https://www.firm.ru"),
        (ContactKind.url, "https://firm.ru/path"),
    ]


def test_quick_deal_several_emails() -> None:
    deal = parse_quick_deal("Мария, maria@firm.ru, sales@firm.ru, почта@пример.рф")
    assert deal.client == "Мария"
    assert [c.normalized for c in deal.contacts] == [
        "maria@firm.ru",
        "sales@firm.ru",
        "почта@пример.рф",
    ]


def test_quick_deal_drops_duplicates_by_normalized_value() -> None:
    deal = parse_quick_deal(
        "Иван, ivan@firm.ru, IVAN@Firm.ru, +7 999 123-45-67, 89991234567, "
        "firm.ru, https://FIRM.ru/, ivan@firm.ru"
    )
    assert _normalized(deal) == [
        (ContactKind.email, "ivan@firm.ru"),
        (ContactKind.phone, RU_MOBILE),
        (ContactKind.url, "https://firm.ru"),
    ]
    # The first spelling wins.
    assert deal.contacts[0].value == "ivan@firm.ru"


def test_quick_deal_bad_email_reported_rest_kept() -> None:
    deal = parse_quick_deal("Иван Петров, ivan@firm, +7 999 123-45-67, ООО Ромашка")
    assert deal.client == "Иван Петров, ООО Ромашка"
    assert _normalized(deal) == [(ContactKind.phone, RU_MOBILE)]
    assert _reasons(deal) == [("bad_email", "ivan@firm")]


def test_quick_deal_bad_phone_reported_not_in_client() -> None:
    deal = parse_quick_deal("Иван, +7 999 12, 12345, ivan@firm.ru")
    assert deal.client == "Иван"
    assert _normalized(deal) == [(ContactKind.email, "ivan@firm.ru")]
    assert _reasons(deal) == [("bad_phone", "+7 999 12"), ("bad_phone", "12345")]


def test_quick_deal_html_like_client_kept_verbatim() -> None:
    deal = parse_quick_deal("<b>Иван</b> & Co, ivan@firm.ru")
    assert deal.client == "<b>Иван</b> & Co"
    assert _normalized(deal) == [(ContactKind.email, "ivan@firm.ru")]
    assert deal.errors == []


def test_quick_deal_cyrillic_client_with_dots_is_not_a_url() -> None:
    deal = parse_quick_deal("Петров А.Я., ООО «Ромашка», г.Москва, ИНН 7701234567")
    assert deal.client == "Петров А.Я., ООО «Ромашка», г.Москва, ИНН 7701234567"
    assert deal.contacts == []
    assert deal.errors == []


def test_quick_deal_client_whitespace_kept() -> None:
    deal = parse_quick_deal("  Иван  Петров  ")
    assert deal.client == "Иван  Петров"


def test_quick_deal_contacts_separated_by_spaces() -> None:
    deal = parse_quick_deal("ivan@firm.ru +7 999 123 45 67")
    assert deal.client == ""
    assert _normalized(deal) == [
        (ContactKind.email, "ivan@firm.ru"),
        (ContactKind.phone, RU_MOBILE),
    ]
    assert deal.contacts[1].value == "+7 999 123-45-67"


def test_quick_deal_name_and_contacts_in_one_part() -> None:
    deal = parse_quick_deal("Иван Петров ivan@firm.ru firm.ru +79991234567")
    assert deal.client == "Иван Петров"
    assert _normalized(deal) == [
        (ContactKind.email, "ivan@firm.ru"),
        (ContactKind.url, "https://firm.ru"),
        (ContactKind.phone, RU_MOBILE),
    ]


def test_quick_deal_phone_inside_text() -> None:
    assert _normalized(parse_quick_deal("Иван 89991234567")) == [(ContactKind.phone, RU_MOBILE)]
    deal = parse_quick_deal("Иван (+7 999 123-45-67)")
    assert (deal.client, _normalized(deal)) == ("Иван", [(ContactKind.phone, RU_MOBILE)])
    deal = parse_quick_deal("Иван - +7 999 123-45-67 +7 999 765-43-21")
    assert deal.client == "Иван"
    assert [c.normalized for c in deal.contacts] == [RU_MOBILE, "+79997654321"]


def test_quick_deal_bad_tokens_inside_text() -> None:
    deal = parse_quick_deal("Иван ivan@firm +7 999 12 (ivan@firm.ru)")
    assert deal.client == "Иван"
    assert _normalized(deal) == [(ContactKind.email, "ivan@firm.ru")]
    assert _reasons(deal) == [("bad_email", "ivan@firm"), ("bad_phone", "+7 999 12")]


def test_quick_deal_trailing_punctuation_on_tokens() -> None:
    deal = parse_quick_deal("Иван, пишите на ivan@firm.ru. Сайт firm.ru!")
    assert deal.client == "Иван, пишите на Сайт"
    assert _normalized(deal) == [
        (ContactKind.email, "ivan@firm.ru"),
        (ContactKind.url, "https://firm.ru"),
    ]


def test_quick_deal_only_contacts_or_nothing() -> None:
    deal = parse_quick_deal("ivan@firm.ru")
    assert deal.client == ""
    assert len(deal.contacts) == 1
    assert parse_quick_deal("") == QuickDeal(client="", contacts=[], errors=[])
    assert parse_quick_deal(" ,; \n ,") == QuickDeal(client="", contacts=[], errors=[])


def test_quick_deal_only_client() -> None:
    deal = parse_quick_deal("ООО Ромашка")
    assert deal == QuickDeal(client="ООО Ромашка", contacts=[], errors=[])


def test_quick_deal_default_region() -> None:
    deal = parse_quick_deal("John, (212) 555-0100", default_region="US")
    assert deal.client == "John"
    assert _normalized(deal) == [(ContactKind.phone, "+12125550100")]
