"""Creating a deal.

* The guided wizard (➕ New deal, or /new alone): client -> contacts -> duplicates (if any)
  -> pipeline -> source -> amount -> next step date (+ time) -> owner (operator/lead/admin)
  -> confirmation with the pre-filled title -> the deal card. One message edited in place;
  Skip / Back / Cancel on every step; the draft lives in the FSM data as plain JSON.
* The one-message form: ``/new Иван Петров, ivan@firm.ru, +7 999 123-45-67``: contacts that
  could not be read are asked again (or dropped), duplicates are checked, the deal is
  created with defaults, then the card asks for the next step date (handlers.work_flow).

This module starts both and takes what is typed into the wizard; the rest is split by job:
handlers/create_steps.py the step engine (states, drawing, Next/Back, stale buttons),
handlers/create_input.py reading a message into client and contacts, handlers/quick_create.py
the one-message form going on, handlers/create_buttons.py the wizard's buttons (CreateCb:
token + step), handlers/create_dates.py its next-step date (DateCb with ctx=0)."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.callbacks.create import CreateAction, CreateCb, Step
from bot.filters import TextKey
from bot.i18n import Tr
from bot.keyboards.dates import DateCb
from bot.render.create import contact_errors, money_error
from handlers.create_buttons import (
    back_pressed,
    cancel_pressed,
    catalog_pressed,
    create_anyway_pressed,
    create_pressed,
    drop_bad_pressed,
    dup_open_pressed,
    owner_pressed,
    page_pressed,
    skip_or_done_pressed,
    stale_button,
    title_pressed,
    undo_pressed,
)
from handlers.create_dates import date_pressed, date_typed, stale_date, time_typed
from handlers.create_input import problems, read, take, too_long
from handlers.create_steps import (
    FIND_KEY,
    MAX_FIND,
    CreateDeal,
    CurrentButton,
    WizardInput,
    forward,
    fresh,
    make_ctx,
    name_has,
    show,
    step_of,
)
from handlers.forwarded_notes import remember_forward
from handlers.quick_create import name_owner, quick_create, quick_next
from models.contacts import parse_quick_deal
from models.crm import Crm
from models.deal_input import (
    merge_contacts,
    split_client,
)
from models.money import MoneyError, parse_amount
from models.owner_spec import split_owner
from models.roles import can_assign_owner
from models.services.deals import MAX_CLIENT, MAX_TITLE, DealDraft
from models.users import User

logger = logging.getLogger(__name__)


# -- reading what was typed ------------------------------------------------------------------


# -- starting -------------------------------------------------------------------------------


async def start_wizard(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    await fresh(ctx, quick=False)
    await show(ctx, Step.client)


async def new_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    """/new alone starts the wizard; /new with text is the one-message form (its owner named
    by a line "Ответственный: Иванов" or an @username, see models/owner_spec.py)."""
    text, owner_spec = split_owner((command.args or "").strip())
    parsed = parse_quick_deal(text)
    if not (parsed.client or parsed.contacts or parsed.errors):
        await start_wizard(message, state, bot, crm, user, tr)
        return
    name, company = split_client(parsed.client)
    refusal = too_long(tr, name, company)
    if refusal:
        await message.answer(refusal)
        return
    if owner_spec is not None and not can_assign_owner(user.role):
        await message.answer(tr("create.owner_not_allowed"))
        return
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    await fresh(ctx, quick=True)
    contacts, _ = merge_contacts([], parsed.contacts)
    draft = DealDraft(client_name=name, company=company, contacts=contacts)
    if owner_spec is not None:
        await name_owner(ctx, draft, owner_spec)
    ctx.keep(draft)
    ctx.data["bad"] = [[e.reason, e.raw] for e in parsed.errors]
    await quick_next(ctx)


# -- typed input ------------------------------------------------------------------------------


async def client_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    remember_forward(ctx.data, message, user.timezone)  # kept as the deal's first note
    found = read(message, names=True)
    if found is None:
        await show(ctx, Step.client, tr("create.no_text"))
        return
    refusal = too_long(tr, found.name, found.company)
    if refusal:
        await show(ctx, Step.client, refusal)
        return
    if not (found.name or found.company or found.contacts):
        notice = contact_errors(found.errors, tr) if found.errors else tr("create.client_empty")
        await show(ctx, Step.client, notice)
        return
    taken = take(ctx, found, replace_client=True)
    typed = message.contact is None and message.forward_origin is None
    if typed and found.contacts and taken is None:
        # "Пётр, petr@firm.ru, +7 999 …" typed as the first answer: its contacts are in, so
        # the contacts step is skipped (Back returns to it to add more). A forward or a shared
        # contact stays on that step: more contacts often follow them.
        await forward(ctx, Step.contacts)
        return
    await show(ctx, Step.contacts, taken)


async def contacts_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    remember_forward(ctx.data, message, user.timezone)  # kept as the deal's first note
    found = read(message, names=False)
    if found is None:
        await show(ctx, Step.contacts, tr("create.no_text"))
        return
    await show(ctx, Step.contacts, take(ctx, found, replace_client=False))


async def quick_fix_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    """The corrected contact for the first one that could not be read."""
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    found = read(message, names=False)
    if found is None or not found.contacts or found.errors or found.leftover:
        notice = "\n".join(problems(found, tr)) if found else ""
        await show(ctx, Step.quick_fix, notice or tr("create.no_text"))
        return
    draft = ctx.draft
    draft.contacts, _ = merge_contacts(draft.contacts, found.contacts)
    ctx.keep(draft)
    ctx.data["bad"] = (ctx.data.get("bad") or [])[1:]
    await quick_next(ctx)


async def amount_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    try:
        money = parse_amount(message.text or "")
    except MoneyError as exc:
        await show(ctx, Step.amount, "⚠️ " + money_error(exc, tr))
        return
    draft = ctx.draft
    draft.amount, draft.currency = money.amount, money.currency
    ctx.keep(draft)
    await forward(ctx, Step.amount)


async def title_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    title = (message.text or "").strip()
    if not title:
        await show(ctx, Step.title, tr("create.title_empty"))
        return
    if len(title) > MAX_TITLE:
        notice = tr("create.client_too_long", length=len(title), limit=MAX_TITLE)
        await show(ctx, Step.title, notice)
        return
    draft = ctx.draft
    draft.title = title
    ctx.keep(draft)
    await show(ctx, Step.confirm)


async def choice_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    """Text on a step of buttons: a pipeline or a source typed by its name is taken;
    anything else gets a hint."""
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    step = step_of(await state.get_state())
    assert step is not None
    typed = " ".join((message.text or "").split()).casefold()
    if typed and step is Step.owner and len(typed) <= MAX_CLIENT:
        draft = ctx.draft
        if await name_owner(ctx, draft, typed):  # a name typed instead of a tap
            ctx.keep(draft)
            await (quick_create(ctx) if ctx.data.get("quick") else forward(ctx, step))
            return
        await show(ctx, step, ctx.data.pop("owner_note", None))
        return
    if typed and step in (Step.pipeline, Step.source):
        catalogs = crm.catalogs
        items = await (catalogs.pipelines() if step is Step.pipeline else catalogs.sources())
        # The whole name, else the only name with this part; several: the list narrows.
        found = [i for i in items if typed in {i.name.casefold(), (i.name_en or "").casefold()}]
        found = found or [i for i in items if name_has(i, typed)]
        if len(found) == 1:
            draft = ctx.draft
            if step is Step.pipeline:
                draft.pipeline_id = found[0].id
            else:
                draft.source_id = found[0].id
            ctx.keep(draft)
            await forward(ctx, step)
            return
        if found:
            ctx.data.update({FIND_KEY: typed[:MAX_FIND], "page": 0})
            await show(ctx, step, tr("create.found_some", n=len(found), text=typed[:MAX_FIND]))
            return
        await show(ctx, step, tr("create.found_none", text=typed[:MAX_FIND]))
        return
    await show(ctx, step, tr("create.use_buttons"))


# -- buttons -----------------------------------------------------------------------------------


# -- date buttons (DateCb, ctx=0) ------------------------------------------------------------


# -- stale buttons -----------------------------------------------------------------------------


# -- the router ------------------------------------------------------------------------------


def build_router() -> Router:
    router = Router(name=__name__)
    msg, cb = router.message, router.callback_query

    msg.register(start_wizard, TextKey("menu.new_deal"))
    msg.register(new_command, Command("new"))

    typed = WizardInput()
    for handler, states in (
        (client_typed, [CreateDeal.client]),
        (contacts_typed, [CreateDeal.contacts]),
        (quick_fix_typed, [CreateDeal.quick_fix]),
        (amount_typed, [CreateDeal.amount]),
        (date_typed, [CreateDeal.next_date]),
        (time_typed, [CreateDeal.next_time]),
        (title_typed, [CreateDeal.title]),
        (
            choice_typed,
            [
                CreateDeal.duplicates,
                CreateDeal.pipeline,
                CreateDeal.source,
                CreateDeal.owner,
                CreateDeal.confirm,
            ],
        ),
    ):
        msg.register(handler, StateFilter(*states), typed)

    current = CurrentButton()
    buttons: list[tuple[Any, set[CreateAction]]] = [
        (create_pressed, {CreateAction.create}),
        (back_pressed, {CreateAction.back}),
        (cancel_pressed, {CreateAction.cancel}),
        (skip_or_done_pressed, {CreateAction.skip, CreateAction.done}),
        (undo_pressed, {CreateAction.undo}),
        (page_pressed, {CreateAction.page}),
        (catalog_pressed, {CreateAction.pipeline, CreateAction.source}),
        (owner_pressed, {CreateAction.owner}),
        (title_pressed, {CreateAction.edit_title, CreateAction.reset_title}),
        (drop_bad_pressed, {CreateAction.drop_bad}),
        (dup_open_pressed, {CreateAction.open_dup}),
        (create_anyway_pressed, {CreateAction.create_anyway}),
    ]
    for handler, actions in buttons:
        cb.register(handler, CreateCb.filter(F.action.in_(actions)), current)
    cb.register(stale_button, CreateCb.filter())

    # ctx 0 is this wizard's; the card's date buttons (ctx = deal id) are handlers.deal_dates'.
    wizard_dates = DateCb.filter(F.ctx == 0)
    cb.register(date_pressed, wizard_dates, StateFilter(CreateDeal.next_date, CreateDeal.next_time))
    cb.register(stale_date, wizard_dates)
    return router
