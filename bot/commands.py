"""The command list Telegram shows in the "/" menu, per language."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand

from bot.i18n import LANGUAGES, Translator

logger = logging.getLogger(__name__)

COMMANDS = (
    "new",
    "today",
    "overdue",
    "nonext",
    "mydeals",
    "week",
    "find",
    "stats",
    "report",
    "export",
    "import",
    "away",
    "settings",
    "profile",
    "people",
    "lang",
    "cancel",
    "help",
)


def commands_for(translator: Translator, language: str) -> list[BotCommand]:
    tr = translator.for_locale(language)
    return [BotCommand(command=name, description=tr(f"cmd.{name}")) for name in COMMANDS]


async def publish_commands(bot: Bot, translator: Translator) -> None:
    """Best effort: a bot without its command menu still works."""
    try:
        await bot.set_my_commands(commands_for(translator, translator.default_language))
        for language in LANGUAGES:
            await bot.set_my_commands(commands_for(translator, language), language_code=language)
    except TelegramAPIError as exc:
        logger.warning("Could not publish the command menu: %s", exc)
