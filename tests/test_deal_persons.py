"""Contact persons of a deal (name, position, their own e-mails and phones) and labelled links
kept apart from the client's website: added, edited and removed from the card's edit menu,
shown on the card, found by search; refused input, other people's deals and stale buttons."""

from __future__ import annotations

from sqlalchemy import select

from bot.callbacks.persons import PersonAction, PersonCb
from models import Contact, Deal, DealEvent, DealPerson
from models.contacts import ContactKind
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage


async def open_persons(client: ChatClient, deal_id: int) -> SentMessage:
    await client.send(f"/deal {deal_id}")
    card = client.last_message()
    await client.press("✏️ Изменить", message=card)
    await client.press("👥 Контактные лица", message=card)
    return card


async def add_person(client: ChatClient, deal_id: int, name: str) -> SentMessage:
    card = await open_persons(client, deal_id)
    await client.press("➕ Добавить человека", message=card)
    await client.send(name)
    return card


async def persons_of(app: App, deal_id: int) -> list[DealPerson]:
    return await app.all(
        select(DealPerson).where(DealPerson.deal_id == deal_id).order_by(DealPerson.id)
    )


async def contacts_of(app: App, deal_id: int) -> list[Contact]:
    return await app.all(select(Contact).where(Contact.deal_id == deal_id).order_by(Contact.id))


async def test_two_persons_with_their_own_contacts_on_the_card(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка", contacts=("info@romashka.ru",))
    card = await add_person(ivan, deal.id, "Анна Ахматова")
    assert "✅ Добавлен(а): Анна Ахматова" in card.text
    await ivan.press("✏️ Должность", message=card)
    await ivan.send("директор")
    assert "Должность: директор" in card.text
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("Anna@Romashka.ru")
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("8 (999) 123-45-67")
    assert "📞 +7 999 123-45-67" in card.text and "✉️ Anna@Romashka.ru" in card.text
    await ivan.press("« Все лица", message=card)
    await ivan.press("➕ Добавить человека", message=card)
    await ivan.send("Борис <b>Пастернак</b>")
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("+7 916 000-11-22")

    await ivan.send(f"/deal {deal.id}")
    text = ivan.last_message().text
    html = ivan.last_message().html
    assert "🧑‍💼 Анна Ахматова, директор\n      +7 999 123-45-67 · Anna@Romashka.ru" in text
    assert "🧑‍💼 Борис <b>Пастернак</b>\n      +7 916 000-11-22" in text
    assert "&lt;b&gt;Пастернак&lt;/b&gt;" in html  # escaped
    assert 'href="tel:+79991234567"' not in html  # a bare number: Telegram makes it tappable
    assert 'href="mailto:info@romashka.ru"' in html  # the deal's own contact as before

    people = await persons_of(app, deal.id)
    assert [(p.name, p.position) for p in people] == [
        ("Анна Ахматова", "директор"),
        ("Борис <b>Пастернак</b>", None),
    ]
    contacts = await contacts_of(app, deal.id)
    assert [(c.kind, c.normalized, c.person_id) for c in contacts] == [
        (ContactKind.email, "info@romashka.ru", None),
        (ContactKind.email, "anna@romashka.ru", people[0].id),
        (ContactKind.phone, "+79991234567", people[0].id),
        (ContactKind.phone, "+79160001122", people[1].id),
    ]
    events = await app.all(select(DealEvent).where(DealEvent.field == "person"))
    assert len(events) == 6


async def test_search_finds_the_deal_by_a_persons_name_phone_and_email(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка")
    await make_deal(app, owner, "ООО Другая")
    card = await add_person(ivan, deal.id, "Анна Ахматова")
    await ivan.press("✏️ Должность", message=card)
    await ivan.send("Главбух")
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("anna@romashka.ru")
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("+7 999 123-45-67")
    for query in ("ахматова", "главбух", "ANNA@romashka.ru", "89991234567", "123-45-67"):
        await ivan.send(f"/find {query}")
        text = ivan.last_message().text
        assert "Ромашка" in text and "Другая" not in text, query


async def test_empty_and_300_character_names_are_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка")
    card = await open_persons(ivan, deal.id)
    await ivan.press("➕ Добавить человека", message=card)
    await ivan.send("   ")
    assert ivan.last_message().text == "Имя не может быть пустым. Напишите имя человека."
    await ivan.send("Я" * 300)
    assert "300 символов, можно не больше 120" in ivan.last_message().text
    assert await persons_of(app, deal.id) == []
    await ivan.send("Анна")  # the prompt is still open
    assert [p.name for p in await persons_of(app, deal.id)] == ["Анна"]


async def test_rename_to_empty_or_too_long_changes_nothing(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка")
    card = await add_person(ivan, deal.id, "Анна")
    await ivan.press("✏️ Имя", message=card)
    await ivan.send("Ж" * 121)
    assert "121 символ, можно не больше 120" in ivan.last_message().text
    await ivan.send("Анна Андреевна")
    assert "✅ Имя сохранено." in card.text
    assert [p.name for p in await persons_of(app, deal.id)] == ["Анна Андреевна"]


async def test_invalid_email_phone_or_a_website_for_a_person_are_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка")
    card = await add_person(ivan, deal.id, "Анна")
    await ivan.press("➕ E-mail или телефон", message=card)
    for bad, why in (
        ("anna@", "не похоже на e-mail"),
        ("+7 12", "разобрать телефон"),
        ("romashka.ru", "это сайт"),
    ):
        await ivan.send(bad)
        assert why in ivan.last_message().text, bad
    assert await contacts_of(app, deal.id) == []
    await ivan.send("anna@romashka.ru")
    assert "✅ Добавлено: anna@romashka.ru" in card.text
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("ANNA@romashka.ru")  # the same e-mail twice
    assert "уже есть" in ivan.last_message().text
    assert len(await contacts_of(app, deal.id)) == 1


async def test_removing_a_person_of_another_managers_deal_is_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    petr, _other = await app.add_user(Role.manager, name="Пётр Сидоров")
    deal = await make_deal(app, owner, "ООО Ромашка")
    card = await add_person(ivan, deal.id, "Анна")
    [person] = await persons_of(app, deal.id)
    stored = await app.scalar(select(Deal).where(Deal.id == deal.id))
    assert stored is not None
    await petr.send("/start")
    for action in (PersonAction.remove_yes, PersonAction.open, PersonAction.add):
        data = PersonCb(action=action, deal_id=deal.id, v=stored.version, person=person.id)
        await petr.press_data(data.pack(), card)
        assert petr.last_alert() == "Нет доступа к этой сделке."
    assert [p.name for p in await persons_of(app, deal.id)] == ["Анна"]


async def test_remove_a_person_with_their_contacts_and_a_stale_button(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка", contacts=("+7 495 111-22-33",))
    card = await add_person(ivan, deal.id, "Анна")
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("anna@romashka.ru")
    await ivan.press("🗑 Удалить человека", message=card)
    stale = ivan.find_button("Да, удалить", card)[0].callback_data
    await ivan.press("« Назад", message=card)
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("+7 916 000-11-22")  # the deal changed since the confirmation was drawn
    await ivan.press_data(stale, card)
    assert ivan.last_alert() == "Сделка изменилась, пока вы смотрели. Вот актуальная карточка."
    assert len(await persons_of(app, deal.id)) == 1
    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("👥 Контактные лица", message=card)
    await ivan.press("✏️ Анна", message=card)
    await ivan.press("🗑 Удалить человека", message=card)
    await ivan.press("Да, удалить", message=card)
    assert "🗑 Анна больше не в сделке." in card.text
    assert await persons_of(app, deal.id) == []
    contacts = await contacts_of(app, deal.id)
    assert [c.normalized for c in contacts] == ["+74951112233"]  # the deal's own stays


async def test_a_labelled_link_is_kept_apart_from_the_website(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка", contacts=("romashka.ru",))
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("🔗 Ссылки", message=card)
    assert "Ссылок пока нет." in card.text
    await ivan.press("➕ Ссылка", message=card)
    await ivan.send("просто текст")
    assert "Не вижу ссылки" in ivan.last_message().text
    await ivan.send("Источник: https://avito.ru/item/123")
    assert "✅ Ссылка добавлена: Источник" in card.text
    await ivan.press("➕ Ссылка", message=card)
    await ivan.send("Задача jira.firm.ru/browse/WEB-7")
    await ivan.send(f"/deal {deal.id}")
    shown = ivan.last_message()
    assert "🔗 romashka.ru" in shown.text  # the website, as before
    assert "🔗 Источник: https://avito.ru/item/123" in shown.text
    assert 'href="https://jira.firm.ru/browse/WEB-7"' in shown.html
    contacts = await contacts_of(app, deal.id)
    assert [(c.kind, c.label) for c in contacts] == [
        (ContactKind.url, None),
        (ContactKind.link, "Источник"),
        (ContactKind.link, "Задача"),
    ]
    await ivan.send("/find avito.ru/item")
    assert "Ромашка" in ivan.last_message().text
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("🔗 Ссылки", message=card)
    await ivan.press("✖ Задача", message=card)
    assert "Ссылка удалена: Задача" in card.text
    assert len(await contacts_of(app, deal.id)) == 2


async def test_persons_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    deal = await make_deal(app, owner, "Acme")
    await john.send(f"/deal {deal.id}")
    card = john.last_message()
    await john.press("✏️ Edit", message=card)
    await john.press("👥 Contact persons", message=card)
    await john.press("➕ Add a person", message=card)
    await john.send("Jane Doe")
    assert "✅ Added: Jane Doe" in card.text
    await john.press("➕ E-mail or phone", message=card)
    await john.send("jane@")
    assert "does not look like an e-mail" in john.last_message().text


async def test_person_changes_are_in_the_deal_history(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "ООО Ромашка")
    card = await add_person(ivan, deal.id, "Анна")
    await ivan.press("➕ E-mail или телефон", message=card)
    await ivan.send("anna@romashka.ru")
    await ivan.send(f"/deal {deal.id}")
    await ivan.press("🕓 История")
    text = ivan.last_message().text
    assert "Контактное лицо: — → Анна" in text
    assert "Контактное лицо: — → Анна: anna@romashka.ru" in text
