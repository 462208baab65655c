"""A team's group feed, managed from inside the group: /bindteam <team>, /unbindteam, /feed
(switches). The bot removed from a group (a my_chat_member update) unbinds it. Only an admin
or the team's lead manage a binding; nothing personal is ever posted in a group.

Commands of this router are meant for group chats (a gate that refuses personal commands in
groups must let ``bindteam``, ``unbindteam``, ``feed`` and the ``tf`` / ``ic`` callbacks
through)."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message

from bot.callbacks.intake import FeedCb
from bot.chat_scope import allow_in_groups
from bot.i18n import Tr
from bot.render.intake import SWITCH_FIELDS, feed_markup
from models import User
from models.crm import Crm
from models.services.team_feed import Switch, TeamFeed

logger = logging.getLogger(__name__)

GROUP_TYPES = ("group", "supergroup")
GROUP_COMMANDS = ("bindteam", "unbindteam", "feed")
LEFT_STATUSES = ("left", "kicked")


async def bind_command(
    message: Message, command: CommandObject, crm: Crm, user: User, tr: Tr
) -> None:
    if message.chat.type not in GROUP_TYPES:
        await message.answer(tr("feed.groups_only"))
        return
    team = await TeamFeed(crm).bind(user, message.chat.id, message.chat.title, command.args)
    await message.answer(tr("feed.bound", team=team.name))


async def unbind_command(message: Message, crm: Crm, user: User, tr: Tr) -> None:
    if message.chat.type not in GROUP_TYPES:
        await message.answer(tr("feed.groups_only"))
        return
    team = await TeamFeed(crm).unbind(user, message.chat.id)
    await message.answer(tr("feed.unbound", team=team.name))


async def feed_command(message: Message, crm: Crm, user: User, tr: Tr) -> None:
    if message.chat.type not in GROUP_TYPES:
        await message.answer(tr("feed.groups_only"))
        return
    chat, team = await TeamFeed(crm).managed(user, message.chat.id)
    await message.answer(tr("feed.settings", team=team.name), reply_markup=feed_markup(chat, tr))


async def switch_pressed(
    query: CallbackQuery, callback_data: FeedCb, crm: Crm, user: User, tr: Tr
) -> None:
    if query.message is None:
        await query.answer()
        return
    attr: Switch = SWITCH_FIELDS[callback_data.switch][0]  # type: ignore[assignment]
    chat = await TeamFeed(crm).toggle(user, query.message.chat.id, attr)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=feed_markup(chat, tr))


async def membership_changed(event: ChatMemberUpdated, crm: Crm) -> None:
    """The bot left or was removed from a group: its binding goes (nothing can be posted)."""
    left = event.new_chat_member.status in LEFT_STATUSES
    if left and await TeamFeed(crm).forget_chat(event.chat.id):
        logger.info("removed from group %s: its team binding was removed", event.chat.id)


def build_router() -> Router:
    # Sent in the team's group itself (each handler checks who may).
    allow_in_groups(
        commands={"bindteam", "unbindteam", "feed"}, callback_prefixes={FeedCb.__prefix__}
    )
    router = Router(name=__name__)
    router.message.register(bind_command, Command("bindteam"))
    router.message.register(unbind_command, Command("unbindteam"))
    router.message.register(feed_command, Command("feed"))
    router.callback_query.register(switch_pressed, FeedCb.filter())
    router.my_chat_member.register(membership_changed, F.chat.type.in_(GROUP_TYPES))
    return router
