"""Stages: the Stage button shows the pipeline's stages; lost and paused ask for a reason, won
asks to confirm the amount; an open deal is then asked for its next step."""

from __future__ import annotations

import decimal

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import DealAction, DealCb
from bot.callbacks.work import StageAct, StageCb
from bot.i18n import Tr
from bot.keyboards.work import (
    reasons_keyboard,
    stage_label,
    stage_picker_keyboard,
    typing_back_keyboard,
    won_keyboard,
)
from bot.render.format import fmt_amount
from handlers.cards import stale_or_fresh
from handlers.pauses import ask_until
from handlers.work_flow import PlainText, Work, WorkFlow, pressed_id
from models.catalog import Stage, StageKind
from models.crm import Crm
from models.deals import Deal
from models.services.stage_moves import (
    REASON_KINDS,
    UNSET,
    StageMove,
    Unset,
    parse_amount,
    reason_codes,
)
from models.users import User


async def show_picker(
    work: Work, message_id: int | None, deal: Deal, *, answer: CallbackQuery | None = None
) -> None:
    """``answer``: the pressed button, answered after the stages are read (one transaction)."""
    stages = await work.crm.stage_moves.stages_for(deal)
    notice = work.tr("work.stage_title", stage=stage_label(deal.stage, work.tr))
    markup = stage_picker_keyboard(stages, deal, work.tr)
    await work.show(message_id, deal.id, notice=notice, markup=markup, answer=answer)


async def show_moved(
    work: Work,
    message_id: int | None,
    deal: Deal,
    move: StageMove,
    *,
    answer: CallbackQuery | None = None,
) -> None:
    """The card after a move; an open deal is asked for the date of its next step.
    ``answer``: the pressed button, answered once the conversation state is set, so the move
    and the state commit in one transaction."""
    tr = work.tr
    notice = tr("work.stage_moved", old=stage_label(move.old, tr), new=stage_label(move.new, tr))
    if move.asks_next_step:
        await work.ask_next_step(message_id, deal, before=notice, answer=answer)
        return
    if move.changed and move.new.kind is StageKind.paused:  # "until when?" (handlers/pauses.py)
        await work.leave(deal.id, keep_back=True)  # a flow from a list: still leads back
        await ask_until(work, message_id, deal, before=notice, answer=answer)
        return
    back = await work.leave(deal.id)  # won or lost: done, back to the list it came from
    await work.show(message_id, deal.id, notice=notice, answer=answer, back=back)


def _won_notice(deal: Deal, tr: Tr) -> str:
    if deal.amount is None:
        return tr("work.won_no_amount")
    return tr("work.won_amount", amount=fmt_amount(deal.amount, deal.currency))


async def stage_pressed(
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
    await work.forget_back(deal.id)  # a flow of the card's: no way back to a list
    await show_picker(work, card_id, deal, answer=query)


async def stage_button(
    query: CallbackQuery,
    callback_data: StageCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    work = Work.of(query, bot, crm, user, tr, state)
    # The stage comes with the deal (one query): stage_for below finds it in the session.
    deal = await crm.deals.get_for(
        user, callback_data.deal_id, for_edit=True, preload_stage=callback_data.stage_id
    )
    message_id, act = pressed_id(query), callback_data.act
    if act is StageAct.picker:
        await work.leave(deal.id, keep_back=True)  # back from typing a reason or an amount
        await show_picker(work, message_id, deal, answer=query)
        return
    stage = await crm.stage_moves.stage_for(deal, callback_data.stage_id)
    # The stage the deal is on: nothing to do (a double tap, or the current stage pressed).
    if stage.id == deal.stage_id:
        await query.answer(tr("work.stage_same"))
        return
    if not await stale_or_fresh(query, bot, crm, user, tr, deal, callback_data.v):
        return
    move: StageMove | None = None
    if act is StageAct.pick and stage.kind in REASON_KINDS:
        await query.answer()
        key = "work.reason_lost" if stage.kind is StageKind.lost else "work.reason_paused"
        markup = reasons_keyboard(reason_codes(stage.kind), deal, stage, tr)
        await work.show(message_id, deal.id, notice=tr(key), markup=markup)
    elif act is StageAct.pick and stage.kind is StageKind.won:
        await query.answer()
        markup = won_keyboard(deal, stage, tr)
        await work.show(message_id, deal.id, notice=_won_notice(deal, tr), markup=markup)
    elif act is StageAct.reason:
        codes = reason_codes(stage.kind)
        if not 0 <= callback_data.r < len(codes):
            await query.answer()  # a forged index: nothing to apply
            return
        reason = tr(f"work.reason.{codes[callback_data.r]}")
        move = await crm.stage_moves.move(user, deal, stage, reason=reason, version=callback_data.v)
    elif act is StageAct.amount and stage.kind is not StageKind.won:
        await query.answer()  # a forged button: an amount is asked only when winning
    elif act in (StageAct.other, StageAct.amount):
        await query.answer()
        await _ask_typed(work, message_id, deal, stage, act)
    else:  # an open stage picked, or won confirmed
        move = await crm.stage_moves.move(user, deal, stage, version=callback_data.v)
    if move is not None:
        await show_moved(work, message_id, deal, move, answer=query)


async def _ask_typed(
    work: Work, message_id: int | None, deal: Deal, stage: Stage, act: StageAct
) -> None:
    """ "Other reason" or "Change amount": the next text message is the answer."""
    other = act is StageAct.other
    notice = work.tr("work.reason_prompt" if other else "work.amount_prompt")
    markup = typing_back_keyboard(deal, stage, work.tr)
    flow = WorkFlow.reason if other else WorkFlow.amount
    await work.prompt(message_id, deal.id, flow, notice=notice, markup=markup, stage_id=stage.id)


async def _typed_move(
    work: Work,
    message: Message,
    *,
    reason: str | None = None,
    amount: decimal.Decimal | Unset = UNSET,
) -> None:
    """A typed reason or amount: rights and the stage are checked again; the version is not
    (the user chose the stage a moment ago; a later change by someone else is overwritten, as
    any later edit would)."""
    data = await work.state.get_data()
    deal = await work.crm.deals.get_for(
        work.user, data["deal_id"], for_edit=True, preload_stage=data["stage_id"]
    )
    stage = await work.crm.stage_moves.stage_for(deal, data["stage_id"])
    move = await work.crm.stage_moves.move(work.user, deal, stage, reason=reason, amount=amount)
    if not move.changed:
        await work.leave(deal.id)
        await message.answer(work.tr("work.stage_same"))
        return
    await show_moved(work, data["msg_id"], deal, move)


async def reason_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    await _typed_move(Work.of(message, bot, crm, user, tr, state), message, reason=message.text)


async def amount_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    amount = parse_amount(message.text or "")
    if amount is None:
        await message.answer(tr("work.bad_amount"))
        return
    await _typed_move(Work.of(message, bot, crm, user, tr, state), message, amount=amount)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(stage_pressed, DealCb.filter(F.action == DealAction.stage))
    router.callback_query.register(stage_button, StageCb.filter())
    router.message.register(reason_typed, StateFilter(WorkFlow.reason), PlainText())
    router.message.register(amount_typed, StateFilter(WorkFlow.amount), PlainText())
    return router
