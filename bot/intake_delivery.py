"""Messages of web-form intake, sent outside any update: through the Sender (the bot's one
outbound budget, the sent-log so nothing goes out twice).

* a new request: to the team's group when one is bound with its request feed on, else to the
  team's leads in private (no team or no lead: the admins), each with the Claim button; the
  messages are remembered (``IntakePost``) so a claim edits every copy; and
* a known contact: its deal's owner is told; both from the intake's outbox, in batches, after
  the HTTP answer (bot.intake_outbox, which uses the helpers here);
* an escalation: to the team's leads / the admins, and to the group when its feed takes them;
* a won deal: to the owner's team group when its feed takes them.

A group that refuses the bot (403, "chat not found") is unbound."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import DealAction, DealCb
from bot.i18n import Tr, Translator
from bot.render.intake import escalation_text, won_text
from bot.sender import Sender, SendFn, SendResult
from models.clock import Clock, utc_now
from models.crm import Crm
from models.services.intake import Intake, RequestView
from models.services.team_feed import TeamFeed
from models.users import User

logger = logging.getLogger(__name__)

SessionFactory = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Target:
    user_id: int | None  # None: a group chat
    chat_id: int
    language: str


def remembering(
    chat_id: int, text: str, markup: InlineKeyboardMarkup | None, box: list[int]
) -> SendFn:
    async def send(bot: Bot) -> Any:
        message: Message = await bot.send_message(chat_id, text, reply_markup=markup)
        box.append(message.message_id)
        return message

    return send


def plain(chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> SendFn:
    async def send(bot: Bot) -> Any:
        return await bot.send_message(chat_id, text, reply_markup=markup)

    return send


def open_markup(deal_id: int, tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("intake.open_button"), callback_data=DealCb(action=DealAction.open, deal_id=deal_id)
    )
    return builder.as_markup()


class IntakeDelivery:
    def __init__(
        self,
        sender: Sender,
        session_factory: SessionFactory,
        translator: Translator,
        *,
        read_factory: SessionFactory | None = None,
        default_language: str = "ru",
        clock: Clock = utc_now,
    ) -> None:
        self.sender = sender
        self.session_factory = session_factory
        # Pure reads (the request's view, whom to tell): on SQLite they take no write lock.
        self.read_factory = read_factory or session_factory
        self.translator = translator
        self.default_language = default_language
        self.clock = clock

    def _crm(self, session: AsyncSession) -> Crm:
        return Crm(session, clock=self.clock)

    async def _people(self, people: list[User]) -> list[Target]:
        return [
            Target(p.id, p.telegram_id, p.language)
            for p in people
            if p.is_active and p.is_reachable
        ]

    async def _send(self, key: str, target: Target, send: SendFn) -> SendResult:
        result = await self.sender.send_once(
            key, target.user_id, target.chat_id, send, self.session_factory
        )
        if result is SendResult.blocked and target.user_id is None:
            async with self.session_factory() as session, session.begin():
                await TeamFeed(self._crm(session)).forget_chat(target.chat_id)
            logger.info("group %s refuses the bot: its team binding was removed", target.chat_id)
        return result

    # -- escalation and won deals (the scheduler's scan) ----------------------------------------
    async def escalate_due(self, minutes: int) -> int:
        """Requests unclaimed for ``minutes``: once to the leads / admins (and the group)."""
        async with self.read_factory() as session:
            crm = self._crm(session)
            intake = Intake(crm)
            feed = TeamFeed(crm)
            due = await intake.unclaimed_due(self.clock(), dt.timedelta(minutes=minutes))
            plans: list[tuple[RequestView, list[Target]]] = []
            for request, form, _deal in due:
                targets = await self._people(await intake.team_leads(form.team_id))
                chat = await feed.of_team(form.team_id)
                if chat is not None and chat.feed_escalations:
                    targets.append(Target(None, chat.chat_id, self.default_language))
                plans.append((await intake.view(request.id), targets))
        sent = 0
        for view, targets in plans:
            for target in targets:
                tr = self.translator.for_locale(target.language)
                text = escalation_text(view, minutes, tr)
                who = target.user_id if target.user_id is not None else f"g{target.chat_id}"
                key = f"intake-esc:{view.request_id}:{who}"
                result = await self._send(key, target, plain(target.chat_id, text))
                sent += result is SendResult.sent
        return sent

    async def post_won(self) -> int:
        async with self.read_factory() as session:
            rows = await TeamFeed(self._crm(session)).won_to_post(self.clock())
            existing = await self._crm(session).reminders.existing_keys(
                [f"feed-won:{deal.id}:{chat.chat_id}" for deal, _owner, chat in rows]
            )
        sent = 0
        tr = self.translator.for_locale(self.default_language)
        for deal, owner, chat in rows:
            key = f"feed-won:{deal.id}:{chat.chat_id}"
            if key in existing:
                continue
            target = Target(None, chat.chat_id, self.default_language)
            text = won_text(deal, owner.display_name, tr)
            result = await self._send(key, target, plain(chat.chat_id, text))
            sent += result is SendResult.sent
        return sent
