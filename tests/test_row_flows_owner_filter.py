"""A lead's Today / Overdue filtered to one manager keeps that filter past the row buttons
that open a flow in a fresh card (🔀 stage, 📅 next date): the card, once the flow is done,
leads back to the filtered list. "❓ No next step" under a filtered list opens that owner's
deals only, and leads back to the filtered list. A forged owner filter on any of them is
refused politely and changes nothing. And a flow left half-way does not hand its "back to
the list" to a later flow started from the card."""

from __future__ import annotations

import datetime as dt

from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from bot.callbacks.lists import Back, ListCb
from bot.callbacks.outcomes import Out, OutCb, Src
from models import Deal, DealEvent, EventKind, Note, User
from models.catalog import Stage
from models.roles import Role
from models.services.deal_lists import ListKind
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.test_deal_lists import item_buttons, make_team
from tests.test_outcomes import TODAY, TOMORROW
from tests.test_outcomes_owner_filter import REFUSED

BACK_TODAY = "‹ К списку «Сегодня»"
BACK_NO_NEXT = "‹ К списку «Без следующего шага»"


def _labels(rows: list[list[str]]) -> list[str]:
    return [b for row in rows for b in row]


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _state(app: App, client: ChatClient) -> tuple[str | None, dict[str, object]]:
    key = StorageKey(bot_id=app.bot.id, chat_id=client.chat.id, user_id=client.user.id)
    return await app.dp.storage.get_state(key), await app.dp.storage.get_data(key)


async def _events(app: App, ids: list[int]) -> int:
    kinds = (EventKind.next_action, EventKind.stage)
    return await app.count(DealEvent, DealEvent.deal_id.in_(ids), DealEvent.kind.in_(kinds))


async def _annas_today(app: App) -> tuple[ChatClient, list[int], list[int], User, User]:
    lead, _lead_user, team_id = await make_team(app)
    _, anna = await app.add_user(Role.manager, name="Анна Белова", team_id=team_id)
    _, boris = await app.add_user(Role.manager, name="Борис Чернов", team_id=team_id)
    annas = [(await make_deal(app, anna, f"Анна {i}", next_action_on=TODAY)).id for i in (1, 2)]
    borises = [(await make_deal(app, boris, "Борис", next_action_on=TODAY)).id]
    await lead.send("/today")
    await lead.press("👥 Чьи: все")
    await lead.press("Анна Белова")
    return lead, annas, borises, anna, boris


def _assert_annas_today(text: str) -> None:
    assert text.startswith("📅 Сегодня") and "ответственный Анна Белова" in text
    assert "Борис" not in text


async def test_the_row_s_date_and_stage_buttons_lead_back_to_the_filtered_list(app: App) -> None:
    lead, annas, borises, _, _ = await _annas_today(app)
    listing = lead.last_message()
    assert item_buttons(lead) == ["1. Анна 1", "2. Анна 2"]

    # 📅 of the first row: the date chips in a fresh card, then back to Anna's Today.
    await lead.press("»", message=listing)
    assert listing.buttons()[0][3:5] == ["📅", "🔀"]
    await lead.press("📅", message=listing)
    card = lead.last_message()
    assert card is not listing and f"#{annas[0]} · " in card.text
    await lead.press("Завтра", message=card)
    assert "✅ Следующий шаг: 28.11.2026." in card.text
    assert card.buttons()[-1] == [BACK_TODAY]
    assert (await _deal(app, annas[0])).next_action_on == TOMORROW
    await lead.press(BACK_TODAY, message=card)
    _assert_annas_today(card.text)
    assert [row[0] for row in card.buttons() if row[0][0].isdigit()] == ["1. Анна 2"]

    # 🔀 of the row left: the stage picker, the stage, its next step, then back again.
    await lead.press("»", message=listing)  # redrawn as it is now: "Анна 2" only
    assert listing.buttons()[0][0] == "1: +1д" and "Анна 1" not in listing.text
    await lead.press("🔀", message=listing)
    card = lead.last_message()
    assert f"#{annas[1]} · " in card.text and "1. Найти все контакты" in _labels(card.buttons())[0]
    await lead.press("2. Собрать требования", message=card)
    await lead.press("+3 дня", message=card)
    assert card.buttons()[-1] == [BACK_TODAY]
    deal = await _deal(app, annas[1])
    assert deal.next_action_on == TODAY + dt.timedelta(days=3)
    assert await app.scalar(select(Stage.code).where(Stage.id == deal.stage_id)) == "requirements"
    await lead.press(BACK_TODAY, message=card)
    # Anna's Today, now empty: Boris's deal is not shown.
    assert "Фильтр: ответственный Анна Белова" in card.text and "Борис" not in card.text
    assert (await _deal(app, borises[0])).next_action_on == TODAY
    assert await _state(app, lead) == (None, {})  # the flows are over: nothing kept


async def test_the_stage_picker_s_back_and_a_won_deal_keep_the_way_back(app: App) -> None:
    lead, annas, _, _, _ = await _annas_today(app)
    listing = lead.last_message()
    await lead.press("»", message=listing)
    await lead.press("🔀", message=listing)
    card = lead.last_message()
    await lead.press("« Назад", message=card)  # the picker closed: the card, and the way back
    assert card.buttons()[-1] == [BACK_TODAY]
    await lead.press("🔀 Этап", message=card)  # started from the card now: no way back
    await lead.press("🏆", message=card)
    await lead.press("✅ Подтвердить", message=card)
    assert not any(b.startswith("‹") for b in _labels(card.buttons()))
    assert (await _deal(app, annas[0])).status.name == "won"


async def test_a_forged_owner_on_a_row_s_date_or_stage_button_changes_nothing(app: App) -> None:
    lead, annas, _, _, _ = await _annas_today(app)
    _, outsider = await app.add_user(Role.manager, name="Олег Другой")
    listing = lead.last_message()
    deal = await _deal(app, annas[0])
    sent = len(lead.messages())
    for act in (Out.dates, Out.stage):
        forged = OutCb(act=act, src=Src.today, deal_id=deal.id, v=deal.version, owner=outsider.id)
        assert len(forged.pack().encode()) <= 64
        await lead.press_data(forged.pack(), listing)
        assert app.telegram.alerts[-1] == REFUSED
    assert len(lead.messages()) == sent  # no card sent
    assert await _state(app, lead) == (None, {})
    assert await _events(app, annas) == 0


async def test_no_next_step_under_a_filtered_list_is_that_owner_s(app: App) -> None:
    lead, annas, borises, anna, boris = await _annas_today(app)
    _, outsider = await app.add_user(Role.manager, name="Олег Другой")
    await make_deal(app, anna, "Анна без шага")
    for n in (1, 2):
        await make_deal(app, boris, f"Борис без шага {n}")
    await lead.send("/today")
    await lead.press("👥 Чьи: все")
    await lead.press("Анна Белова")
    listing = lead.last_message()
    assert listing.buttons()[-1] == ["❓ Без следующего шага: 1"]  # Anna's, not the team's 3

    await lead.press("❓ Без следующего шага: 1", message=listing)
    assert "Без следующего шага</b> · 1 сделка" in listing.html
    assert "ответственный Анна Белова" in listing.text and "Борис" not in listing.text
    assert listing.buttons()[0][0] == "1. Анна без шага"
    assert listing.buttons()[-1] == [BACK_TODAY]
    # A row's 📅 there leads back to Anna's "no next step" list.
    await lead.press("📅", message=listing)
    card = lead.last_message()
    await lead.press("Завтра", message=card)
    assert card.buttons()[-1] == [BACK_NO_NEXT]
    await lead.press(BACK_NO_NEXT, message=card)
    # Anna's list, now empty (not the team's, where Boris's two still are).
    assert "Фильтр: ответственный Анна Белова" in card.text and "Борис" not in card.text
    assert not item_buttons(lead)

    await lead.press(BACK_TODAY, message=listing)
    _assert_annas_today(listing.text)
    assert [row[0] for row in listing.buttons()[:2]] == ["1. Анна 1", "2. Анна 2"]

    # A button drawn before ListCb had "back" (one field less) still opens the list.
    await lead.press_data(f"dl:{ListKind.no_next.value}:1:0:0:{anna.id}:0", listing)
    assert "ответственный Анна Белова" in listing.text and BACK_TODAY not in _labels(
        listing.buttons()
    )
    await lead.press_data(ListCb(kind=ListKind.today, owner=anna.id).pack(), listing)

    # Forged: the "no next step" list of somebody outside the team.
    sent = len(lead.messages())
    forged = ListCb(kind=ListKind.no_next, owner=outsider.id, back=Back.today).pack()
    await lead.press_data(forged, listing)
    assert app.telegram.alerts[-1] == REFUSED
    assert len(lead.messages()) == sent
    _assert_annas_today(listing.text)
    assert await app.count(Note) == 0
    assert [(await _deal(app, i)).next_action_on for i in annas + borises] == [TODAY] * 3


async def test_a_row_flow_left_half_way_gives_no_way_back_to_a_flow_from_the_card(
    app: App,
) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Пётр", next_action_on=TODAY)
    await ivan.send("/today")
    listing = ivan.last_message()
    await ivan.press("✓", message=listing)  # the note flow, remembering Today
    assert (await _state(app, ivan))[1].get("back")
    # Left half-way: the card opened from the list instead, and its own "next step".
    await ivan.press("1. Пётр", message=listing)
    card = ivan.last_message()
    await ivan.press("📅 След. шаг", message=card)
    await ivan.press("Завтра", message=card)
    assert "✅ Следующий шаг: 28.11.2026." in card.text
    assert not any(b.startswith("‹") for b in _labels(card.buttons()))
    assert (await _deal(app, deal.id)).next_action_on == TOMORROW
    assert await _state(app, ivan) == (None, {})

    # The same with /note: a note of its own, not the row's flow.
    await ivan.press("✓", message=listing)
    await ivan.send(f"/note {deal.id} Написал письмо")
    await ivan.press("+3 дня")
    assert not any(b.startswith("‹") for b in _labels(ivan.last_message().buttons()))
    assert await app.count(Note, Note.deal_id == deal.id) == 1
    assert (await _deal(app, deal.id)).next_action_on == TODAY + dt.timedelta(days=3)
    assert await _state(app, ivan) == (None, {})
