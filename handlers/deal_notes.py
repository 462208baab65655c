"""Notes: the Note button (then the next message is the note), a reply to a deal card, or
``/note <deal id> <text>``; then the date the call or letter happened, and the next step."""

from __future__ import annotations

import datetime as dt
import re

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import DealAction, DealCb
from bot.callbacks.work import NoteAct, NoteCb
from bot.i18n import Tr
from bot.keyboards.dates import parse_date
from bot.keyboards.work import (
    NOTE_DAYS_AGO,
    note_date_keyboard,
    note_prompt_keyboard,
    note_saved_keyboard,
    note_typing_keyboard,
)
from bot.render.format import fmt_date
from handlers.cards import edit_card_by_id
from handlers.work_flow import NotText, PlainText, ReplyToCard, Work, WorkFlow, pressed_id
from models.crm import Crm
from models.deals import Deal, Note
from models.errors import InvalidInput
from models.ids import parse_id
from models.users import User

_NOTE_ARGS = re.compile(r"#?(\d+)(?:\s+(.*))?", re.DOTALL)
_DAY_MONTH = re.compile(r"\s*\d{1,2}[./\-]\d{1,2}\.?\s*")


def parse_past_date(text: str, today: dt.date) -> dt.date | None:
    """A typed date of something that happened: "25.11" without a year is the latest 25.11
    not after today (``parse_date`` would take the next one, for a future step)."""
    day = parse_date(text, today)
    if day is not None and day > today and _DAY_MONTH.fullmatch(text):
        day = parse_date(text, today - dt.timedelta(days=365))
    return day


def _number(note: Note) -> str:
    return f"{note.number:02d}"


# -- showing ---------------------------------------------------------------------------------


async def start_note(
    work: Work,
    message_id: int | None,
    deal_id: int,
    *,
    answer: CallbackQuery | None = None,
    back: str | None = None,
) -> None:
    """Ask for the note's text in the card; the next text message becomes the note.
    ``answer``: the pressed button, answered once the state is set (one transaction).
    ``back``: the list row "✓" was pressed on (its "back to the list" data), else None."""
    markup = note_prompt_keyboard(deal_id, work.tr)
    notice = work.tr("work.note_prompt")
    await work.prompt(
        message_id,
        deal_id,
        WorkFlow.note_text,
        notice=notice,
        markup=markup,
        answer=answer,
        back=back,
    )


async def show_note_saved(work: Work, message_id: int | None, deal: Deal, note: Note) -> int:
    """The card after a note: the note's date can be changed; an open deal is asked for the
    date of its next step."""
    tr = work.tr
    notice = tr("work.note_saved", number=_number(note), date=fmt_date(note.happened_on, tr))
    if deal.is_open:
        return await work.ask_next_step(message_id, deal, before=notice, note=note)
    await work.leave(deal.id)  # a closed deal: no next step to ask
    markup = note_saved_keyboard(note, deal, tr)
    return await work.show(message_id, deal.id, notice=notice, markup=markup)


async def _add(work: Work, deal_id: int, text: str | None) -> tuple[Deal, Note]:
    deal = await work.crm.deals.get_for(work.user, deal_id, for_edit=True)
    note = await work.crm.notes.add(work.user, deal, text)
    return deal, note


# -- starting --------------------------------------------------------------------------------


async def note_pressed(
    query: CallbackQuery,
    callback_data: DealCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    work = Work.of(query, bot, crm, user, tr, state)
    found = await work.deal_of(query, callback_data)
    if found is None:
        return
    deal, card_id = found
    await start_note(work, card_id, deal.id, answer=query)


async def note_command(
    message: Message,
    command: CommandObject,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    match = _NOTE_ARGS.fullmatch((command.args or "").strip())
    deal_id = parse_id(match[1]) if match else None
    if match is None or deal_id is None:
        await message.answer(tr("work.note_usage"))
        return
    work = Work.of(message, bot, crm, user, tr, state)
    text = match[2]
    if not (text or "").strip():  # "/note 12": ask for the text, as the Note button does
        await crm.deals.get_for(user, deal_id, for_edit=True)
        await start_note(work, None, deal_id)
        return
    deal, note = await _add(work, deal_id, text)
    await work.forget_back(deal.id)  # a flow of its own: no way back to a list
    await show_note_saved(work, None, deal, note)


# -- the text --------------------------------------------------------------------------------


async def note_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    work = Work.of(message, bot, crm, user, tr, state)
    data = await state.get_data()
    deal, note = await _add(work, data["deal_id"], message.text)
    await show_note_saved(work, data["msg_id"], deal, note)


async def note_replied(
    message: Message,
    reply_deal_id: int,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    """A reply to a deal card is a note of that deal, nothing to press."""
    data = await state.get_data()
    if await state.get_state() == WorkFlow.note_text.state and data["deal_id"] == reply_deal_id:
        await note_typed(message, bot, crm, user, tr, state)  # the prompt was for this deal
        return
    work = Work.of(message, bot, crm, user, tr, state)
    deal, note = await _add(work, reply_deal_id, message.text)
    await work.forget_back(deal.id)  # a flow of its own: no way back to a list
    # The replied card may be far up: it is refreshed in place, and the next-step question
    # comes in a fresh card at the bottom, where the user looks.
    card_id = message.reply_to_message.message_id if message.reply_to_message else None
    await edit_card_by_id(bot, message.chat.id, card_id, crm, user, tr, deal.id)
    await show_note_saved(work, None, deal, note)


async def text_expected(message: Message, tr: Tr) -> None:
    await message.answer(tr("work.text_only"))


# -- the note's date -------------------------------------------------------------------------


async def note_button(
    query: CallbackQuery,
    callback_data: NoteCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    work = Work.of(query, bot, crm, user, tr, state)
    note, deal = await crm.notes.get_for(user, callback_data.note_id)
    message_id = pressed_id(query)
    act = callback_data.act
    if act is NoteAct.days_ago:
        if callback_data.days not in NOTE_DAYS_AGO:  # only the chips offered
            raise InvalidInput("error.invalid_input")
        day = work.today - dt.timedelta(days=callback_data.days)
        changed = await crm.notes.set_happened_on(user, note, deal, day)
        toast = tr("work.note_date_set", number=_number(note), date=fmt_date(day, tr))
        await query.answer(toast if changed else None)
        await show_note_saved(work, message_id, deal, note)
        return
    await query.answer()
    if act is NoteAct.back:
        await show_note_saved(work, message_id, deal, note)
    elif act is NoteAct.date_menu:
        await work.leave(deal.id, keep_back=True)  # back from typing the date
        date = fmt_date(note.happened_on, tr)
        notice = tr("work.note_date_title", number=_number(note), date=date)
        markup = note_date_keyboard(note, work.today, tr)
        await work.show(message_id, deal.id, notice=notice, markup=markup)
    elif act is NoteAct.type_date:
        notice = tr("work.note_date_prompt", number=_number(note))
        markup = note_typing_keyboard(note, tr)
        await work.prompt(
            message_id, deal.id, WorkFlow.note_date, notice=notice, markup=markup, note_id=note.id
        )


async def note_date_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    work = Work.of(message, bot, crm, user, tr, state)
    day = parse_past_date(message.text or "", work.today)
    if day is None:
        await message.answer(tr("work.bad_date"))
        return
    data = await state.get_data()
    note, deal = await crm.notes.get_for(user, data["note_id"])
    await crm.notes.set_happened_on(user, note, deal, day)
    await show_note_saved(work, data["msg_id"], deal, note)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(note_pressed, DealCb.filter(F.action == DealAction.note))
    router.callback_query.register(note_button, NoteCb.filter())
    router.message.register(note_command, Command("note"))
    # A reply is a note unless another feature's wizard is waiting for the text.
    router.message.register(
        note_replied, StateFilter(None, *WorkFlow.__all_states__), ReplyToCard(), PlainText()
    )
    router.message.register(note_typed, StateFilter(WorkFlow.note_text), PlainText())
    router.message.register(note_date_typed, StateFilter(WorkFlow.note_date), PlainText())
    # Every flow of the three routers: a sticker or a photo where text was expected.
    router.message.register(text_expected, StateFilter(*WorkFlow.__all_states__), NotText())
    return router
