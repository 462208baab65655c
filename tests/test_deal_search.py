"""Search: e-mail, phone in any format, parts of names (Cyrillic too), titles; visibility,
bad queries, the search state, paging through results, stale result buttons."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from aiogram.types import Document
from sqlalchemy import update

from bot.callbacks.lists import ListCb
from models import Deal, User
from models.errors import InvalidInput
from models.roles import Role
from models.search_text import fold
from models.services.deal_lists import ListKind, SearchBy, parse_query
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.test_deal_lists import make_many, make_team


def found(client: ChatClient) -> list[str]:
    return [row[0] for row in client.keyboard() if re.match(r"\d+\. ", row[0])]


async def seeded(app: App) -> tuple[ChatClient, User, User]:
    ivan, owner = await app.add_user(Role.manager, name="Мария Смирнова")
    _, other = await app.add_user(Role.manager, name="Пётр Сидоров")
    await make_deal(app, owner, "Иван Петров", contacts=("Ivan.Petrov@Firm.ru", "+7 999 123-45-67"))
    await make_deal(app, owner, "ООО Ромашка", company="ЗАО «Вектор»", title="Сайт для Ромашки")
    await make_deal(app, owner, "John Smith", contacts=("https://acme.com",))
    await make_deal(
        app, other, "Иван Чужой", contacts=("ivan@other.ru", "+7 999 765-43-21"), title="Иван"
    )
    return ivan, owner, other


# -- the parser ----------------------------------------------------------------------------
def test_queries_are_classified_and_validated() -> None:
    assert parse_query("  IVAN@Firm.RU ").key == "ivan@firm.ru"
    assert parse_query("IVAN@Firm.RU").by is SearchBy.email
    for phone in ("+7 999 123-45-67", "8 (999) 123 45 67", "9991234567", "+79991234567"):
        query = parse_query(phone)
        assert (query.by, query.key) == (SearchBy.phone, "+79991234567"), phone
    assert parse_query("ива").by is SearchBy.text
    assert parse_query("ivan@").by is SearchBy.text
    with pytest.raises(InvalidInput) as short:
        parse_query(" я ")
    assert short.value.key == "search.too_short"
    with pytest.raises(InvalidInput) as long_:
        parse_query("x" * 101)
    assert long_.value.key == "search.too_long"
    assert fold("  Ёлкин   ИВАН ") == "елкин иван"


# -- matching ------------------------------------------------------------------------------
async def test_search_by_email_is_exact_and_case_insensitive(app: App) -> None:
    ivan, _, _ = await seeded(app)
    await ivan.send("/find IVAN.PETROV@firm.RU")
    assert found(ivan) == ["1. Иван Петров"]
    assert "найдена 1 сделка" in ivan.last_message().text
    await ivan.send("/find petrov@firm.ru")  # exact e-mail: a different address
    assert ivan.last_message().text.startswith("По запросу «petrov@firm.ru» ничего не нашлось")


async def test_search_by_phone_in_any_format(app: App) -> None:
    ivan, _, _ = await seeded(app)
    for phone in ("+7 999 123-45-67", "8 (999) 123 45 67", "9991234567", "+7(999)1234567"):
        await ivan.send(f"/find {phone}")
        assert found(ivan) == ["1. Иван Петров"], phone
    # A contact shared from the phone book after pressing Search.
    await ivan.send("🔎 Поиск")
    await ivan.share_contact("79991234567", "Иван")
    assert found(ivan) == ["1. Иван Петров"]
    # A part of a phone matches the digits too.
    await ivan.send("/find 123-45-67")
    assert found(ivan) == ["1. Иван Петров"]


async def test_search_by_parts_of_names_in_any_case(app: App) -> None:
    ivan, _, _ = await seeded(app)
    for query, expected in (
        ("иван", ["1. Иван Петров"]),  # SQLite's LIKE alone folds ASCII only
        ("ПЕТРОВ", ["1. Иван Петров"]),
        ("иВАН пЕТРОВ", ["1. Иван Петров"]),  # any mix of cases (the folded column)
        ("ромаш", ["1. ООО Ромашка"]),  # client and title
        ("вектор", ["1. ООО Ромашка"]),  # company
        ("сайт для", ["1. ООО Ромашка"]),  # title only
        ("JOHN", ["1. John Smith"]),
        ("acme.com", ["1. John Smith"]),  # part of a site
        ("firm.ru", ["1. Иван Петров"]),  # part of an e-mail
    ):
        await ivan.send(f"/find {query}")
        assert found(ivan) == expected, query


async def test_like_wildcards_are_literal(app: App) -> None:
    ivan, owner, _ = await seeded(app)
    await ivan.send("/find %%")
    assert "ничего не нашлось" in ivan.last_message().text
    await ivan.send("/find _a")
    assert "ничего не нашлось" in ivan.last_message().text
    await make_deal(app, owner, "Скидка 100% клиенту")
    await ivan.send("/find 100%")
    assert found(ivan) == ["1. Скидка 100% клиенту"]


async def test_other_managers_deals_are_not_found(app: App) -> None:
    ivan, _, other = await seeded(app)
    for query in ("ivan@other.ru", "+7 999 765-43-21", "Чужой"):
        await ivan.send(f"/find {query}")
        assert "ничего не нашлось" in ivan.last_message().text, query
    # Their lead finds them; an admin finds everybody's.
    lead, _, team_id = await make_team(app)
    async with app.session_factory() as session, session.begin():
        await session.execute(update(User).where(User.id == other.id).values(team_id=team_id))
    await lead.send("/find +79997654321")
    assert found(lead) == ["1. Иван Чужой"]
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    await admin.send("/find иван")
    assert {b.split(". ", 1)[1] for b in found(admin)} == {"Иван Петров", "Иван Чужой"}


async def test_deleted_and_closed_deals(app: App) -> None:
    ivan, owner, _ = await seeded(app)
    await make_deal(app, owner, "Закрытая Иванова", stage_code="won")
    gone = await make_deal(app, owner, "Удалённая Иванова")
    async with app.session_factory() as session, session.begin():
        await session.execute(update(Deal).where(Deal.id == gone.id).values(deleted_at=app.clock()))
    await ivan.send("/find иванова")
    assert found(ivan) == ["1. Закрытая Иванова"]  # history is searchable, the bin is not
    assert "Выиграли" in ivan.last_message().text


# -- the conversation ----------------------------------------------------------------------
async def test_search_button_then_query_then_paging(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    await make_many(app, owner, 10, client="Ромашка", day=None)
    await make_deal(app, owner, "Другая")
    await ivan.send("🔎 Поиск")
    assert ivan.last_message().text.startswith("🔎 Что ищем?")
    await ivan.send("я")
    assert ivan.last_message().text == "Слишком короткий запрос: нужно хотя бы 2 символа."
    await ivan.send("x" * 150)
    assert "150 символов, можно не больше 100" in ivan.last_message().text
    await ivan.send("ромашка")  # still searching after a bad query
    listing = ivan.last_message()
    assert "Поиск: «ромашка» · найдено 10 сделок" in listing.text and "Стр. 1/2" in listing.text
    assert len(found(ivan)) == 8
    await ivan.press("›")
    assert ivan.last_message().message_id == listing.message_id
    assert found(ivan) == ["9. Ромашка 002", "10. Ромашка 001"]  # newest activity first

    # The state was left: the next text is not another search.
    await ivan.send("Другая")
    assert "Поиск" not in ivan.last_message().text

    # A newer search makes the old result buttons stale.
    await ivan.send("/find другая")
    assert found(ivan) == ["1. Другая"]
    await ivan.press("‹", message=listing)
    assert app.telegram.alerts[-1] == (
        "Этот поиск устарел. Начните новый: 🔎 Поиск в меню или /find текст.",
        True,
    )
    # An item opens the card.
    await ivan.press("1. Другая")
    assert "#" in ivan.last_message().text and "Другая" in ivan.last_message().text


async def test_search_state_gives_way_to_commands_and_cancel(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка", next_action_on=dt.date(2026, 11, 27))
    await ivan.send("/find")
    assert ivan.last_message().text.startswith("🔎 Что ищем?")
    await ivan.send(f"/deal {deal.id}")  # a command is not a query
    assert ivan.last_message().text.startswith(f"#{deal.id} · ")
    await ivan.send("ромашка")
    assert "Поиск" not in ivan.last_message().text

    await ivan.send("🔎 Поиск")
    await ivan.press("✖ Отмена")
    assert ivan.last_message().text == "Поиск отменён."
    await ivan.send("ромашка")
    assert "Поиск" not in ivan.last_message().text

    await ivan.send("🔎 Поиск")
    await ivan.send_document(Document(file_id="f", file_unique_id="u", file_name="a.pdf"))
    assert ivan.last_message().text == "Напишите запрос текстом или нажмите /cancel."
    await ivan.send("/cancel")
    assert ivan.last_message().text == "Отменено. Ничего не изменено."

    # "New search" on a result list asks again.
    await ivan.send("/find ромашка")
    await ivan.press("🔎 Новый поиск")
    assert ivan.last_message().text.startswith("🔎 Что ищем?")
    await ivan.send("ромаш")
    assert found(ivan) == ["1. Ромашка"]


async def test_forged_search_page_without_a_search(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("/today")
    await ivan.press_data(ListCb(kind=ListKind.search, page=2, q=7).pack(), ivan.last_message())
    assert (app.telegram.alerts[-1][0] or "").startswith("Этот поиск устарел.")


async def test_search_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    await make_deal(app, owner, "Acme Corp", contacts=("+44 20 7946 0958",))
    await john.send("🔎 Search")
    assert john.last_message().text.startswith("🔎 What are we looking for?")
    await john.send("acme")
    assert "Search: “acme” · 1 deal found" in john.last_message().text
    await john.send("/find nothing-like-it")
    assert john.last_message().text.startswith("Nothing found for “nothing-like-it”.")
    await john.send("/find a")
    assert john.last_message().text == "The query is too short: at least 2 characters, please."
    await john.send("/find <b>")
    assert "&lt;b&gt;" in john.last_message().html


async def test_search_follows_edits_and_folds_yo(app: App) -> None:
    """The folded search column is kept current by every edit of what it is built from."""
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "Пётр Ёлкин")
    await ivan.send("/find елкин")
    assert found(ivan) == ["1. Пётр Ёлкин"]
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        actor = await crm.accounts.get(owner.id)
        loaded = await crm.editing.load(actor, deal.id)
        await crm.editing.set_value(actor, loaded, "client", "Семён Берёзкин")
        await crm.editing.add_contact(actor, loaded, "semen@birch.ru")
        await crm.editing.set_value(actor, loaded, "title", "Сайт под ключ")
    await ivan.send("/find елкин")  # was in the client and the pre-filled title: both gone
    assert found(ivan) == []
    for query in ("БЕРЕЗКИН", "birch.ru", "под ключ"):
        await ivan.send(f"/find {query}")
        assert found(ivan) == ["1. Семён Берёзкин"], query


async def test_a_search_writes_nothing_and_its_pages_still_turn(app: App) -> None:
    """A search is a read: its query is kept for the page buttons in memory (or Redis), not
    in a write transaction of its own (it cost a search half its time)."""
    from models.reliability import FsmState, ProcessedUpdate
    from tests.reminders_support import set_user

    ivan, owner = await app.add_user(Role.manager)
    await make_many(app, owner, 10, client="Ромашка", day=None)
    # Seen a minute ago: "last seen" is not due for a write (at most one per 5 minutes).
    await set_user(app, owner, last_seen_at=app.clock() - dt.timedelta(minutes=1))
    await ivan.send("/find ромашка")
    listing = ivan.last_message()
    assert await app.count(FsmState) == 0 and await app.count(ProcessedUpdate) == 0
    await ivan.press("›")
    assert ivan.last_message().message_id == listing.message_id
    assert found(ivan) == ["9. Ромашка 002", "10. Ромашка 001"]
