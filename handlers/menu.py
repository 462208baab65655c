"""Main-menu buttons not yet owned by a feature router (kept alive, never dead buttons)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.filters import TextKey
from bot.i18n import Tr


async def stats_placeholder(message: Message, tr: Tr) -> None:
    await message.answer(tr("menu.stats_soon"))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(stats_placeholder, TextKey("menu.stats"))
    router.message.register(stats_placeholder, Command("stats"))
    return router
