"""/export and the export buttons under every list: the list as an .xlsx or .csv document.

The list is read with the same rights, filters and order as its pages
(``DealLists.export_deals``); a search's text comes from the conversation data, as its paging
does, so a button of an older search cannot export a newer one. The file is built in a worker
thread (CPU work for 10,000 rows) from rows already loaded."""

from __future__ import annotations

import asyncio

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.callbacks.imports import ExportCb
from bot.i18n import Tr
from handlers.deal_search import QUERY_KEY, SERIAL_KEY
from models.crm import Crm
from models.roles import Role
from models.services.deal_lists import EXPORT_LIMIT, ListFilter, ListKind, parse_query
from models.services.export import COLUMNS, ExportFormat, export_deals
from models.users import User

_FILE_NAMES = {
    ListKind.today: "today",
    ListKind.overdue: "overdue",
    ListKind.mine: "deals",
    ListKind.deleted: "deleted",
    ListKind.search: "search",
}


def list_title(kind: ListKind, user: User, tr: Tr) -> str:
    if kind is ListKind.mine and user.role is Role.lead:
        return tr("export.list.team")
    return tr(f"export.list.{int(kind)}")


async def export_command(message: Message, user: User, tr: Tr) -> None:
    rows = []
    for kind in (ListKind.today, ListKind.overdue, ListKind.mine):
        title = list_title(kind, user, tr)
        rows.append(
            [
                InlineKeyboardButton(
                    text=tr("export.row", list=title, format=tr(key)), callback_data=data
                )
                for key, data in (
                    ("export.btn_xlsx", ExportCb(kind=kind, fmt=ExportFormat.xlsx).pack()),
                    ("export.btn_csv", ExportCb(kind=kind, fmt=ExportFormat.csv).pack()),
                )
            ]
        )
    markup = InlineKeyboardMarkup(inline_keyboard=rows)
    await message.answer(tr("export.choose"), reply_markup=markup)


async def export_pressed(
    query: CallbackQuery, callback_data: ExportCb, bot: Bot, state: FSMContext, crm: Crm,
    user: User, tr: Tr,
) -> None:  # fmt: skip
    cb = callback_data
    search = None
    if cb.kind is ListKind.search:
        data = await state.get_data()
        raw = data.get(QUERY_KEY)
        if not raw or data.get(SERIAL_KEY) != cb.q:
            await query.answer(tr("search.expired"), show_alert=True)
            return
        search = parse_query(raw)
    filters = ListFilter(cb.pipeline or None, cb.stage or None, cb.owner or None)
    # Rights and a forged owner filter are checked here, before anything is answered.
    deals = await crm.lists.export_deals(user, cb.kind, filters, query=search)
    if not deals:
        await query.answer(tr("export.empty"), show_alert=True)
        return
    await query.answer()
    titles = {key: tr(f"export.col.{key}") for key in COLUMNS}
    title = list_title(cb.kind, user, tr)
    day = crm.lists.today_of(user).isoformat()
    file = await asyncio.to_thread(
        export_deals, deals, cb.fmt, titles, locale=tr.locale, timezone=user.timezone,
        name=f"{_FILE_NAMES[cb.kind]}-{day}", sheet=title,
    )  # fmt: skip
    caption = tr("export.caption", title=title, n=file.rows)
    if file.rows >= EXPORT_LIMIT:
        caption += "\n" + tr("export.truncated", n=EXPORT_LIMIT)
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await bot.send_document(chat_id, BufferedInputFile(file.data, file.name), caption=caption)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(export_command, Command("export"))
    router.callback_query.register(export_pressed, ExportCb.filter())
    return router
