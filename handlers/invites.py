"""/invite: admins and leads create single-use, expiring deep links for new colleagues."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import InviteCb
from bot.i18n import Html, Tr
from bot.settings import Settings
from models import User
from models.crm import Crm
from models.errors import AccessDenied
from models.roles import INVITABLE_BY, Role


def _roles_keyboard(user: User, tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role in Role:
        if role in INVITABLE_BY[user.role]:
            builder.button(text=tr(f"role.{role}"), callback_data=InviteCb(role=role))
    builder.adjust(2)
    return builder.as_markup()


async def _invite_text(
    bot: Bot, crm: Crm, user: User, role: Role, tr: Tr, settings: Settings
) -> str:
    ttl = dt.timedelta(hours=settings.invite_ttl_hours)
    invite = await crm.accounts.create_invite(user, role, ttl=ttl)
    link = await create_start_link(bot, invite.code)
    local = invite.expires_at.astimezone(ZoneInfo(user.timezone))
    return tr(
        "invite.created",
        role=tr(f"role.{role}"),
        link=Html(link),
        expires=local.strftime("%d.%m.%Y %H:%M"),
        timezone=user.timezone,
    )


async def invite_command(
    message: Message,
    command: CommandObject,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    settings: Settings,
) -> None:
    if not INVITABLE_BY[user.role]:
        raise AccessDenied()
    arg = (command.args or "").strip().lower()
    if not arg:
        await message.answer(tr("invite.choose_role"), reply_markup=_roles_keyboard(user, tr))
        return
    try:
        role = Role(arg)
    except ValueError:
        await message.answer(tr("invite.usage"))
        return
    await message.answer(await _invite_text(bot, crm, user, role, tr, settings))


async def invite_pressed(
    query: CallbackQuery,
    callback_data: InviteCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    settings: Settings,
) -> None:
    # Refused (a role this user may not invite) before answering: the error handler answers.
    text = await _invite_text(bot, crm, user, callback_data.role, tr, settings)
    await query.answer()
    if query.message is not None:
        await bot.send_message(query.message.chat.id, text)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(invite_command, Command("invite"))
    router.callback_query.register(invite_pressed, InviteCb.filter())
    return router
