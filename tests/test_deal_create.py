"""Creating a deal: the guided wizard, the one-message /new form, duplicates, bad input,
double taps, stale buttons, rights of operators and leads, both languages."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

from sqlalchemy import insert, select

from bot.callbacks.create import CreateAction, CreateCb, Step
from bot.keyboards.dates import DateAction, DateCb
from models import Contact, Deal, DealEvent, Pipeline, Source, User
from models.deals import EventKind
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import SentMessage

NEW = "➕ Новая сделка"
DONE = "✅ Готово"
SKIP = "Пропустить »"
BACK = "« Назад"
CANCEL = "✖ Отмена"
CREATE = "✅ Создать"


async def _nothing_written(app: App) -> bool:
    return (
        await app.count(Deal) == 0
        and await app.count(Contact) == 0
        and await app.count(DealEvent) == 0
    )


def _wizard(client: ChatClient) -> SentMessage:
    msg = client.last_keyboard_message()
    assert msg is not None
    return msg


async def _to_confirm(client: ChatClient, name: str = "Пётр Сидоров") -> None:
    """Client only, every optional step skipped: the confirmation is shown."""
    await client.send(NEW)
    await client.send(name)
    await client.press(SKIP)  # contacts
    await client.press(SKIP)  # pipeline
    await client.press(SKIP)  # source
    await client.press(SKIP)  # amount
    await client.press(SKIP)  # next step date
    assert CREATE in [b for row in client.keyboard() for b in row]


# -- the guided flow -------------------------------------------------------------------------


async def test_guided_flow_creates_a_deal_with_every_field(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send(NEW)
    first = _wizard(ivan)
    assert "Как зовут клиента" in first.text
    assert first.buttons() == [[CANCEL]]  # no Back on the first step, nothing to skip yet

    await ivan.send("Пётр Сидоров, ООО Ромашка")
    assert "👤 Пётр Сидоров" in _wizard(ivan).text and "🏢 ООО Ромашка" in _wizard(ivan).text
    assert _wizard(ivan).buttons() == [[SKIP], [BACK, CANCEL]]
    await ivan.send("Petr@Romashka.ru")
    await ivan.send("+7 999 123-45-67, romashka.ru")
    step = _wizard(ivan)
    assert "✉️ Petr@Romashka.ru" in step.text and "📞 +7 999 123-45-67" in step.text
    assert step.buttons() == [["↩ Убрать последний"], [DONE], [BACK, CANCEL]]
    # The old prompts lost their buttons: one live wizard message at a time.
    assert sum(1 for m in ivan.messages() if m.buttons()) == 1

    await ivan.press(DONE)
    assert "Выберите воронку" in _wizard(ivan).text
    wizard_id = _wizard(ivan).message_id
    await ivan.press("1 Магазин Битрикс-250")
    assert "Выберите источник" in _wizard(ivan).text
    assert _wizard(ivan).message_id == wizard_id  # edited in place after a button
    await ivan.press("Avito")
    await ivan.send("150к")
    assert "Сумма: 150\u202f000 ₽" in _wizard(ivan).text
    await ivan.send("28.11 15:00")  # a chip is all-day; a time is typed with the day
    confirm = _wizard(ivan)
    assert "Следующий шаг: 28.11.2026 15:00" in confirm.text
    assert "Название: Иван Петров — Пётр Сидоров" in confirm.text
    assert "Ответственный" not in confirm.text  # a manager owns what they create
    assert await _nothing_written(app)

    await ivan.press(CREATE)
    card = ivan.last_message()
    assert card.message_id == confirm.message_id  # the wizard became the card
    assert card.text.startswith("✅ Сделка создана.")
    assert "#1 · Иван Петров — Пётр Сидоров" in card.text
    assert "📝 Заметка" in [b for row in card.buttons() for b in row]

    deal = await app.scalar(select(Deal))
    pipeline = await app.scalar(select(Pipeline).where(Pipeline.id == deal.pipeline_id))
    source = await app.scalar(select(Source).where(Source.id == deal.source_id))
    assert (deal.client_name, deal.company) == ("Пётр Сидоров", "ООО Ромашка")
    assert deal.title == "Иван Петров — Пётр Сидоров"
    assert (pipeline.name, source.name) == ("1 Магазин Битрикс-250", "Avito")
    assert (deal.amount, deal.currency) == (Decimal("150000.00"), "RUB")
    assert (deal.next_action_on, deal.next_action_time) == (dt.date(2026, 11, 28), dt.time(15))
    assert deal.next_action_at == dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    assert deal.owner_id == deal.created_by_id == owner.id
    contacts = await app.all(select(Contact).order_by(Contact.id))
    assert [(c.kind, c.value, c.normalized) for c in contacts] == [
        ("email", "Petr@Romashka.ru", "petr@romashka.ru"),
        ("phone", "+7 999 123-45-67", "+79991234567"),
        ("url", "romashka.ru", "https://romashka.ru"),
    ]
    events = await app.all(select(DealEvent))
    assert [(e.kind, e.actor_id, e.deal_id) for e in events] == [
        (EventKind.created, owner.id, deal.id)
    ]


async def test_everything_optional_can_be_skipped(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager, name="Иван Петров")
    await _to_confirm(ivan, "Ромашка")
    await ivan.press(CREATE)
    deal = await app.scalar(select(Deal))
    pipeline = await app.scalar(select(Pipeline).where(Pipeline.id == deal.pipeline_id))
    assert pipeline.name == "10 Неразобранные"
    assert deal.source_id is None and deal.amount is None and deal.currency is None
    assert deal.next_action_on is None and await app.count(Contact) == 0
    assert "Следующий шаг: — ⚠️ не назначен" in ivan.last_message().text


async def test_back_returns_to_the_previous_step_keeping_the_draft(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send(NEW)
    await ivan.send("Пётр, ivan@firm.ru")  # contacts may come with the name: step skipped
    assert "✉️ ivan@firm.ru" in _wizard(ivan).text
    assert "Выберите воронку" in _wizard(ivan).text
    await ivan.press("1 Магазин Битрикс-250")
    await ivan.press("Avito")
    await ivan.send("$1500")
    await ivan.press(BACK)  # date -> amount
    amount = _wizard(ivan)
    assert "Сумма: 1\u202f500 $" in amount.text and ["Далее »"] in amount.buttons()
    await ivan.press(BACK)  # -> source, the chosen one is marked
    assert "✓ Avito" in [b for row in ivan.keyboard() for b in row]
    await ivan.press(BACK)  # -> pipeline
    assert "✓ 1 Магазин Битрикс-250" in [b for row in ivan.keyboard() for b in row]
    await ivan.press(BACK)  # -> contacts
    await ivan.press(BACK)  # -> client: the name can be kept
    client = _wizard(ivan)
    assert "👤 Пётр" in client.text and "Воронка: 1 Магазин Битрикс-250" in client.text
    await ivan.press("Далее »")
    await ivan.press(DONE)
    await ivan.press("✓ 1 Магазин Битрикс-250")
    await ivan.press("✓ Avito")
    await ivan.press("Далее »")
    await ivan.press(SKIP)
    await ivan.press(CREATE)
    deal = await app.scalar(select(Deal))
    assert (deal.client_name, deal.amount, deal.currency) == ("Пётр", Decimal("1500.00"), "USD")
    assert await app.count(Contact) == 1


async def test_cancel_on_a_step_writes_nothing_and_old_buttons_are_answered(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await _to_confirm(ivan)
    confirm = _wizard(ivan)
    create_data = ivan.find_button(CREATE)[0].callback_data
    await ivan.press(CANCEL)
    assert ivan.last_message().text == "Создание сделки отменено. Ничего не сохранено."
    assert ivan.last_message().buttons() == []
    await ivan.press_data(create_data, confirm)
    assert app.telegram.alerts[-1] == (
        "Эта форма уже закрыта. Начните заново: ➕ Новая сделка.",
        True,
    )
    assert await _nothing_written(app)


async def test_slash_cancel_closes_the_wizard(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    wizard = _wizard(ivan)
    skip_data = ivan.find_button(SKIP)[0].callback_data
    await ivan.send("/cancel")
    assert ivan.last_message().text == "Отменено. Ничего не изменено."
    await ivan.press_data(skip_data, wizard)
    assert app.telegram.alerts[-1][0] == "Эта форма уже закрыта. Начните заново: ➕ Новая сделка."
    assert wizard.buttons() == []  # the dead keyboard is taken away
    await ivan.send("Какой-то текст")  # no wizard listens any more
    assert ivan.last_message().text == "Выберите действие в меню ниже."
    assert await _nothing_written(app)


async def test_double_tap_on_create_makes_one_deal(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await _to_confirm(ivan)
    button, wizard = ivan.find_button(CREATE)
    await asyncio.gather(
        ivan.press_data(button.callback_data, wizard),
        ivan.press_data(button.callback_data, wizard),
    )
    await ivan.press_data(button.callback_data, wizard)
    assert await app.count(Deal) == 1
    assert await app.count(DealEvent) == 1
    assert app.telegram.alerts[-1] == ("Сделка #1 уже создана.", True)
    assert "📝 Заметка" in [b for row in wizard.buttons() for b in row]  # the card stays


async def test_double_tap_on_a_step_button_is_harmless(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    await ivan.press(SKIP)
    button, wizard = ivan.find_button("1 Магазин Битрикс-250")
    await ivan.press_data(button.callback_data, wizard)
    await ivan.press_data(button.callback_data, wizard)  # the pipeline step is over
    assert app.telegram.alerts[-1] == ("Эта кнопка уже неактуальна.", False)
    assert "Выберите источник" in _wizard(ivan).text
    back = ivan.find_button(BACK)[0].callback_data
    await ivan.press_data(back, wizard)
    await ivan.press_data(back, wizard)  # one step back, not two
    assert "Выберите воронку" in _wizard(ivan).text


async def test_a_new_wizard_makes_the_old_ones_buttons_stale(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    old = _wizard(ivan)
    skip_data = ivan.find_button(SKIP)[0].callback_data
    await ivan.send("/new")
    assert old.buttons() == []
    await ivan.press_data(skip_data, old)
    assert app.telegram.alerts[-1][0] == "Эта форма уже закрыта. Начните заново: ➕ Новая сделка."
    assert "Как зовут клиента" in _wizard(ivan).text and "👤" not in _wizard(ivan).text


async def test_forged_wizard_buttons_change_nothing(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    wizard = _wizard(ivan)
    token = CreateCb.unpack(wizard.button_data(0, 0)).w
    await ivan.press_data(
        CreateCb(action=CreateAction.create, w=token, s=Step.confirm).pack(), wizard
    )
    assert app.telegram.alerts[-1] == ("Эта кнопка уже неактуальна.", False)
    await ivan.press_data("nd:99:1:1:0", wizard)  # no such action
    await ivan.press_data(DateCb(action=DateAction.pick, ctx=0, d=20261201).pack(), wizard)
    assert await _nothing_written(app)
    assert "Как зовут клиента" in _wizard(ivan).text


# -- contacts ----------------------------------------------------------------------------------


async def test_bad_contacts_are_explained_and_the_good_ones_kept(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    await ivan.send("ivan@firm.ru")
    await ivan.send("ivan@firm")
    assert "«ivan@firm» — не похоже на e-mail. Пример: ivan@firm.ru" in _wizard(ivan).text
    await ivan.send("+7 12")
    assert "«+7 12» — не похоже на телефон" in _wizard(ivan).text
    await ivan.send("привет")
    assert "«привет» — не похоже ни на e-mail, ни на телефон, ни на сайт." in _wizard(ivan).text
    await ivan.send("IVAN@firm.ru")
    assert "Эти контакты уже добавлены." in _wizard(ivan).text
    await ivan.send("+7 999 123-45-67, bad@@mail")  # the good part is taken
    text = _wizard(ivan).text
    assert "✉️ ivan@firm.ru" in text and "📞 +7 999 123-45-67" in text and "bad@@mail" in text
    await ivan.press("↩ Убрать последний")
    assert "📞" not in _wizard(ivan).text
    assert await _nothing_written(app)
    await ivan.press(DONE)
    for _ in range(4):
        await ivan.press(SKIP)
    await ivan.press(CREATE)
    contacts = await app.all(select(Contact.normalized))
    assert contacts == ["ivan@firm.ru"]


async def test_contacts_from_a_forwarded_message_and_a_shared_contact(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.forward(
        "Здравствуйте! Нужен сайт. Мой телефон 8 (999) 765-43-21, почта olga@firm.ru", "Ольга"
    )
    text = _wizard(ivan).text
    assert "👤 Ольга" in text and "📞" in text and "✉️ olga@firm.ru" in text
    await ivan.share_contact("79991112233", "Пётр", "Сидоров")  # the client's name stays
    text = _wizard(ivan).text
    assert "👤 Ольга" in text and "Пётр" not in text
    await ivan.press(DONE)
    for _ in range(4):
        await ivan.press(SKIP)
    await ivan.press(CREATE)
    deal = await app.scalar(select(Deal))
    assert deal.client_name == "Ольга"
    phones = await app.all(select(Contact.normalized).where(Contact.kind == "phone"))
    assert sorted(phones) == ["+79991112233", "+79997654321"]


async def test_a_shared_contact_names_the_client(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.share_contact("+7 999 111-22-33", "Пётр", "Сидоров")
    assert "👤 Пётр Сидоров" in _wizard(ivan).text
    assert "Добавьте контакты" in _wizard(ivan).text


async def test_client_input_is_checked(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("   ")
    assert "Напишите имя клиента или название компании." in _wizard(ivan).text
    await ivan.send("ivan@firm")  # only a bad contact: still on the first step
    assert "не похоже на e-mail" in _wizard(ivan).text
    assert "Как зовут клиента" in _wizard(ivan).text
    await ivan.send("Я" * 256)
    assert "Слишком длинно: 256 символов, можно не больше 255" in _wizard(ivan).text
    await ivan.send_document(None)
    assert "Пришлите текст, контакт или пересланное сообщение" in _wizard(ivan).text
    await ivan.send("Я" * 255)
    assert "Добавьте контакты" in _wizard(ivan).text
    assert await _nothing_written(app)


async def test_html_in_names_is_escaped_everywhere(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager, name="<i>Иван</i>")
    await ivan.send(NEW)
    await ivan.send("<b>Пётр</b> <script>alert(1)</script>")
    assert "&lt;b&gt;Пётр&lt;/b&gt; &lt;script&gt;" in _wizard(ivan).html
    await ivan.press(SKIP)
    await ivan.press(SKIP)
    await ivan.press(SKIP)
    await ivan.send("<b>1</b>")
    assert "«&lt;b&gt;1&lt;/b&gt;»" in _wizard(ivan).html
    await ivan.press(SKIP)
    await ivan.press(SKIP)
    assert "&lt;i&gt;Иван&lt;/i&gt; — &lt;b&gt;Пётр&lt;/b&gt;" in _wizard(ivan).html
    await ivan.press("✏️ Название")
    await ivan.send("<script>x</script> & <b>")
    assert "Название: <b>&lt;script&gt;x&lt;/script&gt; &amp; &lt;b&gt;</b>" in _wizard(ivan).html
    await ivan.press(CREATE)
    assert "&lt;script&gt;x&lt;/script&gt;" in ivan.last_message().html
    deal = await app.scalar(select(Deal))
    assert deal.client_name == "<b>Пётр</b> <script>alert(1)</script>"
    assert deal.title == "<script>x</script> & <b>"


# -- title, amount, dates ---------------------------------------------------------------------


async def test_the_title_can_be_edited_and_reset(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager, name="Иван Петров")
    await _to_confirm(ivan)
    await ivan.press("✏️ Название")
    assert "Напишите название сделки (до 255 символов)" in _wizard(ivan).text
    await ivan.send("  ")
    assert "Название не может быть пустым" in _wizard(ivan).text
    await ivan.send("x" * 256)
    assert "256 символов, можно не больше 255" in _wizard(ivan).text
    await ivan.send("Сайт для Ромашки")
    assert "Название: Сайт для Ромашки" in _wizard(ivan).text
    await ivan.press("✏️ Название")
    await ivan.press("Вернуть название по умолчанию")
    assert "Название: Иван Петров — Пётр Сидоров" in _wizard(ivan).text
    await ivan.press("✏️ Название")
    await ivan.send("Сайт для Ромашки")
    await ivan.press(CREATE)
    assert (await app.scalar(select(Deal))).title == "Сайт для Ромашки"


async def test_bad_amounts_are_refused_with_a_reason(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    for _ in range(3):
        await ivan.press(SKIP)
    replies = {
        "-5000": "Сумма не может быть отрицательной.",
        "сто тысяч": "Не понял сумму «сто тысяч»",
        "0": "Сумма должна быть больше нуля",
        "10 трлн": "Не знаю такую валюту",
        "9999999999999": "Слишком большая сумма",
    }
    for typed, reply in replies.items():
        await ivan.send(typed)
        assert reply in _wizard(ivan).text, typed
        assert "Сумма сделки?" in _wizard(ivan).text
    await ivan.send("150000 USD")
    assert "Сумма: 150\u202f000 $" in _wizard(ivan).text


async def test_dates_typed_picked_in_the_calendar_and_refused(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    for _ in range(4):
        await ivan.press(SKIP)
    await ivan.send("01.01.2020")
    assert "Эта дата уже прошла" in _wizard(ivan).text
    await ivan.send("когда-нибудь")
    assert "Не понял дату «когда-нибудь»" in _wizard(ivan).text
    wizard = _wizard(ivan)
    await ivan.press_data(DateCb(action=DateAction.pick, ctx=0, d=20261126).pack(), wizard)
    assert app.telegram.alerts[-1] == (
        "Эта дата уже прошла. Выберите сегодняшнюю или будущую дату.",
        True,
    )
    await ivan.press("📅 Календарь")
    assert "Ноябрь 2026" in [b for row in ivan.keyboard() for b in row]
    await ivan.press("›")
    await ivan.press("15")  # all day: straight on
    assert "Следующий шаг: 15.12.2026" in _wizard(ivan).text
    await ivan.press(BACK)  # -> date again
    await ivan.send("15.12 9:30")
    assert "Следующий шаг: 15.12.2026 09:30" in _wizard(ivan).text
    await ivan.press(BACK)  # -> date again
    await ivan.send("завтра в 18:00")
    assert "Следующий шаг: 28.11.2026 18:00" in _wizard(ivan).text
    await ivan.press(BACK)
    await ivan.press("+3 дня")
    await ivan.press(CREATE)
    deal = await app.scalar(select(Deal))
    assert (deal.next_action_on, deal.next_action_time) == (dt.date(2026, 11, 30), None)


async def test_a_time_already_past_today_is_refused(app: App) -> None:
    app.clock.advance(hours=3)  # 12:00 in Moscow
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    for _ in range(4):
        await ivan.press(SKIP)
    await ivan.send("сегодня 09:00")
    assert "Это время сегодня уже прошло" in _wizard(ivan).text
    await ivan.send("сегодня 11:00")
    assert "Это время сегодня уже прошло" in _wizard(ivan).text
    await ivan.press("14:00")
    assert "Следующий шаг: 27.11.2026 14:00" in _wizard(ivan).text


async def test_a_refusal_at_create_keeps_the_draft(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    await ivan.press(SKIP)
    await ivan.press(SKIP)
    await ivan.press("Avito")
    await ivan.press(SKIP)
    await ivan.press(SKIP)
    async with app.session_factory() as session, session.begin():
        source = (await session.scalars(select(Source).where(Source.name == "Avito"))).one()
        source.is_archived = True
    await ivan.press(CREATE)
    assert app.telegram.alerts[-1] == (
        "Этого источника больше нет в списке. Выберите другой.",
        True,
    )
    assert await _nothing_written(app)
    await ivan.press(BACK)
    await ivan.press(BACK)
    await ivan.press(BACK)  # -> the source again; Avito is gone from the list
    assert "Avito" not in [b for row in ivan.keyboard() for b in row]
    await ivan.press("Семинары")
    await ivan.press(SKIP)
    await ivan.press(SKIP)
    await ivan.press(CREATE)
    assert await app.count(Deal) == 1


async def test_at_most_ten_contacts(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    await ivan.send(", ".join(f"user{i}@firm.ru" for i in range(12)))
    text = _wizard(ivan).text
    assert "В сделке может быть не больше 10 контактов." in text
    assert text.count("✉️") == 10


async def test_typed_pipeline_name_and_hint_on_button_steps(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    await ivan.press(SKIP)
    await ivan.send("что-то")
    assert "Ничего не нашлось по «что-то». Выберите кнопкой" in _wizard(ivan).text
    await ivan.send("crm")
    assert "Воронка: 5 CRM" in _wizard(ivan).text and "Выберите источник" in _wizard(ivan).text


async def test_long_source_lists_are_paginated(app: App) -> None:
    async with app.session_factory() as session, session.begin():
        await session.execute(
            insert(Source), [{"name": f"Источник {i:03d}", "position": 100 + i} for i in range(60)]
        )
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("Пётр")
    await ivan.press(SKIP)
    await ivan.press(SKIP)
    keyboard = _wizard(ivan).inline_keyboard()
    buttons = [b for row in keyboard for b in row]
    assert len(buttons) <= 100 and all(len(row) <= 8 for row in keyboard)
    assert "1/11" in [b.text for b in buttons]  # 86 sources, 8 a page
    await ivan.press("›")
    await ivan.press("›")
    assert "3/11" in [b for row in ivan.keyboard() for b in row]
    await ivan.press("‹")
    await ivan.press("‹")
    await ivan.press("‹")  # from the first page round to the last
    assert "11/11" in [b for row in ivan.keyboard() for b in row]
    await ivan.press("Источник 059")
    await ivan.send("10к")
    assert "Источник: Источник 059" in _wizard(ivan).text


# -- commands and menu buttons go through the wizard ---------------------------------------


async def test_commands_and_menu_buttons_are_not_taken_as_input(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send(NEW)
    await ivan.send("📊 Статистика")  # answered by its own feature, not taken as a name
    assert "статистика" in ivan.last_message().text.lower()
    assert "👤" not in _wizard(ivan).text
    await ivan.send("/deal 77")
    assert ivan.last_message().text == "Этой сделки больше нет."
    await ivan.send("Пётр")  # the wizard is still there
    assert "👤 Пётр" in _wizard(ivan).text


# -- duplicates --------------------------------------------------------------------------------


async def test_duplicate_of_a_colleague_is_shown_but_not_opened(app: App) -> None:
    _, petr = await app.add_user(Role.manager, name="Пётр Коллегин")
    theirs = await make_deal(app, petr, "Ромашка", contacts=("ivan@firm.ru",))
    ivan, _ = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send(NEW)
    await ivan.send("Ромашка, IVAN@FIRM.RU")
    text = _wizard(ivan).text
    assert "Похоже, этот клиент уже в работе" in text
    assert f"#{theirs.id} — Пётр Коллегин, этап «Найти все контакты и соцсети»" in text
    assert "(совпало: ivan@firm.ru)" in text
    await ivan.press(f"Открыть #{theirs.id}")
    assert app.telegram.alerts[-1] == (
        f"Сделка #{theirs.id} — ответственный: Пётр Коллегин; у вас нет к ней доступа. "
        "Договоритесь с коллегой или создайте новую.",
        True,
    )
    await ivan.press(BACK)
    assert "Добавьте контакты" in _wizard(ivan).text
    await ivan.press(DONE)
    await ivan.press("Всё равно создать")
    assert "Выберите воронку" in _wizard(ivan).text
    for _ in range(4):
        await ivan.press(SKIP)
    await ivan.press(CREATE)
    assert await app.count(Deal) == 2


async def test_own_duplicate_is_opened_and_nothing_created(app: App) -> None:
    ivan, me = await app.add_user(Role.manager, name="Иван Петров")
    mine = await make_deal(app, me, "Ромашка", contacts=("+7 999 123-45-67",))
    await ivan.send(NEW)
    await ivan.send("Ромашка")
    await ivan.send("8 999 123 45 67")
    await ivan.press(DONE)
    await ivan.press(f"Открыть #{mine.id}")
    texts = [m.text for m in ivan.messages()[-2:]]
    assert texts[0] == f"Открываю сделку #{mine.id}. Новая сделка не создана."
    assert f"#{mine.id} · Иван Петров — Ромашка" in texts[1]
    assert await app.count(Deal) == 1


async def test_closed_deals_are_no_duplicates(app: App) -> None:
    ivan, me = await app.add_user(Role.manager)
    await make_deal(app, me, "Ромашка", contacts=("ivan@firm.ru",), stage_code="won")
    await ivan.send(NEW)
    await ivan.send("Ромашка, ivan@firm.ru")
    assert "Выберите воронку" in _wizard(ivan).text


# -- owners: operator, lead --------------------------------------------------------------------


async def test_operator_creates_a_deal_for_a_manager(app: App) -> None:
    _, maria = await app.add_user(Role.manager, name="Мария Смирнова")
    await app.add_user(Role.operator, name="Другой Оператор")
    olga, operator = await app.add_user(Role.operator, name="Ольга Операторова")
    await olga.send(NEW)
    await olga.send("Пётр")
    for _ in range(5):
        await olga.press(SKIP)
    owners = [b for row in olga.keyboard() for b in row]
    assert "Кто будет ответственным" in _wizard(olga).text
    assert owners[:2] == ["✓ Я сам(а)", "Мария Смирнова"]
    assert "Другой Оператор" not in owners
    await olga.press("Мария Смирнова")
    confirm = _wizard(olga).text
    assert "Ответственный: Мария Смирнова" in confirm
    assert "Название: Мария Смирнова — Пётр" in confirm
    await olga.press(BACK)
    assert "✓ Мария Смирнова" in [b for row in olga.keyboard() for b in row]
    await olga.press("✓ Мария Смирнова")
    await olga.press(CREATE)
    assert "Ответственный: Мария Смирнова" in olga.last_message().text
    deal = await app.scalar(select(Deal))
    assert (deal.owner_id, deal.created_by_id) == (maria.id, operator.id)
    events = await app.all(select(DealEvent).order_by(DealEvent.id))
    assert [(e.kind, e.actor_id, e.new) for e in events] == [
        (EventKind.created, operator.id, "Мария Смирнова — Пётр"),
        (EventKind.owner, operator.id, "Мария Смирнова"),
    ]


async def test_an_owner_deactivated_meanwhile_does_not_block_the_wizard(app: App) -> None:
    _, maria = await app.add_user(Role.manager, name="Мария Смирнова")
    olga, operator = await app.add_user(Role.operator, name="Ольга Операторова")
    await olga.send(NEW)
    await olga.send("Пётр")
    for _ in range(5):
        await olga.press(SKIP)
    await olga.press("Мария Смирнова")
    async with app.session_factory() as session, session.begin():
        (await session.get_one(User, maria.id)).is_active = False
    await olga.press(CREATE)
    assert app.telegram.alerts[-1] == ("Пользователь не найден.", True)
    await olga.press(BACK)  # nobody else to choose: back to the date, no owner step
    assert "Когда следующий шаг" in _wizard(olga).text
    await olga.press(SKIP)
    assert "Ответственный" not in _wizard(olga).text
    await olga.press(CREATE)
    deal = await app.scalar(select(Deal))
    assert deal.owner_id == operator.id


async def test_lead_assigns_only_within_the_team(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    async with app.session_factory() as session, session.begin():
        team_id = await app.crm(session).accounts._ensure_team_of(
            await session.get_one(User, lead_user.id)
        )
    _, inside = await app.add_user(Role.manager, name="Анна Своя", team_id=team_id)
    _, outside = await app.add_user(Role.manager, name="Борис Чужой")
    await lead.send(NEW)
    await lead.send("Пётр")
    for _ in range(5):
        await lead.press(SKIP)
    owners = [b for row in lead.keyboard() for b in row]
    assert "Анна Своя" in owners and "Борис Чужой" not in owners
    # A forged button for somebody outside the team is refused.
    token = CreateCb.unpack(_wizard(lead).button_data(0, 0)).w
    forged = CreateCb(action=CreateAction.owner, w=token, s=Step.owner, i=outside.id).pack()
    await lead.press_data(forged, _wizard(lead))
    assert app.telegram.alerts[-1] == (
        "Вы не можете назначить ответственным этого сотрудника.",
        True,
    )
    await lead.press("Анна Своя")
    await lead.press(CREATE)
    deal = await app.scalar(select(Deal))
    assert (deal.owner_id, deal.created_by_id) == (inside.id, lead_user.id)


async def test_manager_gets_no_owner_step(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await app.add_user(Role.manager, name="Коллега")
    await _to_confirm(ivan)
    await ivan.press(BACK)
    assert "Когда следующий шаг" in _wizard(ivan).text


# -- the one-message form ---------------------------------------------------------------------


async def test_new_in_one_message_creates_and_asks_for_the_next_step(app: App) -> None:
    ivan, me = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send("/new Пётр Сидоров, petr@firm.ru, +7 999 123-45-67")
    card = ivan.last_message()
    assert len(ivan.messages()) == 1  # the card itself asks for the next step
    assert card.text.startswith("✅ Сделка создана.\n📅 Когда следующий шаг?")
    assert "#1 · Иван Петров — Пётр Сидоров" in card.text
    assert "Воронка: 10 Неразобранные" in card.text
    assert ["Сегодня", "Завтра"] in card.buttons()
    deal = await app.scalar(select(Deal))
    assert deal.next_action_on is None and (deal.owner_id, deal.created_by_id) == (me.id, me.id)
    assert sorted(await app.all(select(Contact.normalized))) == ["+79991234567", "petr@firm.ru"]
    await ivan.press("⏰ Время")
    await ivan.press("⏰ Завтра")
    await ivan.press("10:00")
    assert "Следующий шаг: 28.11.2026 10:00" in card.text
    deal = await app.scalar(select(Deal))
    assert (deal.next_action_on, deal.next_action_time) == (dt.date(2026, 11, 28), dt.time(10))
    events = await app.all(select(DealEvent).order_by(DealEvent.id))
    assert (events[0].kind, events[0].actor_id) == (EventKind.created, me.id)
    assert events[-1].kind is EventKind.next_action and events[-1].new == "2026-11-28 10:00"


async def test_next_step_after_new_can_be_typed(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("/new Пётр")
    await ivan.send("30.11")  # all day: no time asked
    deal = await app.scalar(select(Deal))
    assert (deal.next_action_on, deal.next_action_time) == (dt.date(2026, 11, 30), None)


async def test_new_in_one_message_asks_again_for_a_bad_contact(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("/new Иван Петров, ivan@@firm, +7 999 123-45-67")
    text = _wizard(ivan).text
    assert "👤 Иван Петров" in text and "📞 +7 999 123-45-67" in text
    assert "«ivan@@firm» — не похоже на e-mail" in text
    assert "Пришлите исправленный контакт или продолжите без него." in text
    assert await _nothing_written(app)
    await ivan.send("ivan@firm")
    assert "«ivan@firm» — не похоже на e-mail" in _wizard(ivan).text
    await ivan.send("ivan@firm.ru")
    assert ivan.last_message().text.startswith("✅ Сделка создана.")
    assert sorted(await app.all(select(Contact.normalized))) == ["+79991234567", "ivan@firm.ru"]


async def test_new_in_one_message_goes_on_without_the_bad_contact(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("/new Иван, 12345, +7 99")
    assert "«12345» — не похоже на телефон" in _wizard(ivan).text
    await ivan.press("Продолжить без него")
    assert "«12345»" not in _wizard(ivan).text and "«+7 99»" in _wizard(ivan).text
    await ivan.press("Продолжить без него")
    deal = await app.scalar(select(Deal))
    assert deal.client_name == "Иван" and await app.count(Contact) == 0


async def test_new_with_only_a_bad_contact_falls_back_to_the_wizard(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("/new ivan@firm")
    await ivan.press("Продолжить без него")
    assert "Нужно имя клиента или хотя бы один контакт." in _wizard(ivan).text
    assert "Как зовут клиента" in _wizard(ivan).text
    assert await _nothing_written(app)


async def test_new_in_one_message_checks_duplicates(app: App) -> None:
    _, petr = await app.add_user(Role.manager, name="Пётр Коллегин")
    await make_deal(app, petr, "Ромашка", contacts=("+7 999 123-45-67",))
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("/new Ромашка, 89991234567")
    assert "Похоже, этот клиент уже в работе" in _wizard(ivan).text
    assert [BACK] not in _wizard(ivan).buttons()
    await ivan.press(CANCEL)
    assert await app.count(Deal) == 1
    await ivan.send("/new Ромашка, 89991234567")
    await ivan.press("Всё равно создать")
    assert await app.count(Deal) == 2
    assert "Когда следующий шаг?" in ivan.last_message().text
    assert "#2 ·" in ivan.last_message().text


async def test_new_in_one_message_refuses_too_long_and_escapes_html(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    await ivan.send("/new " + "Я" * 300)
    assert ivan.last_message().text == (
        "Слишком длинно: 300 символов, можно не больше 255. Сократите, пожалуйста."
    )
    assert await _nothing_written(app)
    await ivan.send("/new <script>alert(1)</script>, <b>x</b>@firm.ru")
    text = _wizard(ivan).html
    assert "👤 &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "«b&gt;x&lt;/b&gt;@firm.ru» — не похоже на e-mail" in text
    await ivan.press("Продолжить без него")
    assert "#1 · Мария Смирнова — &lt;script&gt;alert(1)&lt;/script&gt;" in ivan.last_message().html
    assert (await app.scalar(select(Deal))).client_name == "<script>alert(1)</script>"


# -- English -----------------------------------------------------------------------------------


async def test_guided_flow_in_english(app: App) -> None:
    john, _ = await app.add_user(Role.manager, name="John Smith", language="en")
    await john.send("➕ New deal")
    assert "What is the client's name or company?" in _wizard(john).text
    await john.send("Acme LLC")
    assert "🏢 Acme LLC" in _wizard(john).text
    await john.send("john@acme")
    assert "“john@acme” does not look like an e-mail." in _wizard(john).text
    await john.send("john@acme.com")
    await john.press("✅ Done")
    await john.press("1 Магазин Битрикс-250")
    await john.press("Avito")
    await john.send("1.5m USD")
    assert "Amount: 1\u202f500\u202f000 $" in _wizard(john).text
    await john.press("Next week")
    assert "Title: John Smith — Acme LLC" in _wizard(john).text
    await john.press("✅ Create")
    card = john.last_message()
    assert card.text.startswith("✅ Deal created.") and "Next step: 30 Nov 2026" in card.text
    deal = await app.scalar(select(Deal))
    assert (deal.company, deal.amount, deal.currency) == ("Acme LLC", Decimal("1500000.00"), "USD")


async def test_new_in_one_message_in_english(app: App) -> None:
    john, _ = await app.add_user(Role.manager, name="John Smith", language="en")
    await john.send("/new Jane Doe, jane@@acme, +1 212 555 0100")
    assert "“jane@@acme” does not look like an e-mail." in _wizard(john).text
    await john.press("Go on without it")
    card = john.last_message()
    assert card.text.startswith("✅ Deal created.\n📅 When is the next step?")
    assert "Pipeline: 10 Unsorted" in card.text and "📞 +1 212-555-0100" in card.text
    await john.press("Next week")
    assert "Next step: 30 Nov 2026" in card.text
    await john.send("/new")
    await john.press("✖ Cancel")
    assert john.last_message().text == "Deal creation cancelled. Nothing was saved."
    assert await app.count(Deal) == 1
