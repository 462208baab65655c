"""Notes from the deal card: the Note button, a reply to the card, /note; numbering, long and
empty texts, escaping, the date the call happened, and the next-step question after a note."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select

from bot.callbacks import DealAction, DealCb
from bot.callbacks.work import NoteAct, NoteCb
from models import Deal, DealEvent, EventKind, Note
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage

TODAY = dt.date(2026, 11, 27)  # the FakeClock's Friday, in Moscow


async def _notes(app: App, deal_id: int) -> list[Note]:
    return await app.all(select(Note).where(Note.deal_id == deal_id).order_by(Note.number))


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _events(app: App, deal_id: int, kind: EventKind) -> list[DealEvent]:
    return await app.all(
        select(DealEvent)
        .where(DealEvent.deal_id == deal_id, DealEvent.kind == kind)
        .order_by(DealEvent.id)
    )


async def _open_card(client, deal_id: int) -> SentMessage:
    await client.send(f"/deal {deal_id}")
    card = client.last_message()
    assert card.text.startswith(f"#{deal_id} ·")
    return card


async def test_note_via_button_is_saved_numbered_and_asks_for_next_step(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    card = await _open_card(ivan, deal.id)

    await ivan.press("📝 Заметка")
    assert card.edits == 1  # the prompt is in the card itself
    assert "Пришлите её текст следующим сообщением" in card.text
    assert card.buttons() == [["✖ Отмена"]]

    await ivan.send("Позвонил, клиент просит КП до понедельника")
    [note] = await _notes(app, deal.id)
    assert (note.number, note.happened_on, note.author_id) == (1, TODAY, owner.id)
    assert note.text == "Позвонил, клиент просит КП до понедельника"
    [event] = await _events(app, deal.id, EventKind.note)
    assert (event.new, event.actor_id) == ("01", owner.id)
    assert (await _deal(app, deal.id)).version == deal.version + 1

    # The same card message, edited in place: the note, then the next-step question.
    assert len(ivan.messages()) == 1
    assert "✅ Заметка 01 сохранена · дата: 27.11.2026." in card.text
    assert "Когда следующий шаг?" in card.text and "Сейчас: 27.11.2026." in card.text
    assert "01 · 27.11 — Позвонил, клиент просит КП до понедельника" in card.text
    assert card.buttons() == [
        ["Сегодня", "Завтра"],
        ["+3 дня", "След. неделя"],
        ["📅 Календарь", "⏰ Время"],
        ["🗓 Дата заметки: 27.11"],
        ["Не сейчас"],
    ]

    # A chip sets an all-day next step at once (the time only after "⏰ Время").
    await ivan.press("Завтра", message=card)
    assert (await _deal(app, deal.id)).next_action_on == TODAY + dt.timedelta(days=1)
    assert "Во сколько?" not in card.text
    assert "✅ Следующий шаг: 28.11.2026." in card.text
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons()
    # The flow is over: the next text is not another note.
    await ivan.send("просто текст")
    assert len(await _notes(app, deal.id)) == 1


async def test_note_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme")
    card = await _open_card(john, deal.id)
    await john.press("📝 Note")
    assert "Send its text as the next message" in card.text
    await john.send("Called them, they want a proposal")
    assert "✅ Note 01 saved · date: 27 Nov 2026." in card.text
    assert "When is the next step?" in card.text
    assert card.buttons()[0] == ["Today", "Tomorrow"]
    await john.press("Not now", message=card)
    assert card.buttons()[0] == ["📝 Note", "🔀 Stage"]
    assert "⚠️ not set" in card.text  # still no next step: the card says so


async def test_reply_to_the_card_is_a_note(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_card(ivan, deal.id)
    await ivan.send("Клиент перезвонил сам", reply_to=card)
    [note] = await _notes(app, deal.id)
    assert note.text == "Клиент перезвонил сам"
    # The replied card is refreshed in place; the question comes in a card at the bottom.
    assert card.edits == 1 and "01 · 27.11 — Клиент перезвонил сам" in card.text
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons()
    bottom = ivan.last_message()
    assert bottom.message_id != card.message_id
    assert "✅ Заметка 01 сохранена" in bottom.text and "Когда следующий шаг?" in bottom.text
    # A reply to a message that is not a card is not a note.
    await ivan.send("/deal abc")
    await ivan.send("а это не заметка", reply_to=ivan.last_message())
    assert len(await _notes(app, deal.id)) == 1


async def test_reply_to_the_card_while_its_prompt_is_open(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_card(ivan, deal.id)
    await ivan.press("📝 Заметка")
    await ivan.send("Ответ на карточку", reply_to=card)
    assert [n.text for n in await _notes(app, deal.id)] == ["Ответ на карточку"]
    assert "✅ Заметка 01 сохранена" in card.text  # one card, no duplicate at the bottom


async def test_note_command(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/note {deal.id} Отправил портфолио\nвторая строка")
    [note] = await _notes(app, deal.id)
    assert note.text == "Отправил портфолио\nвторая строка"
    card = ivan.last_message()
    assert card.text.startswith("✅ Заметка 01 сохранена") and f"#{deal.id} ·" in card.text

    for bad in ("/note", "/note abc текст"):
        await ivan.send(bad)
        assert "/note 123 текст заметки" in ivan.last_message().text
    # "/note <id>" alone asks for the text, as the button does.
    await ivan.send(f"/note #{deal.id}")
    assert "Пришлите её текст" in ivan.last_message().text
    await ivan.send("Вторая заметка")
    assert [n.number for n in await _notes(app, deal.id)] == [1, 2]
    # Someone else's deal: refused, nothing written.
    petr, _ = await app.add_user(Role.manager, name="Пётр Сидоров")
    await petr.send(f"/note {deal.id} чужая заметка")
    assert petr.last_message().text == "Нет доступа к этой сделке."
    assert len(await _notes(app, deal.id)) == 2


async def test_long_note_is_kept_whole(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_card(ivan, deal.id)
    await ivan.press("📝 Заметка")
    text = "Протокол встречи. " + "x" * (4096 - 18)
    assert len(text) == 4096
    await ivan.send(text)
    [note] = await _notes(app, deal.id)
    assert note.text == text  # the database keeps every character
    assert "…" in card.text and len(card.text) <= 4096  # the card shows a preview


async def test_empty_and_non_text_notes_are_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await _open_card(ivan, deal.id)
    await ivan.press("📝 Заметка")
    await ivan.send("   \n  ")
    assert ivan.last_message().text == "Пустую заметку сохранить нельзя. Напишите текст."
    await ivan.share_contact("+79991234567", "Иван")
    assert ivan.last_message().text == "Пришлите текст сообщением. /cancel — отмена."
    assert await app.count(Note) == 0
    assert await app.count(DealEvent, DealEvent.kind == EventKind.note) == 0
    # Still waiting for the note: a real text is saved.
    await ivan.send("Теперь по делу")
    assert [n.text for n in await _notes(app, deal.id)] == ["Теперь по делу"]


async def test_cancel_leaves_the_note_prompt(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_card(ivan, deal.id)
    await ivan.press("📝 Заметка")
    await ivan.send("/cancel")
    assert ivan.last_message().text == "Отменено. Ничего не изменено."
    await ivan.send("это уже не заметка")
    assert await app.count(Note) == 0
    # The prompt's Cancel button gives the card its buttons back (and leaves the prompt).
    await ivan.press("✖ Отмена", message=card)
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons() and "Пришлите" not in card.text
    await ivan.press("📝 Заметка", message=card)
    await ivan.press("✖ Отмена", message=card)
    await ivan.send("и это тоже")
    assert await app.count(Note) == 0


async def test_card_shows_the_last_three_notes_numbered_and_escaped(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    for text in ("первая", "вторая", "<b>третья</b> & co", "четвёртая"):
        await ivan.send(f"/note {deal.id} {text}")
    assert [n.number for n in await _notes(app, deal.id)] == [1, 2, 3, 4]
    card = await _open_card(ivan, deal.id)
    assert "📝 4 заметки:" in card.text
    assert "01 · " not in card.text
    assert "02 · 27.11 — вторая" in card.text
    assert "<b>03</b> · 27.11 — &lt;b&gt;третья&lt;/b&gt; &amp; co" in card.html
    assert "04 · 27.11 — четвёртая" in card.text


async def test_note_date_chips_and_typed_date(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_card(ivan, deal.id)
    await ivan.press("📝 Заметка")
    await ivan.send("Созвонились вчера")
    await ivan.press("🗓 Дата заметки: 27.11", message=card)
    assert "Когда были звонок или письмо заметки 01? Сейчас: 27.11.2026." in card.text
    assert card.buttons()[0] == ["✅ Сегодня", "Вчера", "Позавчера"]
    await ivan.press("Вчера", message=card)
    [note] = await _notes(app, deal.id)
    assert note.happened_on == TODAY - dt.timedelta(days=1)
    assert app.telegram.alerts[-1] == ("Дата заметки 01: 26.11.2026.", False)
    [event] = [e for e in await _events(app, deal.id, EventKind.note) if e.field]
    assert (event.field, event.old, event.new) == (
        "happened_on",
        "01: 2026-11-27",
        "01: 2026-11-26",
    )
    # Back to the "saved" view, with the next-step chips still there.
    assert "01 · 26.11 — Созвонились вчера" in card.text
    assert ["🗓 Дата заметки: 26.11"] in card.buttons() and ["Сегодня", "Завтра"] in card.buttons()

    await ivan.press("🗓 Дата заметки: 26.11", message=card)
    await ivan.press("⌨️ Ввести дату", message=card)
    assert "Напишите дату заметки 01" in card.text
    await ivan.send("вчера-позавчера")
    assert ivan.last_message().text.startswith("Не понял дату.")
    await ivan.send("30.11.2026")  # an explicit future date
    assert ivan.last_message().text == "Дата заметки не может быть в будущем."
    await ivan.send("20.11")  # no year: the latest 20.11 that has happened
    assert (await _notes(app, deal.id))[0].happened_on == dt.date(2026, 11, 20)
    await ivan.press("🗓 Дата заметки: 20.11", message=card)
    await ivan.press("⌨️ Ввести дату", message=card)
    await ivan.send("30.11")  # 30.11 of this year is still ahead: last year's
    assert (await _notes(app, deal.id))[0].happened_on == dt.date(2025, 11, 30)
    # Forged "3 days in the future" / "ages ago" buttons are refused.
    await ivan.press_data(NoteCb(act=NoteAct.days_ago, note_id=note.id, days=10**9).pack(), card)
    assert app.telegram.alerts[-1] == ("Не получилось разобрать ввод. Попробуйте ещё раз.", True)
    # A negative number does not even unpack (bot/callbacks/fields.py).
    await ivan.press_data(f"wn:{NoteAct.days_ago.value}:{note.id}:-3", card)
    assert ivan.last_alert() == "Эта кнопка устарела. Откройте нужное заново из меню."
    assert (await _notes(app, deal.id))[0].happened_on == dt.date(2025, 11, 30)


async def test_same_note_date_twice_records_one_event(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/note {deal.id} текст")
    card = ivan.last_message()
    await ivan.press("🗓 Дата заметки: 27.11", message=card)
    yesterday, _ = ivan.find_button("Вчера", card)
    await ivan.press_data(yesterday.callback_data, card)
    await ivan.press_data(yesterday.callback_data, card)  # a double tap
    note_date_events = [e for e in await _events(app, deal.id, EventKind.note) if e.field]
    assert len(note_date_events) == 1


async def test_note_on_a_closed_deal_asks_no_next_step(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, stage_code="won")
    await ivan.send(f"/note {deal.id} Клиент доволен, просит счёт на поддержку")
    card = ivan.last_message()
    assert "✅ Заметка 01 сохранена" in card.text and "следующий шаг" not in card.text
    assert card.buttons() == [["🗓 Дата заметки: 27.11"], ["✔ Готово"]]
    await ivan.press("✔ Готово", message=card)
    assert ["📝 Заметка", "🔀 Этап"] in card.buttons()


async def test_note_buttons_of_other_users_and_deleted_deals(app: App, caplog) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/note {deal.id} секрет")
    [note] = await _notes(app, deal.id)
    petr, _ = await app.add_user(Role.manager, name="Пётр Сидоров")
    await petr.send("/deal abc")
    anywhere = petr.last_message()
    with caplog.at_level("WARNING"):
        await petr.press_data(DealCb(action=DealAction.note, deal_id=deal.id).pack(), anywhere)
    assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)
    assert any("access denied" in r.getMessage() for r in caplog.records)
    await petr.press_data(NoteCb(act=NoteAct.days_ago, note_id=note.id, days=1).pack(), anywhere)
    assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)
    assert (await _notes(app, deal.id))[0].happened_on == TODAY
    await petr.press_data(NoteCb(act=NoteAct.back, note_id=99999).pack(), anywhere)
    assert app.telegram.alerts[-1] == ("Этой заметки больше нет.", True)

    card = await _open_card(ivan, deal.id)
    async with app.session_factory() as session, session.begin():
        (await session.get_one(Deal, deal.id)).deleted_at = app.clock()
    await ivan.press("📝 Заметка", message=card)
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)
    await ivan.send(f"/note {deal.id} в удалённую")
    assert ivan.last_message().text == "Этой сделки больше нет."
    assert len(await _notes(app, deal.id)) == 1


async def test_stale_note_button_shows_the_current_card(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    old_card = await _open_card(ivan, deal.id)
    await ivan.send(f"/note {deal.id} изменение в другом месте")
    await ivan.press("📝 Заметка", message=old_card)
    assert (app.telegram.alerts[-1][0] or "").startswith("Сделка изменилась")
    assert "01 · 27.11 — изменение в другом месте" in old_card.text
    assert "Пришлите" not in old_card.text
    # The refreshed card's button works.
    await ivan.press("📝 Заметка", message=old_card)
    assert "Пришлите её текст" in old_card.text


async def test_flows_from_another_message_send_a_fresh_card(app: App) -> None:
    """A digest (or any message) with Note / Stage buttons: the digest stays as it is, even
    when its buttons are older than the deal (a fresh, current card is sent anyway)."""
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    buttons = [
        InlineKeyboardButton(
            text=text, callback_data=DealCb(action=action, deal_id=deal.id, v=deal.version).pack()
        )
        for text, action in (("Готово + заметка", DealAction.note), ("Этап", DealAction.stage))
    ]
    markup = InlineKeyboardMarkup(inline_keyboard=[buttons])
    digest = await app.bot.send_message(ivan.chat.id, "Сегодня: 1 сделка", reply_markup=markup)
    await ivan.send(f"/note {deal.id} до дайджеста")  # the digest's buttons are now stale
    await ivan.press("Готово + заметка")
    digest_now = app.telegram.messages[(ivan.chat.id, digest.message_id)]
    card = ivan.last_message()
    assert card.message_id != digest.message_id and "Пришлите её текст" in card.text
    await ivan.send("Сделал звонок")
    assert "✅ Заметка 02 сохранена" in card.text
    await ivan.press("Этап", message=digest_now)
    assert "Выберите этап" in ivan.last_message().text
    assert digest_now.edits == 0 and digest_now.text == "Сегодня: 1 сделка"
