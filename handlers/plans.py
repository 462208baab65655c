"""/plan: a lead (for their team) or an admin (anybody) sets a manager's monthly plan.

With buttons: person -> month (this / next) -> type "10" or "10 1500000"; or in one message:
``/plan @username 10 1500000`` (this month)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks.stats import PlanAction, PlanCb
from bot.i18n import Tr
from bot.render.stats import (
    month_of_code,
    render_plan_months,
    render_plan_people,
    render_plan_prompt,
    render_plan_saved,
)
from handlers.stats import edit_or_send
from models.crm import Crm
from models.errors import AccessDenied, InvalidInput
from models.services.plans import parse_target
from models.users import User


class PlanForm(StatesGroup):
    target = State()


async def plan_command(
    message: Message, command: CommandObject, state: FSMContext, crm: Crm, user: User, tr: Tr
) -> None:
    if not crm.plans.can_set_plans(user):
        raise AccessDenied("plan.not_allowed")
    await state.clear()
    args = (command.args or "").split(maxsplit=1)
    if not args:
        targets, page, pages = await crm.plans.candidates(user)
        if not targets:
            await message.answer(tr("plan.no_candidates"))
            return
        text, markup = render_plan_people(targets, page, pages, crm.plans.current_month(user), tr)
        await message.answer(text, reply_markup=markup)
        return
    if len(args) < 2:
        await message.answer(tr("plan.usage"))
        return
    target = await crm.plans.resolve(user, args[0])
    won, amount = parse_target(args[1])
    plan = await crm.plans.set(user, target, crm.plans.current_month(user), won, amount)
    await message.answer(render_plan_saved(target.full_name, plan, tr))


async def plan_pressed(
    query: CallbackQuery,
    callback_data: PlanCb,
    bot: Bot,
    state: FSMContext,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    action = callback_data.action
    if action is PlanAction.cancel:
        await query.answer()
        await state.clear()
        await edit_or_send(query, bot, tr("common.cancelled"), None)
        return
    if action is PlanAction.page:
        targets, page, pages = await crm.plans.candidates(user, page=callback_data.page)
        await query.answer()
        await state.clear()
        if not targets:
            await edit_or_send(query, bot, tr("plan.no_candidates"), None)
            return
        text, markup = render_plan_people(targets, page, pages, crm.plans.current_month(user), tr)
        await edit_or_send(query, bot, text, markup)
        return
    # Both remaining steps are about one person: re-check the right to plan for them.
    target = await crm.plans.target(user, callback_data.user_id)
    months = crm.plans.months_to_choose(user)
    if action is PlanAction.user:
        await query.answer()
        await state.clear()
        text, markup = render_plan_months(target.full_name, target.id, months, tr)
        await edit_or_send(query, bot, text, markup)
        return
    month = month_of_code(callback_data.month)
    if month not in months:  # a button from last month's conversation
        raise InvalidInput("plan.gone")
    await query.answer()
    current = await crm.plans.get(target.id, month)
    await state.set_state(PlanForm.target)
    await state.update_data(user_id=target.id, month=callback_data.month)
    text, markup = render_plan_prompt(target.full_name, target.id, month, current, tr)
    await edit_or_send(query, bot, text, markup)


async def target_typed(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    text = message.text or ""
    if text.startswith("/"):
        raise SkipHandler  # another command: let its handler run
    data = await state.get_data()
    month = month_of_code(int(data.get("month", 0)))
    if month is None or month not in crm.plans.months_to_choose(user):
        await state.clear()
        raise InvalidInput("plan.gone")
    won, amount = parse_target(text)  # bad input: the error handler explains, state stays
    target = await crm.plans.target(user, int(data.get("user_id", 0)))
    plan = await crm.plans.set(user, target, month, won, amount)
    await state.clear()
    await message.answer(render_plan_saved(target.full_name, plan, tr))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(plan_command, Command("plan"))
    router.callback_query.register(plan_pressed, PlanCb.filter())
    router.message.register(target_typed, StateFilter(PlanForm.target))
    return router
