"""The Claim button ("Взять") on a web request, in a team's group or a lead's private chat:
the first press takes it (models.services.intake: one conditional UPDATE), the others are
told who has it; every message that announced the request is edited to say who took it."""

from __future__ import annotations

import contextlib
import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message

from bot.callbacks.intake import ClaimCb
from bot.chat_scope import allow_in_groups
from bot.i18n import Tr
from bot.render.intake import request_markup, request_text
from models import User
from models.crm import Crm
from models.services.intake import Intake

logger = logging.getLogger(__name__)


async def claim_pressed(
    query: CallbackQuery, callback_data: ClaimCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    intake = Intake(crm)
    result = await intake.claim(user, callback_data.request_id)
    view = await intake.view(callback_data.request_id)
    posts = await intake.posts(callback_data.request_id)
    # The claim is committed before this first call to Telegram (CommitBeforeSend).
    if result.taken:
        await query.answer(tr("intake.claimed_you", deal=result.deal.id))
    elif result.claimer is not None:
        await query.answer(
            tr("intake.already_taken", name=result.claimer.full_name), show_alert=True
        )
    else:
        await query.answer(tr("intake.already_taken_unknown"), show_alert=True)
    text, markup = request_text(view, tr), request_markup(view, tr)
    here = query.message
    if isinstance(here, Message):
        with contextlib.suppress(TelegramAPIError):  # e.g. "message is not modified"
            await here.edit_text(text, reply_markup=markup)
    if not result.taken:
        return
    for post in posts:  # the other copies (a lead's private chat, the group)
        if isinstance(here, Message) and (post.chat_id, post.message_id) == (
            here.chat.id,
            here.message_id,
        ):
            continue
        try:
            await bot.edit_message_text(
                text=text, chat_id=post.chat_id, message_id=post.message_id, reply_markup=markup
            )
        except TelegramAPIError as exc:
            logger.info(
                "claim of request %s: copy in %s not edited: %s", view.request_id, post.chat_id, exc
            )


def build_router() -> Router:
    # The Claim button is pressed under a request posted in the team's group.
    allow_in_groups(callback_prefixes={ClaimCb.__prefix__})
    router = Router(name=__name__)
    router.callback_query.register(claim_pressed, ClaimCb.filter())
    return router
