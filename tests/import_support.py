"""Helpers of the import and export tests: real .xlsx/.csv files and sending them as documents."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from typing import Any

from aiogram.types import Document
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from models import Pipeline, Source
from models.seed import UNSORTED_PIPELINE
from tests.client import ChatClient
from tests.conftest import App
from tests.mocked_bot import SentMessage

_file_ids = itertools.count(1)


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, merge: Sequence[str] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for cells in merge:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str, delimiter: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


async def send_file(
    app: App,
    client: ChatClient,
    name: str,
    data: bytes | None,
    *,
    size: int | None = None,
    mime: str | None = None,
) -> list[SentMessage]:
    """``data`` None: a file that is never uploaded (must not be downloaded)."""
    file_id = f"file{next(_file_ids)}"
    if data is not None:
        app.telegram.upload(file_id, data)
    document = Document(
        file_id=file_id,
        file_unique_id=file_id,
        file_name=name,
        file_size=size if size is not None else len(data or b""),
        mime_type=mime,
    )
    return await client.send_document(document)


def downloads(app: App) -> int:
    return sum(1 for r in app.telegram.requests if type(r).__name__ == "GetFile")


def last_document(client: ChatClient) -> SentMessage:
    docs = [m for m in client.messages() if m.document_name]
    assert docs, "no document was sent"
    return docs[-1]


def read_xlsx(data: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(data: bytes, delimiter: str = ";") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


async def catalog_names(app: App) -> tuple[str, str]:
    """A pipeline other than the default one and a source, as the database names them."""
    pipeline = await app.scalar(
        select(Pipeline.name)
        .where(Pipeline.code.is_distinct_from(UNSORTED_PIPELINE))
        .order_by(Pipeline.position)
    )
    source = await app.scalar(select(Source.name).order_by(Source.position))
    return pipeline, source
