"""/help: what the bot does for the person asking, by their role, with the commands.

The text is built from one key per role (``help.role.<role>``) between a common intro and
the commands everybody has (``help.everybody``): a feature that adds a command adds its line
to the keys of the roles that may use it (bot/texts/help.py), nothing else."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.i18n import Tr
from models.roles import Role
from models.users import User


def help_text(role: Role, tr: Tr) -> str:
    parts = [
        tr("help.intro", role=tr(f"role.{role}")),
        tr(f"help.role.{role}"),
        tr("help.everybody"),
    ]
    return "\n\n".join(parts)


async def help_command(message: Message, user: User, tr: Tr) -> None:
    await message.answer(help_text(Role(user.role), tr))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(help_command, Command("help"))
    return router
