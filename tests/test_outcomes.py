"""One-tap outcomes on Today / Overdue / "no next step" / digest rows: the list edited in
place, phones in rows, stale rows (an edited list, a moved / deleted / reassigned deal, a
double tap), "move the rest to tomorrow" with its confirmation and its double tap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from bot.callbacks.outcomes import Out, OutCb, Src
from models import Deal, DealEvent, EventKind, Note
from models.roles import Role
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at
from tests.test_deal_lists import make_team

TODAY = START.date()  # Friday 27.11.2026, 09:00 in Moscow
TOMORROW = TODAY + dt.timedelta(days=1)


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _next_events(app: App, deal_id: int) -> list[str | None]:
    rows = await app.all(
        select(DealEvent).where(
            DealEvent.deal_id == deal_id, DealEvent.kind == EventKind.next_action
        )
    )
    return [e.new for e in rows]


async def test_no_answer_moves_to_tomorrow_with_a_note_and_edits_the_list(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    first = await make_deal(
        app, owner, "Пётр", contacts=("+7 916 123-45-67",), next_action_on=TODAY
    )
    second = await make_deal(app, owner, "Анна", next_action_on=TODAY)
    await ivan.send("/today")
    page = ivan.last_message()
    assert "📞 +79161234567" in page.text  # bare: Telegram makes it tappable
    rows = page.buttons()
    assert rows[0] == ["1. Пётр", "☎ → завтра", "✓", "»"]
    assert rows[1] == ["2. Анна", "☎ → завтра", "✓", "»"]
    assert ["⏭ Остальные → на завтра"] in rows[2:]  # under the rows (export, week beside it)
    sent_before = len(ivan.messages())

    await ivan.press_data(page.button_data(0, 1), page)
    assert ivan.last_alert() == f"#{first.id} → 28.11.2026"
    assert len(ivan.messages()) == sent_before  # edited in place, nothing sent anew
    assert page.edits == 1 and "Пётр" not in page.text and "Анна" in page.text
    row = await _deal(app, first.id)
    assert (row.next_action_on, row.next_action_time) == (TOMORROW, None)
    assert await _next_events(app, first.id) == ["2026-11-28"]
    notes = await app.all(select(Note).where(Note.deal_id == first.id))
    assert [n.text for n in notes] == ["☎ Нет ответа"]
    assert (await _deal(app, second.id)).next_action_on == TODAY


async def test_more_shows_plus_days_and_a_stale_row_changes_nothing(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", next_action_on=TODAY - dt.timedelta(days=2))
    await ivan.send("/overdue")
    page = ivan.last_message()
    old_snapshot = page.button_data(0, 1)  # "☎ → завтра" as first drawn
    await ivan.press("»", message=page)
    assert page.buttons()[0] == ["1: +1д", "+3д", "нед.", "📅", "🔀", "‹"]
    await ivan.press("+3д", message=page)
    assert (await _deal(app, deal.id)).next_action_on == TODAY + dt.timedelta(days=3)
    assert "Просроченных сделок нет" in page.text
    events = await _next_events(app, deal.id)
    assert events == ["2026-11-30"]

    # A button of the list as it was before the edit: polite, and nothing changes twice.
    await ivan.press_data(old_snapshot, page)
    assert ivan.last_alert() == "Эта строка устарела: сделка уже изменилась. Список обновлён."
    assert await _next_events(app, deal.id) == events
    assert await app.count(Note, Note.deal_id == deal.id) == 0


async def test_double_tap_on_a_row_moves_once(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", next_action_on=TODAY)
    await ivan.send("/today")
    page = ivan.last_message()
    data = page.button_data(0, 1)
    await ivan.press_data(data, page)
    await ivan.press_data(data, page)
    assert await _next_events(app, deal.id) == ["2026-11-28"]
    assert await app.count(Note, Note.deal_id == deal.id) == 1


async def test_deleted_and_reassigned_deals_get_a_polite_answer(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    _, other = await app.add_user(Role.manager, name="Ольга Соколова")
    gone = await make_deal(app, owner, "Пётр", next_action_on=TODAY)
    theirs = await make_deal(app, other, "Чужой", next_action_on=TODAY)
    await ivan.send("/today")
    page = ivan.last_message()
    data = page.button_data(0, 1)
    async with app.session_factory() as session, session.begin():
        row = await session.get(Deal, gone.id)
        assert row is not None
        row.deleted_at = START
    await ivan.press_data(data, page)
    assert ivan.last_alert() == (
        "Этой сделки здесь больше нет (удалена или передана). Список обновлён."
    )
    assert "Нет сделок на сегодня" in page.text
    # A forged row for a colleague's deal (as if reassigned away): refused, unchanged.
    forged = OutCb(act=Out.plus1, src=Src.today, deal_id=theirs.id, v=theirs.version).pack()
    await ivan.press_data(forged, page)
    assert ivan.last_alert() == (
        "Этой сделки здесь больше нет (удалена или передана). Список обновлён."
    )
    assert (await _deal(app, theirs.id)).next_action_on == TODAY
    assert await _next_events(app, theirs.id) == []


async def test_move_the_rest_asks_then_moves_each_once(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deals = [await make_deal(app, owner, name, next_action_on=TODAY) for name in ("А", "Б", "В")]
    later = await make_deal(app, owner, "Потом", next_action_on=TODAY + dt.timedelta(days=5))
    await ivan.send("/today")
    page = ivan.last_message()
    await ivan.press("⏭ Остальные → на завтра", message=page)
    assert page.text.startswith("⏭ Перенести на завтра 3 сделки?")
    assert ", ".join(f"#{d.id}" for d in deals) in page.text
    await ivan.press("« Нет", message=page)
    assert "1. А" in page.buttons()[0][0]
    for d in deals:
        assert (await _deal(app, d.id)).next_action_on == TODAY

    await ivan.press("⏭ Остальные → на завтра", message=page)
    confirm = page.button_data(0, 0)
    await ivan.press_data(confirm, page)
    assert ivan.last_alert() == "Перенесено на завтра: 3 сделки."
    assert "Нет сделок на сегодня" in page.text
    for d in deals:
        assert (await _deal(app, d.id)).next_action_on == TOMORROW
        assert await _next_events(app, d.id) == ["2026-11-28"]
    # A double tap on "Yes": polite, and nothing is moved twice.
    await ivan.press_data(confirm, page)
    assert ivan.last_alert() == "Переносить нечего: эти сделки уже перенесены."
    for d in deals:
        assert await _next_events(app, d.id) == ["2026-11-28"]
    assert (await _deal(app, later.id)).next_action_on == TODAY + dt.timedelta(days=5)


async def test_not_now_keeps_the_deal_on_the_no_next_step_list(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр")
    await make_deal(app, owner, "Сегодня", next_action_on=TODAY)
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    await ivan.press("📅 След. шаг", message=card)
    await ivan.press("Не сейчас", message=card)
    assert "«❓ Без следующего шага» (/nonext)" in card.text
    await ivan.send("/today")
    page = ivan.last_message()
    assert page.buttons()[-1] == ["❓ Без следующего шага: 1"]
    await ivan.press("❓ Без следующего шага: 1", message=page)
    assert "Без следующего шага</b> · 1 сделка" in page.html
    assert page.buttons()[0] == ["1. Пётр", "+1д", "+3д", "📅"]
    await ivan.press("+1д", message=page)
    assert (await _deal(app, deal.id)).next_action_on == TOMORROW
    assert "У всех сделок в работе есть следующий шаг" in page.text
    await ivan.send("/nonext")
    assert "У всех сделок в работе есть следующий шаг" in ivan.last_message().text


async def test_digest_rows_act_in_place(app: App) -> None:
    ctx, _ = make_context(app)
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", contacts=("+7 916 123-45-67",), next_action_on=TODAY)
    await scan_at(app, ctx, START)
    [digest] = chat(app, owner)
    assert "📞 +79161234567" in digest.text
    await ivan.press("☎ → завтра", message=digest)
    assert (await _deal(app, deal.id)).next_action_on == TOMORROW
    assert len(chat(app, owner)) == 1 and digest.edits == 1
    assert digest.text == "✅ На сегодня всё разобрано. Просроченных нет."
    assert digest.buttons() == []


async def test_english_rows(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    await make_deal(app, owner, "Acme", next_action_on=TODAY)
    await john.send("/today")
    assert john.last_message().buttons()[0] == ["1. Acme", "☎ → tmrw", "✓", "»"]
    await john.press("⏭ The rest → tomorrow")
    assert john.last_message().text.startswith("⏭ Move 1 deal to tomorrow?")


@contextmanager
def _statements() -> Iterator[list[str]]:
    """The SQL statements every engine runs meanwhile (BEGIN / COMMIT aside)."""
    seen: list[str] = []

    def _seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", _seen)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", _seen)


def _row(text: str, client: str) -> str:
    """The lines of a list's row of this client ("1. Пётр\n👤 ... · 📞 +7...")."""
    [row] = [block for block in text.split("\n\n") if block.split("\n")[0].endswith(client)]
    return row


async def test_today_and_overdue_read_phones_and_the_no_next_count_with_the_page(
    app: App,
) -> None:
    """The rows' phones and the "no next step" count come with the page query (one statement
    besides the user's look-up): the first phone by contact id, whatever comes before it."""
    ivan, owner = await app.add_user(Role.manager)
    _, other = await app.add_user(Role.manager, name="Олег Другой")
    phones = ("client@firm.ru", "+7 916 111-22-33", "+7 916 999-88-77")
    await make_deal(app, owner, "Пётр", contacts=phones, next_action_on=TODAY)
    await make_deal(app, owner, "Анна", contacts=("anna@firm.ru",), next_action_on=TODAY)
    late = dt.timedelta(days=3)
    await make_deal(app, owner, "Глеб", contacts=("+7 903 555-00-11",), next_action_on=TODAY - late)
    await make_deal(app, owner, "Без даты 1")
    await make_deal(app, owner, "Без даты 2", stage_code="paused")
    await make_deal(app, other, "Чужая без даты")  # another manager's: not counted

    await ivan.send("/today")  # the first update of a process also loads the state cache
    with _statements() as sent:
        await ivan.send("/today")
    assert len(sent) == 2, sent  # the user, the page
    page = ivan.last_message()
    assert _row(page.text, "Пётр").endswith("📞 +79161112233")
    assert "+79169998877" not in page.text and "📞" not in _row(page.text, "Анна")
    assert "Глеб" not in page.text
    assert page.buttons()[-1] == ["❓ Без следующего шага: 2"]

    with _statements() as sent:
        await ivan.send("/overdue")
    assert len(sent) == 2, sent
    page = ivan.last_message()
    assert _row(page.text, "Глеб").endswith("📞 +79035550011") and "Пётр" not in page.text
    assert page.buttons()[-1] == ["❓ Без следующего шага: 2"]


async def test_a_lead_s_today_counts_the_team_s_deals_without_a_next_step(app: App) -> None:
    lead, lead_user, team_id = await make_team(app)
    _, anna = await app.add_user(Role.manager, name="Анна Белова", team_id=team_id)
    _, outsider = await app.add_user(Role.manager, name="Олег Другой")
    await make_deal(app, anna, "Пётр", contacts=("+7 916 111-22-33",), next_action_on=TODAY)
    await make_deal(app, anna, "Без даты Анны")
    await make_deal(app, lead_user, "Без даты лида")
    await make_deal(app, outsider, "Чужая без даты")
    await lead.send("/today")
    page = lead.last_message()
    assert _row(page.text, "Пётр").endswith("📞 +79161112233")
    assert page.buttons()[-1] == ["❓ Без следующего шага: 2"]


async def test_an_empty_today_still_counts_the_deals_without_a_next_step(app: App) -> None:
    """An empty page has no row to carry the count: it is asked for apart."""
    ivan, owner = await app.add_user(Role.manager)
    await make_deal(app, owner, "Без даты")
    await ivan.send("/today")
    page = ivan.last_message()
    assert "❓ Без следующего шага: 1" in [b for row in page.buttons() for b in row]


async def test_an_admin_s_today_shows_phones_and_the_company_s_count(app: App) -> None:
    """An admin's company-wide page is a count and a page query (no window): the phones and
    the count are read apart, and still shown."""
    admin, _admin_user = await app.add_user(Role.admin, name="Админ Главный")
    _, anna = await app.add_user(Role.manager, name="Анна Белова")
    _, boris = await app.add_user(Role.manager, name="Борис Чернов")
    await make_deal(app, anna, "Пётр", contacts=("+7 916 111-22-33",), next_action_on=TODAY)
    await make_deal(app, anna, "Без даты Анны")
    await make_deal(app, boris, "Без даты Бориса")
    await admin.send("/today")
    page = admin.last_message()
    assert _row(page.text, "Пётр").endswith("📞 +79161112233")
    assert page.buttons()[-1] == ["❓ Без следующего шага: 2"]


async def test_the_cached_list_statement_serves_each_viewer_their_own_deals(app: App) -> None:
    """Today's statement is built once per role: the viewer, the team and the day are its
    parameters, so a second manager or a lead of another team sees their own rows only."""
    lead_a, _lead_a_user, team_a = await make_team(app)
    lead_b, _lead_b_user, team_b = await make_team(app)
    anna_chat, anna = await app.add_user(Role.manager, name="Анна Белова", team_id=team_a)
    boris_chat, boris = await app.add_user(Role.manager, name="Борис Чернов", team_id=team_b)
    await make_deal(app, anna, "Клиент Анны", next_action_on=TODAY)
    await make_deal(app, anna, "Без даты Анны")
    await make_deal(app, boris, "Клиент Бориса", next_action_on=TODAY)
    await make_deal(app, boris, "Без даты Бориса 1")
    await make_deal(app, boris, "Без даты Бориса 2")
    for chat_, mine, theirs, no_next in (
        (anna_chat, "Клиент Анны", "Клиент Бориса", 1),
        (boris_chat, "Клиент Бориса", "Клиент Анны", 2),
        (lead_a, "Клиент Анны", "Клиент Бориса", 1),
        (lead_b, "Клиент Бориса", "Клиент Анны", 2),
    ):
        await chat_.send("/today")
        page = chat_.last_message()
        assert mine in page.text and theirs not in page.text
        assert page.buttons()[-1] == [f"❓ Без следующего шага: {no_next}"]
