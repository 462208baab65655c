"""Capture from anywhere, as conversations: a forwarded message, a shared contact or a typed
phone / e-mail outside any flow shows the deals the user may see (as a note / open), or a new
deal pre-filled; a forwarded text becomes a note with its own date; inside the New-deal
wizard a forwarded text is the new deal's first note."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.callbacks.capture import CaptureAct, CaptureCb
from models import Contact, Deal, Note, Team
from models.roles import Role
from tests.conftest import START, App
from tests.factories import make_deal

WROTE_AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)  # three days before the clock


async def _notes(app: App, deal_id: int) -> list[Note]:
    return await app.all(select(Note).where(Note.deal_id == deal_id).order_by(Note.number))


async def test_a_shared_contact_matching_three_deals_lists_each_with_its_buttons(
    app: App,
) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deals = [
        await make_deal(app, owner, f"Клиент {n}", contacts=("+7 999 123-45-67",))
        for n in (1, 2, 3)
    ]
    await make_deal(app, owner, "Другой", contacts=("+7 999 000-00-00",))
    await ivan.share_contact("79991234567", "Ольга", "Смирнова")
    shown = ivan.last_message()
    assert "+79991234567: 3 сделки." in shown.text
    for deal in deals:
        assert f"#{deal.id} · " in shown.text
    assert "Другой" not in shown.text
    # A contact has no text to note: open per deal, then a new deal or cancel.
    opens = sorted(row[0] for row in shown.buttons()[:3])
    assert opens == [f"📂 Открыть #{d.id}" for d in deals]
    assert shown.buttons()[3] == ["➕ Новая сделка", "✖️ Отмена"]

    await ivan.press(f"📂 Открыть #{deals[1].id}", message=shown)
    assert ivan.last_message().text.startswith(f"#{deals[1].id} · ")


async def test_a_typed_phone_of_another_managers_deal_is_not_shown(app: App) -> None:
    async with app.session_factory() as session, session.begin():
        team = Team(name="Отдел 1", created_at=START)
        session.add(team)
        await session.flush()
        team_id = team.id
    ivan, _ = await app.add_user(Role.manager)
    _, petr = await app.add_user(Role.manager, name="Пётр Иванов", team_id=team_id)
    theirs = await make_deal(app, petr, "Чужой клиент", contacts=("+7 999 123-45-67",))
    await ivan.send("8 (999) 123-45-67")
    shown = ivan.last_message()
    assert "Сделок с +7 999 123-45-67 не нашлось." in shown.text
    assert f"#{theirs.id}" not in shown.text and "Чужой" not in shown.text
    assert [b for row in shown.buttons() for b in row] == ["➕ Новая сделка", "✖️ Отмена"]
    # A forged "open" of that deal is refused.
    data = CaptureCb(act=CaptureAct.open, deal_id=theirs.id, t=1).pack()
    await ivan.press_data(data, shown)
    assert ivan.last_alert() == "Нет доступа к этой сделке."
    # Creating anyway: the wizard's duplicate check still says whose deal it is.
    await ivan.press("➕ Новая сделка", message=shown)
    await ivan.press("✅ Готово")
    assert "Пётр Иванов" in ivan.last_message().text

    # Their lead sees it (the search service's rights), with whose it is.
    lead, _ = await app.add_user(Role.lead, name="Анна Лидова", team_id=team_id)
    await lead.send("+79991234567")
    assert f"#{theirs.id} · " in lead.last_message().text
    assert "соцсети · Пётр Иванов" in lead.last_message().text  # after the stage: the owner


async def test_a_typed_email_with_no_deal_offers_a_prefilled_new_deal(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    await ivan.send("Olga@Firm.ru")
    shown = ivan.last_message()
    assert "Сделок с Olga@Firm.ru не нашлось." in shown.text
    assert "Создать новую сделку с этими данными?" in shown.text
    await ivan.press("➕ Новая сделка", message=shown)
    wizard = ivan.last_message()
    assert wizard.message_id == shown.message_id  # the capture became the wizard
    assert "✉️ Olga@Firm.ru" in wizard.text
    await ivan.press("✅ Готово")
    for _ in range(4):
        await ivan.press("Пропустить »")
    await ivan.press("✅ Создать")
    deal = await app.scalar(select(Deal))
    assert deal is not None and deal.owner_id == owner.id
    assert await app.all(select(Contact.normalized)) == ["olga@firm.ru"]
    assert await _notes(app, deal.id) == []


async def test_a_forwarded_message_becomes_a_note_of_the_chosen_deal_with_its_date(
    app: App,
) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ольга", contacts=("olga@firm.ru",))
    await ivan.forward("Добрый день! Пришлите КП. olga@firm.ru", "Ольга", date=WROTE_AT)
    shown = ivan.last_message()
    assert "olga@firm.ru: 1 сделка." in shown.text
    assert "Пересланное сообщение от 24.11.2026 можно сохранить заметкой." in shown.text
    assert shown.buttons()[0] == [f"📝 В заметку #{deal.id}", f"📂 Открыть #{deal.id}"]
    note_button, _ = ivan.find_button(f"📝 В заметку #{deal.id}", shown)

    await ivan.press_data(note_button.callback_data, shown)
    [note] = await _notes(app, deal.id)
    assert (note.number, note.text, note.happened_on) == (
        1,
        "Добрый день! Пришлите КП. olga@firm.ru",
        dt.date(2026, 11, 24),
    )
    assert shown.text == f"✅ Добавлено заметкой 01 в сделку #{deal.id}."
    card = ivan.last_message()
    assert "01 · 24.11 — Добрый день!" in card.text and "Когда следующий шаг?" in card.text

    # The same button again (a double tap or a stale message): nothing is added.
    await ivan.press_data(note_button.callback_data, shown)
    assert ivan.last_alert() == "Эта кнопка устарела: перешлите сообщение ещё раз."
    assert len(await _notes(app, deal.id)) == 1


async def test_a_stale_add_as_note_button_of_an_older_capture(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, contacts=("+7 999 123-45-67",))
    await ivan.forward("Первое: +7 999 123-45-67", "Ольга")
    first = ivan.last_message()
    await ivan.forward("Второе: +7 999 123-45-67", "Ольга")
    button, _ = ivan.find_button(f"📝 В заметку #{deal.id}", first)
    await ivan.press_data(button.callback_data, first)
    assert ivan.last_alert() == "Эта кнопка устарела: перешлите сообщение ещё раз."
    assert first.buttons() == []  # the old capture's buttons are taken off
    assert await _notes(app, deal.id) == []
    # The newer one works.
    await ivan.press(f"📝 В заметку #{deal.id}", message=ivan.last_keyboard_message())
    assert [n.text for n in await _notes(app, deal.id)] == ["Второе: +7 999 123-45-67"]


async def test_a_forward_with_no_match_makes_a_new_deal_with_note_01(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.forward(
        "Здравствуйте, нужен сайт. Мой телефон 8 (999) 765-43-21", "Ольга", date=WROTE_AT
    )
    shown = ivan.last_message()
    assert "не нашлось" in shown.text and "👤 Ольга" in shown.text
    assert "Текст сообщения станет заметкой 01 с датой 24.11.2026." in shown.text
    await ivan.press("➕ Новая сделка", message=shown)
    assert "👤 Ольга" in ivan.last_message().text
    await ivan.press("✅ Готово")
    for _ in range(4):
        await ivan.press("Пропустить »")
    await ivan.press("✅ Создать")
    deal = await app.scalar(select(Deal))
    assert deal is not None and deal.client_name == "Ольга"
    [note] = await _notes(app, deal.id)
    assert (note.number, note.happened_on) == (1, dt.date(2026, 11, 24))
    assert note.text.startswith("Здравствуйте, нужен сайт.")
    assert "01 · 24.11 — Здравствуйте" in ivan.last_message().text  # on the new card


async def test_inside_the_wizard_a_forwarded_text_is_the_first_note(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("➕ Новая сделка")
    await ivan.forward("Нужна CRM. olga@firm.ru", "Ольга", date=WROTE_AT)
    await ivan.forward("И ещё: бюджет 300к", "Ольга", date=WROTE_AT + dt.timedelta(days=1))
    await ivan.press("✅ Готово")
    for _ in range(4):
        await ivan.press("Пропустить »")
    await ivan.press("✅ Создать")
    deal = await app.scalar(select(Deal))
    assert deal is not None
    notes = await _notes(app, deal.id)
    assert [(n.number, n.text, n.happened_on) for n in notes] == [
        (1, "Нужна CRM. olga@firm.ru", dt.date(2026, 11, 24)),
        (2, "И ещё: бюджет 300к", dt.date(2026, 11, 25)),
    ]


async def test_inside_a_flow_a_contact_is_that_flows_input_not_a_capture(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    await ivan.press("📝 Заметка")
    await ivan.send("+7 999 123-45-67")  # the note's text, not a capture
    assert [n.text for n in await _notes(app, deal.id)] == ["+7 999 123-45-67"]
    assert "не нашлось" not in ivan.last_message().text


async def test_cancel_and_ordinary_text_are_not_captured(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("Иван, +7 999 123-45-67")  # not a bare contact: the menu hint
    assert "не нашлось" not in ivan.last_message().text
    await ivan.send("ivan@firm.ru")
    shown = ivan.last_message()
    await ivan.press("✖️ Отмена", message=shown)
    assert shown.text == "Хорошо, ничего не сохранено."
    assert await app.count(Deal) == 0


async def test_a_reply_to_the_capture_message_is_no_note_or_file_of_a_listed_deal(
    app: App,
) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, contacts=("+7 999 123-45-67",))
    await ivan.send("+7 999 123-45-67")
    shown = ivan.last_message()
    assert f"#{deal.id} · " in shown.text
    await ivan.send("это не заметка", reply_to=shown)
    await ivan.send_file("offer.pdf", reply_to=shown)
    assert await _notes(app, deal.id) == []
    assert "ответьте (reply) им на карточку" in ivan.last_message().text


async def test_in_english_and_a_contact_with_a_bad_phone(app: App) -> None:
    ann, owner = await app.add_user(Role.manager, name="Ann Smith", language="en")
    deal = await make_deal(app, owner, contacts=("ann@firm.com",))
    await ann.send("ann@firm.com")
    shown = ann.last_message()
    assert "ann@firm.com: 1 deal." in shown.text
    assert shown.buttons()[0] == [f"📂 Open #{deal.id}"]
    await ann.share_contact("12", "Bob")
    assert "does not look like a phone" in ann.last_message().text
    assert ann.last_message().message_id != shown.message_id  # an answer, nothing offered
    assert ann.last_message().buttons() == []
    assert await app.count(Deal) == 1


async def test_in_a_group_chat_a_typed_phone_shows_no_deals(app: App) -> None:
    from aiogram.types import Chat

    ivan, owner = await app.add_user(Role.manager)
    await make_deal(app, owner, "Секретный клиент", contacts=("+7 999 123-45-67",))
    ivan.chat = Chat(id=-100500, type="supergroup", title="Отдел продаж")
    await ivan.send("+7 999 123-45-67")
    assert all("Секретный" not in m.text for m in app.telegram.chat(-100500))
    assert all("сделка" not in m.text for m in app.telegram.chat(-100500))
