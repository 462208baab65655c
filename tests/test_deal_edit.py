"""Editing a deal from its card: every field, contacts, pipelines, bad input, stale buttons."""

from __future__ import annotations

import decimal

from sqlalchemy import select, update

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import EditAction, EditCb, EditField
from models import Contact, Deal, DealEvent, EventKind, Pipeline, Source, Stage, StageKind
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage


async def _deal(app: App, deal_id: int) -> Deal:
    deal = await app.scalar(select(Deal).where(Deal.id == deal_id))
    assert deal is not None
    return deal


async def _field_events(app: App, deal_id: int, field: str) -> list[DealEvent]:
    return await app.all(
        select(DealEvent)
        .where(
            DealEvent.deal_id == deal_id,
            DealEvent.kind == EventKind.field,
            DealEvent.field == field,
        )
        .order_by(DealEvent.id)
    )


async def _open_editor(client: ChatClient, deal_id: int, button: str) -> SentMessage:
    """Open the card, press Edit and then the field's button; returns the card message."""
    await client.send(f"/deal {deal_id}")
    card = client.last_message()
    await client.press("✏️ Изменить", message=card)
    await client.press(button, message=card)
    return card


async def test_title_edit_changes_the_card_in_place_and_logs_the_change(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "Ромашка")
    card = await _open_editor(ivan, deal.id, "Название")
    assert "Напишите новое название сделки" in card.text
    assert "Сейчас: Иван Петров — Ромашка" in card.text
    assert card.buttons() == [["« Назад", "✖ Отмена"]]

    await ivan.send("Ромашка <b>внедрение</b> & CRM")
    assert card.edits == 3  # edit menu, prompt, the card again: one message all along
    assert "✅ Готово: поле «Название» изменено." in card.text
    assert f"#{deal.id} · Ромашка &lt;b&gt;внедрение&lt;/b&gt; &amp; CRM" in card.html
    stored = await _deal(app, deal.id)
    assert stored.title == "Ромашка <b>внедрение</b> & CRM"
    assert stored.version == deal.version + 1
    [event] = await _field_events(app, deal.id, "title")
    assert (event.old, event.new, event.actor_id) == (
        "Иван Петров — Ромашка",
        "Ромашка <b>внедрение</b> & CRM",
        owner.id,
    )
    # The prompt is over: the next message is not taken for a title.
    await ivan.send("просто текст")
    assert (await _deal(app, deal.id)).title == stored.title


async def test_same_value_changes_nothing(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка", company="ООО Ромашка")
    card = await _open_editor(ivan, deal.id, "Компания")
    await ivan.send("  ООО Ромашка  ")
    assert "Это значение уже стоит, ничего не изменено." in card.text
    assert await _field_events(app, deal.id, "company") == []
    assert (await _deal(app, deal.id)).version == deal.version


async def test_empty_and_too_long_values_are_refused_and_the_prompt_stays(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    card = await _open_editor(ivan, deal.id, "Клиент")
    events = await app.count(DealEvent)

    await ivan.send("   ")
    assert ivan.last_message().text == (
        "Пустое значение не подойдёт. Напишите текст или нажмите «Отмена»."
    )
    await ivan.send("Я" * 256)
    assert ivan.last_message().text == "Слишком длинно: 256 символов, можно не больше 255."
    stored = await _deal(app, deal.id)
    assert (stored.client_name, stored.version) == ("Ромашка", deal.version)
    assert await app.count(DealEvent) == events

    await ivan.send("Я" * 255)  # the limit itself is fine, and the prompt was still waiting
    assert (await _deal(app, deal.id)).client_name == "Я" * 255
    assert "поле «Клиент» изменено" in card.text


async def test_title_over_255_is_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await _open_editor(ivan, deal.id, "Название")
    await ivan.send("x" * 300)
    assert "300 символов" in ivan.last_message().text
    assert (await _deal(app, deal.id)).title == deal.title


async def test_a_sticker_or_photo_gets_a_hint(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await _open_editor(ivan, deal.id, "Название")
    await ivan.share_contact("+79991234567", "Пётр")
    assert ivan.last_message().text == "Пришлите значение текстом или нажмите «Отмена»."
    assert (await _deal(app, deal.id)).title == deal.title


async def test_clearing_company_and_refusing_to_leave_nobody(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка", company="ООО Ромашка")
    card = await _open_editor(ivan, deal.id, "Компания")
    await ivan.press("🧹 Очистить", message=card)
    assert "✅ Готово: поле «Компания» очищено." in card.text
    assert (await _deal(app, deal.id)).company is None
    [event] = await _field_events(app, deal.id, "company")
    assert (event.old, event.new) == ("ООО Ромашка", None)

    # Without a company and contacts the client is the only one left: it can't go.
    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("Клиент", message=card)
    await ivan.press("🧹 Очистить", message=card)
    assert app.telegram.alerts[-1] == ("Укажите клиента или хотя бы один контакт.", True)
    assert (await _deal(app, deal.id)).client_name == "Ромашка"
    assert len(await _field_events(app, deal.id, "client")) == 0


async def test_amount_with_currency_and_bad_amounts(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_editor(ivan, deal.id, "Сумма")
    assert "Сейчас: —" in card.text and "🧹 Очистить" not in str(card.buttons())
    for bad in ("много", "-5", "12,3456", "100 шт"):
        await ivan.send(bad)
        assert "Не получилось разобрать сумму" in ivan.last_message().text, bad
    await ivan.send("1" * 20)
    assert ivan.last_message().text == "Сумма должна быть от 0 до 999 999 999 999."
    assert (await _deal(app, deal.id)).amount is None

    await ivan.send("150 000 руб")
    stored = await _deal(app, deal.id)
    assert (stored.amount, stored.currency) == (decimal.Decimal("150000"), "RUB")
    assert "Сумма: 150\u202f000 ₽" in card.text

    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("Сумма", message=card)
    assert "Сейчас: 150\u202f000 ₽" in card.text
    await ivan.send("$2 500,50")
    stored = await _deal(app, deal.id)
    assert (stored.amount, stored.currency) == (decimal.Decimal("2500.50"), "USD")
    events = await _field_events(app, deal.id, "amount")
    assert [(e.old, e.new) for e in events] == [
        (None, "150000.00 RUB"),
        ("150000.00 RUB", "2500.50 USD"),
    ]

    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("Сумма", message=card)
    await ivan.press("🧹 Очистить", message=card)
    stored = await _deal(app, deal.id)
    assert (stored.amount, stored.currency) == (None, None)
    assert "Сумма:" not in card.text


async def test_a_number_alone_keeps_the_deals_currency(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, amount="100", currency="USD")
    await _open_editor(ivan, deal.id, "Сумма")
    await ivan.send("1,5 млн")
    stored = await _deal(app, deal.id)
    assert (stored.amount, stored.currency) == (decimal.Decimal("1500000"), "USD")


async def test_pipeline_change_keeps_a_shared_stage(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, stage_code="proposal")
    card = await _open_editor(ivan, deal.id, "Воронка")
    assert "Сейчас: <b>10 Неразобранные</b>" in card.html
    # Most used first (this deal's pipeline), then the handbook's order, one a row.
    assert card.buttons()[:2] == [["✓ 10 Неразобранные"], ["1 Магазин Битрикс-250"]]
    await ivan.press("1 Магазин Битрикс-250", message=card)
    stored = await _deal(app, deal.id)
    crm = await app.scalar(select(Pipeline).where(Pipeline.code == "shop_b250"))
    assert stored.pipeline_id == crm.id
    assert "Воронка: 1 Магазин Битрикс-250" in card.text and "Этап: Направить КП" in card.text
    [event] = await _field_events(app, deal.id, "pipeline")
    assert (event.old, event.new) == (str(deal.pipeline_id), str(crm.id))
    assert await app.count(DealEvent, DealEvent.kind == EventKind.stage) == 0


async def test_pipeline_change_moves_off_a_stage_the_new_pipeline_lacks(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    async with app.session_factory() as session, session.begin():
        own = Stage(
            code="brief",
            pipeline_id=deal.pipeline_id,
            name="Бриф",
            name_en="Brief",
            position=0,
            kind=StageKind.open,
        )
        session.add(own)
        await session.flush()
        await session.execute(update(Deal).where(Deal.id == deal.id).values(stage_id=own.id))
    card = await _open_editor(ivan, deal.id, "Воронка")
    await ivan.press("1 Магазин Битрикс-250", message=card)
    assert "Этапа «Бриф» нет в новой воронке: сделка перешла на этап" in card.text
    assert "Этап: Найти все контакты и соцсети" in card.text
    stage = await app.scalar(
        select(DealEvent).where(DealEvent.deal_id == deal.id, DealEvent.kind == EventKind.stage)
    )
    assert (stage.old, stage.new) == ("brief", "contacts")


async def test_source_pick_and_no_source(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_editor(ivan, deal.id, "Источник")
    assert "Без источника" not in str(card.buttons())
    await ivan.press("Avito", message=card)
    avito = await app.scalar(select(Source).where(Source.code == "avito"))
    assert (await _deal(app, deal.id)).source_id == avito.id
    assert "Источник: Avito" in card.text

    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("Источник", message=card)
    assert ["✓ Avito", "Cetera.ru"] in card.buttons()
    await ivan.press("Без источника", message=card)
    assert (await _deal(app, deal.id)).source_id is None
    assert "Источник:" not in card.text
    events = await _field_events(app, deal.id, "source")
    assert [(e.old, e.new) for e in events] == [(None, str(avito.id)), (str(avito.id), None)]


async def test_contacts_add_refuse_and_remove(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка", contacts=("ivan@firm.ru",))
    card = await _open_editor(ivan, deal.id, "Контакты")
    assert "✉️ ivan@firm.ru" in card.text
    assert card.buttons()[0] == ["✖ ivan@firm.ru"]

    await ivan.press("➕ Добавить контакт", message=card)
    assert "Пришлите e-mail, телефон или сайт" in card.text
    await ivan.send("+7 999 12")
    assert ivan.last_message().text.startswith("Не получилось разобрать телефон «+7 999 12»")
    await ivan.send("ivan@")
    assert ivan.last_message().text.startswith("«ivan@» не похоже на e-mail")
    await ivan.send("IVAN@firm.ru")
    assert ivan.last_message().text == "IVAN@firm.ru уже есть в этой сделке."
    assert await app.count(Contact, Contact.deal_id == deal.id) == 1

    await ivan.send("8 (999) 123-45-67")
    assert "✅ Добавлен контакт: +7 999 123-45-67" in card.text
    assert "📞 +7 999 123-45-67" in card.text
    phone = await app.scalar(select(Contact).where(Contact.normalized == "+79991234567"))
    assert phone is not None and phone.deal_id == deal.id
    [added] = await _field_events(app, deal.id, "contact")
    assert (added.old, added.new) == (None, "+7 999 123-45-67")

    await ivan.press("✖ ivan@firm.ru", message=card)
    assert "✅ Удалён контакт: ivan@firm.ru" in card.text
    assert await app.count(Contact, Contact.deal_id == deal.id) == 1
    events = await _field_events(app, deal.id, "contact")
    assert (events[-1].old, events[-1].new) == ("ivan@firm.ru", None)


async def test_shared_telegram_contact_is_added(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_editor(ivan, deal.id, "Контакты")
    await ivan.press("➕ Добавить контакт", message=card)
    await ivan.share_contact("+79991234567", "Пётр")
    assert "📞 +7 999 123-45-67" in card.text


async def test_last_contact_of_a_nameless_deal_stays(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, None, contacts=("ivan@firm.ru",))
    card = await _open_editor(ivan, deal.id, "Контакты")
    await ivan.press("✖ ivan@firm.ru", message=card)
    assert app.telegram.alerts[-1] == ("Укажите клиента или хотя бы один контакт.", True)
    assert await app.count(Contact, Contact.deal_id == deal.id) == 1


async def test_contact_of_a_colleagues_open_deal_warns_but_is_added(app: App) -> None:
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров")
    await make_deal(app, petr, "Старый клиент", contacts=("boss@firm.ru",))
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "Ромашка")
    card = await _open_editor(ivan, deal.id, "Контакты")
    await ivan.press("➕ Добавить контакт", message=card)
    await ivan.send("Boss@Firm.ru")
    assert "✅ Добавлен контакт: Boss@Firm.ru" in card.text
    assert "⚠️ Boss@Firm.ru уже есть в открытой сделке #" in card.text
    assert "ответственный: Пётр Сидоров." in card.text
    assert await app.count(Contact, Contact.normalized == "boss@firm.ru") == 2


async def test_back_and_cancel_leave_the_prompt(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    card = await _open_editor(ivan, deal.id, "Название")
    await ivan.press("« Назад", message=card)
    assert "Что изменить?" in card.text
    await ivan.send("не название")
    assert (await _deal(app, deal.id)).title == deal.title

    await ivan.press("Компания", message=card)
    await ivan.press("✖ Отмена", message=card)
    assert f"#{deal.id} · " in card.text and "✏️ Изменить" in str(card.buttons())
    await ivan.send("не компания")
    assert (await _deal(app, deal.id)).company is None

    # /cancel works too.
    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("Клиент", message=card)
    await ivan.send("/cancel")
    await ivan.send("не клиент")
    assert (await _deal(app, deal.id)).client_name == "Ромашка"
    assert await app.count(DealEvent, DealEvent.kind == EventKind.field) == 0


async def test_commands_work_while_a_prompt_waits(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    await _open_editor(ivan, deal.id, "Название")
    await ivan.send("/lang en")
    assert ivan.last_message().text == "Interface language: English."
    assert (await _deal(app, deal.id)).title == deal.title


async def test_stale_picker_button_shows_the_current_card(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    card = await _open_editor(ivan, deal.id, "Воронка")
    picker = card.inline_keyboard()
    await ivan.press("1 Магазин Битрикс-250", message=card)
    version = (await _deal(app, deal.id)).version
    # The old picker's button (drawn for the old version) is pressed again.
    other = "1 Магазин Гибкая разработка Cetera CMS"
    stale = next(b for row in picker for b in row if b.text == other)
    await ivan.press_data(stale.callback_data or "", card)
    assert app.telegram.alerts[-1] == (
        "Сделка изменилась, пока вы смотрели. Вот актуальная карточка.",
        True,
    )
    stored = await _deal(app, deal.id)
    assert stored.version == version and "Воронка: 1 Магазин Битрикс-250" in card.text


async def test_someone_elses_deal_cannot_be_edited(app: App) -> None:
    _, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    petr, _ = await app.add_user(Role.manager, name="Пётр Сидоров")
    await petr.send("/start")
    msg = petr.last_message()
    for data in (
        DealCb(action=DealAction.edit, deal_id=deal.id),
        EditCb(action=EditAction.ask, deal_id=deal.id, field=EditField.title),
        EditCb(action=EditAction.pipeline, deal_id=deal.id, v=deal.version, item=2),
        EditCb(action=EditAction.clear, deal_id=deal.id, v=deal.version, field=EditField.client),
    ):
        await petr.press_data(data.pack(), msg)
        assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)
    stored = await _deal(app, deal.id)
    assert (stored.pipeline_id, stored.client_name) == (deal.pipeline_id, "Ромашка")


async def test_lead_edits_a_team_deal(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        team_id = await crm.accounts._ensure_team_of(await crm.accounts.get(lead_user.id))
    _, owner = await app.add_user(Role.manager, team_id=team_id)
    deal = await make_deal(app, owner, "Ромашка")
    await _open_editor(lead, deal.id, "Компания")
    await lead.send("ООО Ромашка")
    assert (await _deal(app, deal.id)).company == "ООО Ромашка"
    [event] = await _field_events(app, deal.id, "company")
    assert event.actor_id == lead_user.id


async def test_edit_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme")
    await john.send(f"/deal {deal.id}")
    card = john.last_message()
    await john.press("✏️ Edit", message=card)
    assert "What do you want to change?" in card.text
    await john.press("Title", message=card)
    await john.send("Acme <Corp>")
    assert "✅ Done: “Title” changed." in card.text
    assert "Acme &lt;Corp&gt;" in card.html
    await john.press("✏️ Edit", message=card)
    await john.press("Amount", message=card)
    await john.send("oops")
    assert john.last_message().text.startswith("Could not read the amount.")


async def test_a_deal_deleted_while_the_prompt_waits(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    await _open_editor(ivan, deal.id, "Название")
    async with app.session_factory() as session, session.begin():
        await session.execute(update(Deal).where(Deal.id == deal.id).values(deleted_at=app.clock()))
    await ivan.send("Новое название")
    assert ivan.last_message().text == "Этой сделки больше нет."
    await ivan.send("Ещё одно")  # the prompt is over: no second "no longer exists"
    assert ivan.last_message().text != "Этой сделки больше нет."
    assert (await _deal(app, deal.id)).title == deal.title
