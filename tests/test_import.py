"""Spreadsheet import through the dispatcher: real .xlsx files written with openpyxl and CSV
files in cp1251 and UTF-8 with a BOM, sent as documents; what the bot says and what the
database holds."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from sqlalchemy import select

from bot.callbacks.imports import ImportAction, ImportCb
from models import Contact, Deal, DealEvent, EventKind, ImportRun, Note, Pipeline, Source
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal
from tests.import_support import (
    catalog_names,
    csv_bytes,
    downloads,
    last_document,
    read_csv,
    send_file,
    xlsx_bytes,
)

HEADERS = ["Клиент", "Компания", "E-mail", "Телефон", "Ответственный", "Воронка", "Источник",
           "Сумма", "Следующий шаг", "Примечание"]  # fmt: skip


# An OLE compound file: an old .xls, or (with an EncryptionInfo stream) an encrypted .xlsx.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


async def _operator_and_manager(app: App):
    operator, op_user = await app.add_user(Role.operator, name="Ольга Операторова")
    _manager, manager = await app.add_user(Role.manager, name="Пётр Менеджеров")
    return operator, op_user, manager


async def test_xlsx_dry_run_then_import(app: App) -> None:
    operator, op_user, manager = await _operator_and_manager(app)
    # An open deal with this phone exists already: the row that repeats it is a duplicate.
    await make_deal(app, manager, "Старый клиент", contacts=("+7 999 000-00-01",))
    pipeline, source = await catalog_names(app)
    data = xlsx_bytes(
        [
            HEADERS,
            ["Иван Петров", "ООО Ромашка", "ivan@firm.ru", "8 (999) 123-45-67",
             "Пётр Менеджеров", pipeline, source, 150000, dt.date(2026, 12, 5), "Звонил, ждёт КП"],
            ["Анна", None, "anna@", None, None, None, None, None, None, None],
            [None, None, None, None, None, None, None, 100, None, "только заметка"],
            ["Дубль Ивана", None, "IVAN@firm.ru", None, None, None, None, None, None, None],
            ["Клиент старого", None, None, "+79990000001", None, None, None, None, None, None],
            ["Кто-то", None, None, None, "Неизвестный Человек", None, None, None, None, None],
            ["Сергей", None, None, "+7 912 345-67-89", None, "Нет такой", "Газета", "12,5 тыс",
             "05.12.2026", None],
            ["Мария", None, None, None, None, None, None, "много", None, None],
            ["Олег", None, None, None, None, None, None, None, "завтра", None],
        ]
    )  # fmt: skip
    before = await app.count(Deal)
    changed = await send_file(app, operator, "clients.xlsx", data)
    summary = changed[-1].text
    assert "ничего не записано" in summary
    assert "Будет создано: 2 сделки" in summary
    assert "С ошибками: 5 строк" in summary
    assert "стр. 3: неверный e-mail «anna@»" in summary
    assert "стр. 4: нет клиента" in summary
    assert "стр. 9: неверная сумма «много»" in summary
    assert "стр. 10: неверная дата «завтра»" in summary
    assert "стр. 7: неизвестный ответственный" in summary
    assert "Дубли: 2 строки" in summary
    assert "стр. 5: дубль строки 2" in summary
    assert "стр. 6: уже есть открытая сделка #" in summary
    assert "Неизвестные ответственные" in summary and "«Неизвестный Человек» × 1" in summary
    assert "«Нет такой» × 1" in summary and "«Газета» × 1" in summary
    assert await app.count(Deal) == before, "a dry run writes nothing"

    changed = await operator.press("✅ Импортировать (2)")
    assert "создано 2 сделки" in operator.messages()[-2].text or any(
        "создано 2 сделки" in m.text for m in changed
    )
    assert await app.count(Deal) == before + 2
    ivan = await app.scalar(select(Deal).where(Deal.client_name == "Иван Петров"))
    assert ivan.owner_id == manager.id and ivan.created_by_id == op_user.id
    assert ivan.company == "ООО Ромашка" and ivan.amount == decimal.Decimal("150000.00")
    assert ivan.next_action_on == dt.date(2026, 12, 5)
    assert await app.scalar(select(Pipeline.name).where(Pipeline.id == ivan.pipeline_id)) == (
        pipeline
    )
    assert await app.scalar(select(Source.name).where(Source.id == ivan.source_id)) == source
    contacts = await app.all(select(Contact).where(Contact.deal_id == ivan.id))
    assert {(c.kind.value, c.normalized) for c in contacts} == {
        ("email", "ivan@firm.ru"),
        ("phone", "+79991234567"),
    }
    note = await app.scalar(select(Note).where(Note.deal_id == ivan.id))
    assert note.text == "Звонил, ждёт КП" and note.number == 1
    sergey = await app.scalar(select(Deal).where(Deal.client_name == "Сергей"))
    assert sergey.source_id is None and sergey.amount == decimal.Decimal("12500.00")
    unsorted = await app.scalar(select(Pipeline.id).where(Pipeline.code == "unsorted"))
    assert sergey.pipeline_id == unsorted
    events = await app.all(select(DealEvent).where(DealEvent.kind == EventKind.imported))
    assert {e.deal_id for e in events} == {ivan.id, sergey.id}
    # The rejected rows, as a file to fix and send again.
    rejected = last_document(operator)
    assert rejected.document_name == "rejected.csv" and rejected.document_bytes
    rows = read_csv(rejected.document_bytes)
    assert rows[0][:3] == ["Строка", "Причина", "Клиент"]
    assert [r[0] for r in rows[1:]] == ["3", "4", "5", "6", "7", "9", "10"]
    assert rows[1][2] == "Анна"

    # The same file again: nothing is created twice.
    changed = await send_file(app, operator, "clients (1).xlsx", data)
    assert "уже импортирован" in changed[-1].text
    assert not any("Импортировать" in b for row in changed[-1].buttons() for b in row)
    assert await app.count(Deal) == before + 2


async def test_csv_cp1251_semicolons(app: App) -> None:
    _, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    lead = app.client(lead_user.telegram_id)
    data = csv_bytes(
        [["Клиент", "Телефон", "Заметка"], ["Ёлкин Ёжик", "+7 999 111-22-33", "Ёлки; палки"]],
        encoding="cp1251",
        delimiter=";",
    )
    changed = await send_file(app, lead, "база.csv", data)
    assert "Будет создано: 1 сделка" in changed[-1].text
    await lead.press("✅ Импортировать (1)")
    deal = await app.scalar(select(Deal).where(Deal.client_name == "Ёлкин Ёжик"))
    assert deal is not None and deal.owner_id == lead_user.id
    assert await app.scalar(select(Note.text).where(Note.deal_id == deal.id)) == "Ёлки; палки"


async def test_csv_utf8_bom_commas_english_headers(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Admin Adminov", language="en")
    data = csv_bytes(
        [["Name", "E-mail", "Amount", "Currency", "Next step date"],
         ["John Smith", "john@example.com", "1500.50", "USD", "2026-12-10"]],
        encoding="utf-8-sig",
        delimiter=",",
    )  # fmt: skip
    changed = await send_file(app, admin, "leads.csv", data)
    assert "Will create: 1 deal" in changed[-1].text
    await admin.press("✅ Import (1)")
    deal = await app.scalar(select(Deal).where(Deal.client_name == "John Smith"))
    assert deal.amount == decimal.Decimal("1500.50") and deal.currency == "USD"
    assert deal.next_action_on == dt.date(2026, 12, 10)


async def test_manager_is_refused_politely(app: App) -> None:
    manager, _ = await app.add_user(Role.manager)
    data = xlsx_bytes([["Клиент"], ["Иван"]])
    changed = await send_file(app, manager, "clients.xlsx", data)
    assert "Импорт доступен операторам, руководителям и администраторам" in changed[-1].text
    await manager.send("/import")
    assert "Импорт доступен" in manager.last_message().text
    assert downloads(app) == 0
    assert await app.count(Deal) == 0


async def test_import_command_explains_and_takes_any_document(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    await operator.send("/import")
    help_text = operator.last_message().text
    assert "Пришлите файл .xlsx или .csv" in help_text and "Ответственный" in help_text
    assert "20000 строк" in help_text
    # After /import even a file with another name is read: and refused for what it is.
    changed = await send_file(app, operator, "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00binary")
    assert "Это не таблица" in changed[-1].text


async def test_mapping_changed_by_buttons(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    data = xlsx_bytes([["Клиент", "Мобильный номер клиента"], ["Иван", "+7 999 123-45-67"]])
    changed = await send_file(app, operator, "x.xlsx", data)
    assert "Мобильный номер клиента → не загружать" in changed[-1].text
    await operator.press("🔀 Колонки")
    await operator.press("Мобильный номер клиента → не загружать")
    assert "что в ней?" in operator.last_message().text
    changed = await operator.press("Телефон")
    assert "Мобильный номер клиента → Телефон" in changed[-1].text
    # A single-valued field moved to another column leaves its first one.
    await operator.press("🔀 Колонки")
    await operator.press("Мобильный номер клиента → Телефон")
    changed = await operator.press("Клиент")
    assert "Клиент → не загружать" in changed[-1].text
    # Back to a name and a phone.
    await operator.press("🔀 Колонки")
    await operator.press("Клиент → не загружать")
    await operator.press("Клиент")
    await operator.press("🔀 Колонки")
    await operator.press("Мобильный номер клиента → не загружать")
    await operator.press("Телефон")
    await operator.press("✅ Импортировать (1)")
    deal = await app.scalar(select(Deal).where(Deal.client_name == "Иван"))
    phone = await app.scalar(select(Contact.normalized).where(Contact.deal_id == deal.id))
    assert phone == "+79991234567"


async def test_stale_buttons_of_a_finished_import(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    changed = await send_file(app, operator, "a.xlsx", xlsx_bytes([["Клиент"], ["Иван"]]))
    summary = changed[-1]
    columns_data = summary.button_data(1, 0)
    confirm_data = summary.button_data(0, 0)
    await operator.press("✅ Импортировать (1)")
    assert await app.count(Deal) == 1
    await operator.press_data(confirm_data, summary)
    assert "уже завершён или отменён" in (operator.last_alert() or "")
    await operator.press_data(columns_data, summary)
    assert "уже завершён или отменён" in (operator.last_alert() or "")
    assert await app.count(Deal) == 1
    # Cancel: nothing written, and the buttons are stale too.
    changed = await send_file(app, operator, "b.xlsx", xlsx_bytes([["Клиент"], ["Пётр"]]))
    confirm_data = changed[-1].button_data(0, 0)
    await operator.press("✖ Отмена")
    assert "Импорт отменён" in operator.last_message().text
    await operator.press_data(confirm_data, changed[-1])
    assert "уже завершён или отменён" in (operator.last_alert() or "")
    assert await app.count(Deal) == 1


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("fake.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "Это не таблица"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "Это не таблица"),
        ("binary.csv", b"\x00\x01\x02\x03" * 100, "Это не таблица"),
        ("empty.csv", b"", "В файле нет данных"),
        ("header-only.csv", "Клиент;Телефон\r\n".encode(), "В файле нет данных"),
        (
            "secret.xlsx",
            OLE + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le"),
            "защищён паролем",
        ),
        ("old.xlsx", OLE + b"\x00" * 64, "старый формат .xls"),
    ],
)
async def test_hostile_files_write_nothing(app: App, name: str, data: bytes, expected: str) -> None:
    operator, _ = await app.add_user(Role.operator)
    changed = await send_file(app, operator, name, data)
    assert expected in changed[-1].text
    assert await app.count(Deal) == 0 and await app.count(ImportRun) == 0


async def test_old_xls_by_name_refused_before_download(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    changed = await send_file(app, operator, "old.xls", None, size=1000)
    assert "старый формат .xls" in changed[-1].text
    assert downloads(app) == 0


async def test_60_mb_file_refused_before_download(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    changed = await send_file(app, operator, "huge.xlsx", None, size=60 * 1024 * 1024)
    assert "Файл больше 20 МБ" in changed[-1].text
    assert downloads(app) == 0 and await app.count(Deal) == 0


async def test_200000_rows_refused(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    data = ("Клиент;Телефон\r\n" + "Иван;\r\n" * 200_000).encode()
    changed = await send_file(app, operator, "big.csv", data)
    assert "В файле больше 20000 строк" in changed[-1].text
    assert await app.count(Deal) == 0


async def test_xlsx_over_the_row_limit_refused_by_its_dimension(app: App) -> None:
    app.dp["settings"] = app.settings.model_copy(update={"import_max_rows": 5})
    operator, _ = await app.add_user(Role.operator)
    data = xlsx_bytes([["Клиент"], *[[f"Клиент {i}"] for i in range(10)]])
    changed = await send_file(app, operator, "ten.xlsx", data)
    assert "В файле больше 5 строк" in changed[-1].text
    assert await app.count(Deal) == 0


async def test_formulas_and_merged_cells(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    _, manager = await app.add_user(Role.manager, name="Пётр Менеджеров")
    data = xlsx_bytes(
        [
            ["Клиент", "Ответственный", "Сумма"],
            ["Иван", "Пётр Менеджеров", "=100*2"],  # written by a script: never calculated
            ["Анна", None, 300],
            ["=B2", None, 5],  # no cached value: the client is empty
        ],
        merge=["B2:B3"],
    )
    changed = await send_file(app, operator, "f.xlsx", data)
    text = changed[-1].text
    assert "Объединённые ячейки: 1" in text
    assert "стр. 4: нет клиента" in text
    await operator.press("✅ Импортировать (2)")
    anna = await app.scalar(select(Deal).where(Deal.client_name == "Анна"))
    assert anna.owner_id == manager.id, "the merged owner cell covers row 3"
    ivan = await app.scalar(select(Deal).where(Deal.client_name == "Иван"))
    assert ivan.amount is None, "a formula never calculated has no value"


async def test_interrupted_import_resumes_without_doubles(app: App, monkeypatch) -> None:
    import handlers.import_flow as flow
    from models.services.imports import Imports

    monkeypatch.setattr(flow, "BATCH", 2)
    calls = {"n": 0}
    real_insert = Imports._insert

    async def failing_insert(self, actor, run, drafts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the process died here")
        await real_insert(self, actor, run, drafts)

    monkeypatch.setattr(Imports, "_insert", failing_insert)
    operator, _ = await app.add_user(Role.operator)
    # No contacts: only the import's own record can tell these rows were written.
    data = xlsx_bytes([["Клиент"], *[[f"Клиент {i}"] for i in range(1, 6)]])
    await send_file(app, operator, "five.xlsx", data)
    await operator.press("✅ Импортировать (5)")
    assert "прерван ошибкой: записано 2 из 5" in operator.last_message().text
    assert await app.count(Deal) == 2, "the first batch was committed on its own"

    monkeypatch.setattr(Imports, "_insert", real_insert)
    changed = await send_file(app, operator, "five.xlsx", data)
    assert "2 строки уже записаны" in changed[-1].text
    await operator.press("✅ Импортировать (3)")
    names = await app.all(select(Deal.client_name).order_by(Deal.id))
    assert names == [f"Клиент {i}" for i in range(1, 6)]
    run = await app.scalar(select(ImportRun))
    assert run.finished_at is not None and run.created_count == 5


async def test_same_file_confirmed_by_two_people_is_written_once(app: App) -> None:
    first, _ = await app.add_user(Role.operator, name="Ольга Первая")
    second, _ = await app.add_user(Role.operator, name="Анна Вторая")
    data = xlsx_bytes([["Клиент"], ["Иван"], ["Пётр"]])
    await send_file(app, first, "same.xlsx", data)
    await send_file(app, second, "same.xlsx", data)
    await first.press("✅ Импортировать (2)")
    changed = await second.press("✅ Импортировать (2)")
    assert "уже импортирован" in changed[-1].text
    assert await app.count(Deal) == 2


async def test_a_spreadsheet_replying_to_a_card_is_not_an_import(app: App) -> None:
    from aiogram.types import Document

    lead, lead_user = await app.add_user(Role.lead)
    deal = await make_deal(app, lead_user, "Клиент")
    await lead.send(f"/deal {deal.id}")
    card = lead.last_message()
    app.telegram.upload("offer", xlsx_bytes([["Клиент"], ["Иван"]]))
    document = Document(file_id="offer", file_unique_id="offer", file_name="КП.xlsx", file_size=9)
    await lead._feed_message(reply_to=card, document=document)
    assert downloads(app) == 0
    assert not any("Импорт" in m.text for m in lead.messages())


async def test_file_gone_from_telegram_before_confirm(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    await send_file(app, operator, "gone.xlsx", xlsx_bytes([["Клиент"], ["Иван"]]))
    app.telegram.files.clear()  # Telegram no longer serves it
    await operator.press("✅ Импортировать (1)")
    assert "Не удалось получить файл" in operator.last_message().text
    assert await app.count(Deal) == 0
    await operator.press_data(ImportCb(action=ImportAction.confirm, t=1).pack(),
                              operator.last_message())  # fmt: skip
    assert "уже завершён или отменён" in (operator.last_alert() or "")
