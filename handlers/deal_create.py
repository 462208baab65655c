"""Creating a deal.

* The guided wizard (➕ New deal, or /new alone): client -> contacts -> duplicates (if any)
  -> pipeline -> source -> amount -> next step date (+ time) -> owner (operator/lead/admin)
  -> confirmation with the pre-filled title -> the deal card. One message edited in place;
  Skip / Back / Cancel on every step; the draft lives in the FSM data as plain JSON.
* The one-message form: ``/new Иван Петров, ivan@firm.ru, +7 999 123-45-67``: contacts that
  could not be read are asked again (or dropped), duplicates are checked, the deal is
  created with defaults, then the card asks for the next step date (handlers.work_flow).

The step engine (states, drawing, Next/Back, stale buttons) is handlers/create_steps.py.
Wizard buttons are CreateCb (token + step); date buttons are DateCb with ctx=0."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks.create import CreateAction, CreateCb, Step
from bot.filters import TextKey
from bot.i18n import Tr
from bot.keyboards import create as kb
from bot.keyboards.dates import DateAction, DateCb, int_to_date, parse_date, parse_time
from bot.render.create import DupView, contact_errors, money_error, not_contacts
from bot.render.deal_card import render_deal_card
from handlers.create_steps import (
    FIND_KEY,
    MAX_FIND,
    WIZARD_MESSAGE,
    CreateDeal,
    Ctx,
    CurrentButton,
    WizardInput,
    answer_stale,
    backward,
    check_duplicates,
    close,
    forward,
    fresh,
    make_ctx,
    name_has,
    put,
    retire,
    show,
    step_of,
)
from handlers.forwarded_notes import add_pending_notes, remember_forward
from handlers.work_flow import Work
from models.contacts import ContactError, ParsedContact, parse_quick_deal
from models.crm import Crm
from models.deal_input import (
    MAX_CONTACTS,
    contacts_in_text,
    merge_contacts,
    shared_phone,
    split_client,
)
from models.errors import AccessDenied
from models.money import MoneyError, parse_amount
from models.owner_spec import split_owner
from models.roles import Role, can_assign_owner
from models.services.deals import MAX_CLIENT, MAX_TITLE, DealDraft
from models.timeutil import local_now
from models.users import User

logger = logging.getLogger(__name__)

ALERT_NAME = 40  # an owner's name in an alert (Telegram: 200 characters an alert)


# -- reading what was typed ------------------------------------------------------------------


@dataclass
class Found:
    """Client and contacts found in one message, and what was wrong in it."""

    name: str | None = None
    company: str | None = None
    contacts: list[ParsedContact] = field(default_factory=list)
    errors: list[ContactError] = field(default_factory=list)
    leftover: str | None = None  # text that is no contact (where only contacts are expected)


def _origin_name(message: Message) -> str | None:
    """Who wrote a forwarded message: a user, a hidden user, a chat or a channel."""
    origin = message.forward_origin
    name = None
    for attr in ("sender_user", "sender_chat", "chat"):
        who = getattr(origin, attr, None)
        if who is not None:
            name = getattr(who, "full_name", None) or getattr(who, "title", None)
            break
    else:
        name = getattr(origin, "sender_user_name", None)
    return name[:MAX_CLIENT] if name else None


def read(message: Message, *, names: bool) -> Found | None:
    """What a message gives: a shared contact, a forwarded message (its author and the
    contacts in it), or text. ``names``: text that is no contact is the client's name
    (else it is reported). None for a sticker, a photo and the like."""
    if message.contact is not None:
        c = message.contact
        name = " ".join(p for p in (c.first_name, c.last_name) if p) or None
        try:
            return Found(name=name, contacts=[shared_phone(c.phone_number)])
        except ContactError as exc:
            return Found(name=name, errors=[exc])
    text = message.text or message.caption
    if message.forward_origin is not None:
        return Found(name=_origin_name(message), contacts=contacts_in_text(text or ""))
    if text is None:
        return None
    parsed = parse_quick_deal(text)
    found = Found(contacts=parsed.contacts, errors=parsed.errors)
    if names:
        found.name, found.company = split_client(parsed.client)
    elif parsed.client:
        found.leftover = parsed.client
    return found


def _too_long(tr: Tr, *values: str | None) -> str | None:
    """The refusal for a client name or company over the column's length, if any."""
    for value in values:
        if value and len(value) > MAX_CLIENT:
            return tr("create.client_too_long", length=len(value), limit=MAX_CLIENT)
    return None


def _problems(found: Found, tr: Tr) -> list[str]:
    notices = []
    if found.errors:
        notices.append(contact_errors(found.errors, tr))
    if found.leftover:
        notices.append(not_contacts(found.leftover, tr))
    return notices


def take(ctx: Ctx, found: Found, *, replace_client: bool) -> str | None:
    """Put what was found into the draft; the notice to show (errors, limits), if any."""
    draft, notices = ctx.draft, _problems(found, ctx.tr)
    if found.name or found.company:
        if replace_client:
            draft.client_name, draft.company = found.name, found.company
        elif not (draft.client_name or draft.company):
            draft.client_name = found.name
    draft.contacts, added = merge_contacts(draft.contacts, found.contacts)
    if len(found.contacts) > added and len(draft.contacts) >= MAX_CONTACTS:
        notices.append("⚠️ " + ctx.tr("create.contacts_limit", limit=MAX_CONTACTS))
    elif found.contacts and not added and not notices:
        notices.append(ctx.tr("create.contacts_same"))
    ctx.keep(draft)
    return "\n".join(notices) or None


def parse_when(text: str, today: dt.date) -> tuple[dt.date, dt.time | None] | None:
    """ "28.11", "завтра", "28.11 15:00", "завтра в 15:00", "tomorrow at 9"."""
    text = " ".join(text.split())
    day = parse_date(text, today)
    if day is not None:
        return day, None
    head, _, tail = text.rpartition(" ")
    for word in (" в", " во", " at"):
        head = head.removesuffix(word)
    if not head:
        return None
    day, at = parse_date(head, today), parse_time(tail)
    return (day, at) if day is not None and at is not None else None


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
    too_long = _too_long(tr, name, company)
    if too_long:
        await message.answer(too_long)
        return
    if owner_spec is not None and not can_assign_owner(user.role):
        await message.answer(tr("create.owner_not_allowed"))
        return
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    await fresh(ctx, quick=True)
    contacts, _ = merge_contacts([], parsed.contacts)
    draft = DealDraft(client_name=name, company=company, contacts=contacts)
    if owner_spec is not None:
        await _name_owner(ctx, draft, owner_spec)
    ctx.keep(draft)
    ctx.data["bad"] = [[e.reason, e.raw] for e in parsed.errors]
    await quick_next(ctx)


async def _name_owner(ctx: Ctx, draft: DealDraft, spec: str) -> bool:
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
    too_long = _too_long(tr, found.name, found.company)
    if too_long:
        await show(ctx, Step.client, too_long)
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
        notice = "\n".join(_problems(found, tr)) if found else ""
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


async def date_chosen(ctx: Ctx, day: dt.date, at: dt.time | None, *, timed: bool) -> None:
    """A day (and maybe a time) for the next step: the past is refused; without a time the
    time step follows; with one (or "without time") the wizard goes on."""
    if day < ctx.today:
        await show(ctx, Step.next_date, "⚠️ " + ctx.tr("date.past"))
        return
    if not timed:
        ctx.data["day"] = day.isoformat()
        await show(ctx, Step.next_time)
        return
    now = local_now(ctx.crm.clock(), ctx.user.timezone)
    if at is not None and day == now.date() and at < now.time().replace(second=0, microsecond=0):
        ctx.data["day"] = day.isoformat()
        await show(ctx, Step.next_time, "⚠️ " + ctx.tr("create.time_past"))
        return
    draft = ctx.draft
    draft.next_action_on, draft.next_action_time = day, at
    ctx.keep(draft)
    await forward(ctx, Step.next_date)


async def date_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    text = message.text or ""
    when = parse_when(text, ctx.today)
    if when is None:
        await show(ctx, Step.next_date, "⚠️ " + tr("create.date_bad", raw=text[:40]))
        return
    await date_chosen(ctx, when[0], when[1], timed=when[1] is not None)


async def time_typed(
    message: Message, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    ctx = await make_ctx(message, state, bot, crm, user, tr)
    text = message.text or ""
    at = parse_time(text)
    if at is not None:
        await date_chosen(ctx, dt.date.fromisoformat(ctx.data["day"]), at, timed=True)
        return
    when = parse_when(text, ctx.today)  # another date typed instead
    if when is not None:
        await date_chosen(ctx, when[0], when[1], timed=when[1] is not None)
        return
    await show(ctx, Step.next_time, "⚠️ " + tr("create.time_bad", raw=text[:40]))


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
        if await _name_owner(ctx, draft, typed):  # a name typed instead of a tap
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


# -- date buttons (DateCb, ctx=0) ------------------------------------------------------------


async def date_pressed(
    query: CallbackQuery,
    callback_data: DateCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    action = callback_data.action
    try:
        day = int_to_date(callback_data.d)
        at = dt.time(*divmod(callback_data.t, 100)) if action is DateAction.time else None
    except ValueError:  # a header, an empty cell, or forged data
        await query.answer()
        return
    if action is DateAction.noop:
        await query.answer()
        return
    if action in (DateAction.calendar, DateAction.month):
        await query.answer()
        markup = kb.calendar_keyboard(tr, ctx.w, day.replace(day=1), ctx.today)
        if ctx.message is not None:
            with contextlib.suppress(TelegramBadRequest):
                await ctx.message.edit_reply_markup(reply_markup=markup)
        return
    if day < ctx.today:
        await query.answer(tr("date.past"), show_alert=True)
        return
    await query.answer()
    # A day chip is an all-day step (one tap less); a time is typed with it ("28.11 15:00").
    await date_chosen(ctx, day, at, timed=True)


# -- stale buttons -----------------------------------------------------------------------------


async def stale_button(
    query: CallbackQuery, callback_data: CreateCb, state: FSMContext, tr: Tr
) -> None:
    await answer_stale(query, state, tr, callback_data.w)


async def stale_date(query: CallbackQuery, state: FSMContext, tr: Tr) -> None:
    await answer_stale(query, state, tr, None)


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
