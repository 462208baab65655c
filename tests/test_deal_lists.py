"""Deal lists: Today, Overdue, My deals, Recently deleted — paging, order, time zones,
visibility by role, filters, escaping, stale buttons."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import delete, select, update

from bot.callbacks import DealAction, DealCb
from bot.callbacks.lists import DeletedOpenCb, ListCb, ListPickCb, Pick
from models import Deal, DealEvent, Pipeline, Stage, User
from models.roles import Role
from models.services.deal_lists import ListKind
from models.services.deals import DealDraft
from tests.client import ChatClient
from tests.conftest import App, postgres_only, sqlite_only
from tests.factories import make_deal
from tests.postgres_support import (
    plan,
    reads_by_index,
    seed_big_tables,
    sequential_scans_of_big_tables,
)

TODAY = dt.date(2026, 11, 27)  # the FakeClock's date in Moscow


async def make_many(
    app: App, owner: User, n: int, *, day: dt.date | None = TODAY, client: str = "Клиент"
) -> list[int]:
    """``n`` deals in one transaction (make_deal opens one per deal: slow for hundreds)."""
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        actor = await session.get(User, owner.id)
        assert actor is not None
        ids = []
        for i in range(1, n + 1):
            deal = await crm.deals.create(actor, DealDraft(client_name=f"{client} {i:03d}"))
            crm.deals.apply_next_action(deal, day, None, actor)
            ids.append(deal.id)
        await session.flush()
    return ids


async def make_team(app: App) -> tuple[ChatClient, User, int]:
    lead, lead_user = await app.add_user(Role.lead, name="Ольга Лидова")
    async with app.session_factory() as session, session.begin():
        team_id = await app.crm(session).accounts._ensure_team_of(
            await session.get_one(User, lead_user.id)
        )
    lead_user.team_id = team_id
    return lead, lead_user, team_id


async def soft_delete(app: App, deal_id: int, by: User, at: dt.datetime | None = None) -> None:
    async with app.session_factory() as session, session.begin():
        await session.execute(
            update(Deal)
            .where(Deal.id == deal_id)
            .values(deleted_at=at or app.clock(), deleted_by_id=by.id)
        )


def item_buttons(client: ChatClient) -> list[str]:
    return [row[0] for row in client.keyboard() if re.match(r"\d+\. ", row[0])]


async def pipeline_id(app: App, code: str) -> int:
    return await app.scalar(select(Pipeline.id).where(Pipeline.code == code))


# -- paging --------------------------------------------------------------------------------
async def test_two_hundred_deals_page_by_eight_in_place(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    ids = await make_many(app, owner, 200)
    await ivan.send("📅 Сегодня")
    listing = ivan.last_message()
    assert "Сегодня, 27.11" in listing.text and "· 200 сделок" in listing.text
    assert "Стр. 1/25" in listing.text
    assert item_buttons(ivan) == [f"{n}. Клиент {n:03d}" for n in range(1, 9)]
    assert listing.buttons()[8] == ["1/25", "›"]  # no "‹" on the first page
    assert all(len(row) <= 8 for row in listing.buttons())

    await ivan.press("›")
    page2 = ivan.last_message()
    assert page2.message_id == listing.message_id and page2.edits == 1  # edited in place
    assert "Стр. 2/25" in page2.text
    assert item_buttons(ivan)[0] == "9. Клиент 009"
    assert page2.buttons()[8] == ["‹", "2/25", "›"]
    await ivan.press("‹")
    assert "Стр. 1/25" in ivan.last_message().text

    await ivan.press_data(ListCb(kind=ListKind.today, page=25).pack(), ivan.last_message())
    last = ivan.last_message()
    assert last.message_id == listing.message_id
    assert "Стр. 25/25" in last.text
    assert item_buttons(ivan) == [f"{n}. Клиент {n:03d}" for n in range(193, 201)]
    assert last.buttons()[8] == ["‹", "25/25"]
    # The counter re-reads the page: nothing changed, and that is not an error.
    await ivan.press("25/25")
    assert app.telegram.alerts[-1] == (None, False)

    # An item opens the deal card as a new message; the list stays.
    await ivan.press("200. Клиент 200")
    card = ivan.last_message()
    assert card.message_id != listing.message_id
    assert card.text.startswith(f"#{ids[-1]} · ")


async def test_page_past_the_end_shows_the_last_page(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    ids = await make_many(app, owner, 10)
    await ivan.send("/today")
    await ivan.press("›")
    assert "Стр. 2/2" in ivan.last_message().text
    for deal_id in ids[8:]:
        await soft_delete(app, deal_id, owner)
    await ivan.press("2/2")  # the old button of page 2 now points past the end
    listing = ivan.last_message()
    assert "· 8 сделок" in listing.text and "Стр." not in listing.text
    assert len(item_buttons(ivan)) == 8
    # An admin's lists are counted apart from the page: the same clamping applies.
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    await admin.send("/today")
    await admin.press_data(ListCb(kind=ListKind.today, page=99).pack(), admin.last_message())
    assert "· 8 сделок" in admin.last_message().text and len(item_buttons(admin)) == 8
    # The biggest page a button may carry is clamped too; beyond it the button is forged and
    # answered as out of date (bot/callbacks/fields.py), the list left as it was.
    await ivan.press_data(ListCb(kind=ListKind.today, page=2**31 - 1).pack(), listing)
    assert "· 8 сделок" in ivan.last_message().text
    for page in (10**30, -5):
        assert await ivan.press_data(f"dl:{ListKind.today.value}:{page}:0:0:0:0", listing) == []
        assert ivan.last_alert() == "Эта кнопка устарела. Откройте нужное заново из меню."


async def test_tapping_a_deal_deleted_meanwhile_says_it_is_gone(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка", next_action_on=TODAY)
    await ivan.send("/today")
    await soft_delete(app, deal.id, owner)
    before = len(ivan.messages())
    await ivan.press("1. Ромашка")
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)
    assert len(ivan.messages()) == before


# -- Today and Overdue ---------------------------------------------------------------------
async def test_today_orders_by_time_then_id_and_skips_what_is_not_due(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    await make_deal(app, owner, "Без времени", next_action_on=TODAY)
    await make_deal(app, owner, "В 15:00", next_action_on=TODAY, next_action_time=dt.time(15))
    await make_deal(app, owner, "В 10:30", next_action_on=TODAY, next_action_time=dt.time(10, 30))
    await make_deal(app, owner, "Завтра", next_action_on=TODAY + dt.timedelta(days=1))
    await make_deal(app, owner, "Вчера", next_action_on=TODAY - dt.timedelta(days=1))
    await make_deal(app, owner, "Без шага")
    await make_deal(app, owner, "Выиграна", next_action_on=TODAY, stage_code="won")
    await make_deal(app, owner, "На паузе", next_action_on=TODAY, stage_code="paused")
    gone = await make_deal(app, owner, "Удалена", next_action_on=TODAY)
    await soft_delete(app, gone.id, owner)

    await ivan.send("📅 Сегодня")
    text = ivan.last_message().text
    assert item_buttons(ivan) == ["1. В 10:30", "2. В 15:00", "3. Без времени"]
    assert "📅 27.11 10:30 ⏰ сегодня" in text
    assert "· 3 сделки" in text and "Стр." not in text


async def test_overdue_oldest_first_with_markers(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    await make_deal(
        app,
        owner,
        "Неделю назад",
        next_action_on=dt.date(2026, 11, 20),
        amount="150000",
        currency="RUB",
    )
    await make_deal(app, owner, "Вчера", next_action_on=dt.date(2026, 11, 26))
    await make_deal(
        app,
        owner,
        "Позавчера днём",
        next_action_on=dt.date(2026, 11, 25),
        next_action_time=dt.time(14),
    )
    await make_deal(app, owner, "Позавчера", next_action_on=dt.date(2026, 11, 25))
    await make_deal(app, owner, "Сегодня", next_action_on=TODAY)
    await make_deal(app, owner, "Проиграна", next_action_on=dt.date(2026, 11, 1), stage_code="lost")
    await ivan.send("🔥 Просрочено")
    text = ivan.last_message().text
    assert item_buttons(ivan) == [
        "1. Неделю назад",
        "2. Позавчера днём",
        "3. Позавчера",
        "4. Вчера",
    ]
    assert "🔥 просрочено на 7 дней" in text and "💰 150\u202f000 ₽" in text
    assert "📅 25.11 14:00 🔥 просрочено на 2 дня" in text


async def test_today_and_overdue_follow_each_users_time_zone(app: App) -> None:
    # 15:00 UTC: 18:00 on the 27th in Moscow, already 01:00 on the 28th in Vladivostok.
    app.clock.set(dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC))
    masha, moscow = await app.add_user(Role.manager, name="Мария Москвина")
    vova, vlad = await app.add_user(Role.manager, name="Владимир Востоков")
    async with app.session_factory() as session, session.begin():
        await session.execute(
            update(User).where(User.id == vlad.id).values(timezone="Asia/Vladivostok")
        )
    for who in (moscow, vlad):
        await make_deal(app, who, "На 27-е", next_action_on=dt.date(2026, 11, 27))
        await make_deal(app, who, "На 28-е", next_action_on=dt.date(2026, 11, 28))

    await masha.send("/today")
    assert "Сегодня, 27.11" in masha.last_message().text
    assert item_buttons(masha) == ["1. На 27-е"]
    await masha.send("/overdue")
    assert masha.last_message().text == "Просроченных сделок нет 👍"

    await vova.send("/today")
    assert "Сегодня, 28.11" in vova.last_message().text
    assert item_buttons(vova) == ["1. На 28-е"]
    await vova.send("/overdue")
    assert item_buttons(vova) == ["1. На 27-е"]
    assert "🔥 просрочено на 1 день" in vova.last_message().text


async def test_empty_lists_are_friendly(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager)
    expected = {
        "📅 Сегодня": "Нет сделок на сегодня 🎉",
        "🔥 Просрочено": "Просроченных сделок нет 👍",
        "📂 Мои сделки": "Сделок в работе нет.",
        "/deleted": "Недавно удалённых сделок нет.",
    }
    for command, text in expected.items():
        await ivan.send(command)
        assert ivan.last_message().text.startswith(text)
    assert ivan.last_message().buttons() == [["📂 Мои сделки"]]


async def test_lists_in_english(app: App) -> None:
    john, owner = await app.add_user(Role.manager, name="John Smith", language="en")
    await john.send("📅 Today")
    assert john.last_message().text == "No deals for today 🎉"
    await make_deal(
        app, owner, "Acme", next_action_on=dt.date(2026, 11, 25), amount="99.5", currency="USD"
    )
    await john.send("🔥 Overdue")
    text = john.last_message().text
    assert "Overdue · 1 deal" in text
    assert "📅 25 Nov 🔥 overdue by 2 days" in text and "💰 99.50 $" in text
    await john.send("/mydeals")
    assert "My deals (in work and paused) · 1 deal" in john.last_message().text
    assert ["🗂 Pipeline: all", "🔀 Stage: all"] in john.keyboard()


# -- menu buttons leave any state ----------------------------------------------------------
async def test_menu_buttons_work_in_any_state(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    await make_deal(app, owner, "Ромашка", next_action_on=TODAY)
    await ivan.send("🔎 Поиск")  # now the next text would be a search query
    await ivan.send("📅 Сегодня")
    assert item_buttons(ivan) == ["1. Ромашка"]
    await ivan.send("ромашка")  # not a search any more: the state was left
    assert "Поиск" not in ivan.last_message().text


# -- My deals and filters ------------------------------------------------------------------
async def test_my_deals_in_work_newest_activity_first_with_filters(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    crm_pipe = await pipeline_id(app, "crm")
    site_pipe = await pipeline_id(app, "site_fastsite")
    await make_deal(app, owner, "Старая CRM", pipeline_id=crm_pipe)
    app.clock.advance(minutes=1)
    await make_deal(app, owner, "Сайт на КП", pipeline_id=site_pipe, stage_code="proposal")
    app.clock.advance(minutes=1)
    await make_deal(app, owner, "Пауза CRM", pipeline_id=crm_pipe, stage_code="paused")
    app.clock.advance(minutes=1)
    await make_deal(app, owner, "Выиграна", pipeline_id=crm_pipe, stage_code="won")
    await make_deal(app, owner, "Проиграна", stage_code="lost")

    await ivan.send("📂 Мои сделки")
    listing = ivan.last_message()
    assert item_buttons(ivan) == ["1. Пауза CRM", "2. Сайт на КП", "3. Старая CRM"]
    assert "Приостановлен" in listing.text and "⚠️" not in listing.text.split("\n\n")[1]

    await ivan.press("🗂 Воронка: все")
    assert ivan.last_message().message_id == listing.message_id
    assert "Выберите воронку" in ivan.last_message().text
    await ivan.press("5 CRM")
    text = ivan.last_message().text
    assert item_buttons(ivan) == ["1. Пауза CRM", "2. Старая CRM"]
    assert "Фильтр: воронка «5 CRM»" in text
    assert ["🗂 Воронка: 5 CRM", "🔀 Этап: все"] in ivan.keyboard()

    await ivan.press("🔀 Этап: все")
    stages = [row[0] for row in ivan.keyboard()]
    assert "Приостановлен" in stages and "Выиграли" not in stages and "Проиграли" not in stages
    await ivan.press("Найти все контакты и соцсети")
    assert item_buttons(ivan) == ["1. Старая CRM"]
    assert "этап «Найти все контакты и соцсети»" in ivan.last_message().text

    await ivan.press("🔀 Этап: Найти все контакты…")
    await ivan.press("Направить КП")
    assert ivan.last_message().text.startswith("С такими фильтрами сделок нет.")
    await ivan.press("✖ Сбросить фильтры")
    assert len(item_buttons(ivan)) == 3 and "Фильтр" not in ivan.last_message().text

    # A picker's "Back" returns to the list with its filters unchanged.
    await ivan.press("🗂 Воронка: все")
    await ivan.press("« К списку")
    assert len(item_buttons(ivan)) == 3


# -- visibility ----------------------------------------------------------------------------
async def test_manager_sees_only_own_deals(app: App) -> None:
    ivan, ivan_user = await app.add_user(Role.manager, name="Иван Петров")
    _, petr_user = await app.add_user(Role.manager, name="Пётр Сидоров")
    await make_deal(app, ivan_user, "Иванова", next_action_on=TODAY)
    await make_deal(app, petr_user, "Петрова", next_action_on=TODAY)
    await make_deal(app, petr_user, "Петрова старая", next_action_on=dt.date(2026, 11, 1))
    await ivan.send("/today")
    assert item_buttons(ivan) == ["1. Иванова"]
    await ivan.send("/overdue")
    assert ivan.last_message().text == "Просроченных сделок нет 👍"
    await ivan.send("/mydeals")
    assert item_buttons(ivan) == ["1. Иванова"]
    assert not any("Чьи" in b for row in ivan.keyboard() for b in row)
    # Forged buttons: a filter by somebody else, the people picker.
    await ivan.press_data(
        ListCb(kind=ListKind.today, owner=petr_user.id).pack(), ivan.last_message()
    )
    assert app.telegram.alerts[-1] == ("Фильтр по ответственному вам недоступен.", True)
    await ivan.press_data(
        ListPickCb(kind=ListKind.today, what=Pick.owner).pack(), ivan.last_message()
    )
    assert app.telegram.alerts[-1] == ("Фильтр по ответственному вам недоступен.", True)
    assert "Пётр" not in ivan.last_message().text


async def test_lead_sees_the_team_and_filters_by_manager(app: App) -> None:
    lead, lead_user, team_id = await make_team(app)
    _, anna = await app.add_user(Role.manager, name="Анна Белова", team_id=team_id)
    _, boris = await app.add_user(Role.manager, name="Борис Чернов", team_id=team_id)
    _, outsider = await app.add_user(Role.manager, name="Чужой Менеджер")
    await make_deal(app, lead_user, "Сделка лида", next_action_on=TODAY)
    await make_deal(app, anna, "Сделка Анны", next_action_on=TODAY)
    await make_deal(app, boris, "Сделка Бориса", next_action_on=TODAY)
    await make_deal(app, outsider, "Чужая сделка", next_action_on=TODAY)

    await lead.send("/today")
    listing = lead.last_message()
    assert sorted(item_buttons(lead)) == ["1. Сделка лида", "2. Сделка Анны", "3. Сделка Бориса"]
    assert "👔 Анна Белова" in listing.text and "Чужая" not in listing.text

    await lead.press("👥 Чьи: все")
    people = [b for row in lead.keyboard() for b in row]
    assert {"Анна Белова", "Борис Чернов", "Ольга Лидова"} <= set(people)
    assert "Чужой Менеджер" not in people
    await lead.press("Анна Белова")
    assert item_buttons(lead) == ["1. Сделка Анны"]
    assert "ответственный Анна Белова" in lead.last_message().text
    assert ["👥 Чьи: Анна Белова"] in lead.keyboard()

    await lead.press_data(
        ListCb(kind=ListKind.today, owner=outsider.id).pack(), lead.last_message()
    )
    assert app.telegram.alerts[-1] == ("Фильтр по ответственному вам недоступен.", True)


async def test_admin_sees_everybody(app: App) -> None:
    admin, _ = await app.add_user(Role.admin, name="Анна Админ")
    _, ivan = await app.add_user(Role.manager, name="Иван Петров")
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров")
    await make_deal(app, ivan, "Ивана", next_action_on=TODAY)
    await make_deal(app, petr, "Петра", next_action_on=TODAY)
    await admin.send("/today")
    assert sorted(item_buttons(admin)) == ["1. Ивана", "2. Петра"]
    await admin.press("👥 Чьи: все")
    await admin.press("Пётр Сидоров")
    assert item_buttons(admin) == ["1. Петра"]
    # Many people: the picker pages by ten.
    for i in range(10):
        await app.add_user(Role.manager, name=f"Яков Запасной{i}")
    await admin.press("👥 Чьи: Пётр Сидоров")
    assert "Стр. 1/2" in admin.last_message().text
    assert "✓ Пётр Сидоров" in [b for row in admin.keyboard() for b in row]
    await admin.press("›")
    assert "Стр. 2/2" in admin.last_message().text
    await admin.press("Яков Запасной9")
    assert admin.last_message().text.startswith("С такими фильтрами сделок нет.")


async def test_operator_sees_deals_they_created(app: App) -> None:
    oper, oper_user = await app.add_user(Role.operator, name="Ольга Оператор")
    _, ivan = await app.add_user(Role.manager, name="Иван Петров")
    await make_deal(app, oper_user, "Для Ивана", next_action_on=TODAY, owner_id=ivan.id)
    await make_deal(app, ivan, "Своя Ивана", next_action_on=TODAY)
    await oper.send("/today")
    assert item_buttons(oper) == ["1. Для Ивана"]
    assert "👔 Иван Петров" in oper.last_message().text


# -- Recently deleted ----------------------------------------------------------------------
async def test_recently_deleted_newest_first_and_opens_the_deleted_card(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    _, petr = await app.add_user(Role.manager, name="Пётр Сидоров")
    first = await make_deal(app, owner, "Удалена первой", next_action_on=TODAY)
    second = await make_deal(app, owner, "Удалена второй")
    await make_deal(app, owner, "Живая", next_action_on=TODAY)
    others = await make_deal(app, petr, "Чужая удалённая")
    await soft_delete(app, first.id, owner, dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC))
    await soft_delete(app, second.id, owner, dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC))
    await soft_delete(app, others.id, petr)

    await ivan.send("/deleted")
    listing = ivan.last_message()
    assert "Недавно удалённые" in listing.text
    assert item_buttons(ivan) == ["1. Удалена второй", "2. Удалена первой"]
    assert "🗑 удалена 26.11" in listing.text
    # Deleted deals are in no other list.
    await ivan.send("/today")
    assert item_buttons(ivan) == ["1. Живая"]
    await ivan.send("/mydeals")
    assert item_buttons(ivan) == ["1. Живая"]
    await ivan.press("🗑 Недавно удалённые")
    assert item_buttons(ivan) == ["1. Удалена второй", "2. Удалена первой"]

    await ivan.press("1. Удалена второй")
    card = ivan.last_message()
    assert card.text.startswith("🗑 Сделка удалена") and f"#{second.id}" in card.text
    assert ["♻️ Восстановить"] in card.buttons()

    # Someone else's deleted deal cannot be opened with a forged button.
    await ivan.press_data(DeletedOpenCb(deal_id=others.id).pack(), listing)
    assert app.telegram.alerts[-1] == ("Нет доступа к этой сделке.", True)
    # Gone for good: told so, nothing sent.
    async with app.session_factory() as session, session.begin():
        await session.execute(delete(DealEvent).where(DealEvent.deal_id == first.id))
        await session.execute(delete(Deal).where(Deal.id == first.id))
    before = len(ivan.messages())
    await ivan.press("2. Удалена первой", message=listing)
    assert app.telegram.alerts[-1] == ("Этой сделки больше нет.", True)
    assert len(ivan.messages()) == before


# -- rendering limits ----------------------------------------------------------------------
async def test_html_is_escaped_and_long_fields_fit_telegram(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    await make_many(app, owner, 9, client="Я" * 250)
    await make_deal(
        app, owner, "<b>Ромашка</b> & Co", title="<i>Сайт</i> <script>", next_action_on=TODAY
    )
    await ivan.send("/today")
    page = ivan.last_message()  # the fake Telegram refuses bad HTML and > 4096 characters
    assert len(page.text) <= 4096
    await ivan.press("›")
    html = ivan.last_message().html
    assert "&lt;i&gt;Сайт&lt;/i&gt; &lt;script&gt;" in html
    assert "&lt;b&gt;Ромашка&lt;/b&gt; &amp; Co" in html
    assert "10. <b>Ромашка</b…" in [b for row in ivan.keyboard() for b in row]


@sqlite_only
async def test_list_queries_use_the_indexes(app: App) -> None:
    _, manager = await app.add_user(Role.manager)
    _, lead_user, _ = await make_team(app)
    async with app.session_factory() as session:
        crm = app.crm(session)
        plans = await crm.lists.explain(await session.get_one(User, manager.id))
        lead_plans = await crm.lists.explain(await session.get_one(User, lead_user.id))
    assert any("ix_deals_owner_status_next" in step for step in plans["today"])
    assert any("ix_deals_owner_status_next" in step for step in plans["overdue"])
    assert any("ix_contacts_kind_normalized" in step for step in plans["phone_search"])
    assert any("ix_deals_owner_status_next" in step for step in lead_plans["overdue"])
    assert not any(step.startswith("SCAN deals") for p in plans.values() for step in p)


@postgres_only
async def test_list_queries_use_the_indexes_on_postgresql(app: App) -> None:
    """The twin of the SQLite check: with 20,000 deals and statistics, no list or search
    statement reads a big table sequentially."""
    _, manager = await app.add_user(Role.manager)
    _, lead_user, _ = await make_team(app)
    await seed_big_tables(app)
    plans: dict[str, list[str]] = {}
    async with app.session_factory() as session:
        crm = app.crm(session)
        for who, user in (("manager", manager), ("lead", lead_user)):
            actor = await session.get(User, user.id)
            assert actor is not None
            for name, statement in crm.lists.statements(actor).items():
                sql = statement.compile(bind=app.engine, compile_kwargs={"literal_binds": True})
                plans[f"{who}:{name}"] = await plan(await session.connection(), sql)
    for name, lines in plans.items():
        assert sequential_scans_of_big_tables(lines) == [], (name, lines)
        assert reads_by_index(lines, "deals"), (name, lines)
    assert any("ix_contacts_kind_normalized" in line for line in plans["manager:phone_search"])
    assert any("ix_contacts_kind_normalized" in line for line in plans["lead:phone_search"])


async def test_stale_stage_filter_still_works(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    stage = await app.scalar(select(Stage).where(Stage.code == "proposal"))
    await make_deal(app, owner, "На КП", stage_code="proposal")
    await ivan.send("/mydeals")
    await ivan.press_data(ListCb(kind=ListKind.mine, stage=stage.id).pack(), ivan.last_message())
    assert item_buttons(ivan) == ["1. На КП"]
    # A pressed deal button from the list is the card's own DealCb.
    assert (
        DealCb.unpack(ivan.find_button("1. На КП")[0].callback_data or "").action is DealAction.open
    )
