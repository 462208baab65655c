"""Checking the rows of an import: each row becomes a deal draft or a rejection with a reason.

Pure: the names the database knows (pipelines, stages, sources, owners) come in a ``Lookup``
built by the service, so this module reads no database and can be tested on its own.
Decisions:
- a row needs a client (client, company, contact person, or a contact): else "missing_client";
- a bad e-mail, phone, URL, date or amount rejects the row (a half-imported client is worse
  than a row to fix and send again);
- an unknown owner rejects the row (nobody's deals are given to the importer by accident);
  an unknown pipeline, stage or source does not: the deal goes to the default pipeline and
  its first stage, without a source, and the dry run lists the unknown names with counts;
- inside the file, a row with an e-mail or phone of an earlier row is a duplicate (skipped)."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .contacts import (
    MAX_CONTACT_LENGTH,
    ContactError,
    ContactKind,
    ParsedContact,
    normalize_email,
    normalize_url,
    parse_contact,
)
from .import_columns import ImportField, fold_header
from .import_files import Cell, Table
from .money import CURRENCIES, MAX_AMOUNT, MoneyError, parse_amount

MAX_TEXT = 255
MAX_NOTE = 4000
MAX_CONTACTS = 10
_SPLIT_RE = re.compile(r"[,;\n\r]+")
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y.%m.%d")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Lookup:
    """Folded names -> ids. ``stages``: id and whether the stage closes the deal."""

    pipelines: dict[str, int] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    owners: dict[str, int] = field(default_factory=dict)


@dataclass
class RowDraft:
    number: int
    client_name: str | None
    company: str | None
    person: str | None
    contacts: list[ParsedContact]
    pipeline_id: int | None
    stage_id: int | None
    source_id: int | None
    owner_id: int | None
    amount: decimal.Decimal | None
    currency: str | None
    next_action_on: dt.date | None
    note: str | None


@dataclass(frozen=True)
class Rejected:
    number: int
    reason: str  # a stable key: bad_email, bad_phone, bad_url, bad_date, bad_amount, ...
    value: str = ""  # the offending cell (shown to the importer, never logged)
    other: int = 0  # duplicate: the earlier row's number or the open deal's id


@dataclass
class RowCheck:
    ready: list[RowDraft] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[Rejected] = field(default_factory=list)
    unknown_owners: Counter[str] = field(default_factory=Counter)
    unknown_pipelines: Counter[str] = field(default_factory=Counter)
    unknown_stages: Counter[str] = field(default_factory=Counter)
    unknown_sources: Counter[str] = field(default_factory=Counter)


class RowError(ValueError):
    def __init__(self, reason: str, value: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


def as_text(value: Cell) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    text = str(value).strip()
    return text or None


def _clipped(value: str | None, limit: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    if len(value) > limit:
        raise RowError("too_long", value[:40])
    return value


def parse_date(value: Cell) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell saved without its format: Excel's serial day number.
        if 20_000 <= value <= 80_000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise RowError("bad_date", str(value))
    text = str(value).strip().split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError("bad_date", str(value)[:40])


def parse_money(value: Cell, currency: str | None) -> tuple[decimal.Decimal | None, str | None]:
    if value is None or value == "":
        return None, currency
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            amount = decimal.Decimal(str(value)).quantize(decimal.Decimal("0.01"))
        except decimal.InvalidOperation as exc:
            raise RowError("bad_amount", str(value)) from exc
        if amount <= 0 or amount > MAX_AMOUNT:
            raise RowError("bad_amount", str(value))
        return amount, currency
    try:
        money = parse_amount(str(value), currency or "RUB")
    except MoneyError as exc:
        raise RowError("bad_amount", str(value)[:40]) from exc
    return money.amount, money.currency


def parse_currency(value: Cell) -> str | None:
    text = as_text(value)
    if text is None:
        return None
    code = text.upper()
    if code in CURRENCIES:
        return code
    try:
        return parse_amount("1 " + text).currency
    except MoneyError as exc:
        raise RowError("bad_currency", text[:40]) from exc


def _contacts(field_: ImportField, value: Cell) -> list[ParsedContact]:
    text = as_text(value)
    if text is None:
        return []
    out: list[ParsedContact] = []
    for part in _SPLIT_RE.split(text):
        part = part.strip()
        if not part:
            continue
        if len(part) > MAX_CONTACT_LENGTH:
            raise RowError("too_long", part[:40])
        try:
            if field_ is ImportField.email:
                out.append(ParsedContact(ContactKind.email, part, normalize_email(part)))
            elif field_ is ImportField.url:
                out.append(ParsedContact(ContactKind.url, part, normalize_url(part)))
            else:
                contact = parse_contact(part)
                if contact.kind is not ContactKind.phone:
                    raise ContactError("bad_phone", part)
                out.append(contact)
        except ContactError as exc:
            reason = {ImportField.email: "bad_email", ImportField.url: "bad_url"}.get(
                field_, "bad_phone"
            )
            raise RowError(reason, part[:40]) from exc
    return out


def check_rows(
    table: Table,
    mapping: Sequence[ImportField | None],
    lookup: Lookup,
    *,
    skip_below: int = 0,
) -> RowCheck:
    """Every data row checked; rows numbered below ``skip_below`` are left out (they were
    written by an interrupted run of this same file)."""
    check = RowCheck()
    seen: dict[tuple[ContactKind, str], int] = {}
    for number, cells in table.rows:
        if number < skip_below:
            continue
        try:
            draft = _draft(number, cells, mapping, lookup, check)
        except RowError as exc:
            check.rejected.append(Rejected(number, exc.reason, exc.value))
            continue
        if draft is None:
            continue
        first = next(
            (seen[(c.kind, c.normalized)] for c in draft.contacts
             if c.kind is not ContactKind.url and (c.kind, c.normalized) in seen),
            None,
        )  # fmt: skip
        if first is not None:
            check.duplicates.append(Rejected(number, "duplicate_in_file", other=first))
            continue
        for c in draft.contacts:
            if c.kind is not ContactKind.url:
                seen.setdefault((c.kind, c.normalized), number)
        check.ready.append(draft)
    return check


def _values(
    cells: Sequence[Cell], mapping: Sequence[ImportField | None]
) -> dict[ImportField, list[Cell]]:
    values: dict[ImportField, list[Cell]] = {}
    for cell, field_ in zip(cells, mapping, strict=False):
        if field_ is not None and cell is not None and cell != "":
            values.setdefault(field_, []).append(cell)
    return values


def _draft(
    number: int,
    cells: Sequence[Cell],
    mapping: Sequence[ImportField | None],
    lookup: Lookup,
    check: RowCheck,
) -> RowDraft | None:
    values = _values(cells, mapping)
    if not values:
        return None

    def one(field_: ImportField) -> Cell:
        got = values.get(field_)
        return got[0] if got else None

    contacts: list[ParsedContact] = []
    for field_ in (ImportField.email, ImportField.phone, ImportField.url):
        for value in values.get(field_, []):
            contacts += _contacts(field_, value)
    unique = {(c.kind, c.normalized): c for c in contacts}
    contacts = list(unique.values())[:MAX_CONTACTS]
    persons = [t for t in (as_text(v) for v in values.get(ImportField.person, [])) if t]
    person = _clipped(", ".join(persons) or None)
    client = _clipped(as_text(one(ImportField.client)))
    company = _clipped(as_text(one(ImportField.company)))
    if client is None and company is None and person is None and not contacts:
        raise RowError("missing_client")
    currency = parse_currency(one(ImportField.currency))
    amount, currency = parse_money(one(ImportField.amount), currency)
    next_on = parse_date(one(ImportField.next_date))
    owner_id = None
    owner = as_text(one(ImportField.owner))
    if owner is not None:
        owner_id = lookup.owners.get(fold_header(owner.lstrip("@")))
        if owner_id is None:
            check.unknown_owners[owner[:60]] += 1
            raise RowError("unknown_owner", owner[:40])
    notes = [t for t in (as_text(v) for v in values.get(ImportField.note, [])) if t]
    note = "\n".join(notes)[:MAX_NOTE] or None
    return RowDraft(
        number=number,
        client_name=client or (None if company else person),
        company=company,
        person=person,
        contacts=contacts,
        pipeline_id=_named(one(ImportField.pipeline), lookup.pipelines, check.unknown_pipelines),
        stage_id=_named(one(ImportField.stage), lookup.stages, check.unknown_stages),
        source_id=_named(one(ImportField.source), lookup.sources, check.unknown_sources),
        owner_id=owner_id,
        amount=amount,
        currency=currency,
        next_action_on=next_on,
        note=note,
    )


def _named(value: Cell, known: dict[str, int], unknown: Counter[str]) -> int | None:
    text = as_text(value)
    if text is None:
        return None
    found = known.get(fold_header(text))
    if found is None:
        unknown[text[:60]] += 1
    return found
