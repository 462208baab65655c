"""The deal card: fields, contact links, escaping, rights, deleted deals, stale buttons."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text, update

from bot.callbacks import DealAction, DealCb
from models import Deal, DealEvent
from models.roles import Role
from models.services.deal_card_load import load_statement
from tests.conftest import START, App, postgres_only
from tests.factories import make_deal
from tests.postgres_support import (
    plan,
    reads_by_index,
    seed_big_tables,
    sequential_scans_of_big_tables,
)


async def test_card_shows_fields_links_and_buttons(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(
        app,
        owner,
        "<b>ООО «Ромашка»</b>",
        contacts=("ivan@firm.ru", "+7 999 123-45-67", "firm.ru"),
        amount="150000",
        currency="RUB",
        next_action_on=dt.date(2026, 11, 27),
    )
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    assert f"#{deal.id} · Иван Петров — &lt;b&gt;ООО «Ромашка»&lt;/b&gt;" in card.html
    assert '<a href="tel:+79991234567">+7 999 123-45-67</a>' in card.html
    assert '<a href="mailto:ivan@firm.ru">ivan@firm.ru</a>' in card.html
    assert '<a href="https://firm.ru">firm.ru</a>' in card.html
    assert "Этап: Найти все контакты и соцсети" in card.text
    assert "Воронка: 10 Неразобранные" in card.text
    assert "Сумма: 150\u202f000 ₽" in card.text
    assert "Следующий шаг: 27.11.2026 ⏰ сегодня" in card.text
    assert card.buttons() == [
        ["📝 Заметка", "🔀 Этап"],
        ["📅 След. шаг", "✏️ Изменить"],
        ["🕓 История", "🗑 Удалить"],
        ["📎 Файлы"],
    ]


async def test_card_flags_overdue_and_missing_next_step(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    late = await make_deal(app, owner, "Поздний", next_action_on=dt.date(2026, 11, 24))
    loose = await make_deal(app, owner, "Без шага")
    await ivan.send(f"/deal {late.id}")
    assert "🔥 просрочено на 3 дня" in ivan.last_message().text
    await ivan.send(f"/deal {loose.id}")
    assert "Следующий шаг: — ⚠️ не назначен" in ivan.last_message().text


async def test_someone_elses_deal_is_refused(app: App) -> None:
    _, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner)
    petr, _ = await app.add_user(Role.manager, name="Пётр Сидоров")
    await petr.send(f"/deal {deal.id}")
    assert petr.last_message().text == "Нет доступа к этой сделке."
    # A forged button is refused the same way, and nothing about the deal is shown.
    sent = await petr.press_data(
        DealCb(action=DealAction.open, deal_id=deal.id).pack(), petr.last_message()
    )
    assert sent == []
    assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)


async def test_lead_and_admin_see_the_team_deal(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    async with app.session_factory() as session, session.begin():
        team_id = await app.crm(session).accounts._ensure_team_of(
            await session.get_one(type(lead_user), lead_user.id)
        )
    _, owner = await app.add_user(Role.manager, team_id=team_id)
    deal = await make_deal(app, owner)
    await lead.send(f"/deal {deal.id}")
    assert f"#{deal.id}" in lead.last_message().text
    assert "👥 Передать" in [b for row in lead.last_message().buttons() for b in row]
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    await admin.send(f"/deal {deal.id}")
    assert f"#{deal.id}" in admin.last_message().text


async def test_deleted_deal_button_says_it_is_gone(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    async with app.session_factory() as session, session.begin():
        await session.execute(update(Deal).where(Deal.id == deal.id).values(deleted_at=app.clock()))
    events = await app.count(DealEvent)
    await ivan.press_data(
        DealCb(action=DealAction.refresh, deal_id=deal.id, v=deal.version).pack(), card
    )
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)
    await ivan.send(f"/deal {deal.id}")
    assert ivan.last_message().text == "Этой сделки больше нет."
    await ivan.send("/deal abc")
    assert "/deal 123" in ivan.last_message().text
    assert await app.count(DealEvent) == events


async def test_card_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme", next_action_on=dt.date(2026, 11, 30))
    await john.send(f"/deal {deal.id}")
    text = john.last_message().text
    assert "Stage: Find all contacts and socials" in text and "Pipeline: 10 Unsorted" in text
    assert "Next step: 30 Nov 2026" in text


@postgres_only
async def test_the_card_statement_reads_only_its_deals_notes_on_postgresql(app: App) -> None:
    """The card's one SELECT (deal, relations, last notes) on a big base: PostgreSQL reads the
    deal's notes by index. Joined on ``notes.id IN (last ids)`` alone it read every note
    sequentially and ran the subquery per note (22 ms a card at 6,000 notes, issue 9)."""
    await seed_big_tables(app, managers=2_000)
    async with app.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO notes (deal_id, number, text, happened_on, author_id, created_at)"
                " SELECT d.id, n, 'Заметка ' || n, CAST(:today AS date), d.owner_id, :now"
                " FROM deals d CROSS JOIN generate_series(1, 3) n"
            ),
            {"today": START.date(), "now": START.replace(tzinfo=None)},
        )
        await conn.execute(text("ANALYZE notes"))
        deal_id = await conn.scalar(select(func.max(Deal.id)))
    statement = load_statement(False, app.engine.dialect.name).params(deal_id=deal_id)
    sql = statement.compile(bind=app.engine, compile_kwargs={"literal_binds": True})
    async with app.engine.connect() as conn:
        lines = await plan(conn, sql)
    assert sequential_scans_of_big_tables(lines) == [], lines
    assert reads_by_index(lines, "notes"), lines
