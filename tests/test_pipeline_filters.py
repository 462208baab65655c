"""My deals and a lead's team list filtered by a pipeline group or a part of a pipeline's
name: "how do I see all my deals for online shops?" in one command or two taps; the
pickers of deal creation and editing: most used first, 8 a page, archived items gone."""

from __future__ import annotations

from sqlalchemy import select

from models import Deal, Pipeline, Source
from models.roles import Role
from models.users import User
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal
from tests.stats_support import make_team

SHOP = "Магазин"


async def _pipeline(app: App, code: str) -> int:
    pipeline_id = await app.scalar(select(Pipeline.id).where(Pipeline.code == code))
    assert pipeline_id is not None
    return int(pipeline_id)


async def _source(app: App, code: str) -> int:
    source_id = await app.scalar(select(Source.id).where(Source.code == code))
    assert source_id is not None
    return int(source_id)


def _items(client: ChatClient) -> list[str]:
    rows = client.last_message().buttons()
    return [row[0] for row in rows if row and row[0][:1].isdigit() and ". " in row[0]]


async def _shop_and_other_deals(app: App, owner: User) -> None:
    await make_deal(app, owner, "Шоп Битрикс", pipeline_id=await _pipeline(app, "shop_b250"))
    app.clock.advance(minutes=1)
    await make_deal(app, owner, "Шоп развитие", pipeline_id=await _pipeline(app, "shop_growth"))
    app.clock.advance(minutes=1)
    await make_deal(app, owner, "Сайт визитка", pipeline_id=await _pipeline(app, "site_fastsite"))
    app.clock.advance(minutes=1)
    await make_deal(app, owner, "Завод CRM", pipeline_id=await _pipeline(app, "crm"))


async def test_my_deals_for_online_shops_by_command_and_by_two_taps(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    await _shop_and_other_deals(app, owner)

    await ivan.send("/my магазин")
    text = ivan.last_message().text
    assert _items(ivan) == ["1. Шоп развитие", "2. Шоп Битрикс"]  # groups 3 and 1 both
    assert "Фильтр: воронки со словом «магазин»" in text
    assert ["🗂 Воронка: магазин", "🔀 Этап: все"] in ivan.keyboard()

    # The same with buttons: My deals -> 🗂 Воронка -> "Магазин: все".
    await ivan.send("📂 Мои сделки")
    assert len(_items(ivan)) == 4
    await ivan.press("🗂 Воронка: все")
    picker = ivan.last_message()
    assert "Выберите воронку, группу воронок или вид" in picker.text
    labels = [b for row in picker.buttons() for b in row]
    assert {"Магазин: все", "Сайт: все", "Конвейер: все", "Группа 1", "Группа 10"} <= set(labels)
    pipelines = [b for b in labels if b[:1].isdigit() and " " in b and "/" not in b]
    assert len(pipelines) == 8  # a page, most used first
    assert pipelines[:5] == [  # the four with Ivan's deals, then the handbook's order
        "1 Магазин Битрикс-250",
        "1 Сайт Fastsite",
        "3 Магазин Развитие Комплексное",
        "5 CRM",
        "1 Магазин Гибкая разработка Cetera CMS",
    ]
    await ivan.press("Магазин: все")
    assert _items(ivan) == ["1. Шоп развитие", "2. Шоп Битрикс"]
    assert "Фильтр: воронки «Магазин …»" in ivan.last_message().text
    assert ["🗂 Воронка: Магазин", "🔀 Этап: все"] in ivan.keyboard()

    # The set survives the stage picker.
    await ivan.press("🔀 Этап: все")
    await ivan.press("Найти все контакты и соцсети")
    assert _items(ivan) == ["1. Шоп развитие", "2. Шоп Битрикс"]
    assert "воронки «Магазин …»" in ivan.last_message().text
    # Reset drops it.
    await ivan.press("✖ Сбросить фильтры")
    assert len(_items(ivan)) == 4


async def test_a_family_is_the_first_word_a_name_part_is_anywhere(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    await _shop_and_other_deals(app, owner)
    downloads = await _pipeline(app, "downloads")
    await make_deal(app, owner, "Скачал КП", pipeline_id=downloads)
    await ivan.send("📂 Мои сделки")
    await ivan.press("🗂 Воронка: все")
    await ivan.press("Сайт: все")
    assert _items(ivan) == ["1. Сайт визитка"]  # not "9 Скачал материалы с сайта"
    await ivan.send("/my сайт")
    assert _items(ivan) == ["1. Скачал КП", "2. Сайт визитка"]


async def test_by_group_number_and_bad_filters(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    await _shop_and_other_deals(app, owner)
    await ivan.send("/my 1")
    assert _items(ivan) == ["1. Сайт визитка", "2. Шоп Битрикс"]
    assert "группа воронок 1" in ivan.last_message().text
    await ivan.send("📂 Мои сделки")
    await ivan.press("🗂 Воронка: все")
    await ivan.press("Группа 5")
    assert _items(ivan) == ["1. Завод CRM"]

    await ivan.send("/my 2")
    assert ivan.last_message().text == ("Группы воронок 2 нет. Есть: 1, 3, 4, 5, 6, 7, 8, 9, 10.")
    await ivan.send("/my <b>ёжик</b>")
    assert ivan.last_message().html.startswith(
        "Нет воронки, в названии которой есть «&lt;b&gt;ёжик&lt;/b&gt;»."
    )
    await ivan.send("/my " + "я" * 300)
    assert ivan.last_message().text == "Слишком длинный фильтр: можно не больше 50 символов."


async def test_an_older_sets_page_button_is_refused(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    shop = await _pipeline(app, "shop_b250")
    for n in range(10):
        await make_deal(app, owner, f"Шоп {n:02d}", pipeline_id=shop)
    await make_deal(app, owner, "Сайт", pipeline_id=await _pipeline(app, "site_fastsite"))
    await ivan.send("/my магазин")
    shops = ivan.last_message()
    assert len(_items(ivan)) == 8 and "Стр. 1/2" in shops.text
    await ivan.press("›", message=shops)
    assert _items(ivan) == ["9. Шоп 01", "10. Шоп 00"]  # the set rides through paging
    await ivan.send("/my сайт")
    await ivan.press("‹", message=shops)
    assert ivan.last_alert() == (
        "Этот фильтр устарел. Откройте «📂 Мои сделки» заново или напишите, например, /my магазин."
    )
    assert "Шоп 01" in shops.text  # the old list was left as it was


async def test_a_lead_filters_the_team_by_name_part(app: App) -> None:
    lead, _, team_id = await make_team(app)
    _, anna = await app.add_user(Role.manager, name="Анна Белова", team_id=team_id)
    _, boris = await app.add_user(Role.manager, name="Борис Чернов", team_id=team_id)
    _, stranger = await app.add_user(Role.manager, name="Чужой Менеджер")
    shop = await _pipeline(app, "shop_staged")
    await make_deal(app, anna, "Магазин Анны", pipeline_id=shop)
    await make_deal(app, boris, "Магазин Бориса", pipeline_id=shop)
    await make_deal(app, boris, "Сайт Бориса", pipeline_id=await _pipeline(app, "site_staged"))
    await make_deal(app, stranger, "Чужой магазин", pipeline_id=shop)
    await lead.send("/my МАГАЗИН")
    assert sorted(_items(lead)) == ["1. Магазин Бориса", "2. Магазин Анны"]
    await lead.press("👥 Чьи: все")
    await lead.press("Анна Белова")
    assert _items(lead) == ["1. Магазин Анны"]
    assert "воронки со словом «магазин»" in lead.last_message().text


# -- the creation and edit pickers ------------------------------------------------------------
async def test_wizard_pickers_put_the_most_used_first_eight_a_page(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    consulting = await _pipeline(app, "consulting")
    for _ in range(2):
        await make_deal(
            app, owner, "Клиент", pipeline_id=consulting, source_id=await _source(app, "satellites")
        )
    await ivan.send("/new")
    await ivan.send("Ольга Новикова")
    await ivan.press("Пропустить »")
    step = ivan.last_keyboard_message()
    assert step is not None
    rows = step.buttons()
    assert rows[0] == ["7 Консалтинг"]  # this person's most used
    assert rows[1] == ["1 Магазин Битрикс-250"]  # then the handbook's order
    assert ["‹", "1/6", "›"] in rows and sum(1 for r in rows if len(r) == 1) <= 8 + 2
    await ivan.press("›")
    assert ["‹", "2/6", "›"] in ivan.keyboard()
    await ivan.send("магазин")  # a part of the name narrows the list
    found = ivan.last_keyboard_message()
    assert found is not None
    assert "«магазин»: 10 совпадений, выберите кнопкой." in found.text
    names = [r[0] for r in found.buttons() if len(r) == 1 and r[0][:1].isdigit()]
    assert len(names) == 8 and all(SHOP in n for n in names)
    await ivan.press("›")  # the narrowed list pages too
    assert [r[0] for r in ivan.keyboard()][:2] == [
        "1 Магазин Этапная разработка",
        "3 Магазин Развитие Комплексное",
    ]
    await ivan.press("1 Магазин Этапная разработка")
    assert "Воронка: 1 Магазин Этапная разработка" in ivan.last_message().text
    sources = ivan.last_message().buttons()
    assert sources[0] == ["Сателиты", "Avito"]
    assert ["‹", "1/4", "›"] in sources


async def test_a_stale_button_of_an_archived_pipeline_is_refused(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    ivan, owner = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, owner, "Старый")
    await ivan.send("/new")
    await ivan.send("Ольга Новикова")
    await ivan.press("Пропустить »")
    wizard = ivan.last_keyboard_message()
    assert wizard is not None
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    await ivan.press("✏️ Изменить", message=card)
    await ivan.press("Воронка", message=card)

    await admin.send("/catalogs")
    await admin.press("🗂 Воронки")
    await admin.press("1. 1 Магазин Битрикс-250")
    await admin.press("🗄 В архив")

    # The wizard's old button: refused, the step redrawn without it.
    await ivan.press("1 Магазин Битрикс-250", message=wizard)
    assert ivan.last_alert() == "Этой воронки больше нет в списке. Выберите другую."
    assert "1 Магазин Битрикс-250" not in str(wizard.buttons())
    # The edit picker's old button: refused, the deal keeps its pipeline.
    await ivan.press("1 Магазин Битрикс-250", message=card)
    assert ivan.last_alert() == "Этой воронки больше нет в списке. Выберите другую."
    stored = await app.scalar(select(Deal).where(Deal.id == deal.id))
    assert stored is not None and stored.pipeline_id == await _pipeline(app, "unsorted")
    # Restored, it is offered again.
    await admin.press("♻️ Вернуть из архива")
    await ivan.send(f"/deal {deal.id}")
    fresh = ivan.last_message()
    await ivan.press("✏️ Изменить", message=fresh)
    await ivan.press("Воронка", message=fresh)
    assert ["1 Магазин Битрикс-250"] in fresh.buttons()
