"""/week and the 🗓 button under the Today list: the coming 7 days with their deals."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.callbacks.rhythm import WeekCb
from bot.i18n import Tr
from bot.render.week import render_week
from handlers.stats import edit_or_send
from models.crm import Crm
from models.users import User


async def week_command(message: Message, crm: Crm, user: User, tr: Tr) -> None:
    text, markup = render_week(await crm.week.view(user), tr)
    await message.answer(text, reply_markup=markup)


async def week_pressed(
    query: CallbackQuery, callback_data: WeekCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    await query.answer()
    text, markup = render_week(await crm.week.view(user), tr)
    if callback_data.edit:
        await edit_or_send(query, bot, text, markup)
        return
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await bot.send_message(chat_id, text, reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(week_command, Command("week"))
    router.callback_query.register(week_pressed, WeekCb.filter())
    return router
