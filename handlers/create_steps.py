"""The deal creation wizard's engine: its FSM states, the context a step works in, how a
step is drawn (one message, edited in place after a button, re-sent below typed input),
where Next and Back lead, and how stale buttons are answered. The router and the
handlers are in handlers/deal_create.py and its siblings (see its docstring)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.create import CreateAction, CreateCb, Step
from bot.i18n import Tr, load_catalogs
from bot.keyboards import create as kb
from bot.keyboards.dates import DateCb
from bot.keyboards.menu import MENU_KEYS
from bot.render.create import (
    MAX_DUPS_SHOWN,
    DraftView,
    DupView,
    contact_errors,
    duplicates_text,
    fmt_when,
    wizard_text,
)
from handlers.cards import today_of
from models.catalog import Pipeline, Source
from models.contacts import ContactError
from models.crm import Crm
from models.deal_input import draft_from_data, draft_to_data
from models.roles import can_assign_owner
from models.services.deal_creation import DealCreation
from models.services.deals import MAX_TITLE, DealDraft
from models.users import User

logger = logging.getLogger(__name__)
T = TypeVar("T", Pipeline, Source)

OWNER_LABEL = 60
# Kept across wizards: which wizard made which deal (a late second tap on Create is told so).
DONE_KEYS = ("done_w", "done_deal")
# The wizard message's id in the FSM data (a name no other feature's data uses).
WIZARD_MESSAGE = "nd_mid"
# A part of a pipeline's / source's name typed on its step: the list shows the matches.
FIND_KEY = "nd_find"
MAX_FIND = 50


def name_has(item: Pipeline | Source, part: str) -> bool:
    """``part`` (casefolded) in the item's name or English label; Python's casefold, as
    SQLite's lower() folds ASCII only."""
    return part in item.name.casefold() or part in (item.name_en or "").casefold()


def _found(items: list[T], data: dict[str, Any]) -> list[T]:
    part = data.get(FIND_KEY)
    return [i for i in items if name_has(i, part)] if part else items


class CreateDeal(StatesGroup):
    client = State()
    contacts = State()
    duplicates = State()
    pipeline = State()
    source = State()
    amount = State()
    next_date = State()
    next_time = State()
    owner = State()
    confirm = State()
    title = State()
    quick_fix = State()


STATE_OF: dict[Step, State] = {step: getattr(CreateDeal, step.name) for step in Step}
_PREFIX = f"{CreateDeal.__name__}:"


def step_of(state_name: str | None) -> Step | None:
    if not state_name or not state_name.startswith(_PREFIX):
        return None
    return Step[state_name.removeprefix(_PREFIX)]


# -- filters -------------------------------------------------------------------------------


@cache
def _menu_texts() -> frozenset[str]:
    return frozenset(c[k] for c in load_catalogs().values() for k in MENU_KEYS if k in c)


class WizardInput(Filter):
    """A message for the wizard: not a command and not a main-menu button (those go on to
    their own routers, later in the order, and keep working in the middle of the wizard)."""

    async def __call__(self, message: Message) -> bool:
        text = message.text
        return text is None or not (text.startswith("/") or text in _menu_texts())


class CurrentButton(Filter):
    """The button belongs to the open wizard and to the step it is on now: a button of a
    closed or older wizard, or a second tap on a step already done, does not pass."""

    async def __call__(
        self, query: CallbackQuery, callback_data: CreateCb, state: FSMContext
    ) -> bool:
        data = await state.get_data()
        if data.get("w") != callback_data.w:
            return False
        return step_of(await state.get_state()) is callback_data.s


# -- the context of a step -----------------------------------------------------------------


@dataclass
class Ctx:
    """Everything a step needs: dependencies, the FSM data and the message to edit."""

    bot: Bot
    crm: Crm
    user: User
    tr: Tr
    state: FSMContext
    chat_id: int
    data: dict[str, Any]
    message: Message | None = None  # the wizard message a button was pressed on

    @property
    def w(self) -> int:
        return int(self.data["w"])

    @property
    def draft(self) -> DealDraft:
        return draft_from_data(self.data)

    def keep(self, draft: DealDraft) -> None:
        self.data.update(draft_to_data(draft))

    @property
    def creation(self) -> DealCreation:
        return DealCreation(self.crm)

    @property
    def today(self) -> dt.date:
        return today_of(self.crm, self.user)


async def make_ctx(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, crm: Crm, user: User, tr: Tr
) -> Ctx:
    if isinstance(event, CallbackQuery):
        message = event.message if isinstance(event.message, Message) else None
        chat_id = message.chat.id if message else event.from_user.id
    else:
        message, chat_id = None, event.chat.id
    data = dict(await state.get_data())
    return Ctx(bot, crm, user, tr, state, chat_id, data, message)


async def fresh(ctx: Ctx, *, quick: bool) -> None:
    """A new wizard: a new token (the old one's buttons become stale), its message retired."""
    await retire(ctx.bot, ctx.chat_id, ctx.data.get(WIZARD_MESSAGE))
    done = {k: ctx.data[k] for k in DONE_KEYS if k in ctx.data}
    ctx.data = {"w": secrets.randbelow(10**9) + 1, "quick": quick, **done}
    ctx.keep(DealDraft())


async def close(state: FSMContext, data: dict[str, Any], deal_id: int | None = None) -> None:
    """End the wizard (nothing else of it is kept); remember the deal it made, if any."""
    await state.set_state(None)
    if deal_id is not None:
        done = {"done_w": data.get("w"), "done_deal": deal_id}
    else:
        done = {k: data[k] for k in DONE_KEYS if k in data}
    await state.set_data(done)


# -- drawing a step --------------------------------------------------------------------------


async def retire(bot: Bot, chat_id: int, message_id: int | None) -> None:
    """Take the keyboard off an old wizard message so its buttons can't be pressed."""
    if message_id is None:
        return
    with contextlib.suppress(TelegramBadRequest):
        await bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, reply_markup=None
        )


async def put(ctx: Ctx, text: str, markup: InlineKeyboardMarkup | None) -> int:
    """Edit the wizard message in place after a button; after typed input send a new one
    (the answer belongs below the user's message) and retire the old one. Its id."""
    if ctx.message is not None:
        message_id = ctx.message.message_id
        try:
            await ctx.bot.edit_message_text(
                text=text, chat_id=ctx.chat_id, message_id=message_id, reply_markup=markup
            )
            ctx.data[WIZARD_MESSAGE] = message_id
            return message_id
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return message_id
            logger.info("wizard message %s not editable: %s", message_id, exc.message)
    await retire(ctx.bot, ctx.chat_id, ctx.data.get(WIZARD_MESSAGE))
    sent = await ctx.bot.send_message(ctx.chat_id, text, reply_markup=markup)
    ctx.data[WIZARD_MESSAGE] = sent.message_id
    return sent.message_id


async def _view(ctx: Ctx, *, with_title: bool = False) -> DraftView:
    draft, locale = ctx.draft, ctx.tr.locale
    catalogs = ctx.crm.catalogs
    pipeline = await catalogs.pipeline(draft.pipeline_id) if draft.pipeline_id else None
    source = await catalogs.source(draft.source_id) if draft.source_id else None
    owner = await ctx.creation.owner_of(ctx.user, draft)
    if owner is None:  # deactivated since chosen: the author owns it unless they choose again
        ctx.data["owner_id"] = draft.owner_id = None
        owner = ctx.user
    return DraftView(
        draft=draft,
        pipeline=pipeline.label(locale) if pipeline else None,
        source=source.label(locale) if source else None,
        owner=owner.display_name if owner.id != ctx.user.id else None,
        title=ctx.creation.title_preview(owner, draft) if with_title else None,
    )


def _mark(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


async def _keyboard(ctx: Ctx, step: Step) -> InlineKeyboardMarkup:
    tr, w, draft = ctx.tr, ctx.w, ctx.draft
    page = int(ctx.data.get("page") or 0)
    next_ = tr("create.btn_next")
    if step is Step.client:
        filled = bool(draft.client_name or draft.company or draft.contacts)
        return kb.client_keyboard(tr, w, can_go_on=filled)
    if step is Step.contacts:
        return kb.contacts_keyboard(tr, w, count=len(draft.contacts))
    if step is Step.duplicates:
        ids = [row[0] for row in ctx.data.get("dups") or []][:MAX_DUPS_SHOWN]
        return kb.duplicates_keyboard(tr, w, ids, back=not ctx.data.get("quick"))
    if step is Step.pipeline:
        chosen = draft.pipeline_id
        pipelines = _found(
            await ctx.crm.catalogs.pipelines_for(ctx.user, ctx.crm.clock()), ctx.data
        )
        items = [(p.id, _mark(p.label(tr.locale), p.id == chosen)) for p in pipelines]
        return kb.choice_keyboard(
            tr, w, step, CreateAction.pipeline, items, page=page, skip=chosen is None,
            page_size=kb.CATALOG_PAGE, columns=1,
        )  # fmt: skip
    if step is Step.source:
        chosen = draft.source_id
        sources = _found(await ctx.crm.catalogs.sources_for(ctx.user, ctx.crm.clock()), ctx.data)
        items = [(s.id, _mark(s.label(tr.locale), s.id == chosen)) for s in sources]
        return kb.choice_keyboard(
            tr, w, step, CreateAction.source, items, page=page, skip=chosen is None,
            page_size=kb.CATALOG_PAGE,
        )  # fmt: skip
    if step is Step.amount:
        go_on = next_ if draft.amount is not None else None
        return kb.nav_keyboard(tr, w, step, skip=True, go_on=go_on)
    if step is Step.next_date:
        return kb.date_keyboard(tr, w, ctx.today)
    if step is Step.next_time:
        return kb.time_keyboard(tr, w, dt.date.fromisoformat(ctx.data["day"]))
    if step is Step.owner:
        owners = await ctx.creation.assignable_owners(ctx.user)
        items = [
            (u.id, _mark(u.display_name[:OWNER_LABEL], u.id == draft.owner_id)) for u in owners
        ]
        # The one-message form asks because nobody was chosen yet: nothing is ticked there.
        quick = bool(ctx.data.get("quick"))
        mine = not quick and draft.owner_id in (None, ctx.user.id)
        me = [(ctx.user.id, _mark(tr("create.btn_me"), mine))]
        markup = kb.choice_keyboard(
            tr, w, step, CreateAction.owner, items, page=page, first=me, skip=False
        )
        return _without_back(markup) if quick else markup
    if step is Step.confirm:
        return kb.confirm_keyboard(tr, w)
    if step is Step.title:
        return kb.title_keyboard(tr, w, custom=bool(draft.title))
    return kb.quick_fix_keyboard(tr, w)


def _without_back(markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """The one-message form has no step before the owner to go back to."""
    back = CreateAction.back
    rows = [
        [
            b
            for b in row
            if not (b.callback_data and CreateCb.unpack(b.callback_data).action is back)
        ]
        for row in markup.inline_keyboard
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def _question(ctx: Ctx, step: Step, notice: str | None) -> tuple[str, str | None]:
    """The step's question, and the notice to show above it."""
    tr = ctx.tr
    if step is Step.duplicates:
        dups = [DupView.from_data(row) for row in ctx.data.get("dups") or []]
        return duplicates_text(dups, tr), notice
    if step is Step.next_time:
        day = dt.date.fromisoformat(ctx.data["day"])
        return tr("create.ask_time", date=fmt_when(day, None, tr)), notice
    if step is Step.title:
        return tr("create.ask_title", limit=MAX_TITLE), notice
    if step is Step.quick_fix:
        errors = [ContactError(reason, raw) for reason, raw in ctx.data.get("bad") or []]
        lines = [tr("create.quick_errors"), contact_errors(errors, tr)]
        return tr("create.quick_fix"), "\n".join([*lines, notice] if notice else lines)
    if step is Step.client and can_assign_owner(ctx.user.role):
        return tr("create.ask_client") + "\n" + tr("create.quick_owner_help"), notice
    return tr(f"create.ask_{step.name}"), notice


async def show(ctx: Ctx, step: Step, notice: str | None = None) -> None:
    """Draw ``step`` (with a notice: an error or a hint) and make it the current one."""
    await ctx.state.set_state(STATE_OF[step])
    view = await _view(ctx, with_title=step in (Step.confirm, Step.title))
    question, notice = _question(ctx, step, notice)
    await put(ctx, wizard_text(ctx.tr, view, question, notice), await _keyboard(ctx, step))
    await ctx.state.set_data(ctx.data)


# -- where Next and Back lead ----------------------------------------------------------------

_NEXT: dict[Step, Step] = {
    Step.client: Step.contacts,
    Step.duplicates: Step.pipeline,
    Step.pipeline: Step.source,
    Step.source: Step.amount,
    Step.amount: Step.next_date,
    Step.owner: Step.confirm,
    Step.title: Step.confirm,
}
_BACK: dict[Step, Step] = {
    Step.contacts: Step.client,
    Step.duplicates: Step.contacts,
    Step.pipeline: Step.contacts,  # the duplicates were seen already
    Step.source: Step.pipeline,
    Step.amount: Step.source,
    Step.next_date: Step.amount,
    Step.next_time: Step.next_date,
    Step.owner: Step.next_date,
    Step.title: Step.confirm,
}


async def _owner_step_applies(ctx: Ctx) -> bool:
    return bool(await ctx.creation.assignable_owners(ctx.user))


async def forward(ctx: Ctx, step: Step, notice: str | None = None) -> None:
    """Show the step after ``step``: duplicates only when there are some, the owner only
    for those who may choose one."""
    ctx.data["page"] = 0
    ctx.data.pop(FIND_KEY, None)
    if step is Step.contacts:
        nxt = Step.duplicates if await check_duplicates(ctx) else Step.pipeline
    elif step in (Step.next_date, Step.next_time):
        nxt = Step.owner if await _owner_step_applies(ctx) else Step.confirm
    else:
        nxt = _NEXT[step]
    await show(ctx, nxt, notice)


async def backward(ctx: Ctx, step: Step) -> None:
    ctx.data["page"] = 0
    ctx.data.pop(FIND_KEY, None)
    if step is Step.confirm:
        nxt = Step.owner if await _owner_step_applies(ctx) else Step.next_date
    else:
        nxt = _BACK.get(step, step)
    await show(ctx, nxt)


async def check_duplicates(ctx: Ctx) -> bool:
    """Open deals of anybody with the draft's e-mails / phones, kept in the wizard data."""
    matches = await ctx.crm.deals.find_duplicates(ctx.draft.contacts)
    ctx.data["dups"] = [
        DupView(m.deal_id, m.owner_name, m.stage.label(ctx.tr.locale), m.matched).to_data()
        for m in matches
    ]
    return bool(matches)


# -- stale buttons ---------------------------------------------------------------------------


def _wizard_date(data: str) -> bool:
    try:
        return DateCb.unpack(data).ctx == 0
    except (TypeError, ValueError):
        return False


def _only_wizard_buttons(message: Message) -> bool:
    """A keyboard of the wizard alone (never strip the buttons of a deal card)."""
    markup = message.reply_markup
    if markup is None:
        return False
    datas = [b.callback_data or "" for row in markup.inline_keyboard for b in row]
    return all(d.startswith("nd:") or _wizard_date(d) for d in datas)


async def answer_stale(query: CallbackQuery, state: FSMContext, tr: Tr, w: int | None) -> None:
    """A wizard button that does not apply now: a double tap, a closed or older wizard."""
    data = await state.get_data()
    if step_of(await state.get_state()) is not None and w in (None, data.get("w")):
        await query.answer(tr("create.stale_step"))  # a second tap on this wizard's button
        return
    if w is not None and data.get("done_w") == w and data.get("done_deal"):
        await query.answer(tr("create.already_created", id=data["done_deal"]), show_alert=True)
        return
    await query.answer(tr("create.stale"), show_alert=True)
    message = query.message if isinstance(query.message, Message) else None
    if message is not None and _only_wizard_buttons(message):
        with contextlib.suppress(TelegramBadRequest):
            await message.edit_reply_markup(reply_markup=None)
