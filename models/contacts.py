"""Contact parsing and normalisation for deals (e-mails, phones, links).

Pure Python on purpose: no aiogram, no database, no project imports, so handlers, the
repository layer and tests can all use it.  Everything that fails raises
:class:`ContactError` carrying a machine-readable ``reason`` that handlers map to a
translated message.

Normal forms (what should be stored and compared):

* e-mail: stripped and lower-cased as a whole (``ivan@firm.ru``);
* phone: E.164 (``+79991234567``);
* URL: lower-cased scheme and host, ``https://`` added when missing, path/query kept.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers

__all__ = [
    "MAX_CONTACT_LENGTH",
    "ContactError",
    "ContactErrorReason",
    "ContactKind",
    "ParsedContact",
    "QuickDeal",
    "contact_link",
    "looks_like_phone",
    "normalize_email",
    "normalize_phone",
    "normalize_url",
    "parse_contact",
    "parse_quick_deal",
    "phone_search_key",
]

#: Longest accepted contact value (the practical e-mail address limit, used for all kinds).
MAX_CONTACT_LENGTH = 254

ContactErrorReason = Literal["bad_email", "bad_phone", "bad_url", "empty", "too_long"]


class ContactKind(enum.StrEnum):
    """Kind of a contact.

    ``StrEnum`` is a ``(str, Enum)`` whose ``str()`` is the bare value, so kinds are stored
    and compared as plain text (same convention as the other enums in ``models``).
    """

    email = "email"
    phone = "phone"
    url = "url"  # the client's website
    # A labelled link kept apart from the website (the handbook's URL field: the page the
    # request came from, the task in a tracker); never produced by parse_contact.
    link = "link"


@dataclass(frozen=True)
class ParsedContact:
    """A validated contact.

    ``value`` is what we show (the user's input, stripped; phones in international
    format), ``normalized`` is what we store, de-duplicate and search by.
    """

    kind: ContactKind
    value: str
    normalized: str


class ContactError(ValueError):
    """A contact that could not be parsed; ``reason`` is a stable key for i18n."""

    def __init__(self, reason: ContactErrorReason, raw: str = "") -> None:
        # Both go to ``args`` so the exception survives pickling/copying unchanged.
        super().__init__(reason, raw)
        self.reason: ContactErrorReason = reason
        self.raw: str = raw

    def __str__(self) -> str:
        return f"{self.reason}: {self.raw!r}"


@dataclass
class QuickDeal:
    """Result of parsing the one-message ``/new`` form."""

    client: str = ""
    contacts: list[ParsedContact] = field(default_factory=list)
    errors: list[ContactError] = field(default_factory=list)


# --------------------------------------------------------------------------- regexes

# One host label: letters/digits of any script (so Cyrillic IDN works), inner hyphens.
_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
# TLD: at least two letters (``ru``, ``com``, ``рф``) or an ASCII IDN form (``xn--p1ai``).
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})"
_HOST = rf"(?:{_LABEL}\.)+{_TLD}"
_HOST_RE = re.compile(_HOST)

# Local part: RFC 5322 "atext" plus any Unicode letters/digits, dots only between atoms.
_ATEXT = r"[\w!#$%&'*+/=?^`{|}~-]+"
_EMAIL_RE = re.compile(rf"(?P<local>{_ATEXT}(?:\.{_ATEXT})*)@(?P<domain>{_HOST})")

# Characters a phone may be typed with; letters (vanity numbers, "ext") are not accepted.
_PHONE_CHARS_RE = re.compile(r"\+?[\d\s().\-]+")
# A phone-looking run inside free text: optional '+' / '(' then digits and punctuation.
_PHONE_RUN_RE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().\-]*\d(?!\w)")
_PHONE_SEPARATORS_RE = re.compile(r"\d[\s().\-]+\d")
_WORD_RE = re.compile(r"[^\W\d_]{2,}")

_SCHEME_RE = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*)://")
_PORT_RE = re.compile(r"\d{1,5}")
# Person initials like "А.Я." or "J.Smith" must not be taken for a domain.
_INITIALS_RE = re.compile(r"^[A-ZА-ЯЁ]\.")

_PART_SPLIT_RE = re.compile(r"[,;\r\n]+")
_TOKEN_RE = re.compile(r"\S+")
_SPACES_RE = re.compile(r"\s+")

# Stripped from tokens found in free text ("(ivan@firm.ru)", "see firm.ru.").
_TOKEN_LEAD = "<([{\"'«"
_TOKEN_TRAIL = ">)]}\"'».,!?:"
# Left over around removed contacts ("Иван - +7 999…"); stripped from the client text.
_LEFTOVER_JUNK = " \t-–—:|/"
_EMPTY_BRACKETS_RE = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")

# Multi-letter TLDs accepted for a bare domain typed without a scheme or "www.".
# Any two-letter Latin TLD (country codes) is accepted as well.  The list keeps ordinary
# words with a dot ("г.Москва", "ул.Ленина", "J.Smith") out of the URL detector; city
# TLDs like ``.москва`` are left out deliberately — type ``https://`` for those.
_BARE_DOMAIN_TLDS: frozenset[str] = frozenset(
    {
        "com", "net", "org", "info", "biz", "pro", "name", "mobi", "edu", "gov", "mil",
        "int", "aero", "coop", "jobs", "museum", "travel", "asia", "cat", "tel",
        "online", "site", "store", "shop", "tech", "app", "dev", "page", "blog", "club",
        "space", "website", "xyz", "top", "live", "life", "world", "group", "company",
        "agency", "studio", "design", "digital", "cloud", "email", "news", "media",
        "network", "systems", "solutions", "services", "center", "expert", "global",
        "link", "host", "fun", "ink", "art", "academy", "school", "education", "market",
        "money", "finance", "law", "legal", "health", "clinic", "dental", "beauty",
        "fitness", "auto", "cars", "realty", "estate", "house", "build", "consulting",
        "partners", "ventures", "capital", "fund", "trade", "business", "marketing",
        "photo", "video", "music", "games", "events", "restaurant", "cafe", "pizza",
        "delivery", "taxi", "tours", "hotel", "team", "work", "today", "one", "plus",
        "рф", "рус", "дети", "сайт", "онлайн", "орг", "ком", "укр", "бел", "срб", "мкд",
        "қаз", "мон",
    }
)  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _checked(raw: str) -> str:
    """Strip and apply the length limits shared by all contact kinds."""
    text = (raw or "").strip()
    if not text:
        raise ContactError("empty", raw or "")
    if len(text) > MAX_CONTACT_LENGTH:
        raise ContactError("too_long", text)
    return text


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _is_phone_attempt(text: str) -> bool:
    """True for text that was most likely meant as a phone number.

    Used to report a failed phone instead of silently turning it into the client name:
    at least 3 digits, digits make up at least half of the non-space characters, and
    no word of two or more letters ("ИНН 7701234567" is a requisite, not a phone).
    """
    compact = _SPACES_RE.sub("", text)
    digits = _digit_count(compact)
    return digits >= 3 and digits * 2 >= len(compact) and not _WORD_RE.search(text)


def _split_authority(rest: str) -> tuple[str, str]:
    """Split ``host[:port]/path?query#frag`` into authority and the verbatim tail."""
    for i, ch in enumerate(rest):
        if ch in "/?#":
            return rest[:i], rest[i:]
    return rest, ""


def _looks_like_url(text: str) -> bool:
    """Conservative detector for a URL typed without context (no validation)."""
    if not text or any(ch.isspace() for ch in text) or "@" in text:
        return False
    if _SCHEME_RE.match(text):
        return True
    authority, tail = _split_authority(text)
    host = authority.rsplit(":", 1)[0] if ":" in authority else authority
    if host.lower().startswith("www."):
        return True
    if not tail.strip("/") and _INITIALS_RE.match(host):
        return False
    lowered = host.lower()
    if not _HOST_RE.fullmatch(lowered):
        return False
    tld = lowered.rsplit(".", 1)[1]
    is_country_code = len(tld) == 2 and tld.isascii()
    return is_country_code or tld in _BARE_DOMAIN_TLDS or tld.startswith("xn--")


# --------------------------------------------------------------------------- normalisers


def normalize_email(raw: str) -> str:
    """Return the e-mail lower-cased as a whole.

    Lower-casing the local part is technically lossy, but every real mail provider treats
    it case-insensitively and it makes de-duplication and search work.
    """
    text = _checked(raw)
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :].strip()
    lowered = text.lower()
    match = _EMAIL_RE.fullmatch(lowered)
    if match is None or len(match.group("local")) > 64:
        raise ContactError("bad_email", text)
    return lowered


def _parse_phone(raw: str, default_region: str) -> phonenumbers.PhoneNumber:
    text = _checked(raw)
    digits = _digit_count(text)
    if not _PHONE_CHARS_RE.fullmatch(text) or not 5 <= digits <= 17:
        raise ContactError("bad_phone", text)
    try:
        number = phonenumbers.parse(text, (default_region or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise ContactError("bad_phone", text) from exc
    if not (phonenumbers.is_possible_number(number) and phonenumbers.is_valid_number(number)):
        raise ContactError("bad_phone", text)
    return number


def normalize_phone(raw: str, default_region: str = "RU") -> str:
    """Return the phone in E.164; national forms are read in ``default_region``.

    For RU this accepts the trunk prefix 8 ("8 (999) 123-45-67") and bare ten-digit
    numbers ("9991234567").
    """
    number = _parse_phone(raw, default_region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_url(raw: str) -> str:
    """Return ``scheme://host[:port]`` lower-cased plus the path/query as typed.

    Only http(s) is allowed (the value ends up in an ``<a href>``), credentials in the
    authority are refused (``https://bank.ru@evil.com`` tricks), and a bare "/" path is
    dropped so ``firm.ru`` and ``https://firm.ru/`` de-duplicate.
    """
    text = _checked(raw)
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise ContactError("bad_url", text)
    match = _SCHEME_RE.match(text)
    if match:
        scheme = match.group("scheme").lower()
        if scheme not in ("http", "https"):
            raise ContactError("bad_url", text)
        rest = text[match.end() :]
    elif "://" in text:
        raise ContactError("bad_url", text)
    else:
        scheme, rest = "https", text
    authority, tail = _split_authority(rest)
    if "@" in authority:
        raise ContactError("bad_url", text)
    host, port = authority, ""
    if ":" in authority:
        host, port = authority.rsplit(":", 1)
        if not _PORT_RE.fullmatch(port) or not 0 < int(port) <= 65535:
            raise ContactError("bad_url", text)
    host = host.lower()
    if len(host) > 253 or not _HOST_RE.fullmatch(host):
        raise ContactError("bad_url", text)
    if tail == "/":
        tail = ""
    normalized = f"{scheme}://{host}{':' + port if port else ''}{tail}"
    if len(normalized) > MAX_CONTACT_LENGTH:
        # The added "https://" must not overflow the stored column either.
        raise ContactError("too_long", text)
    return normalized


# --------------------------------------------------------------------------- parsing


def parse_contact(raw: str, default_region: str = "RU") -> ParsedContact:
    """Detect the kind of a single contact and normalise it.

    Detection: anything with "@" is an e-mail; only digits and phone punctuation is a
    phone; a URL or a domain with a plausible TLD is a link.  Anything else raises
    ``bad_phone`` if it is mostly digits, otherwise ``bad_url``.
    """
    text = _checked(raw)
    if "@" in text:
        return ParsedContact(ContactKind.email, text, normalize_email(text))
    if _PHONE_CHARS_RE.fullmatch(text):
        number = _parse_phone(text, default_region)
        return ParsedContact(
            ContactKind.phone,
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        )
    if _looks_like_url(text):
        return ParsedContact(ContactKind.url, text, normalize_url(text))
    raise ContactError("bad_phone" if _is_phone_attempt(text) else "bad_url", text)


def looks_like_phone(raw: str) -> bool:
    """Shape test for search input: only phone characters and at least 5 digits.

    Does not validate; use :func:`phone_search_key` for a normalised key.  Useful to decide
    whether a search query should also be matched against phone digits.
    """
    text = (raw or "").strip()
    return bool(_PHONE_CHARS_RE.fullmatch(text)) and _digit_count(text) >= 5


def phone_search_key(raw: str, default_region: str = "RU") -> str | None:
    """Return the E.164 phone for search text that is a valid phone, else ``None``."""
    if not looks_like_phone(raw):
        return None
    try:
        return normalize_phone(raw, default_region)
    except ContactError:
        return None


def contact_link(kind: ContactKind | str, normalized: str) -> str:
    """Return an href for the deal card: ``tel:``, ``mailto:`` or the http(s) URL.

    HTML-escaping the result is the renderer's job.  A stored URL without an http(s)
    scheme gets ``https://`` so a bad row can never become ``javascript:``.
    """
    kind = ContactKind(kind)
    if kind is ContactKind.phone:
        return f"tel:{normalized}"
    if kind is ContactKind.email:
        return f"mailto:{normalized}"
    if normalized.lower().startswith(("http://", "https://")):
        return normalized
    return f"https://{normalized}"


class _QuickDealBuilder:
    """Accumulates contacts (de-duplicated), errors and client text for one message."""

    def __init__(self, default_region: str) -> None:
        self.default_region = default_region
        self.client_parts: list[str] = []
        self.contacts: list[ParsedContact] = []
        self.errors: list[ContactError] = []
        self._seen: set[tuple[ContactKind, str]] = set()

    def add(self, contact: ParsedContact) -> None:
        key = (contact.kind, contact.normalized)
        if key not in self._seen:
            self._seen.add(key)
            self.contacts.append(contact)

    def feed_part(self, part: str) -> None:
        try:
            self.add(parse_contact(part, self.default_region))
            return
        except ContactError:
            pass
        remainder, changed = self._extract_tokens(part)
        if remainder:
            self._extract_phones(remainder, changed)

    def _extract_tokens(self, part: str) -> tuple[str, bool]:
        """Pull e-mails and URLs out of space-separated text.

        Returns the text left over and whether anything was taken out (untouched text is
        returned verbatim).
        """
        pieces: list[str] = []
        last = 0
        for match in _TOKEN_RE.finditer(part):
            bare = match.group().lstrip(_TOKEN_LEAD).rstrip(_TOKEN_TRAIL)
            if "@" in bare:
                kind, normalize = ContactKind.email, normalize_email
            elif _looks_like_url(bare):
                kind, normalize = ContactKind.url, normalize_url
            else:
                continue
            try:
                self.add(ParsedContact(kind, bare, normalize(bare)))
            except ContactError as exc:
                self.errors.append(exc)
            pieces.append(part[last : match.start()])
            last = match.end()
        if not pieces:
            return part, False
        pieces.append(part[last:])
        return " ".join(pieces), True

    def _extract_phones(self, text: str, changed: bool) -> None:
        """Take phones out of the remainder; the rest is client text or a failed phone.

        Inside free text a digit run only counts as a phone when it is unambiguous:
        starts with "+", has separators, or is 11 digits with the 7/8 trunk prefix.  A
        bare 10-digit run is more likely a tax id (ИНН) and stays in the client text.
        """
        if _PHONE_CHARS_RE.fullmatch(text.strip()):
            try:
                self.add(parse_contact(text, self.default_region))
                return
            except ContactError:
                pass
        pieces: list[str] = []
        last = 0
        for match in _PHONE_RUN_RE.finditer(text):
            run = match.group()
            digits = _digit_count(run)
            explicit = run.startswith("+")
            unambiguous = (
                explicit
                or _PHONE_SEPARATORS_RE.search(run) is not None
                or (digits == 11 and run.lstrip("(")[0] in "78")
            )
            if not unambiguous:
                continue
            try:
                self.add(parse_contact(run, self.default_region))
            except ContactError as exc:
                if not (explicit and digits >= 3):
                    continue
                self.errors.append(exc)
            pieces.append(text[last : match.start()])
            last = match.end()
        if pieces or changed:
            pieces.append(text[last:])
            leftover = _EMPTY_BRACKETS_RE.sub("", " ".join(pieces))
            leftover = _SPACES_RE.sub(" ", leftover).strip(_LEFTOVER_JUNK)
        else:
            leftover = text.strip()
        if not leftover:
            return
        if _is_phone_attempt(leftover):
            self.errors.append(ContactError("bad_phone", leftover))
        else:
            self.client_parts.append(leftover)

    def result(self) -> QuickDeal:
        return QuickDeal(", ".join(self.client_parts), self.contacts, self.errors)


def parse_quick_deal(text: str, default_region: str = "RU") -> QuickDeal:
    """Parse ``/new Иван Петров, ivan@firm.ru, +7 999 123-45-67`` (text after ``/new``).

    Parts are split on commas, semicolons and newlines (not spaces: phones contain
    them).  Contacts may come in any order and repeat; failed contact attempts go to
    ``errors``; the remaining parts form ``client``, kept verbatim (no HTML escaping).
    """
    builder = _QuickDealBuilder(default_region)
    for raw_part in _PART_SPLIT_RE.split(text or ""):
        part = raw_part.strip()
        if part:
            builder.feed_part(part)
    return builder.result()
