"""A lead's Today / Overdue filtered to one manager keeps that filter (and its page) when a
one-tap outcome redraws it; a forged or stale owner filter on a row is refused politely and
changes nothing (a lead may filter by their team only, a manager by nobody else)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from bot.callbacks.outcomes import Out, OutCb, Src
from models import Deal, DealEvent, EventKind, Note, User
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal
from tests.test_deal_lists import item_buttons, make_team
from tests.test_outcomes import TODAY, TOMORROW

REFUSED = ("Фильтр по ответственному вам недоступен.", True)


async def _dates(app: App, ids: list[int]) -> list[dt.date | None]:
    rows = await app.all(select(Deal).where(Deal.id.in_(ids)).order_by(Deal.id))
    return [d.next_action_on for d in rows]


async def _moves(app: App, ids: list[int]) -> int:
    return await app.count(
        DealEvent, DealEvent.deal_id.in_(ids), DealEvent.kind == EventKind.next_action
    )


async def test_a_lead_s_filtered_today_stays_filtered_and_on_its_page(app: App) -> None:
    lead, lead_user, team_id = await make_team(app)
    _, anna = await app.add_user(Role.manager, name="Анна Белова", team_id=team_id)
    _, boris = await app.add_user(Role.manager, name="Борис Чернов", team_id=team_id)
    annas = [
        (await make_deal(app, anna, f"Анна {i:02d}", next_action_on=TODAY)).id for i in range(1, 11)
    ]
    borises = [(await make_deal(app, boris, f"Борис {i}", next_action_on=TODAY)).id for i in (1, 2)]
    await make_deal(app, lead_user, "Лида", next_action_on=TODAY)

    await lead.send("/today")
    await lead.press("👥 Чьи: все")
    await lead.press("Анна Белова")
    await lead.press("›")  # page 2 of Anna's ten: 09 and 10
    page = lead.last_message()
    assert item_buttons(lead) == ["9. Анна 09", "10. Анна 10"]

    await lead.press_data(page.button_data(0, 1), page)  # "☎ → завтра" on "Анна 09"
    assert lead.last_alert() == f"#{annas[8]} → 28.11.2026"
    # Redrawn in place: still Anna's deals only, still page 2 (of 9 deals now).
    assert item_buttons(lead) == ["9. Анна 10"]
    assert "ответственный Анна Белова" in page.text and "2/2" in page.text
    assert "Борис" not in page.text and "Лида" not in page.text
    assert ["👥 Чьи: Анна Белова"] in page.buttons()
    assert await _dates(app, annas) == [TODAY] * 8 + [TOMORROW, TODAY]
    assert await _dates(app, borises) == [TODAY, TODAY]
    notes = await app.all(select(Note.text).where(Note.deal_id == annas[8]))
    assert notes == ["☎ Нет ответа"]

    # "Move the rest" on the filtered list names and moves Anna's shown deals only.
    await lead.press("⏭ Остальные → на завтра", message=page)
    assert f"#{annas[9]}" in page.text and f"#{borises[0]}" not in page.text
    await lead.press("✅ Да, перенести", message=page)
    assert await _dates(app, annas) == [TODAY] * 8 + [TOMORROW, TOMORROW]
    assert await _dates(app, borises) == [TODAY, TODAY]
    assert "ответственный Анна Белова" in page.text and "Борис" not in page.text
    assert item_buttons(lead) == [f"{n}. Анна {n:02d}" for n in range(1, 9)]


async def test_a_forged_or_stale_owner_filter_on_a_row_changes_nothing(app: App) -> None:
    lead, lead_user, team_id = await make_team(app)
    _, anna = await app.add_user(Role.manager, name="Анна Белова", team_id=team_id)
    _, outsider = await app.add_user(Role.manager, name="Олег Другой")
    deal = await make_deal(app, anna, "Пётр", next_action_on=TODAY)
    mine = await make_deal(app, lead_user, "Лида", next_action_on=TODAY)
    await lead.send("/today")
    page = lead.last_message()

    # Somebody outside the lead's team: refused before the outcome is applied.
    forged = OutCb(
        act=Out.no_answer, src=Src.today, deal_id=deal.id, v=deal.version, owner=outsider.id
    ).pack()
    assert len(forged.encode()) <= 64
    await lead.press_data(forged, page)
    assert app.telegram.alerts[-1] == REFUSED
    # An id nobody has, the widest one the button can carry.
    huge = OutCb(act=Out.plus3, src=Src.overdue, deal_id=mine.id, v=mine.version, owner=2**31 - 1)
    assert len(huge.pack().encode()) <= 64
    await lead.press_data(huge.pack(), page)
    assert app.telegram.alerts[-1] == REFUSED

    # Anna's row drawn while she was in the team; she has left it since.
    await lead.press("👥 Чьи: все")
    await lead.press("Анна Белова")
    filtered = lead.last_message()
    row = filtered.button_data(0, 1)
    async with app.session_factory() as session, session.begin():
        await session.execute(update(User).where(User.id == anna.id).values(team_id=None))
    await lead.press_data(row, filtered)
    assert app.telegram.alerts[-1] == REFUSED
    await lead.press("⏭ Остальные → на завтра", message=filtered)
    assert app.telegram.alerts[-1] == REFUSED

    assert await _dates(app, [deal.id, mine.id]) == [TODAY, TODAY]
    assert await _moves(app, [deal.id, mine.id]) == 0
    assert await app.count(Note, Note.deal_id.in_([deal.id, mine.id])) == 0


async def test_a_manager_cannot_filter_a_row_by_a_colleague(app: App) -> None:
    ivan, ivan_user = await app.add_user(Role.manager, name="Иван Петров")
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров")
    deal = await make_deal(app, ivan_user, "Своя", next_action_on=TODAY)
    await ivan.send("/today")
    page = ivan.last_message()
    forged = OutCb(act=Out.plus1, src=Src.today, deal_id=deal.id, v=deal.version, owner=petr.id)
    await ivan.press_data(forged.pack(), page)
    assert app.telegram.alerts[-1] == REFUSED
    assert await _dates(app, [deal.id]) == [TODAY] and await _moves(app, [deal.id]) == 0
    # Filtered by himself: the same rows, allowed.
    own = OutCb(act=Out.plus1, src=Src.today, deal_id=deal.id, v=deal.version, owner=ivan_user.id)
    await ivan.press_data(own.pack(), page)
    assert await _dates(app, [deal.id]) == [TOMORROW]
    assert "Фильтр: ответственный Иван Петров" in page.text
