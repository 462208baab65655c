"""An admin edits pipelines, stages and sources in the chat (/catalogs, or from /settings):
add, rename, archive, restore, reorder; every change audited; the pickers see it at once.
Nobody else can; bad names and protected stages change nothing."""

from __future__ import annotations

from sqlalchemy import select

from bot.callbacks.catalogs import CatAction, CatCb, CatKind
from models import CatalogEvent, Deal, Pipeline, Source, Stage, StageKind
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal


async def _names(app: App, model: type[Pipeline] | type[Source] | type[Stage]) -> list[str]:
    rows = await app.all(select(model).order_by(model.position, model.id))
    return [r.name for r in rows]


async def _events(app: App) -> list[tuple[str, str, str | None, str | None]]:
    rows = await app.all(select(CatalogEvent).order_by(CatalogEvent.id))
    return [(e.catalog.value, e.action.value, e.old, e.new) for e in rows]


async def _open_sources(admin: ChatClient) -> None:
    await admin.send("/catalogs")
    await admin.press("📥 Источники")


async def test_admin_adds_renames_archives_restores_and_moves_a_source(app: App) -> None:
    admin, admin_user = await app.add_user(Role.admin, name="Админ Главный")
    await _open_sources(admin)
    listing = admin.last_message()
    assert "📥 Источники: 26 активных" in listing.text
    assert "Стр. 1 из 4" in listing.text
    assert ["1. Avito"] in listing.buttons() and ["8. Тендерная площадка"] in listing.buttons()

    await admin.press("➕ Добавить")
    assert "Напишите название нового источника (до 100 символов)" in admin.last_message().text
    await admin.send("  Выставка   <b>2027</b> ")
    card = admin.last_message()
    assert "✅ Добавлено: «Выставка &lt;b&gt;2027&lt;/b&gt;»." in card.html
    assert "Место в списке: 27" in card.text
    added = await app.scalar(select(Source).where(Source.name == "Выставка <b>2027</b>"))
    assert added is not None and not added.is_archived

    await admin.press("✏️ Переименовать")
    await admin.send("Выставка 2027")
    assert "✅ Переименовано: «Выставка &lt;b&gt;2027&lt;/b&gt;» → «Выставка 2027»." in (
        admin.last_message().html
    )
    await admin.press("⬆️ Выше")
    assert "Место в списке: 26" in admin.last_message().text
    assert (await _names(app, Source))[24:] == ["Другой канал", "Выставка 2027", "Сателиты"]
    await admin.press("⬇️ Ниже")
    await admin.press("⬇️ Ниже")  # the last already
    assert admin.last_alert() == "Дальше двигать некуда."
    assert (await _names(app, Source))[-1] == "Выставка 2027"

    await admin.press("🗄 В архив")
    card = admin.last_message()
    assert "🗄 Убрано в архив" in card.text and "♻️ Вернуть из архива" in str(card.buttons())
    assert (await app.scalar(select(Source.is_archived).where(Source.id == added.id))) is True
    await admin.press("♻️ Вернуть из архива")
    assert (await app.scalar(select(Source.is_archived).where(Source.id == added.id))) is False

    assert await _events(app) == [
        ("source", "added", None, "Выставка <b>2027</b>"),
        ("source", "renamed", "Выставка <b>2027</b>", "Выставка 2027"),
        ("source", "moved", "27", "26"),
        ("source", "moved", "26", "27"),
        ("source", "archived", "Выставка 2027", None),
        ("source", "restored", None, "Выставка 2027"),
    ]
    actors = await app.all(select(CatalogEvent.actor_id))
    assert set(actors) == {admin_user.id}


async def test_bad_names_are_refused_politely_and_change_nothing(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    await admin.send("/catalogs")
    await admin.press("🗂 Воронки")
    await admin.press("1. 1 Магазин Битрикс-250")
    await admin.press("✏️ Переименовать")
    await admin.send("   ")
    assert admin.last_message().text == "Название не может быть пустым. Напишите название."
    await admin.send("Я" * 300)
    assert admin.last_message().text == (
        "Слишком длинное название: 300 символов, можно не больше 100. Напишите короче."
    )
    await admin.send("5 crm")  # another pipeline's name in other letters' case
    assert admin.last_message().text.startswith("Название «5 CRM» уже есть в этом справочнике")
    names = await _names(app, Pipeline)
    assert names[0] == "1 Магазин Битрикс-250" and len(names) == 44
    assert await _events(app) == []
    # The prompt is still open: a good name is taken now, and the group follows the name.
    await admin.send("3 Магазин Битрикс-250")
    assert "Группа: 3" in admin.last_message().text
    group = await app.scalar(
        select(Pipeline.group_no).where(Pipeline.name == "3 Магазин Битрикс-250")
    )
    assert group == 3


async def test_a_stage_with_deals_in_work_and_the_last_won_stage_cannot_be_archived(
    app: App,
) -> None:
    admin, _ = await app.add_user(Role.admin)
    _, anna = await app.add_user(Role.manager, name="Анна Иванова")
    for client in ("Один", "Два", "Три"):
        await make_deal(app, anna, client, stage_code="proposal")
    await admin.send("/catalogs")
    await admin.press("🔀 Этапы")
    await admin.press("4. Направить КП")
    assert "Сделок: 3, из них в работе: 3" in admin.last_message().text
    await admin.press("🗄 В архив")
    assert admin.last_alert() == (
        "На этом этапе 3 сделки в работе. Этап с такими сделками в архив не убирается: "
        "сначала переведите их на другие этапы. Ничего не изменено."
    )
    assert not await app.scalar(select(Stage.is_archived).where(Stage.code == "proposal"))
    # The only Won stage.
    await admin.press("« К списку")
    await admin.press("8. Выиграли")
    await admin.press("🗄 В архив")
    assert (admin.last_alert() or "").startswith("Это последний этап «выиграна»")
    assert not await app.scalar(select(Stage.is_archived).where(Stage.code == "won"))
    # With a second Won stage, one of them may go.
    await admin.press("« К списку")
    await admin.press("➕ Добавить")
    await admin.send("Выиграли повторно")
    added = await app.scalar(select(Stage).where(Stage.name == "Выиграли повторно"))
    assert added is not None and added.kind is StageKind.open  # a working stage...
    assert (await _names(app, Stage))[7] == "Выиграли повторно"  # ...before Won
    assert await _events(app) == [("stage", "added", None, "Выиграли повторно")]


async def test_managers_leads_and_operators_cannot_edit_catalogs(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    await admin.send("/catalogs")
    await admin.press("📥 Источники")
    admin_list = admin.last_message()
    avito = await app.scalar(select(Source).where(Source.code == "avito"))
    assert avito is not None
    for role in (Role.manager, Role.lead, Role.operator):
        person, _ = await app.add_user(role, name="Пётр Сидоров")
        await person.send("/catalogs")
        assert person.last_message().text == (
            "Справочники меняет только администратор. Ничего не изменено."
        )
        # Forged / forwarded admin buttons: archive, rename prompt, move.
        for action in (CatAction.archive, CatAction.rename, CatAction.up, CatAction.list):
            data = CatCb(action=action, kind=CatKind.source, item=avito.id).pack()
            await person.press_data(data, admin_list)
            assert person.last_alert() == (
                "Справочники меняет только администратор. Ничего не изменено."
            )
        await person.send("/settings")
        assert "Справочники" not in str(person.last_message().buttons())
    fresh = await app.scalar(select(Source).where(Source.code == "avito"))
    assert fresh is not None and (fresh.name, fresh.position, fresh.is_archived) == (
        "Avito",
        1,
        False,
    )
    assert await _events(app) == []


async def test_from_settings_and_an_archived_pipeline_leaves_the_pickers(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    ivan, ivan_user = await app.add_user(Role.manager, name="Иван Петров")
    pipeline = await app.scalar(select(Pipeline).where(Pipeline.code == "shop_b250"))
    assert pipeline is not None
    old = await make_deal(app, ivan_user, "Старый клиент", pipeline_id=pipeline.id)

    await admin.send("/settings")
    await admin.press("🗂 Справочники (воронки, этапы, источники)")
    await admin.press("🗂 Воронки")
    await admin.press("1. 1 Магазин Битрикс-250")
    await admin.press("🗄 В архив")
    assert await app.scalar(select(Pipeline.is_archived).where(Pipeline.id == pipeline.id))
    events = await _events(app)
    assert events == [("pipeline", "archived", "1 Магазин Битрикс-250", None)]

    # The old deal keeps it and still shows its name.
    await ivan.send(f"/deal {old.id}")
    assert "1 Магазин Битрикс-250" in ivan.last_message().text
    deal = await app.scalar(select(Deal).where(Deal.id == old.id))
    assert deal is not None and deal.pipeline_id == pipeline.id
    # The edit picker names it as the current one but offers it no more, on no deal.
    await ivan.press("✏️ Изменить")
    await ivan.press("Воронка")
    assert "Сейчас: 1 Магазин Битрикс-250" in ivan.last_message().text
    labels = [b for row in ivan.last_message().buttons() for b in row]
    assert not any("Битрикс-250" in b for b in labels)
    other = await make_deal(app, ivan_user, "Новый клиент")
    await ivan.send(f"/deal {other.id}")
    await ivan.press("✏️ Изменить")
    await ivan.press("Воронка")
    labels = [b for row in ivan.last_message().buttons() for b in row]
    assert not any("Битрикс-250" in b for b in labels)


async def test_an_archived_stage_leaves_the_stage_picker_and_its_old_button_is_refused(
    app: App,
) -> None:
    admin, _ = await app.add_user(Role.admin)
    ivan, ivan_user = await app.add_user(Role.manager, name="Иван Петров")
    deal = await make_deal(app, ivan_user, "Клиент")
    await ivan.send(f"/deal {deal.id}")
    card = ivan.last_message()
    await ivan.press("🔀 Этап", message=card)
    old_picker = ivan.last_keyboard_message()
    assert old_picker is not None and "3. Направить портфолио" in str(old_picker.buttons())
    portfolio_button, _ = ivan.find_button("3. Направить портфолио", old_picker)
    old_markup = old_picker.reply_markup

    await admin.send("/catalogs")
    await admin.press("🔀 Этапы")
    await admin.press("3. Направить портфолио")
    await admin.press("🗄 В архив")
    assert await app.scalar(select(Stage.is_archived).where(Stage.code == "portfolio"))

    # The old button (pressed on a copy of the old picker): refused, the deal stays.
    old_picker.reply_markup = old_markup
    await ivan.press_data(portfolio_button.callback_data, old_picker)
    assert ivan.last_alert() == "Этого этапа больше нет. Откройте список этапов заново."
    stored = await app.scalar(select(Deal).where(Deal.id == deal.id))
    assert stored is not None and stored.stage_id != await app.scalar(
        select(Stage.id).where(Stage.code == "portfolio")
    )
    # A fresh picker leaves it out.
    await ivan.send(f"/deal {deal.id}")
    await ivan.press("🔀 Этап")
    fresh = ivan.last_keyboard_message()
    assert fresh is not None and "Направить портфолио" not in str(fresh.buttons())


async def test_hostile_names_and_command_arguments_change_nothing(app: App) -> None:
    admin, _ = await app.add_user(Role.admin)
    await admin.send("/catalogs \x00 <b>")
    assert "Справочники" in admin.last_message().text
    await admin.press("📥 Источники")
    await admin.press("➕ Добавить")
    await admin.send("\x00\x01")
    assert admin.last_message().text == "Название не может быть пустым. Напишите название."
    await admin.send("Выставка\x00 2027")
    assert await app.scalar(select(Source.id).where(Source.name == "Выставка 2027")) is not None
    for text in ("/my \x00", "/my " + "<i>" * 10, "/mydeals 99999999999", "/my 0"):
        await admin.send(text)
        assert admin.last_message().text  # a polite answer, no error
    assert not any("Произошла ошибка" in m.text for m in admin.messages())
    assert await _events(app) == [("source", "added", None, "Выставка 2027")]
