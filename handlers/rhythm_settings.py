"""/stale (admins: the days without contact per stage) and the personal early reminder; both
are also reached from /settings."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks.rhythm import EarlyCb, StaleAction, StaleCb
from bot.i18n import Tr
from bot.render.rhythm_settings import (
    EARLY_OFF,
    early_text,
    limit_text,
    render_early_picker,
    render_stale_limits,
    render_stale_prompt,
)
from handlers.stats import edit_or_send
from models.crm import Crm
from models.errors import AccessDenied
from models.roles import Role
from models.services.staleness import parse_limit
from models.users import User


class StaleForm(StatesGroup):
    limit = State()


def _admin_only(user: User) -> None:
    if user.role is not Role.admin:
        raise AccessDenied("stale.admins_only")


async def stale_command(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    _admin_only(user)
    await state.clear()
    text, markup = render_stale_limits(await crm.staleness.stages(), tr)
    await message.answer(text, reply_markup=markup)


async def stale_pressed(
    query: CallbackQuery,
    callback_data: StaleCb,
    bot: Bot,
    state: FSMContext,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    _admin_only(user)  # re-checked on every press: the role may have changed
    action = callback_data.action
    if action is StaleAction.show:
        await query.answer()
        await state.clear()
        text, markup = render_stale_limits(await crm.staleness.stages(), tr)
    elif action is StaleAction.stage:
        stage = await crm.staleness.stage(user, callback_data.stage_id)
        await query.answer()
        await state.set_state(StaleForm.limit)
        await state.update_data(stage_id=stage.id)
        text, markup = render_stale_prompt(stage, tr)
    else:
        stage = await crm.staleness.set_limit(user, callback_data.stage_id, None)
        notice = _saved(stage.label(tr.locale), None, tr)
        await query.answer(notice)
        await state.clear()
        text, markup = render_stale_limits(await crm.staleness.stages(), tr, notice=notice)
    await edit_or_send(query, bot, text, markup)


def _saved(stage: str, days: int | None, tr: Tr) -> str:
    return tr("stale.saved", stage=stage, current=limit_text(days, tr))


async def limit_typed(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    text = message.text or ""
    if text.startswith("/"):
        raise SkipHandler  # another command: let its handler run
    _admin_only(user)
    days = parse_limit(text)  # bad input: the error handler explains, the state stays
    stage_id = int((await state.get_data()).get("stage_id", 0))
    stage = await crm.staleness.set_limit(user, stage_id, days)
    await state.clear()
    notice = _saved(stage.label(tr.locale), days, tr)
    reply, markup = render_stale_limits(await crm.staleness.stages(), tr, notice=notice)
    await message.answer(reply, reply_markup=markup)


async def early_pressed(
    query: CallbackQuery, callback_data: EarlyCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    minutes = callback_data.minutes
    if minutes == 0:
        await query.answer()
    else:
        choice = None if minutes == EARLY_OFF else minutes
        await crm.early_reminders.set_minutes(user, choice)
        await query.answer(tr("early.saved", current=early_text(choice, tr)))
    text, markup = render_early_picker(user.remind_before, tr)
    await edit_or_send(query, bot, text, markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(stale_command, Command("stale"))
    router.callback_query.register(stale_pressed, StaleCb.filter())
    router.callback_query.register(early_pressed, EarlyCb.filter())
    router.message.register(limit_typed, StateFilter(StaleForm.limit))
    return router
