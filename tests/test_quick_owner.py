"""The operator's one-message /new asks whose deal it is (or takes "Ответственный: ..." /
@username from the text); never silently the operator's own."""

from __future__ import annotations

from sqlalchemy import select

from models import Deal, DealEvent, EventKind
from models.owner_spec import split_owner
from models.roles import Role
from tests.conftest import App
from tests.reminders_support import set_user
from tests.stats_support import make_team


def test_the_owner_is_taken_out_of_the_text() -> None:
    assert split_owner("Ромашка, ivan@firm.ru\nОтветственный: Иванов") == (
        "Ромашка, ivan@firm.ru",
        "Иванов",
    )
    assert split_owner("Ромашка, ivan@firm.ru @maria_s") == ("Ромашка, ivan@firm.ru", "@maria_s")
    assert split_owner("Ромашка, ivan@firm.ru") == ("Ромашка, ivan@firm.ru", None)  # e-mail
    assert split_owner("Ромашка\nowner: Smith") == ("Ромашка", "Smith")


async def test_operator_one_message_new_asks_whose_deal(app: App) -> None:
    _, _, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    _, maria = await app.add_user(Role.manager, name="Мария Смирнова", team_id=team_id)
    await app.add_user(Role.manager, name="Чужой Менеджер", team_id=None)
    _, gone = await app.add_user(Role.manager, name="Уволенный Менеджер", team_id=team_id)
    await set_user(app, gone, is_active=False)
    olga, operator = await app.add_user(Role.operator, name="Ольга Оператор", team_id=team_id)
    await olga.send("/new Пётр Сидоров, petr@firm.ru")
    asked = olga.last_message()
    assert "Чья это сделка? Выберите ответственного." in asked.text
    assert "Ответственный: Иванов" in asked.text  # the syntax is explained
    buttons = [b for row in asked.buttons() for b in row]
    assert "Мария Смирнова" in buttons and "Ольга Лидова" in buttons
    assert "Чужой Менеджер" not in buttons  # the operator's team only
    assert "Уволенный Менеджер" not in buttons
    assert "Я сам(а)" in buttons and "✓ Я сам(а)" not in buttons  # nothing chosen for them
    assert "« Назад" not in buttons
    assert await app.count(Deal) == 0  # nothing created before the answer
    await olga.press("Мария Смирнова", message=asked)
    assert olga.last_message().text.startswith("✅ Сделка создана.")
    deal = await app.scalar(select(Deal))
    assert (deal.owner_id, deal.created_by_id) == (maria.id, operator.id)
    assert deal.title == "Мария Смирнова — Пётр Сидоров"
    kinds = await app.all(select(DealEvent.kind).order_by(DealEvent.id))
    assert kinds[:2] == [EventKind.created, EventKind.owner]
    # A second tap on the picker creates nothing more.
    await olga.press_data(asked.button_data(1, 0), asked)
    assert await app.count(Deal) == 1


async def test_owner_named_in_the_text(app: App) -> None:
    _, maria = await app.add_user(Role.manager, name="Мария Смирнова")
    await set_user(app, maria, username="maria_s")
    _, petr = await app.add_user(Role.manager, name="Пётр Иванов")
    olga, _ = await app.add_user(Role.operator, name="Ольга Оператор")
    await olga.send("/new Ромашка, +7 999 123-45-67\nОтветственный: иванов")
    assert olga.last_message().text.startswith("✅ Сделка создана.")
    await olga.send("/new Лютик, lutik@firm.ru @maria_s")
    owners = await app.all(select(Deal.owner_id).order_by(Deal.id))
    assert owners == [petr.id, maria.id]
    titles = await app.all(select(Deal.title).order_by(Deal.id))
    assert titles == ["Пётр Иванов — Ромашка", "Мария Смирнова — Лютик"]


async def test_unknown_or_ambiguous_name_asks(app: App) -> None:
    _, anna = await app.add_user(Role.manager, name="Анна Петрова")
    await app.add_user(Role.manager, name="Анна Смирнова")
    admin, _ = await app.add_user(Role.admin, name="Борис Админ")
    await admin.send("/new Ромашка\nОтветственный: Анна")
    assert "Под «Анна» подходят несколько сотрудников" in admin.last_message().text
    await admin.send("/new Ромашка\nОтветственный: <b>Никто</b>")
    asked = admin.last_message()
    assert "Не нашёл среди сотрудников: «<b>Никто</b>»" in asked.text
    assert "&lt;b&gt;" in asked.html
    assert await app.count(Deal) == 0
    await admin.send("Анна Петрова")  # typed instead of a tap
    deal = await app.scalar(select(Deal))
    assert deal is not None and deal.owner_id == anna.id


async def test_manager_cannot_name_another_owner(app: App) -> None:
    ivan, _ = await app.add_user(Role.manager, name="Иван Петров")
    await app.add_user(Role.manager, name="Мария Смирнова")
    await ivan.send("/new Ромашка\nОтветственный: Мария Смирнова")
    assert "Вы создаёте сделки только на себя" in ivan.last_message().text
    assert await app.count(Deal) == 0


async def test_a_manager_one_message_new_is_still_theirs_at_once(app: App) -> None:
    ivan, me = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send("/new Пётр, petr@firm.ru")
    assert ivan.last_message().text.startswith("✅ Сделка создана.")
    assert await app.scalar(select(Deal.owner_id)) == me.id


async def test_owner_deactivated_before_the_tap_is_refused(app: App) -> None:
    _, maria = await app.add_user(Role.manager, name="Мария Смирнова")
    olga, _ = await app.add_user(Role.operator, name="Ольга Оператор")
    await olga.send("/new Ромашка")
    asked = olga.last_message()
    await set_user(app, maria, is_active=False)
    await olga.press("Мария Смирнова", message=asked)
    assert olga.last_alert() == "Пользователь не найден."
    assert await app.count(Deal) == 0
