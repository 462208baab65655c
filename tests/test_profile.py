"""/profile: name, e-mail (validated like a deal's contacts), the title prefix; titles
built from it; the prefix following a reassign unless typed by hand; one's own lists and
digest without one's own name in every row (a lead's team list still says whose)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import Deal, User
from models.roles import Role
from models.titles import SEP, retitle, strip_owner
from tests.conftest import App
from tests.factories import make_deal
from tests.reminders_support import chat, make_context, scan_at, set_user
from tests.stats_support import make_team


async def _user(app: App, user_id: int) -> User:
    found = await app.scalar(select(User).where(User.id == user_id))
    assert found is not None
    return found


async def test_profile_from_settings_sets_name_email_and_prefix(app: App) -> None:
    ivan, user = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send("/settings")
    await ivan.press("🙂 Профиль")
    text = ivan.last_message().text
    assert "Имя: Иван Петров" in text and "E-mail: не указан" in text
    assert "Начало названия сделок: e-mail" in text
    assert "Например: Иван Петров — ООО Ромашка" in text  # no e-mail yet: the name
    await ivan.press("✉️ E-mail")
    await ivan.send("Ivan@Firm.RU")
    assert ivan.last_message().text.startswith("✅ E-mail сохранён.")
    assert "Например: ivan@firm.ru — ООО Ромашка" in ivan.last_message().text
    assert (await _user(app, user.id)).email == "ivan@firm.ru"
    await make_deal(app, await _user(app, user.id), "Ромашка")
    assert await app.scalar(select(Deal.title)) == "ivan@firm.ru — Ромашка"
    await ivan.press("🏷 Начало названия")
    await ivan.press("имя")
    assert ivan.last_alert() == "✅ Сохранено. Уже созданные сделки не меняются."
    await make_deal(app, await _user(app, user.id), "Лютик")
    await ivan.press("🏷 Начало названия")
    await ivan.press("без начала")
    await make_deal(app, await _user(app, user.id), "Василёк")
    titles = await app.all(select(Deal.title).order_by(Deal.id))
    assert titles == ["ivan@firm.ru — Ромашка", "Иван Петров — Лютик", "Василёк"]
    await ivan.press("✏️ Имя")
    await ivan.send("  Иван   Сидоров ")
    assert (await _user(app, user.id)).full_name == "Иван Сидоров"


async def test_bad_name_and_email_are_refused_and_change_nothing(app: App) -> None:
    ivan, user = await app.add_user(Role.manager, name="Иван Петров")
    await ivan.send("/profile")
    await ivan.press("✉️ E-mail")
    await ivan.send("ivan@@firm")
    assert "Это не похоже на e-mail" in ivan.last_message().text
    await ivan.send("ivan@firm")  # no domain zone: refused like a deal contact
    assert "Это не похоже на e-mail" in ivan.last_message().text
    assert (await _user(app, user.id)).email is None
    await ivan.send("/profile")
    await ivan.press("✏️ Имя")
    await ivan.send("   ")
    assert ivan.last_message().text == "Имя не может быть пустым. Напишите его ещё раз."
    await ivan.send("Я" * 300)
    assert ivan.last_message().text == ("Имя длиннее 100 символов: 300 символов. Напишите короче.")
    assert (await _user(app, user.id)).full_name == "Иван Петров"
    await ivan.send("<b>Иван</b>")  # HTML is kept as text and shown escaped
    assert (await _user(app, user.id)).full_name == "<b>Иван</b>"
    assert "&lt;b&gt;Иван&lt;/b&gt;" in ivan.last_message().html


def test_retitle_follows_the_owner_unless_typed_by_hand() -> None:
    old = User(full_name="Иван Петров", email="ivan@firm.ru", title_prefix="email")
    new = User(full_name="Пётр Сидоров", email=None, title_prefix="email")
    clients = ("Ромашка", None)
    assert retitle("ivan@firm.ru — Ромашка", old, new, clients) == "Пётр Сидоров — Ромашка"
    # Generated under his name (before he set an e-mail): recognised too.
    assert retitle("Иван Петров — Ромашка", old, new, clients) == "Пётр Сидоров — Ромашка"
    # Generated without a prefix: the client alone.
    assert retitle("Ромашка", old, new, clients) == "Пётр Сидоров — Ромашка"
    # Typed by hand: left alone.
    assert retitle("Большой заказ Ромашки", old, new, clients) is None
    quiet = User(full_name="Пётр Сидоров", email=None, title_prefix="none")
    assert retitle("ivan@firm.ru — Ромашка", old, quiet, clients) == "Ромашка"
    assert strip_owner("ivan@firm.ru" + SEP + "Ромашка", ("ivan@firm.ru", "Иван")) == "Ромашка"
    assert strip_owner("ivan@firm.ru", ("ivan@firm.ru",)) == "ivan@firm.ru"


async def test_reassign_keeps_a_title_edited_by_hand(app: App) -> None:
    lead, _, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    _, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await app.add_user(Role.manager, name="Пётр Сидоров", team_id=team_id)
    deal = await make_deal(app, ivan, "Ромашка", title="Тендер Ромашки")
    await lead.send(f"/deal {deal.id}")
    await lead.press("👥 Передать")
    await lead.press("Пётр Сидоров")
    assert await app.scalar(select(Deal.title).where(Deal.id == deal.id)) == "Тендер Ромашки"


async def test_own_list_shows_the_client_first_team_list_says_whose(app: App) -> None:
    lead, _lead_user, team_id = await make_team(app, "Продажи", lead_name="Ольга Лидова")
    ivan, ivan_user = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await make_deal(app, ivan_user, "Ромашка")
    await ivan.send("/mydeals")
    text = ivan.last_message().text
    assert "1. Ромашка\n" in text and "Иван Петров" not in text
    await lead.send("/mydeals")
    text = lead.last_message().text
    assert "Иван Петров — Ромашка" in text and "👔 Иван Петров" in text


async def test_own_digest_does_not_repeat_ones_own_name(app: App) -> None:
    ctx, _ = make_context(app)
    _, ivan = await app.add_user(Role.manager, name="Иван Петров")
    await set_user(app, ivan, email="ivan@firm.ru")
    today = app.clock().date()
    deal = await make_deal(app, await _user(app, ivan.id), "Ромашка", next_action_on=today)
    assert deal.title == "ivan@firm.ru — Ромашка"
    # Made under the name, before the e-mail was set: recognised as well.
    late = await make_deal(
        app, ivan, "Лютик", next_action_on=today - dt.timedelta(days=2), title="Иван Петров — Лютик"
    )
    await scan_at(app, ctx, app.clock())
    [digest] = chat(app, ivan)
    assert f"#{deal.id} Ромашка" in digest.text and f"#{late.id} Лютик" in digest.text
    assert "ivan@firm.ru" not in digest.text and "Иван Петров" not in digest.text
