"""List exports: the file sent back is opened with openpyxl / csv and compared with the
database; the rights of the person asking apply."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from bot.callbacks.imports import ExportCb
from models import Deal
from models.money import DEFAULT_CURRENCY
from models.roles import Role
from models.services.deal_lists import ListKind
from models.services.export import ExportFormat
from tests.conftest import App
from tests.factories import make_deal
from tests.import_support import last_document, read_csv, read_xlsx, send_file
from tests.test_deal_lists import TODAY, make_team


async def test_my_deals_to_xlsx_matches_the_database(app: App) -> None:
    ivan, manager = await app.add_user(Role.manager, name="Иван Петров")
    _, other = await app.add_user(Role.manager, name="Чужой Менеджер")
    a = await make_deal(app, manager, "ООО Ромашка", contacts=("ivan@firm.ru", "+79991234567"),
                        amount="1500.50", next_action_on=TODAY)  # fmt: skip
    b = await make_deal(app, manager, '=HYPERLINK("http://evil")', company="Лес")
    await make_deal(app, other, "Не его клиент")
    await ivan.send("/export")
    await ivan.press("Мои сделки: ⬇️ Excel")
    doc = last_document(ivan)
    assert doc.document_name == f"deals-{TODAY.isoformat()}.xlsx"
    assert "Мои сделки: 2 сделки" in doc.text
    rows = read_xlsx(doc.document_bytes or b"")
    header = rows[0]
    assert header[:4] == ["№", "Название", "Клиент", "Компания"]
    by_id = {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    assert set(by_id) == {a.id, b.id}, "only the manager's own deals"
    deals = {d.id: d for d in await app.all(select(Deal).where(Deal.id.in_([a.id, b.id])))}
    first = by_id[a.id]
    assert first["Название"] == deals[a.id].title
    assert first["E-mail"] == "ivan@firm.ru" and first["Телефон"] == "+7 999 123-45-67"
    assert first["Сумма"] == float(deals[a.id].amount or 0) == 1500.5
    # No currency in the database: the amount is in the default one (models/money.py).
    assert deals[a.id].currency is None and first["Валюта"] == DEFAULT_CURRENCY == "RUB"
    assert first["Следующий шаг"] == dt.datetime(2026, 11, 27)
    assert first["Ответственный"] == "Иван Петров"
    # Formula-looking text stays text: nothing runs when the file is opened.
    assert by_id[b.id]["Клиент"] == '=HYPERLINK("http://evil")'


async def test_an_amount_without_a_currency_is_in_the_default_one(app: App) -> None:
    """Deals created before currencies (or with an amount typed without one) have NULL in
    the currency column: /stats counts those in the default currency, so does the export."""
    ivan, manager = await app.add_user(Role.manager, name="Иван Петров")
    old = await make_deal(app, manager, "Старая", amount="1500.50", next_action_on=TODAY)
    usd = await make_deal(app, manager, "Доллары", amount="99.5", next_action_on=TODAY)
    none = await make_deal(app, manager, "Без суммы", next_action_on=TODAY)
    async with app.session_factory() as session, session.begin():
        await session.execute(update(Deal).where(Deal.id == usd.id).values(currency="USD"))
    deals = {d.id: d for d in await app.all(select(Deal).where(Deal.owner_id == manager.id))}
    assert [deals[i].currency for i in (old.id, usd.id, none.id)] == [None, "USD", None]

    def expected(deal_id: int) -> str | None:
        deal = deals[deal_id]
        return None if deal.amount is None else (deal.currency or DEFAULT_CURRENCY)

    await ivan.send("/today")
    listing = ivan.last_message()
    await ivan.press("⬇️ Excel", message=listing)
    rows = read_xlsx(last_document(ivan).document_bytes or b"")
    xlsx = {r[0]: dict(zip(rows[0], r, strict=False)) for r in rows[1:]}
    assert set(xlsx) == set(deals)
    for deal_id, row in xlsx.items():
        assert row["Валюта"] == expected(deal_id)
        amount = deals[deal_id].amount
        assert row["Сумма"] == (float(amount) if amount is not None else None)
    assert xlsx[old.id]["Валюта"] == "RUB" and xlsx[usd.id]["Валюта"] == "USD"

    await ivan.press("⬇️ CSV", message=listing)
    rows_csv = read_csv(last_document(ivan).document_bytes or b"")
    csv_rows = {int(r[0]): dict(zip(rows_csv[0], r, strict=True)) for r in rows_csv[1:]}
    assert set(csv_rows) == set(deals)
    for deal_id, row in csv_rows.items():
        assert row["Валюта"] == (expected(deal_id) or "")
    assert (csv_rows[old.id]["Сумма"], csv_rows[old.id]["Валюта"]) == ("1500,50", "RUB")
    assert (csv_rows[none.id]["Сумма"], csv_rows[none.id]["Валюта"]) == ("", "")
    # Nothing was written by exporting.
    assert await app.scalar(select(Deal.currency).where(Deal.id == old.id)) is None


async def test_today_to_csv_with_bom(app: App) -> None:
    ivan, manager = await app.add_user(Role.manager, name="Иван Петров")
    a = await make_deal(app, manager, "Сегодняшний", next_action_on=TODAY, amount="10")
    await make_deal(app, manager, "Завтрашний", next_action_on=TODAY + dt.timedelta(days=1))
    await ivan.send("/today")
    await ivan.press("⬇️ CSV")
    doc = last_document(ivan)
    assert doc.document_name == f"today-{TODAY.isoformat()}.csv"
    rows = read_csv(doc.document_bytes or b"")
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["№"] == str(a.id) and row["Клиент"] == "Сегодняшний"
    assert row["Сумма"] == "10,00" and row["Следующий шаг"] == "27.11.2026"


async def test_lead_exports_a_team_members_list(app: App) -> None:
    lead, lead_user, team_id = await make_team(app)
    _, member = await app.add_user(Role.manager, name="Член Команды", team_id=team_id)
    _, outsider = await app.add_user(Role.manager, name="Не Из Команды")
    mine = await make_deal(app, member, "Клиент команды")
    await make_deal(app, lead_user, "Клиент лида")
    await make_deal(app, outsider, "Чужой")
    changed = await lead.press_data(
        ExportCb(kind=ListKind.mine, fmt=ExportFormat.xlsx, owner=member.id).pack(),
        await _a_message(lead),
    )
    assert changed
    rows = read_xlsx(last_document(lead).document_bytes or b"")
    assert [r[0] for r in rows[1:]] == [mine.id]
    # A forged owner filter of someone outside the team is refused, nothing is sent.
    sent = len([m for m in lead.messages() if m.document_name])
    await lead.press_data(
        ExportCb(kind=ListKind.mine, fmt=ExportFormat.xlsx, owner=outsider.id).pack(),
        await _a_message(lead),
    )
    assert len([m for m in lead.messages() if m.document_name]) == sent


async def _a_message(client):
    await client.send("/export")
    return client.last_message()


async def test_search_results_export_and_a_stale_search_button(app: App) -> None:
    ivan, manager = await app.add_user(Role.manager, name="Иван Петров")
    hit = await make_deal(app, manager, "Ромашка Плюс")
    await make_deal(app, manager, "Василёк")
    await ivan.send("/find ромашка")
    results = ivan.last_message()
    await ivan.press("⬇️ Excel", message=results)
    rows = read_xlsx(last_document(ivan).document_bytes or b"")
    assert [r[0] for r in rows[1:]] == [hit.id]
    await ivan.send("/find василёк")
    sent = len([m for m in ivan.messages() if m.document_name])
    await ivan.press("⬇️ Excel", message=results)  # the older search's button
    assert "Этот поиск устарел" in (ivan.last_alert() or "")
    assert len([m for m in ivan.messages() if m.document_name]) == sent


async def test_empty_list_has_no_export_and_says_so(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("/overdue")
    assert not any("CSV" in b for row in ivan.keyboard() for b in row)
    await ivan.send("/export")
    await ivan.press("Просрочено: ⬇️ CSV")
    assert ivan.last_alert() == "В этом списке нет сделок — выгружать нечего."


async def test_export_imports_back(app: App) -> None:
    """An exported list is a valid import file: its columns are recognised by name."""
    ivan, manager = await app.add_user(Role.manager, name="Иван Петров")
    await make_deal(app, manager, "Клиент", contacts=("a@b.ru",), amount="100", company="ООО")
    await ivan.send("/mydeals")
    await ivan.press("⬇️ Excel")
    data = last_document(ivan).document_bytes or b""
    operator, _ = await app.add_user(Role.operator)
    changed = await send_file(app, operator, "back.xlsx", data)
    text = changed[-1].text
    for line in ("Клиент → Клиент", "E-mail → E-mail", "Ответственный → Ответственный",
                 "Сумма → Сумма", "Название → не загружать"):  # fmt: skip
        assert line in text
    assert "уже есть открытая сделка" in text, "the same client is a duplicate of the open deal"
