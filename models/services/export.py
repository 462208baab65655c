"""Deals out as a spreadsheet: rows of deals -> .xlsx or .csv bytes. Reusable: the lists call
it, and so can a report's drill-down (any ``Deal`` objects with stage, pipeline, source, owner
and contacts loaded, e.g. from ``DealLists.export_deals``).

Column titles come from the caller in the reader's language (``models`` knows no texts); the
keys are ``COLUMNS``. An amount always has its currency: the default one when the deal
has none (models/money.py). The .csv is UTF-8 with a BOM (Excel then reads Cyrillic right), ";"
separated with a decimal comma for Russian readers (what Russian Excel expects), "," and a
decimal point otherwise. Text that a spreadsheet would run as a formula (=, +, -, @ first) is
kept as text: a string cell in .xlsx, a leading apostrophe in .csv (the import strips it)."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import enum
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..contacts import ContactKind
from ..deals import Deal
from ..money import DEFAULT_CURRENCY
from ..timeutil import local_now

Value = str | int | decimal.Decimal | dt.date | dt.datetime | None

COLUMNS = (
    "id", "title", "client", "company", "persons", "emails", "phones", "urls", "pipeline",
    "stage", "source", "owner", "amount", "currency", "next_date", "next_time", "created",
    "updated", "closed", "reason",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@")
_WIDTHS = {"id": 8, "title": 40, "client": 28, "company": 28, "emails": 28, "phones": 20}
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


class ExportFormat(enum.IntEnum):
    xlsx = 1
    csv = 2


@dataclass(frozen=True)
class ExportFile:
    name: str
    data: bytes
    rows: int


def _local(moment: dt.datetime | None, timezone: str) -> dt.datetime | None:
    # Spreadsheets have no time zones: the reader's wall-clock time, naive.
    return local_now(moment, timezone).replace(tzinfo=None, microsecond=0) if moment else None


def deal_row(deal: Deal, locale: str, timezone: str) -> list[Value]:
    """One deal's cells in ``COLUMNS`` order."""
    def joined(kind: ContactKind) -> str | None:
        return ", ".join(c.value for c in deal.contacts if c.kind is kind) or None

    persons = sorted({c.person_name for c in deal.contacts if c.person_name})
    return [
        deal.id,
        deal.title,
        deal.client_name,
        deal.company,
        ", ".join(persons) or None,
        joined(ContactKind.email),
        joined(ContactKind.phone),
        joined(ContactKind.url),
        deal.pipeline.label(locale),
        deal.stage.label(locale),
        deal.source.label(locale) if deal.source else None,
        deal.owner.full_name,
        deal.amount,
        _currency(deal),
        deal.next_action_on,
        deal.next_action_time.strftime("%H:%M") if deal.next_action_time else None,
        _local(deal.created_at, timezone),
        _local(deal.updated_at, timezone),
        _local(deal.closed_at, timezone),
        deal.reason,
    ]


def _currency(deal: Deal) -> str | None:
    """An amount without a currency (a deal from before currencies, or typed without one)
    is in the company's default currency, as /stats and the reports count it."""
    if deal.amount is None:
        return None
    return deal.currency or DEFAULT_CURRENCY


def deal_rows(deals: Iterable[Deal], locale: str, timezone: str) -> list[list[Value]]:
    return [deal_row(d, locale, timezone) for d in deals]


def build_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Value]], sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # write_only streams rows to the file: flat memory and ~3x faster for 10,000 rows.
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=sheet[:31] or "Deals")
    ws.freeze_panes = "A2"
    for index, key in enumerate(COLUMNS[: len(headers)], start=1):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(key, 16)
    bold = Font(bold=True)
    head = []
    for title in headers:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in rows:
        # Plain values (dates get openpyxl's date format): a WriteOnlyCell per value would
        # double the time; only text that looks like a formula needs one, to stay text.
        if any(isinstance(v, str) and v.startswith("=") for v in row):
            ws.append([_text_cell(ws, v) for v in row])
        else:
            ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(ws: object, value: Value) -> object:
    from openpyxl.cell import WriteOnlyCell

    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # openpyxl would store it as a formula
    return cell


def _csv_value(value: Value, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M" if locale == "ru" else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y" if locale == "ru" else "%Y-%m-%d")
    if isinstance(value, decimal.Decimal):
        text = f"{value:.2f}"
        return text.replace(".", ",") if locale == "ru" else text
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def build_csv(headers: Sequence[str], rows: Iterable[Sequence[Value]], locale: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if locale == "ru" else ",", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(v, locale) for v in row])
    return out.getvalue().encode("utf-8-sig")


def export_deals(
    deals: Sequence[Deal],
    fmt: ExportFormat,
    titles: Mapping[str, str],
    *,
    locale: str,
    timezone: str,
    name: str,
    sheet: str = "Deals",
) -> ExportFile:
    """The file of these deals; ``titles``: column key -> title in the reader's language."""
    headers = [titles.get(key, key) for key in COLUMNS]
    rows = deal_rows(deals, locale, timezone)
    if fmt is ExportFormat.xlsx:
        data = build_xlsx(headers, rows, sheet)
    else:
        data = build_csv(headers, rows, locale)
    return ExportFile(f"{name}.{fmt.name}", data, len(rows))
