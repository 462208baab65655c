"""The fields a website form posts, validated: what the intake endpoint accepts.

Pure (no database): the web route calls ``parse_fields`` on the decoded body and answers 400
with the ``IntakeInputError`` reason. Names of fields follow the usual HTML forms; a few
aliases (``email``/``e-mail``, ``page``/``page_url``/``url``) are accepted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .contacts import ContactError, ContactKind, ParsedContact, normalize_email, parse_contact

MAX_NAME = 200
MAX_MESSAGE = 3000  # leaves room for the page and UTM lines in a 4096-character note
MAX_PAGE_URL = 2000
MAX_UTM = 200
MAX_CONTACT = 254
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")

ALIASES: dict[str, str] = {
    "name": "name",
    "email": "email",
    "e-mail": "email",
    "e_mail": "email",
    "mail": "email",
    "phone": "phone",
    "tel": "phone",
    "telephone": "phone",
    "message": "message",
    "comment": "message",
    "text": "message",
    "page": "page_url",
    "page_url": "page_url",
    "pageurl": "page_url",
    "url": "page_url",
    **{name: name for name in UTM_FIELDS},
}
LIMITS: dict[str, int] = {
    "name": MAX_NAME,
    "email": MAX_CONTACT,
    "phone": MAX_CONTACT,
    "message": MAX_MESSAGE,
    "page_url": MAX_PAGE_URL,
    **{name: MAX_UTM for name in UTM_FIELDS},
}


class IntakeInputError(ValueError):
    """``reason``: a stable code for the JSON error; ``field``: which field, if one."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason, field)
        self.reason = reason
        self.field = field


@dataclass(frozen=True)
class IntakeFields:
    name: str | None = None
    contacts: list[ParsedContact] = field(default_factory=list)
    message: str | None = None
    page_url: str | None = None
    utm: dict[str, str] = field(default_factory=dict)

    def utm_query(self) -> str | None:
        """The UTM tags as one line, as they came in the page's query string."""
        if not self.utm:
            return None
        return "&".join(f"{key}={self.utm[key]}" for key in UTM_FIELDS if key in self.utm)


def _clean(value: str) -> str | None:
    # Control characters (NUL included: PostgreSQL refuses it in text) become spaces,
    # except the line breaks of a message.
    text = "".join(ch if ch in "\n\t" or ch.isprintable() else " " for ch in value).strip()
    return text or None


def parse_fields(raw: Mapping[str, object], default_region: str = "RU") -> IntakeFields:
    """Known fields only (others are ignored), each a string within its limit; at least a
    phone or an e-mail, each a valid one."""
    values: dict[str, str] = {}
    for key, value in raw.items():
        name = ALIASES.get(str(key).strip().lower())
        if name is None or value is None:
            continue
        if not isinstance(value, str):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise IntakeInputError("not_a_string", name)
            value = str(value)  # a phone posted as a JSON number
        if len(value) > LIMITS[name]:
            raise IntakeInputError("too_long", name)
        text = _clean(value)
        if text is not None and name not in values:
            values[name] = text
    contacts: list[ParsedContact] = []
    if "email" in values:
        try:
            normalized = normalize_email(values["email"])
        except ContactError:
            raise IntakeInputError("bad_email", "email") from None
        contacts.append(ParsedContact(ContactKind.email, values["email"], normalized))
    if "phone" in values:
        try:
            phone = parse_contact(values["phone"], default_region)
        except ContactError:
            raise IntakeInputError("bad_phone", "phone") from None
        if phone.kind is not ContactKind.phone:
            raise IntakeInputError("bad_phone", "phone")
        contacts.append(phone)
    if not contacts:
        raise IntakeInputError("needs_contact", "phone")
    page = values.get("page_url")
    if page is not None and not page.lower().startswith(("http://", "https://")):
        page = None  # only a web page is kept as a link (it is put into an <a href>)
    return IntakeFields(
        name=values.get("name"),
        contacts=contacts,
        message=values.get("message"),
        page_url=page,
        utm={key: values[key] for key in UTM_FIELDS if key in values},
    )
