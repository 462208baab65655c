"""The deal's history: every kind of event in words, newest first, pages, time zones, rights."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import HistoryCb
from models import Deal, DealEvent, EventKind, Pipeline, Source, User
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal


async def _log(
    app: App, deal: Deal, actor: User | None, kind: EventKind, **values: str | None
) -> None:
    """Events other features write (stage moves, notes, dates), logged the way they log them."""
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        stored = await session.get(Deal, deal.id)
        assert stored is not None
        crm.deals.record(stored, actor, kind, **values)


async def test_history_tells_every_change_newest_first(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "Ромашка")
    crm_pipeline = await app.scalar(select(Pipeline).where(Pipeline.code == "crm"))
    avito = await app.scalar(select(Source).where(Source.code == "avito"))
    await _log(app, deal, owner, EventKind.stage, old="contacts", new="proposal")
    app.clock.advance(minutes=5)
    await _log(app, deal, owner, EventKind.note, new="03")
    await _log(app, deal, owner, EventKind.next_action, old="2026-11-27", new="2026-12-01 15:30")
    await _log(
        app, deal, owner, EventKind.field, field="pipeline",
        old=str(deal.pipeline_id), new=str(crm_pipeline.id),
    )  # fmt: skip
    await _log(app, deal, owner, EventKind.field, field="source", new=str(avito.id))
    await _log(app, deal, owner, EventKind.field, field="amount", new="150000.00 RUB")
    await _log(app, deal, None, EventKind.field, field="contact", old="ivan@firm.ru")

    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("Название", message=card)
    app.clock.advance(hours=1)
    await ivan.send("<script>alert(1)</script>")
    await ivan.press("🕓 История", message=card)

    text = card.text
    assert text.startswith(f"🕓 История сделки #{deal.id} · <script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card.html and "<script>" not in card.html
    expected = [
        "27.11.2026 10:05 · Иван Петров",
        "✏️ Название: Иван Петров — Ромашка → <script>alert(1)</script>",
        "27.11.2026 09:05 · система",
        "➖ Контакт: ivan@firm.ru",
        "✏️ Сумма: — → 150\u202f000 ₽",
        "✏️ Источник: — → Avito",
        "✏️ Воронка: 10 Неразобранные → 5 CRM",
        "📅 Следующий шаг: 27.11.2026 → 01.12.2026 15:30",
        "📝 Заметка 03",
        "27.11.2026 09:00 · Иван Петров",
        "🔀 Этап: Найти все контакты и соцсети → Направить КП",
        "➕ Сделка создана: Иван Петров — Ромашка",
    ]
    positions = [text.index(line) for line in expected]
    assert positions == sorted(positions), text
    assert "Стр." not in text  # one page only
    assert card.buttons() == [["« К карточке"]]
    await ivan.press("« К карточке", message=card)
    assert "✏️ Изменить" in str(card.buttons())


async def test_history_pages_hold_at_most_15_events(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")  # the "created" event is the oldest
    for number in range(1, 18):
        app.clock.advance(minutes=1)
        await _log(app, deal, owner, EventKind.note, new=f"{number:02d}")
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    await ivan.press("🕓 История", message=card)
    assert "Стр. 1 из 2 · 18 событий" in card.text
    assert card.text.count("📝 Заметка") == 15
    assert card.text.index("Заметка 17") < card.text.index("Заметка 03")
    assert "Заметка 02" not in card.text and "Сделка создана" not in card.text
    assert card.buttons() == [["›"], ["« К карточке"]]

    await ivan.press("›", message=card)
    assert "Стр. 2 из 2" in card.text
    assert "📝 Заметка 02" in card.text and "📝 Заметка 01" in card.text
    assert "Сделка создана" in card.text and "Заметка 03" not in card.text
    assert card.buttons() == [["‹"], ["« К карточке"]]
    await ivan.press("‹", message=card)
    assert "Стр. 1 из 2" in card.text
    # A page out of range (an old button after events were purged) shows the last page.
    await ivan.press_data(HistoryCb(deal_id=deal.id, page=9).pack(), card)
    assert "Стр. 2 из 2" in card.text


async def test_history_in_english_and_in_the_viewers_time_zone(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    async with app.session_factory() as session, session.begin():
        await session.execute(
            update(User).where(User.id == owner.id).values(timezone="America/New_York")
        )
    deal = await make_deal(app, owner, "Acme")
    await _log(app, deal, owner, EventKind.stage, old="contacts", new="won")
    await _log(app, deal, owner, EventKind.field, field="reason", old=None, new="price <b>")
    await _log(app, deal, owner, EventKind.deleted)
    await _log(app, deal, owner, EventKind.restored)
    await john.send(f"/deal {deal.id}")
    await john.press("🕓 History")
    text = john.last_message().text
    assert "🕓 History of deal" in text
    assert "27 Nov 2026 01:00 · John Smith" in text  # 06:00 UTC in New York
    assert "🔀 Stage: Find all contacts and socials → Won" in text
    assert "✏️ Reason: — → price <b>" in text and "price &lt;b&gt;" in john.last_message().html
    assert "🗑 Deal deleted" in text and "♻️ Deal restored" in text
    assert "➕ Deal created: John Smith — Acme" in text


async def test_history_of_someone_elses_deal_is_refused(app: App) -> None:
    _, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    petr, _ = await app.add_user(Role.manager, name="Пётр Сидоров")
    await petr.send("/start")
    for data in (
        DealCb(action=DealAction.history, deal_id=deal.id),
        HistoryCb(deal_id=deal.id, page=1),
    ):
        sent = await petr.press_data(data.pack(), petr.last_message())
        assert sent == []
        assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)


async def test_history_of_a_deleted_deal_says_it_is_gone(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    async with app.session_factory() as session, session.begin():
        await session.execute(update(Deal).where(Deal.id == deal.id).values(deleted_at=app.clock()))
    await ivan.press("🕓 История")
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)
    assert await app.count(DealEvent, DealEvent.deal_id == deal.id) == 1
