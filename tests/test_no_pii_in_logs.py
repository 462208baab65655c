"""No personal data at INFO or above: a conversation full of names, contacts, a note, a search,
a title edit, refusals that quote what was typed and a hard delete, with every log record
captured; contact values, names, titles and note texts appear at DEBUG only."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from models import Deal
from models.roles import Role
from tests.conftest import ADMIN_ID, App

CLIENT = "Пётр Сидоров"
EMAIL = "petr.sidorov@romashka-test.ru"
PHONE = "+7 999 765-43-21"
NOTE = "Клиент просит скидку, перезвонить Светлане Кузнецовой"
TITLE = "Сидоров — внедрение CRM под ключ"
MANAGER = "Иннокентий Смирнов"
OPERATOR = "Ольга Секретова"
PERSONAL = [
    CLIENT,
    "Сидоров",
    EMAIL,
    "romashka-test",
    PHONE,
    "79997654321",
    "9997654321",
    "Светлан",
    "скидку",
    TITLE,
    "внедрение",
    MANAGER,
    "Иннокентий",
    OPERATOR,
    "Секретова",
    "petr@@romashka",
]


def _text_of(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        text += "\n" + repr(record.exc_info[1])
    return text


async def test_a_conversation_full_of_personal_data_logs_none_of_it_at_info(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        manager, _ = await app.add_user(Role.manager, name=MANAGER, username="kesha_smirnov")
        await manager.send(f"/new {CLIENT}, {EMAIL}, {PHONE}")
        await manager.press("⏰ Время")
        await manager.press("⏰ Завтра")
        await manager.press("10:00")
        deal = await app.scalar(select(Deal))
        assert deal is not None and deal.client_name == CLIENT

        await manager.send(f"/note {deal.id} {NOTE}")
        assert "Заметка" in manager.last_message().text
        await manager.send("/cancel")
        for query in (EMAIL, "Сидоров", "+79997654321"):
            await manager.send(f"/find {query}")
            assert CLIENT in manager.last_message().text, query

        await manager.send(f"/deal {deal.id}")
        card = manager.last_message()
        await manager.press("✏️ Изменить", message=card)
        await manager.press("Название", message=card)
        await manager.send(TITLE)
        assert TITLE in card.text
        # Refusals that quote what was typed: a contact already there, a malformed one.
        await manager.press("✏️ Изменить", message=card)
        await manager.press("Контакты", message=card)
        await manager.press("➕ Добавить контакт", message=card)
        await manager.send(EMAIL.upper())
        assert "уже есть" in manager.last_message().text
        await manager.send("petr@@romashka")
        assert "petr@@romashka" in manager.last_message().text
        await manager.send("/cancel")

        admin = app.client(ADMIN_ID)
        await admin.send("/start")
        _, operator = await app.add_user(Role.operator, name=OPERATOR)
        await admin.send(f"/plan {operator.telegram_id} 5")  # not a seller: names them
        assert OPERATOR in admin.last_message().text

        await admin.send(f"/deal {deal.id}")
        card = admin.last_message()
        await admin.press("🗑 Удалить", message=card)
        await admin.press("🗑 Да, удалить", message=card)
        await admin.press("❌ Удалить навсегда", message=card)
        await admin.press("❌ Да, удалить навсегда", message=card)
        final, _ = admin.find_button("❌ Удалить навсегда", card)
        await admin.press_data(final.callback_data or "", card)
        assert "удалена навсегда" in card.text
        assert await app.scalar(select(Deal)) is None

    loud = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert loud, "the conversation logged nothing at INFO: the test would prove nothing"
    leaks = [
        (r.name, r.levelname, _text_of(r), word)
        for r in loud
        for word in PERSONAL
        if word.lower() in _text_of(r).lower()
    ]
    assert not leaks, leaks[:5]
    # DEBUG may carry them (a refusal's parameters, the title of a deal deleted for good).
    quiet = "\n".join(_text_of(r) for r in caplog.records if r.levelno == logging.DEBUG)
    assert EMAIL.upper() in quiet and TITLE in quiet


async def test_a_failed_statement_does_not_quote_its_parameters(app: App) -> None:
    """The error handler logs a failure's message at ERROR: SQLAlchemy puts the statement's
    parameters in it unless the engine hides them (models/db.py)."""
    async with app.session_factory() as session:
        with pytest.raises(IntegrityError) as failure:
            # No such deal: the foreign key refuses the row, quoting its values if allowed.
            await session.execute(
                text(
                    "INSERT INTO notes (deal_id, number, text, happened_on, created_at) "
                    "VALUES (424242, 1, :text, '2026-11-27', '2026-11-27 06:00:00')"
                ),
                {"text": NOTE},
            )
    assert "скидку" not in str(failure.value) and "hidden" in str(failure.value)
