"""After "✓" on a list row (the note, then the next date, in a fresh card), the card offers
"‹ back to the list": that list as it is now, same page and owner filter, redrawn in the
card's place. Only a flow started from a list row offers it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import Deal, Note
from models.roles import Role
from tests.conftest import START, App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at
from tests.test_deal_lists import item_buttons, make_team
from tests.test_outcomes import TODAY, TOMORROW

BACK = "‹ К списку «Сегодня»"


def _labels(message_buttons: list[list[str]]) -> list[str]:
    return [b for row in message_buttons for b in row]


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _notes(app: App, deal_id: int) -> list[tuple[str | None, dt.date]]:
    rows = await app.all(select(Note).where(Note.deal_id == deal_id).order_by(Note.id))
    return [(n.text, n.happened_on) for n in rows]


async def test_a_saved_card_leads_back_to_the_filtered_page_it_came_from(app: App) -> None:
    lead, _lead_user, team_id = await make_team(app)
    _, anna = await app.add_user(Role.manager, name="Анна Белова", team_id=team_id)
    _, boris = await app.add_user(Role.manager, name="Борис Чернов", team_id=team_id)
    annas = [
        (await make_deal(app, anna, f"Анна {i:02d}", next_action_on=TODAY)).id for i in range(1, 11)
    ]
    await make_deal(app, boris, "Борис", next_action_on=TODAY)
    await lead.send("/today")
    await lead.press("👥 Чьи: все")
    await lead.press("Анна Белова")
    await lead.press("›")
    listing = lead.last_message()
    assert item_buttons(lead) == ["9. Анна 09", "10. Анна 10"]

    await lead.press("✓", message=listing)  # the first row's: "Анна 09"
    card = lead.last_message()
    assert card is not listing and f"#{annas[8]} · " in card.text
    await lead.send("Созвонились: ждут КП")
    assert BACK not in _labels(card.buttons())  # not before the next date is set
    await lead.press("Завтра", message=card)
    assert "✅ Следующий шаг: 28.11.2026." in card.text
    assert "📝 Заметка" in _labels(card.buttons())  # the card's own buttons, and the way back
    assert card.buttons()[-1] == [BACK]
    assert await _notes(app, annas[8]) == [("Созвонились: ждут КП", TODAY)]
    assert (await _deal(app, annas[8])).next_action_on == TOMORROW

    sent = len(lead.messages())
    await lead.press(BACK, message=card)
    assert len(lead.messages()) == sent  # in the card's place, nothing sent anew
    assert card.text.startswith("📅 Сегодня")
    assert "ответственный Анна Белова" in card.text and "2/2" in card.text
    assert "Борис" not in card.text and "Анна 09" not in card.text
    assert [row[0] for row in card.buttons() if row[0][0].isdigit()] == ["9. Анна 10"]


async def test_the_way_back_survives_changing_the_note_s_date(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", next_action_on=TODAY - dt.timedelta(days=3))
    await ivan.send("/overdue")
    listing = ivan.last_message()
    await ivan.press("✓", message=listing)
    card = ivan.last_message()
    await ivan.send("Не дозвонился, написал письмо")
    await ivan.press("🗓 Дата заметки: 27.11", message=card)
    await ivan.press("Вчера", message=card)
    await ivan.press("+3 дня", message=card)
    assert card.buttons()[-1] == ["‹ К списку «Просрочено»"]
    assert await _notes(app, deal.id) == [
        ("Не дозвонился, написал письмо", TODAY - dt.timedelta(days=1))
    ]
    assert (await _deal(app, deal.id)).next_action_on == TODAY + dt.timedelta(days=3)
    await ivan.press("‹ К списку «Просрочено»", message=card)
    assert card.text == "Просроченных сделок нет 👍"


async def test_a_flow_started_from_the_card_has_no_way_back_to_a_list(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", next_action_on=TODAY)
    await ivan.send("/today")
    await ivan.press("1. Пётр")
    card = ivan.last_message()
    await ivan.press("📝 Заметка", message=card)
    await ivan.send("Созвонились")
    await ivan.press("Завтра", message=card)
    assert "✅ Следующий шаг: 28.11.2026." in card.text
    assert not any(label.startswith("‹") for label in _labels(card.buttons()))
    # /note: neither.
    await ivan.send(f"/note {deal.id} Ещё раз созвонились")
    await ivan.press("+3 дня")
    assert not any(label.startswith("‹") for label in _labels(ivan.last_message().buttons()))
    assert len(await _notes(app, deal.id)) == 2


async def test_the_digest_s_row_leads_back_to_the_digest_in_english(app: App) -> None:
    ctx, _ = make_context(app)
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme", next_action_on=TODAY)
    await make_deal(app, owner, "Globex", next_action_on=TODAY)
    await scan_at(app, ctx, START)
    [digest] = chat(app, owner)
    await john.press("✓", message=digest)
    card = john.last_message()
    await john.send("Called, they want a quote")
    await john.press("Tomorrow", message=card)
    assert card.buttons()[-1] == ["‹ Back to the day's plan"]
    await john.press("‹ Back to the day's plan", message=card)
    assert "Globex" in card.text and "Acme" not in card.text
    assert (await _deal(app, deal.id)).next_action_on == TOMORROW
    assert await _notes(app, deal.id) == [("Called, they want a quote", TODAY)]
