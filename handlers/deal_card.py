"""Opening and refreshing the deal card: a button, or ``/deal <id>``."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import DealAction, DealCb
from bot.i18n import Tr
from handlers.cards import edit_card, send_card
from models.crm import Crm
from models.ids import parse_id
from models.users import User


async def open_pressed(
    query: CallbackQuery, callback_data: DealCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    deal = await crm.deals.get_for(user, callback_data.deal_id)  # refuses before answering
    await query.answer()
    chat_id = query.message.chat.id if query.message else query.from_user.id
    if callback_data.action is DealAction.refresh:
        await edit_card(query.message, bot, chat_id, crm, user, tr, deal.id)
    else:
        await send_card(bot, chat_id, crm, user, tr, deal.id)


async def deal_command(
    message: Message, command: CommandObject, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    deal_id = parse_id(command.args)
    if deal_id is None:
        await message.answer(tr("card.usage"))
        return
    await send_card(bot, message.chat.id, crm, user, tr, deal_id)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        open_pressed, DealCb.filter(F.action.in_({DealAction.open, DealAction.refresh}))
    )
    router.message.register(deal_command, Command("deal"))
    return router
