"""The pure parts of the import: headers, cells, separators and encodings."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from models.import_columns import ImportField, auto_mapping, field_of
from models.import_files import ImportFileError, read_table
from models.import_rows import RowError, parse_date, parse_money


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("  КЛИЕНТ ", ImportField.client),
        ("E-mail", ImportField.email),
        ("e_mail", ImportField.email),
        ("Эл. почта", ImportField.email),
        ("Телефон 2", ImportField.phone),
        ("Ответственный", ImportField.owner),
        ("Next step date", ImportField.next_date),
        ("Дата следующего шага", ImportField.next_date),
        ("Название", None),
        ("", None),
    ],
)
def test_header_synonyms(header: str, field: ImportField | None) -> None:
    assert field_of(header) is field


def test_a_single_field_takes_its_first_column_only() -> None:
    mapping = auto_mapping(["Клиент", "Телефон", "Client", "Телефон 2"])
    assert mapping == [ImportField.client, ImportField.phone, None, ImportField.phone]


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("05.12.2026", dt.date(2026, 12, 5)),
        ("2026-12-05", dt.date(2026, 12, 5)),
        ("05.12.26", dt.date(2026, 12, 5)),
        (46361, dt.date(2026, 12, 5)),  # Excel's serial day number
        (dt.datetime(2026, 12, 5, 10, 30), dt.date(2026, 12, 5)),
        (None, None),
    ],
)
def test_dates(value: object, day: dt.date | None) -> None:
    assert parse_date(value) == day  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["завтра", "32.13.2026", 7, "2026/99/99"])
def test_bad_dates(value: object) -> None:
    with pytest.raises(RowError) as info:
        parse_date(value)  # type: ignore[arg-type]
    assert info.value.reason == "bad_date"


def test_amounts() -> None:
    assert parse_money("1 500,50 руб", None) == (decimal.Decimal("1500.50"), "RUB")
    assert parse_money(2500, "USD") == (decimal.Decimal("2500.00"), "USD")
    for bad in ("много", -5, "-100"):
        with pytest.raises(RowError):
            parse_money(bad, None)


def test_csv_separator_and_encoding_are_detected() -> None:
    cp1251 = "Клиент;Заметка\r\nЁжик;раз, два\r\n".encode("cp1251")
    table = read_table(cp1251, "a.csv", 10)
    assert (table.encoding, table.delimiter) == ("cp1251", ";")
    assert table.rows == [(2, ["Ёжик", "раз, два"])]
    bom = "\ufeffClient,Note\r\nJohn,\"a; b\"\r\n".encode()
    table = read_table(bom, "b.csv", 10)
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    assert table.headers == ["Client", "Note"]
    assert table.rows == [(2, ["John", "a; b"])]


def test_row_limit_stops_reading() -> None:
    data = ("Клиент\r\n" + "Иван\r\n" * 11).encode()
    with pytest.raises(ImportFileError) as info:
        read_table(data, "c.csv", 10)
    assert info.value.reason == "too_many_rows"
    assert len(read_table(data, "c.csv", 11).rows) == 11
