"""The one-message form of /new going on: fix unreadable contacts, check duplicates, ask the
owner where it must (an operator, a name that fitted nobody), then create the deal and ask
for its next step right away (handlers.work_flow)."""

from __future__ import annotations

import logging

from aiogram.types import CallbackQuery

from bot.callbacks.create import Step
from handlers.create_steps import (
    WIZARD_MESSAGE,
    Ctx,
    check_duplicates,
    retire,
    show,
)
from handlers.forwarded_notes import add_pending_notes
from handlers.work_flow import Work
from models.roles import Role
from models.services.deals import DealDraft

logger = logging.getLogger(__name__)


ALERT_NAME = 40  # an owner's name in an alert (Telegram: 200 characters an alert)


async def name_owner(ctx: Ctx, draft: DealDraft, spec: str) -> bool:
    """The owner named in the text, if exactly one person fits; else the owner step will
    say why it asks."""
    found = await ctx.creation.named_owners(ctx.user, spec)
    if len(found) == 1:
        draft.owner_id = None if found[0].id == ctx.user.id else found[0].id
        ctx.data["owner_set"] = True
        return True
    key = "create.owner_many" if found else "create.owner_unknown"
    ctx.data["owner_note"] = "⚠️ " + ctx.tr(key, who=spec[:ALERT_NAME])
    return False


def _asks_owner(ctx: Ctx) -> bool:
    """The one-message form of an operator (they enter deals for others) or with a name
    that fitted nobody: never silently the author's own deal."""
    if ctx.data.get("owner_set"):
        return False
    return ctx.user.role is Role.operator or bool(ctx.data.get("owner_note"))


async def quick_next(ctx: Ctx, query: CallbackQuery | None = None) -> None:
    """The one-message form goes on: fix bad contacts, check duplicates, then create.
    A button's query is answered here, or after creating (which may refuse)."""
    draft = ctx.draft
    if ctx.data.get("bad"):
        step, notice = Step.quick_fix, None
    elif not (draft.client_name or draft.company or draft.contacts):
        ctx.data["quick"] = False  # nothing left to create from: ask step by step
        step, notice = Step.client, ctx.tr("create.needs_client")
    elif not ctx.data.get("dups_seen") and await check_duplicates(ctx):
        ctx.data["dups_seen"] = True
        step, notice = Step.duplicates, None
    else:
        await quick_create(ctx, query)
        return
    if query is not None:
        await query.answer()
    await show(ctx, step, notice)


async def quick_create(ctx: Ctx, query: CallbackQuery | None = None) -> None:
    if _asks_owner(ctx):
        if query is not None:
            await query.answer()
        notice = ctx.data.pop("owner_note", None) or ctx.tr("create.owner_hint")
        await show(ctx, Step.owner, notice)
        return
    deal = await ctx.crm.deals.create(ctx.user, ctx.draft)  # refuses before answering
    await add_pending_notes(ctx.crm, ctx.user, deal, ctx.data)
    if query is not None:
        await query.answer()
    logger.info("user %s created deal %s (one message)", ctx.user.id, deal.id)
    w = ctx.w
    if ctx.message is None:  # typed input: the card comes below it
        await retire(ctx.bot, ctx.chat_id, ctx.data.get(WIZARD_MESSAGE))
    message_id = ctx.message.message_id if ctx.message else None
    # Always a date for the next step: the card asks for it right away (the shared flow).
    work = Work(ctx.bot, ctx.crm, ctx.user, ctx.tr, ctx.state, ctx.chat_id)
    await work.ask_next_step(message_id, deal, before=ctx.tr("create.created"))
    await ctx.state.update_data(done_w=w, done_deal=deal.id)
