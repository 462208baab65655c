"""The fields an import fills and the column headers that name them (Russian and English).

A header matches when, folded (case, spaces, punctuation and ё ignored), it equals one of the
field's synonyms. The export's own column names are synonyms too, so an exported list can be
imported back."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence


class ImportField(enum.IntEnum):
    """Ints: a field rides in callback data as one small number (0 is "ignore")."""

    client = 1
    company = 2
    person = 3
    email = 4
    phone = 5
    url = 6
    pipeline = 7
    stage = 8
    source = 9
    owner = 10
    amount = 11
    currency = 12
    next_date = 13
    note = 14


# Fields that may come from several columns ("Телефон", "Телефон 2"): each adds values.
MULTI_FIELDS = frozenset(
    {ImportField.email, ImportField.phone, ImportField.url, ImportField.note, ImportField.person}
)

_SYNONYMS: dict[ImportField, tuple[str, ...]] = {
    ImportField.client: (
        "клиент", "имя клиента", "фио", "фио клиента", "имя", "заказчик", "контрагент",
        "client", "client name", "customer", "name", "full name",
    ),
    ImportField.company: (
        "компания", "организация", "название компании", "фирма", "юрлицо",
        "company", "organization", "organisation", "company name", "account",
    ),
    ImportField.person: (
        "контактное лицо", "контактные лица", "контакт", "контакты лица",
        "contact person", "contact persons", "contact name", "contact",
    ),
    ImportField.email: (
        "email", "e-mail", "e mail", "почта", "эл почта", "электронная почта", "емейл",
        "имейл", "mail", "e-mails", "emails",
    ),
    ImportField.phone: (
        "телефон", "телефоны", "тел", "моб", "мобильный", "мобильный телефон", "номер телефона",
        "phone", "phones", "telephone", "mobile", "phone number", "tel",
    ),
    ImportField.url: ("сайт", "ссылка", "url", "website", "web site", "site", "link", "веб сайт"),
    ImportField.pipeline: ("воронка", "pipeline", "funnel", "направление"),
    ImportField.stage: ("этап", "статус", "стадия", "stage", "status"),
    ImportField.source: ("источник", "канал", "source", "lead source", "channel"),
    ImportField.owner: (
        "ответственный", "менеджер", "владелец", "owner", "manager", "responsible",
        "assigned to",
    ),
    ImportField.amount: ("сумма", "бюджет", "сумма сделки", "amount", "budget", "value", "sum"),
    ImportField.currency: ("валюта", "currency"),
    ImportField.next_date: (
        "следующий шаг", "дата следующего шага", "след шаг", "дата след шага",
        "следующее действие", "дата", "next step", "next step date", "next action",
        "next action date", "next date", "follow up", "follow-up",
    ),
    ImportField.note: (
        "заметка", "примечание", "комментарий", "описание", "заметки",
        "note", "notes", "comment", "comments", "description",
    ),
}

_FOLD_RE = re.compile(r"[\W_]+")
_TRAILING_NUMBER_RE = re.compile(r"\s*\d+$")


def fold_header(header: str) -> str:
    """Lower case, ё as е, punctuation and runs of spaces as one space."""
    text = header.lower().replace("ё", "е")
    return " ".join(_FOLD_RE.sub(" ", text).split())


_INDEX: dict[str, ImportField] = {
    fold_header(name): field for field, names in _SYNONYMS.items() for name in names
}


def register_headers(field: ImportField, *names: str) -> None:
    """More names for a field: the export's column titles in every language."""
    for name in names:
        _INDEX.setdefault(fold_header(name), field)


def field_of(header: str) -> ImportField | None:
    folded = fold_header(header)
    if not folded:
        return None
    found = _INDEX.get(folded)
    if found is None:
        # "Телефон 2", "E-mail 3": a numbered extra column of a field that takes several.
        base = _TRAILING_NUMBER_RE.sub("", folded)
        candidate = _INDEX.get(base)
        if candidate in MULTI_FIELDS:
            found = candidate
    return found


def auto_mapping(headers: Sequence[str]) -> list[ImportField | None]:
    """The field of each column; a single-valued field goes to its first column only."""
    taken: set[ImportField] = set()
    mapping: list[ImportField | None] = []
    for header in headers:
        field = field_of(header)
        if field is not None and field not in MULTI_FIELDS:
            if field in taken:
                field = None
            else:
                taken.add(field)
        mapping.append(field)
    return mapping
