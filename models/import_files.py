"""Reading an uploaded spreadsheet (.xlsx or .csv) into a header and rows of cell values.

Pure: bytes in, a ``Table`` out, or an ``ImportFileError`` with a stable reason for the
message. Hostile files are refused before they cost much:
- not a spreadsheet (a picture renamed .xlsx, binary "csv"), an old .xls, a password-protected
  .xlsx (encrypted OOXML is an OLE compound file, not a zip): refused by their first bytes;
- too many rows: the sheet's declared dimension is read first (openpyxl read_only mode streams
  the sheet), and reading stops at ``max_rows`` + 1 rows either way;
- a zip that inflates far beyond its size (a zip bomb): refused from the zip directory.
Formulas give their cached values (data_only=True); a formula never calculated (a file written
by a script, never opened in Excel) has no cached value and reads as an empty cell. Merged
cells: the top-left cell's value stands for the whole range, as a person sees it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Cell = str | int | float | dt.datetime | dt.date | dt.time | None

ImportFileReason = Literal[
    "not_spreadsheet", "old_xls", "encrypted", "empty", "too_many_rows", "too_big", "no_header"
]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# Encrypted OOXML keeps its key data in an OLE stream of this name (UTF-16 in the directory).
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
MAX_INFLATED = 300 * 1024 * 1024
MAX_COLUMNS = 60
# Merged cells are looked for in sheets up to this size (uncompressed XML).
MAX_SHEET_XML = 200 * 1024 * 1024
_MERGE_RE = re.compile(
    rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})\""
)
MAX_CELL = 2000
MAX_HEADER = 100


class ImportFileError(ValueError):
    def __init__(self, reason: ImportFileReason, **params: int) -> None:
        super().__init__(reason)
        self.reason: ImportFileReason = reason
        self.params = params


@dataclass
class Table:
    headers: list[str]
    # (row number as the spreadsheet shows it, the cells under the headers)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    header_row: int = 0
    merged_ranges: int = 0
    encoding: str | None = None
    delimiter: str | None = None


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kind_of(file_name: str | None, mime_type: str | None = None) -> str | None:
    """"xlsx", "csv", "xls" by the name (or the MIME type); None: not a spreadsheet's name."""
    name = (file_name or "").lower()
    for ext in ("xlsx", "xlsm", "csv", "xls"):
        if name.endswith("." + ext):
            return "xlsx" if ext == "xlsm" else ext
    mime = (mime_type or "").lower()
    if "spreadsheetml" in mime:
        return "xlsx"
    if mime in ("text/csv", "application/csv", "text/comma-separated-values"):
        return "csv"
    if mime == "application/vnd.ms-excel":
        return "xls"
    return None


def read_table(data: bytes, file_name: str | None, max_rows: int) -> Table:
    """The first sheet's header row and up to ``max_rows`` data rows (empty rows skipped)."""
    if not data.strip():
        raise ImportFileError("empty")
    if data.startswith(_OLE_MAGIC):
        raise ImportFileError("encrypted" if _ENCRYPTION_INFO in data else "old_xls")
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, max_rows)
    if kind_of(file_name) == "xlsx":
        raise ImportFileError("not_spreadsheet")
    return _read_csv(data, max_rows)


# -- xlsx ----------------------------------------------------------------------------------
def _read_xlsx(data: bytes, max_rows: int) -> Table:
    from openpyxl import load_workbook  # imported here: a .csv import never pays for it

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_INFLATED:
            raise ImportFileError("too_big")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to its own errors
        raise ImportFileError("not_spreadsheet") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError("empty")
        declared = sheet.max_row
        if isinstance(declared, int) and declared > max_rows + 1:
            raise ImportFileError("too_many_rows", rows=declared - 1, limit=max_rows)
        merged = _merged_ranges(archive, getattr(sheet, "_worksheet_path", None))
        try:
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            table = _table(_numbered(rows), max_rows)
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError("not_spreadsheet") from exc
    finally:
        workbook.close()
    if merged:
        _spread_merged(table, merged)
    return table


def _numbered(rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[int, list[Cell]]]:
    for number, values in enumerate(rows, start=1):
        yield number, [_cell(v) for v in values]


def _cell(value: object) -> Cell:
    if value is None or isinstance(value, int | float | dt.datetime | dt.date | dt.time):
        return value  # bool is an int: fine for a cell
    text = str(value).strip()
    return text[:MAX_CELL] if text else None


def _merged_ranges(
    archive: zipfile.ZipFile, path: str | None
) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range. read_only mode does not
    expose them; a regex over the sheet's XML finds the <mergeCell ref="A1:B2"/> elements at
    a fraction of the cost of parsing it a second time."""
    if not path:
        return []
    from openpyxl.utils.cell import range_boundaries

    try:
        info = archive.getinfo(path.lstrip("/"))
        if info.file_size > MAX_SHEET_XML:
            return []
        raw = archive.read(info)
    except (KeyError, zipfile.BadZipFile):
        return []
    if b"<mergeCell " not in raw and b":mergeCell " not in raw:
        return []
    ranges: list[tuple[int, int, int, int]] = []
    for ref in _MERGE_RE.findall(raw):
        try:
            bounds = range_boundaries(ref.decode("ascii"))
        except ValueError:
            continue
        if all(isinstance(b, int) for b in bounds):
            ranges.append(bounds)
    return ranges


def _spread_merged(table: Table, ranges: list[tuple[int, int, int, int]]) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    by_number = {number: cells for number, cells in table.rows}
    header_row = table.header_row
    for min_col, min_row, max_col, max_row in ranges:
        first = by_number.get(min_row)
        top_left = first[min_col - 1] if first and min_col - 1 < len(first) else None
        if min_row == header_row and min_col - 1 < len(table.headers):
            top_left = table.headers[min_col - 1]
        for number in range(min_row, max_row + 1):
            cells = by_number.get(number)
            if cells is None:
                continue
            for col in range(min_col - 1, min(max_col, len(cells))):
                if cells[col] is None:
                    cells[col] = top_left
    table.merged_ranges = len(ranges)


# -- csv -----------------------------------------------------------------------------------
def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), "cp1251"


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    return "\x00" in sample or controls > len(sample) // 20


def _delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ; , and tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _read_csv(data: bytes, max_rows: int) -> Table:
    text, encoding = _decode(data)
    if _looks_binary(text):
        raise ImportFileError("not_spreadsheet")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for number, values in enumerate(reader, start=1):
                yield number, [_cell(v) for v in values[:MAX_COLUMNS]]
        except csv.Error as exc:
            raise ImportFileError("not_spreadsheet") from exc

    table = _table(numbered(), max_rows)
    table.encoding, table.delimiter = encoding, delimiter
    return table


# -- both ----------------------------------------------------------------------------------
def _table(rows: Iterator[tuple[int, list[Cell]]], max_rows: int) -> Table:
    """The first non-empty row is the header; the rest are data (empty rows skipped)."""
    headers: list[str] | None = None
    table = Table(headers=[])
    for number, cells in rows:
        if all(c is None or c == "" for c in cells):
            continue
        if headers is None:
            # Clipped: the headers ride in the conversation state between the steps.
            headers = [str(c).strip()[:MAX_HEADER] if c is not None else "" for c in cells]
            while headers and not headers[-1]:
                headers.pop()
            if not headers:
                raise ImportFileError("no_header")
            table.headers, table.header_row = headers, number
            continue
        if len(table.rows) >= max_rows:
            raise ImportFileError("too_many_rows", rows=len(table.rows) + 1, limit=max_rows)
        width = len(headers)
        cells = (cells + [None] * width)[:width]
        table.rows.append((number, cells))
    if headers is None:
        raise ImportFileError("empty")
    if not table.rows:
        raise ImportFileError("empty")
    return table
