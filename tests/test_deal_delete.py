"""Delete to the trash, restore, delete forever (admin only); rights, double taps, old buttons."""

from __future__ import annotations

from sqlalchemy import select

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import RemoveAction, RemoveCb
from models import Contact, Deal, DealEvent, EventKind, Note, User
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage


async def _deal(app: App, deal_id: int) -> Deal | None:
    return await app.scalar(select(Deal).where(Deal.id == deal_id))


async def _stored(app: App, deal_id: int) -> Deal:
    deal = await _deal(app, deal_id)
    assert deal is not None, "the deal is gone"
    return deal


async def _events(app: App, deal_id: int, kind: EventKind) -> int:
    return await app.count(DealEvent, DealEvent.deal_id == deal_id, DealEvent.kind == kind)


async def _team(app: App, lead: User) -> int:
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        return await crm.accounts._ensure_team_of(await crm.accounts.get(lead.id))


async def _card(client: ChatClient, deal_id: int) -> SentMessage:
    await client.send(f"/deal {deal_id}")
    return client.last_message()


async def test_manager_deletes_and_restores_own_deal(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка <b>")
    card = await _card(ivan, deal.id)
    await ivan.press("🗑 Удалить", message=card)
    assert card.text == (
        f"🗑 Удалить сделку #{deal.id} «{deal.title}»?\nЕё можно будет восстановить."
    )
    assert "Ромашка &lt;b&gt;" in card.html
    assert card.buttons() == [["🗑 Да, удалить", "« Назад"]]
    assert (await _stored(app, deal.id)).deleted_at is None  # only asked so far

    await ivan.press("🗑 Да, удалить", message=card)
    assert app.telegram.alerts[-1] == ("Сделка удалена. Её можно восстановить.", False)
    stored = await _stored(app, deal.id)
    assert stored.deleted_at == app.clock() and stored.deleted_by_id == owner.id
    assert stored.version == deal.version + 1
    assert await _events(app, deal.id, EventKind.deleted) == 1
    assert card.text.startswith("🗑 Сделка удалена. Её можно восстановить.")
    assert card.buttons() == [["♻️ Восстановить"]]  # no "delete forever" for a manager

    await ivan.press("♻️ Восстановить", message=card)
    stored = await _stored(app, deal.id)
    assert stored.deleted_at is None and stored.deleted_by_id is None
    assert await _events(app, deal.id, EventKind.restored) == 1
    assert card.text.startswith("♻️ Сделка восстановлена.")
    assert "🗑 Удалить" in str(card.buttons())


async def test_back_from_the_confirmation_changes_nothing(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.press("🗑 Удалить", message=card)
    await ivan.press("« Назад", message=card)
    assert "✏️ Изменить" in str(card.buttons())
    assert (await _stored(app, deal.id)).deleted_at is None
    assert await _events(app, deal.id, EventKind.deleted) == 0


async def test_double_taps_make_one_change(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.press("🗑 Удалить", message=card)
    confirm, _ = ivan.find_button("🗑 Да, удалить", card)
    await ivan.press_data(confirm.callback_data or "", card)
    await ivan.press_data(confirm.callback_data or "", card)
    assert await _events(app, deal.id, EventKind.deleted) == 1
    assert app.telegram.alerts[-1] == (
        "Сделка изменилась, пока вы смотрели. Вот актуальная карточка.",
        True,
    )
    assert card.buttons() == [["♻️ Восстановить"]]  # still the deleted card

    restore, _ = ivan.find_button("♻️ Восстановить", card)
    await ivan.press_data(restore.callback_data or "", card)
    await ivan.press_data(restore.callback_data or "", card)
    assert await _events(app, deal.id, EventKind.restored) == 1
    assert (await _stored(app, deal.id)).version == deal.version + 2

    # The Delete button of the card shown before deleting opens the current (live) state.
    await ivan.press("🗑 Удалить", message=card)
    assert "Удалить сделку" in card.text


async def test_old_delete_button_of_a_deleted_deal_shows_the_deleted_card(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    old_card = await _card(ivan, deal.id)
    card = await _card(ivan, deal.id)
    await ivan.press("🗑 Удалить", message=card)
    await ivan.press("🗑 Да, удалить", message=card)
    await ivan.press("🗑 Удалить", message=old_card)
    assert old_card.buttons() == [["♻️ Восстановить"]]
    assert await _events(app, deal.id, EventKind.deleted) == 1


async def test_admin_deletes_forever_after_two_confirmations(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    _, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Дубль", contacts=("dup@firm.ru",))
    async with app.session_factory() as session, session.begin():
        session.add(
            Note(
                deal_id=deal.id,
                number=1,
                text="звонок",
                happened_on=app.clock().date(),
                author_id=owner.id,
                created_at=app.clock(),
            )
        )
    card = await _card(admin, deal.id)
    await admin.press("🗑 Удалить", message=card)
    await admin.press("🗑 Да, удалить", message=card)
    assert card.buttons() == [["♻️ Восстановить"], ["❌ Удалить навсегда"]]

    await admin.press("❌ Удалить навсегда", message=card)
    assert "навсегда?" in card.text and "Это нельзя отменить" in card.text
    assert card.buttons() == [["❌ Да, удалить навсегда"], ["« Назад"]]
    await admin.press("❌ Да, удалить навсегда", message=card)
    assert card.text.startswith("⚠️ Точно удалить навсегда")
    assert await _deal(app, deal.id) is not None  # not yet
    final, _ = admin.find_button("❌ Удалить навсегда", card)
    await admin.press_data(final.callback_data or "", card)

    assert card.text == f"❌ Сделка #{deal.id} «{deal.title}» удалена навсегда."
    assert card.buttons() == []
    assert await _deal(app, deal.id) is None
    assert await app.count(Contact, Contact.deal_id == deal.id) == 0
    assert await app.count(Note, Note.deal_id == deal.id) == 0
    assert await app.count(DealEvent, DealEvent.deal_id == deal.id) == 0

    # A second tap, or any old button of the deal: it no longer exists.
    await admin.press_data(final.callback_data or "", card)
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)
    await admin.press_data(
        DealCb(action=DealAction.restore, deal_id=deal.id, v=deal.version + 1).pack(), card
    )
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)


async def test_cancel_of_delete_forever_returns_to_the_deleted_card(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    deal = await make_deal(app, (await app.add_user(Role.manager))[1])
    card = await _card(admin, deal.id)
    await admin.press("🗑 Удалить", message=card)
    await admin.press("🗑 Да, удалить", message=card)
    await admin.press("❌ Удалить навсегда", message=card)
    await admin.press("❌ Да, удалить навсегда", message=card)
    await admin.press("✖ Отмена", message=card)
    assert card.buttons() == [["♻️ Восстановить"], ["❌ Удалить навсегда"]]
    assert await _deal(app, deal.id) is not None


async def test_manager_forged_delete_forever_is_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _card(ivan, deal.id)
    await ivan.press("🗑 Удалить", message=card)
    await ivan.press("🗑 Да, удалить", message=card)
    version = (await _stored(app, deal.id)).version
    for data in (
        DealCb(action=DealAction.hard_delete, deal_id=deal.id, v=version),
        RemoveCb(action=RemoveAction.hard_sure, deal_id=deal.id, v=version),
        RemoveCb(action=RemoveAction.hard_final, deal_id=deal.id, v=version),
    ):
        await ivan.press_data(data.pack(), card)
        assert app.telegram.alerts[-1] == (
            "Удалять сделки навсегда может только администратор.",
            True,
        )
    assert await _deal(app, deal.id) is not None
    assert card.buttons() == [["♻️ Восстановить"]]


async def test_admin_cannot_delete_forever_a_live_deal(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    deal = await make_deal(app, (await app.add_user(Role.manager))[1])
    card = await _card(admin, deal.id)
    forged = RemoveCb(action=RemoveAction.hard_final, deal_id=deal.id, v=0)
    await admin.press_data(forged.pack(), card)
    assert app.telegram.alerts[-1][0] == (
        "Сделка изменилась, пока вы смотрели. Вот актуальная карточка."
    )
    assert await _deal(app, deal.id) is not None


async def test_lead_deletes_a_team_deal_but_a_manager_not_a_colleagues(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    team_id = await _team(app, lead_user)
    petr, _ = await app.add_user(Role.manager, name="Пётр Сидоров", team_id=team_id)
    _, owner = await app.add_user(Role.manager, team_id=team_id)
    deal = await make_deal(app, owner)

    await petr.send("/start")
    for data in (
        DealCb(action=DealAction.delete, deal_id=deal.id, v=deal.version),
        RemoveCb(action=RemoveAction.confirm, deal_id=deal.id, v=deal.version),
    ):
        await petr.press_data(data.pack(), petr.last_message())
        assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)
    assert (await _stored(app, deal.id)).deleted_at is None

    card = await _card(lead, deal.id)
    await lead.press("🗑 Удалить", message=card)
    await lead.press("🗑 Да, удалить", message=card)
    stored = await _stored(app, deal.id)
    assert stored.deleted_at is not None and stored.deleted_by_id == lead_user.id
    # ...and the manager can't restore it behind the lead's back either.
    await petr.press_data(
        DealCb(action=DealAction.restore, deal_id=deal.id, v=stored.version).pack(),
        petr.last_message(),
    )
    assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)
    assert (await _stored(app, deal.id)).deleted_at is not None
    await lead.press("♻️ Восстановить", message=card)
    assert (await _stored(app, deal.id)).deleted_at is None


async def test_delete_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme")
    card = await _card(john, deal.id)
    await john.press("🗑 Delete", message=card)
    assert card.text == f"🗑 Delete deal #{deal.id} “John Smith — Acme”?\nIt can be restored."
    await john.press("🗑 Yes, delete", message=card)
    assert card.text.startswith("🗑 This deal is deleted. It can be restored.")
    await john.press("♻️ Restore", message=card)
    assert card.text.startswith("♻️ The deal is restored.")
