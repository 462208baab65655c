"""/start: admin bootstrap, invite redemption, the welcome and the main menu."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message

from bot.i18n import Tr, Translator
from bot.keyboards.menu import main_menu
from bot.settings import Settings
from models import User
from models.crm import Crm
from models.errors import CrmError
from models.roles import Role
from models.services.accounts import Profile

logger = logging.getLogger(__name__)


def profile_of(message: Message) -> Profile:
    assert message.from_user is not None
    tg = message.from_user
    return Profile(telegram_id=tg.id, full_name=tg.full_name, username=tg.username)


async def start(
    message: Message,
    command: CommandObject,
    crm: Crm,
    user: User | None,
    tr: Tr,
    settings: Settings,
    translator: Translator,
) -> None:
    assert message.from_user is not None
    code = (command.args or "").strip()
    if user is not None:
        key = "start.already" if code else "start.welcome"
        await message.answer(
            tr(key, name=user.full_name, role=tr(f"role.{user.role}")), reply_markup=main_menu(tr)
        )
        return
    profile = profile_of(message)
    language = translator.language_for(message.from_user.language_code)
    if message.from_user.id in settings.admin_ids:
        user = await crm.accounts.bootstrap_admin(profile, language)
        tr = translator.for_locale(user.language)
        logger.info("admin %s bootstrapped from ADMIN_IDS", user.telegram_id)
        await message.answer(
            tr("start.admin_welcome", name=user.full_name), reply_markup=main_menu(tr)
        )
        return
    if not code:
        await message.answer(tr("access.no_access", telegram_id=message.from_user.id))
        return
    try:
        user = await crm.accounts.redeem_invite(code, profile, language)
    except CrmError as exc:
        await message.answer(
            tr(exc.key) + "\n\n" + tr("access.no_access", telegram_id=message.from_user.id)
        )
        return
    tr = translator.for_locale(user.language)
    logger.info("user %s joined as %s", user.telegram_id, user.role)
    await message.answer(
        tr("start.registered", name=user.full_name, role=tr(f"role.{Role(user.role)}")),
        reply_markup=main_menu(tr),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, CommandStart())
    return router
