"""What the note, stage and next-step flows share: their FSM states, where a picker is shown
(in the deal card, edited in place), and the filters for typed answers.

A flow started from the card edits the card itself: the card text stays, a one-line question
goes on top (the card's ``notice``) and the picker replaces the card's buttons. A flow started
from any other message (a digest, a list, ``/note``) sends a fresh card for it, so the other
message stays as it was. Picker buttons need no FSM state: the message they sit on is the card,
the deal id is in their data. Typed answers (a note, a date, a reason) use the states below,
which remember the deal and the card's message id.

A flow started from a list row ("✓", "🔀", "📅" on Today, Overdue, the digest) also remembers
that list (``back``: the callback data of "back to the list", bot/keyboards/outcomes.py): each
step of the flow on the same deal keeps it, and the card shown when the flow is done offers
it. A pause awaiting no answer (a picker shown) keeps only the list, with no state. A flow
started anew on the deal (from its card) drops it: a list row's flow left half-way does not
hand its way back to the card's."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import DealAction, DealCb
from bot.i18n import Tr, load_catalogs
from bot.keyboards.buttons import pack
from bot.keyboards.menu import MENU_KEYS
from bot.keyboards.outcomes import with_back
from bot.keyboards.work import next_step_keyboard
from bot.render.deal_card import card_text, render_deal_card
from bot.render.format import fmt_next_action
from bot.storage import remember_data
from handlers.cards import stale_or_fresh, today_of
from models.crm import Crm
from models.deals import Deal, Note
from models.users import User


class WorkFlow(StatesGroup):
    note_text = State()  # data: deal_id, msg_id
    note_date = State()  # data: deal_id, note_id, msg_id
    reason = State()  # data: deal_id, stage_id, msg_id
    amount = State()  # data: deal_id, stage_id, msg_id
    next_day = State()  # data: deal_id, msg_id
    next_time = State()  # data: deal_id, msg_id, d (YYYYMMDD)


# What a pause of a flow from a list row keeps (``Work.remember_back``).
_PAUSE_KEYS = ("deal_id", "back")
# The title line of a card: "#12 · title" (a notice or the "deleted" banner may come first).
_CARD_TITLE = re.compile(r"^#(\d+) · ", re.MULTILINE)
# Buttons only a card has (a digest or a list may carry note / stage / next-date buttons too).
_CARD_ONLY = frozenset({DealAction.edit, DealAction.history, DealAction.delete})


def card_deal_id(message: Message | None) -> int | None:
    """The deal a card message shows, from its title line."""
    if message is None or not message.text:
        return None
    match = _CARD_TITLE.search(message.text)
    return int(match[1]) if match else None


def card_message_id(query: CallbackQuery, deal_id: int) -> int | None:
    """The pressed message's id if it is the card of this deal (to edit it), else None."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return None
    # The data of a card-only button of this deal, but its version (the last field): the
    # strings compared, not every button unpacked (a pydantic model each).
    separator = DealCb.__separator__
    heads = {
        pack(DealCb, action=action, deal_id=deal_id).rsplit(separator, 1)[0]
        for action in _CARD_ONLY
    }
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if (button.callback_data or "").rsplit(separator, 1)[0] in heads:
                return message.message_id
    return None


def pressed_id(query: CallbackQuery) -> int | None:
    """The message a picker button sits on: that message is the card being worked on."""
    return query.message.message_id if isinstance(query.message, Message) else None


def ask_next_notice(deal: Deal, tr: Tr) -> str:
    notice = tr("work.ask_next")
    if deal.next_action_on is not None:
        notice += " " + tr("work.next_current", current=fmt_next_action(deal, tr))
    return notice


@dataclass(frozen=True)
class Work:
    """One update's worth of working on a deal: who works, in which chat, and how the card
    is shown. Built by ``Work.of(event, ...)`` in every handler of the three flows."""

    bot: Bot
    crm: Crm
    user: User
    tr: Tr
    state: FSMContext
    chat_id: int

    @classmethod
    def of(
        cls,
        event: Message | CallbackQuery,
        bot: Bot,
        crm: Crm,
        user: User,
        tr: Tr,
        state: FSMContext,
    ) -> Work:
        if isinstance(event, Message):
            chat_id = event.chat.id
        else:
            chat_id = event.message.chat.id if event.message else event.from_user.id
        return cls(bot, crm, user, tr, state, chat_id)

    @property
    def today(self) -> dt.date:
        return today_of(self.crm, self.user)

    async def show(
        self,
        message_id: int | None,
        deal_id: int,
        *,
        notice: str | None = None,
        markup: InlineKeyboardMarkup | None = None,
        answer: CallbackQuery | None = None,
        back: str | None = None,
    ) -> int:
        """Render the card with ``notice`` on top and ``markup`` (None: the card's own
        buttons; ``back``: "back to the list" under them), in place of ``message_id`` or as
        a new message; returns the message id that shows it. ``answer``: the pressed button,
        answered once the card is loaded, so the reads and the answer share one transaction
        (each Bot API call commits first)."""
        card = await self.crm.deals.card(self.user, deal_id)
        if markup is None:
            text, markup = render_deal_card(card, self.user, self.tr, self.today, notice=notice)
            if back:
                markup = with_back(markup, back, self.tr)
        else:  # a picker replaces the card's own buttons: don't build them
            text = card_text(card, self.tr, self.today, notice=notice)
        if answer is not None:
            await answer.answer()
        if message_id is not None:
            try:
                await self.bot.edit_message_text(
                    text=text, chat_id=self.chat_id, message_id=message_id, reply_markup=markup
                )
                return message_id
            except TelegramBadRequest as exc:
                if "not modified" in exc.message:
                    return message_id
                # Too old or deleted: the card moves to the bottom of the chat.
        sent = await self.bot.send_message(self.chat_id, text, reply_markup=markup)
        return sent.message_id

    async def prompt(
        self,
        message_id: int | None,
        deal_id: int,
        flow: State,
        *,
        notice: str,
        markup: InlineKeyboardMarkup,
        answer: CallbackQuery | None = None,
        **data: Any,
    ) -> int:
        """Show the card with a question and wait for its answer in ``flow`` (data: deal_id,
        msg_id and ``data``). The state is set BEFORE the card goes out, so it commits with
        the update's change in one transaction (after the send it took a second one: a third
        of a note's time). ``answer``: the pressed button, answered once the state is set
        (answered before, the state took a transaction of its own). A new card's id is learnt
        after the send and kept in memory only (bot.storage.remember_data): after a restart
        the answer shows a fresh card instead of editing that one."""
        await self.enter(flow, deal_id=deal_id, msg_id=message_id, **data)
        shown = await self.show(message_id, deal_id, notice=notice, markup=markup, answer=answer)
        if shown != message_id:
            await remember_data(self.state, msg_id=shown)
        return shown

    async def enter(self, flow: State, **data: Any) -> None:
        """Wait in ``flow``; the list a flow on this deal was started from stays (``back``)."""
        if "back" not in data:
            current = await self.state.get_data()
            if current.get("back") and current.get("deal_id") == data.get("deal_id"):
                data["back"] = current["back"]
        await self.state.set_state(flow)
        await self.state.set_data(data)

    async def leave(self, deal_id: int | None = None, *, keep_back: bool = False) -> str | None:
        """Leave a flow of ours (for this deal only, when given); another wizard's state
        stays. Returns the flow's "back to the list" data (None: not started from a list);
        ``keep_back``: only a pause in the flow (no answer awaited), the list is kept."""
        current = await self.state.get_state()
        if current is not None and current not in WorkFlow.__all_states_names__:
            return None
        data = await self.state.get_data()
        if deal_id is not None and data.get("deal_id") != deal_id:
            return None
        back: str | None = data.get("back")
        if current is None:  # a pause of a flow from a list (``remember_back``), or nothing
            if back and not keep_back:
                await self._drop(data, _PAUSE_KEYS)
            return back
        if keep_back and back:
            await self.remember_back(data["deal_id"], back)
        else:
            await self.state.clear()
        return back

    async def remember_back(self, deal_id: int, back: str) -> None:
        """A pause in a flow started from a list row: no answer awaited (a picker is shown),
        only the list is kept, for the flow's next step (``enter``) and its end (``leave``)."""
        await self.state.set_state(None)
        await self.state.set_data({"deal_id": deal_id, "back": back})

    async def forget_back(self, deal_id: int) -> None:
        """A flow started anew on this deal (its card's buttons, a reply, ``/note``) is not
        the list row's: the list of an earlier flow on it, left half-way, is dropped so that
        ``enter`` does not hand it on (the earlier flow's own state, if any, stays)."""
        data = await self.state.get_data()
        if data.get("back") and data.get("deal_id") == deal_id:
            paused = await self.state.get_state() is None
            await self._drop(data, _PAUSE_KEYS if paused else ("back",))

    async def _drop(self, data: dict[str, Any], keys: tuple[str, ...]) -> None:
        """The data without ``keys`` (another feature's keys beside them stay)."""
        await self.state.set_data({k: v for k, v in data.items() if k not in keys})

    async def ask_next_step(
        self,
        message_id: int | None,
        deal: Deal,
        *,
        before: str | None = None,
        note: Note | None = None,
        answer: CallbackQuery | None = None,
        back: str | None = None,
    ) -> int:
        """The "next step or close" question on an open deal: date chips in the card; a
        typed date works too (state ``next_day``). ``answer``: see ``prompt``; ``back``: the
        list row the flow starts from (else a flow's list, if any, is kept)."""
        notice = ask_next_notice(deal, self.tr)
        if before:
            notice = f"{before}\n{notice}"
        markup = next_step_keyboard(self.today, deal.id, self.tr, note=note)
        data = {"back": back} if back else {}
        return await self.prompt(
            message_id,
            deal.id,
            WorkFlow.next_day,
            notice=notice,
            markup=markup,
            answer=answer,
            **data,
        )

    async def deal_of(
        self, query: CallbackQuery, callback_data: DealCb
    ) -> tuple[Deal, int | None] | None:
        """The deal of a Note / Stage / Next date button (rights checked: may refuse) and
        the card message to edit (None: the button sits elsewhere, a fresh card will be
        sent). A stale card is re-rendered instead and None returned. Only a card's buttons
        are version-checked: from another message (a digest) the flow opens a fresh, current
        card anyway, and that message must not be overwritten by ``stale_or_fresh``."""
        deal = await self.crm.deals.get_for(self.user, callback_data.deal_id, for_edit=True)
        card_id = card_message_id(query, deal.id)
        if card_id is not None and not await stale_or_fresh(
            query, self.bot, self.crm, self.user, self.tr, deal, callback_data.v
        ):
            return None
        return deal, card_id


@cache
def _menu_labels() -> frozenset[str]:
    return frozenset(
        catalog[key] for catalog in load_catalogs().values() for key in MENU_KEYS if key in catalog
    )


class PlainText(Filter):
    """A typed answer: text that is neither a command nor a main-menu button (those keep
    working in the middle of a flow)."""

    async def __call__(self, message: Message) -> bool:
        text = message.text
        return text is not None and not text.startswith("/") and text not in _menu_labels()


class NotText(Filter):
    """A sticker, a photo, a voice message... where a typed answer was expected."""

    async def __call__(self, message: Message) -> bool:
        return message.text is None


class ReplyToCard(Filter):
    """A reply to one of the bot's deal cards: injects ``reply_deal_id``."""

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or replied.from_user.id != bot.id:
            return False
        deal_id = card_deal_id(replied)
        return {"reply_deal_id": deal_id} if deal_id is not None else False
