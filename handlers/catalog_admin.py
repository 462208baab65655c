"""/catalogs (also a button in an admin's /settings): an admin adds, renames, archives,
restores and reorders pipelines, stages and sources, in one message edited in place.

The rules live in models/services/catalog_admin.py; a refusal (wrong role, bad name, a stage
that holds deals) is raised there and answered by the error handler, so nothing of the update
is saved. A name is typed after ✏️ / ➕ (the prompt is conversation state); a command or a
main-menu button instead leaves the prompt and does its own work."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks.catalogs import CatAction, CatCb, CatKind
from bot.i18n import Tr, Translator
from bot.keyboards.menu import MENU_KEYS
from bot.render.catalogs import View, render_home, render_item, render_list, render_prompt
from handlers.stats import edit_or_send
from models.crm import Crm
from models.errors import AccessDenied
from models.roles import Role
from models.services.catalog_admin import CatalogAdmin
from models.users import User

KIND_KEY, ITEM_KEY, PAGE_KEY, MESSAGE_KEY = "cat_kind", "cat_item", "cat_page", "cat_msg"


class CatalogForm(StatesGroup):
    name = State()


def _admin_only(user: User) -> None:
    if user.role is not Role.admin:
        raise AccessDenied("catalogs.admin_only")


async def catalogs_command(message: Message, state: FSMContext, user: User, tr: Tr) -> None:
    _admin_only(user)
    await state.clear()
    text, markup = render_home(tr)
    await message.answer(text, reply_markup=markup)


async def _item_view(
    admin: CatalogAdmin,
    user: User,
    kind: CatKind,
    item_id: int,
    page: int,
    tr: Tr,
    notice: str | None = None,
) -> View:
    info = await admin.info(user, kind.catalog, item_id)
    items = await admin.items(user, kind.catalog)
    position = next((n for n, x in enumerate(items, start=1) if x.id == item_id), 0)
    return render_item(kind, info, position, page, tr, notice)


async def catalog_pressed(
    query: CallbackQuery,
    callback_data: CatCb,
    bot: Bot,
    state: FSMContext,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    _admin_only(user)  # before anything: a manager's forged or old button changes nothing
    admin = crm.catalog_admin
    action, kind, item_id, page = (
        callback_data.action,
        callback_data.kind,
        callback_data.item,
        callback_data.page,
    )
    catalog = kind.catalog
    view: View
    if action is CatAction.home:
        await query.answer()
        await state.clear()
        view = render_home(tr)
    elif action is CatAction.list:
        await query.answer()
        await state.clear()
        view = render_list(kind, await admin.items(user, catalog), page, tr)
    elif action in (CatAction.add, CatAction.rename):
        item = await admin.info(user, catalog, item_id) if action is CatAction.rename else None
        await query.answer()
        await state.set_state(CatalogForm.name)
        message_id = query.message.message_id if query.message else 0
        await state.set_data(
            {KIND_KEY: int(kind), ITEM_KEY: item_id if item else 0, PAGE_KEY: page,
             MESSAGE_KEY: message_id}
        )  # fmt: skip
        view = render_prompt(kind, item.item if item else None, page, tr)
    elif action is CatAction.cancel:
        await query.answer(tr("catalogs.cancelled"))
        await state.clear()
        if item_id:
            view = await _item_view(admin, user, kind, item_id, page, tr)
        else:
            view = render_list(kind, await admin.items(user, catalog), page, tr)
    else:
        notice = await _change(admin, user, action, kind, item_id, tr)
        await query.answer(notice)
        await state.clear()
        view = await _item_view(admin, user, kind, item_id, page, tr, notice)
    await edit_or_send(query, bot, *view)


async def _change(
    admin: CatalogAdmin, user: User, action: CatAction, kind: CatKind, item_id: int, tr: Tr
) -> str:
    catalog = kind.catalog
    if action is CatAction.archive:
        changed = await admin.archive(user, catalog, item_id)
        return tr("catalogs.archived") if changed else tr("catalogs.unchanged")
    if action is CatAction.restore:
        changed = await admin.restore(user, catalog, item_id)
        return tr("catalogs.restored") if changed else tr("catalogs.unchanged")
    if action is CatAction.open:
        await admin.info(user, catalog, item_id)  # a gone item is refused here
        return ""
    step = -1 if action is CatAction.up else 1
    moved = await admin.move(user, catalog, item_id, step)
    return tr("catalogs.moved") if moved else tr("catalogs.at_edge")


async def name_typed(
    message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr, translator: Translator
) -> None:
    text = message.text
    if text is not None and (
        text.startswith("/") or any(text in translator.variants(key) for key in MENU_KEYS)
    ):
        await state.clear()
        raise SkipHandler  # a command or a menu button: it leaves the prompt
    if text is None:
        await message.answer(tr("catalogs.need_text"))
        return
    data = await state.get_data()
    kind = CatKind(int(data.get(KIND_KEY, CatKind.pipeline)))
    item_id, page = int(data.get(ITEM_KEY, 0)), int(data.get(PAGE_KEY, 0))
    admin = crm.catalog_admin
    # A refused name raises: the error handler says why, the prompt stays for another try.
    if item_id:
        old = (await admin.info(user, kind.catalog, item_id)).item.name
        changed = await admin.rename(user, kind.catalog, item_id, text)
        notice = tr("catalogs.renamed", old=old, name=" ".join(text.split()))
        if not changed:
            notice = tr("catalogs.unchanged")
    else:
        item = await admin.add(user, kind.catalog, text)
        item_id, notice = item.id, tr("catalogs.added", name=item.name)
    await state.clear()
    text, markup = await _item_view(admin, user, kind, item_id, page, tr, notice)
    await message.answer(text, reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(catalogs_command, Command("catalogs"))
    router.callback_query.register(catalog_pressed, CatCb.filter())
    router.message.register(name_typed, StateFilter(CatalogForm.name))
    return router
