"""Files on a deal, as conversations: a document / photo / voice note replying to a card or
sent after 📎 is attached; the card counts them; a tap re-sends one by file_id; delete with an
audit event; refusals (too big, .exe), files outside any deal, a spreadsheet left to the
import, a deleted deal's card, someone else's deal."""

from __future__ import annotations

from sqlalchemy import select

from bot.callbacks.files import FileAct, FileCb
from models import DealEvent, DealFile, EventKind, FileKind, User
from models.roles import Role
from models.services.deal_files import IncomingFile
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage

MB = 1024 * 1024


async def _files(app: App, deal_id: int | None = None) -> list[DealFile]:
    where = [DealFile.deal_id == deal_id] if deal_id is not None else []
    return await app.all(select(DealFile).where(*where).order_by(DealFile.id))


async def _file_events(app: App, deal_id: int) -> list[tuple[str | None, str | None]]:
    rows = await app.all(
        select(DealEvent)
        .where(DealEvent.deal_id == deal_id, DealEvent.field == "file")
        .order_by(DealEvent.id)
    )
    assert all(e.kind is EventKind.field for e in rows)
    return [(e.old, e.new) for e in rows]


async def _card(client: ChatClient, deal_id: int) -> SentMessage:
    await client.send(f"/deal {deal_id}")
    card = client.last_message()
    assert card.text.startswith(f"#{deal_id} ·")
    return card


async def test_a_document_replying_to_the_card_is_attached_and_counted(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    assert ["📎 Файлы"] in card.buttons()

    await ivan.send_file("КП Ромашка.pdf", size=2 * MB, reply_to=card)
    assert ivan.last_message().text == f"📎 Прикреплено к сделке #{deal.id}: КП Ромашка.pdf."
    [row] = await _files(app, deal.id)
    assert (row.kind, row.file_id, row.file_unique_id) == (
        FileKind.document,
        "doc-КП Ромашка.pdf",
        "u-КП Ромашка.pdf",
    )
    assert (row.name, row.mime_type, row.size, row.author_id) == (
        "КП Ромашка.pdf",
        "application/pdf",
        2 * MB,
        owner.id,
    )
    assert await _file_events(app, deal.id) == [(None, "КП Ромашка.pdf")]
    # The replied card is refreshed in place with the count.
    assert ["📎 1"] in card.buttons()

    await ivan.send_photo("ph-1", reply_to=card)
    await ivan.send_voice("vo-1", reply_to=card)
    assert [f.kind for f in await _files(app, deal.id)] == [
        FileKind.document,
        FileKind.photo,
        FileKind.voice,
    ]
    assert ["📎 3"] in card.buttons()
    photo = (await _files(app, deal.id))[1]
    assert (photo.file_id, photo.size) == ("ph-1", 90_000)  # the largest size of the photo


async def test_paperclip_lists_files_attaches_the_next_one_and_resends_by_file_id(
    app: App,
) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.press("📎 Файлы", message=card)
    assert "Файлов пока нет" in card.text
    assert card.buttons() == [["« К карточке"]]

    await ivan.send_file("offer.docx", size=300_000, mime_type=None)
    await ivan.send_voice("vo-7", duration=5)
    assert "Файлы сделки</b> (2 файла)" in card.html
    assert card.buttons()[0] == ["📄 offer.docx · 293 KB", "🗑"]
    assert card.buttons()[1][0].startswith("🎤 Голосовое от 27.11")
    assert len(await _files(app, deal.id)) == 2

    # Text in the 📎 state: a hint, nothing attached, nothing noted.
    await ivan.send("просто текст")
    assert "Жду файл для сделки" in ivan.last_message().text

    # A tap re-sends the file by its file_id.
    await ivan.press("📄 offer.docx · 293 KB", message=card)
    sent = ivan.last_message()
    assert (sent.file_id, sent.document_name) == ("doc-offer.docx", "file")
    await ivan.press("🎤 Голосовое", message=card)
    assert ivan.last_message().voice and ivan.last_message().file_id == "vo-7"

    # Back to the card: the state is left, a document now is "outside any deal".
    await ivan.press("« К карточке", message=card)
    assert ["📎 2"] in card.buttons()
    await ivan.send_file("other.pdf")
    assert "ответьте (reply) им на карточку" in ivan.last_message().text
    assert len(await _files(app, deal.id)) == 2


async def test_delete_a_file_with_an_audit_event_and_twice(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.send_file("old price.pdf", reply_to=card)
    await ivan.press("📎 1", message=card)
    await ivan.press("🗑", message=card)
    assert "Удалить файл «old price.pdf»?" in card.text
    button, _ = ivan.find_button("🗑 Да, удалить", card)
    await ivan.press_data(button.callback_data, card)
    assert ivan.last_alert() == "Файл «old price.pdf» удалён."
    assert await _files(app, deal.id) == []
    assert "Файлов пока нет" in card.text
    assert await _file_events(app, deal.id) == [
        (None, "old price.pdf"),
        ("old price.pdf", None),
    ]

    # The same "yes" pressed again (a double tap): told, nothing else changes.
    await ivan.press_data(button.callback_data, card)
    assert ivan.last_alert() == "Этого файла больше нет."
    assert len(await _file_events(app, deal.id)) == 2


async def test_too_big_and_refused_types_get_a_clear_message(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)

    await ivan.send_file("video of the office.pdf", size=30 * MB, reply_to=card)
    assert "Файл слишком большой: 30.0 МБ. Можно прикрепить файл до 20 МБ" in (
        ivan.last_message().text
    )
    await ivan.send_file("setup.exe", mime_type="application/x-msdownload", reply_to=card)
    assert "Файлы такого типа (exe) не прикрепляются" in ivan.last_message().text
    await ivan.send_file("invoice.pdf.EXE", mime_type="application/octet-stream", reply_to=card)
    assert "(exe)" in ivan.last_message().text
    assert await _files(app) == []
    assert await _file_events(app, deal.id) == []
    # Exactly 20 MB is fine.
    await ivan.send_file("big.pdf", size=20 * MB, reply_to=card)
    assert len(await _files(app, deal.id)) == 1


async def test_a_voice_note_or_document_outside_any_deal_gets_a_hint(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send_voice()
    assert ivan.last_message().text.startswith("Чтобы прикрепить файл к сделке, ответьте")
    await ivan.send_file("scan.pdf")
    assert "нажмите 📎 в карточке" in ivan.last_message().text
    await ivan.send_photo()
    assert "нажмите 📎 в карточке" in ivan.last_message().text
    assert await _files(app) == []


async def test_a_spreadsheet_outside_a_deal_is_not_taken(app: App) -> None:
    """An .xlsx/.csv outside the 📎 state and not a reply is an import (another feature's):
    this router lets it pass to the next one (here: the fallback)."""
    ivan, owner = await app.add_user(Role.manager)
    for name in ("deals.xlsx", "leads.CSV"):
        await ivan.send_file(name, mime_type="text/csv")
        assert "нажмите 📎" not in ivan.last_message().text
    # As a reply to a card it is a file of the deal like any other.
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.send_file("price.xlsx", reply_to=card)
    assert [f.name for f in await _files(app, deal.id)] == ["price.xlsx"]


async def test_a_reply_to_the_card_of_a_deleted_deal_attaches_nothing(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.press("🗑 Удалить", message=card)
    await ivan.press("Да, удалить")
    assert "Сделка удалена" in ivan.last_keyboard_message().text  # type: ignore[union-attr]
    deleted_card = ivan.last_keyboard_message()
    assert deleted_card is not None
    for target in (card, deleted_card):
        await ivan.send_file("late.pdf", reply_to=target)
        assert ivan.last_message().text == "Этой сделки больше нет."
    assert await _files(app) == []


async def test_files_of_another_managers_deal_stay_closed(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    _, petr = await app.add_user(Role.manager, name="Пётр Иванов")
    deal = await make_deal(app, petr)
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        actor = await session.get(User, petr.id)
        assert actor is not None
        row = await crm.files.attach(
            actor, deal.id, IncomingFile(FileKind.document, "f1", "u1", "secret.pdf")
        )
        file_id = row.id
    await ivan.send("/start")
    forged = ivan.last_message()
    for act in (FileAct.panel, FileAct.send, FileAct.delete):
        data = FileCb(act=act, deal_id=deal.id, file_id=file_id).pack()
        await ivan.press_data(data, forged)
        assert ivan.last_alert() == "Нет доступа к этой сделке."
    assert [f.name for f in await _files(app, deal.id)] == ["secret.pdf"]
    assert not any(m.file_id for m in ivan.messages())


async def test_a_sticker_after_paperclip_is_told_what_can_be_attached(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.press("📎 Файлы", message=card)
    await ivan.send_document(None)  # a message with nothing we keep (no text, no file)
    assert ivan.last_message().text == "Прикрепить можно документ, фото или голосовое сообщение."
    assert await _files(app) == []


async def test_paperclip_long_ago_does_not_catch_a_later_file(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.press("📎 Файлы", message=card)
    app.clock.advance(minutes=31)
    await ivan.send_file("meant for someone else.pdf")
    assert "ответьте (reply) им на карточку" in ivan.last_message().text
    assert await _files(app) == []
    await ivan.send_file("again.pdf")  # the state is gone: the same hint
    assert "нажмите 📎 в карточке" in ivan.last_message().text
    assert await _files(app) == []
