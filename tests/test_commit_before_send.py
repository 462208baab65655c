"""An update's writes are committed before the bot sends anything (the SQLite write lock is
never held across a call to Telegram), and the error message says honestly what was saved."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy import select

from models import User
from models.crm import Crm
from models.db import create_read_session_factory
from models.deals import Note
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal


def _install(app: App, router: Router) -> None:
    app.dp.include_router(router)
    app.dp.sub_routers.insert(1, app.dp.sub_routers.pop())  # in front of the fallback


async def test_writes_are_visible_to_others_when_the_bot_speaks(app: App) -> None:
    reader = create_read_session_factory(app.engine)
    router = Router(name="probe")

    async def rename(message: Message, crm: Crm, user: User) -> None:
        user.full_name = "Новое Имя"
        await crm.session.flush()
        await message.answer("сохранено")
        # Another connection (a lock-free reader) already sees the committed change.
        async with reader() as other:
            seen = await other.scalar(select(User.full_name).where(User.id == user.id))
        await message.answer(f"видно: {seen}")

    router.message.register(rename, Command("rename"))
    _install(app, router)
    client, _ = await app.add_user(Role.manager, name="Старое Имя")
    await client.send("/rename")
    assert client.last_message().text == "видно: Новое Имя"


async def test_error_after_a_saved_part_says_so(app: App) -> None:
    router = Router(name="half")

    async def half(message: Message, crm: Crm, user: User) -> None:
        user.full_name = "Сохранено"
        await crm.session.flush()
        await message.answer("первая часть сохранена")
        user.email = "lost@firm.ru"
        await crm.session.flush()
        raise RuntimeError("the second part fails")

    router.message.register(half, Command("half"))
    _install(app, router)
    client, user = await app.add_user(Role.manager)
    await client.send("/half")
    assert "Часть действия успела сохраниться" in client.last_message().text
    saved = await app.scalar(select(User).where(User.id == user.id))
    assert (saved.full_name, saved.email) == ("Сохранено", None)


async def test_error_before_any_message_saves_nothing(app: App) -> None:
    router = Router(name="early")

    async def early(message: Message, crm: Crm, user: User) -> None:
        user.full_name = "Не сохранится"
        await crm.session.flush()
        raise RuntimeError("fails before the bot said anything")

    router.message.register(early, Command("early"))
    _install(app, router)
    client, user = await app.add_user(Role.manager, name="Как было")
    await client.send("/early")
    assert "ничего не сохранено" in client.last_message().text
    assert await app.scalar(select(User.full_name).where(User.id == user.id)) == "Как было"


async def test_error_after_a_saved_core_write_says_so(app: App) -> None:
    """The hot paths write through Core statements, not an ORM flush: they count as saved
    too (before the fix the message said "nothing was saved" while the note was kept)."""
    router = Router(name="note_then_fail")

    async def note_then_fail(message: Message, crm: Crm, user: User) -> None:
        deal = await crm.deals.get_for(user, deal_id, for_edit=True)
        await crm.notes.add(user, deal, "Позвонил, договорились о встрече")
        await message.answer("заметка сохранена")
        raise RuntimeError("the rest of the action fails")

    router.message.register(note_then_fail, Command("notefail"))
    _install(app, router)
    client, user = await app.add_user(Role.manager)
    deal_id = (await make_deal(app, user)).id
    await client.send("/notefail")
    assert "Часть действия успела сохраниться" in client.last_message().text
    notes = await app.all(select(Note.text).where(Note.deal_id == deal_id))
    assert notes == ["Позвонил, договорились о встрече"]
