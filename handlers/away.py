"""/away: out of office until a date (chips or a typed date), optionally a colleague of the same
team who gets the deals of the day; ``/away off`` ends it early; ``/away 15.12`` in one go."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.rhythm import AwayAction, AwayCb
from bot.i18n import Tr
from bot.keyboards.dates import int_to_date, parse_date
from bot.render.away import (
    render_away_ask,
    render_away_set,
    render_status,
    render_substitute_ask,
)
from handlers.stats import edit_or_send
from models.crm import Crm
from models.errors import InvalidInput
from models.users import User

OFF_WORDS = frozenset({"off", "выкл", "стоп", "stop"})


class AwayForm(StatesGroup):
    day = State()


async def _status(crm: Crm, user: User) -> tuple[dt.date | None, str | None]:
    current = await crm.absences.current(user)
    if current is None:
        return None, None
    name = None
    if current.substitute_id is not None:
        other = await crm.session.get(User, current.substitute_id)
        name = other.display_name if other is not None else None
    return current.until, name


async def _day_chosen(
    crm: Crm, user: User, tr: Tr, day: dt.date
) -> tuple[str, InlineKeyboardMarkup | None, bool]:
    """After the day: ask for a colleague, or (nobody in the team) set it at once. Returns
    text, markup, and whether the absence was saved."""
    crm.absences.check_until(user, day)  # refuses today, the past, more than a year ahead
    colleagues = await crm.absences.colleagues(user)
    if colleagues:
        text, markup = render_substitute_ask(day, colleagues, tr)
        return text, markup, False
    await crm.absences.start(user, day, None)
    return render_away_set(day, None, tr), None, True


async def away_command(
    message: Message, command: CommandObject, state: FSMContext, crm: Crm, user: User, tr: Tr
) -> None:
    await state.clear()
    args = (command.args or "").strip()
    if args.lower() in OFF_WORDS:
        ended = await crm.absences.end(user)
        await message.answer(tr("away.off_done" if ended else "away.not_away"))
        return
    if args:
        await _typed(message, state, crm, user, tr, args)
        return
    until, name = await _status(crm, user)
    text, markup = render_away_ask(crm.absences.today(user), tr, current=until)
    if until is not None:  # the colleague too
        text = render_status(until, name, tr) + "\n\n" + tr("away.ask_day")
    await state.set_state(AwayForm.day)
    await message.answer(text, reply_markup=markup)


async def _typed(
    message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr, text: str
) -> None:
    day = parse_date(text, crm.absences.today(user)) if len(text) <= 20 else None
    if day is None:
        await state.set_state(AwayForm.day)  # a typo: the next message may be the date
        raise InvalidInput("away.bad_date", text=text[:20])
    reply, markup, _saved = await _day_chosen(crm, user, tr, day)
    await state.clear()
    await message.answer(reply, reply_markup=markup)


async def day_typed(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    text = (message.text or "").strip()
    if text.startswith("/") or not text:
        raise SkipHandler  # another command: let its handler run
    await _typed(message, state, crm, user, tr, text)


async def away_pressed(
    query: CallbackQuery,
    callback_data: AwayCb,
    bot: Bot,
    state: FSMContext,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    action = callback_data.action
    if action is AwayAction.cancel:
        await query.answer()
        await state.clear()
        await edit_or_send(query, bot, tr("away.cancelled"), None)
        return
    if action is AwayAction.off:
        ended = await crm.absences.end(user)
        await query.answer()
        await state.clear()
        await edit_or_send(query, bot, tr("away.off_done" if ended else "away.not_away"), None)
        return
    if action is AwayAction.day:
        day = _unpacked(callback_data.value)
        text, markup, _saved = await _day_chosen(crm, user, tr, day)
        await query.answer()
        await state.clear()
        await edit_or_send(query, bot, text, markup)
        return
    day = _unpacked(callback_data.until)
    substitute = None
    if callback_data.value:
        substitute = await crm.absences.substitute(user, callback_data.value)
    await crm.absences.start(user, day, substitute.id if substitute else None)
    await query.answer()
    await state.clear()
    await edit_or_send(query, bot, render_away_set(day, substitute, tr), None)


def _unpacked(value: int) -> dt.date:
    try:
        return int_to_date(value)
    except ValueError as exc:
        raise InvalidInput("away.bad_date", text=str(value)) from exc


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(away_command, Command("away"))
    router.callback_query.register(away_pressed, AwayCb.filter())
    router.message.register(day_typed, StateFilter(AwayForm.day))
    return router
