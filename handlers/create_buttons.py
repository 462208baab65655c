"""The New-deal wizard's buttons (CreateCb: token + step): back, cancel, skip/done, undo,
paging, catalog and owner choices, the title, duplicates, create."""

from __future__ import annotations

import contextlib
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks.create import CreateAction, CreateCb, Step
from bot.i18n import Tr
from bot.render.create import DupView
from bot.render.deal_card import render_deal_card
from handlers.create_steps import (
    answer_stale,
    backward,
    close,
    forward,
    make_ctx,
    put,
    show,
)
from handlers.forwarded_notes import add_pending_notes
from handlers.quick_create import ALERT_NAME, quick_create, quick_next
from models.crm import Crm
from models.errors import AccessDenied
from models.users import User

logger = logging.getLogger(__name__)


async def back_pressed(
    query: CallbackQuery,
    callback_data: CreateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    await query.answer()
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    await backward(ctx, callback_data.s)


async def cancel_pressed(query: CallbackQuery, state: FSMContext, tr: Tr) -> None:
    await query.answer()
    await close(state, await state.get_data())
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(tr("create.cancelled"), reply_markup=None)


async def skip_or_done_pressed(
    query: CallbackQuery,
    callback_data: CreateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    """Skip clears the step's value and goes on; Done / Next keeps it and goes on."""
    await query.answer()
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    step, draft = callback_data.s, ctx.draft
    if callback_data.action is CreateAction.skip:
        if step is Step.pipeline:
            draft.pipeline_id = None
        elif step is Step.source:
            draft.source_id = None
        elif step is Step.amount:
            draft.amount = draft.currency = None
        elif step is Step.next_date:
            draft.next_action_on = draft.next_action_time = None
        ctx.keep(draft)
    if step is Step.client and not (draft.client_name or draft.company or draft.contacts):
        await show(ctx, Step.client, tr("create.client_empty"))
        return
    await forward(ctx, step)


async def undo_pressed(
    query: CallbackQuery, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    await query.answer()
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    draft = ctx.draft
    draft.contacts = draft.contacts[:-1]
    ctx.keep(draft)
    await show(ctx, Step.contacts)


async def page_pressed(
    query: CallbackQuery,
    callback_data: CreateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    await query.answer()
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    ctx.data["page"] = callback_data.i
    await show(ctx, callback_data.s)


async def catalog_pressed(
    query: CallbackQuery,
    callback_data: CreateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    """A pipeline or a source: re-checked, it may have been archived meanwhile."""
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    is_pipeline = callback_data.action is CreateAction.pipeline
    catalogs = crm.catalogs
    item = await (catalogs.pipeline if is_pipeline else catalogs.source)(callback_data.i)
    if item is None or item.is_archived:
        gone = "deal.pipeline_gone" if is_pipeline else "deal.source_gone"
        await query.answer(tr(gone), show_alert=True)
        await show(ctx, callback_data.s)
        return
    await query.answer()
    draft = ctx.draft
    if is_pipeline:
        draft.pipeline_id = item.id
    else:
        draft.source_id = item.id
    ctx.keep(draft)
    await forward(ctx, callback_data.s)


async def owner_pressed(
    query: CallbackQuery,
    callback_data: CreateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    owner = await ctx.creation.assignable(user, callback_data.i)  # refuses before answering
    await query.answer()
    draft = ctx.draft
    draft.owner_id = None if owner.id == user.id else owner.id
    ctx.keep(draft)
    if ctx.data.get("quick"):  # the one-message form: its owner was all that was missing
        ctx.data["owner_set"] = True
        await quick_create(ctx)
        return
    await forward(ctx, Step.owner)


async def title_pressed(
    query: CallbackQuery,
    callback_data: CreateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    await query.answer()
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    if callback_data.action is CreateAction.reset_title:
        draft = ctx.draft
        draft.title = None
        ctx.keep(draft)
        await show(ctx, Step.confirm)
        return
    await show(ctx, Step.title)


async def drop_bad_pressed(
    query: CallbackQuery, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    ctx.data["bad"] = (ctx.data.get("bad") or [])[1:]
    await quick_next(ctx, query)


async def dup_open_pressed(
    query: CallbackQuery,
    callback_data: CreateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    """Open the existing deal instead (the wizard ends), or say whose it is."""
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    dups = {d.deal_id: d for d in map(DupView.from_data, ctx.data.get("dups") or [])}
    dup = dups.get(callback_data.i)
    if dup is None:
        await query.answer(tr("create.stale_step"))
        return
    try:
        deal = await crm.deals.get_for(user, dup.deal_id)  # NotFound: the error handler says so
    except AccessDenied:
        owner = dup.owner if len(dup.owner) <= ALERT_NAME else dup.owner[: ALERT_NAME - 1] + "…"
        await query.answer(tr("create.dup_no_access", id=dup.deal_id, owner=owner), show_alert=True)
        return
    await query.answer()
    await close(state, ctx.data)
    await put(ctx, tr("create.dup_opened", id=deal.id), None)
    card = await crm.deals.card(user, deal.id)
    text, markup = render_deal_card(card, user, tr, ctx.today)
    await bot.send_message(ctx.chat_id, text, reply_markup=markup)


async def create_anyway_pressed(
    query: CallbackQuery, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    if ctx.data.get("quick"):
        await quick_create(ctx, query)
        return
    await query.answer()
    await forward(ctx, Step.duplicates)


async def create_pressed(
    query: CallbackQuery, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    """The deal is made from the draft; the wizard ends (a second tap finds no draft)
    and its message becomes the deal card."""
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    deal = await crm.deals.create(user, ctx.draft)  # refuses before answering
    await add_pending_notes(crm, user, deal, ctx.data)
    await query.answer()
    await close(state, ctx.data, deal.id)
    logger.info("user %s created deal %s (guided)", user.id, deal.id)
    card = await crm.deals.card(user, deal.id)
    text, markup = render_deal_card(card, user, tr, ctx.today, notice=tr("create.created"))
    await put(ctx, text, markup)


async def stale_button(
    query: CallbackQuery, callback_data: CreateCb, state: FSMContext, tr: Tr
) -> None:
    await answer_stale(query, state, tr, callback_data.w)
