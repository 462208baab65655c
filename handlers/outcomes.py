"""One-tap outcomes on the rows of Today, Overdue, "no next step" and the digest, and "move
the rest to tomorrow". The message the row sits on is edited in place afterwards (the list
redrawn as it is now, same page and owner filter), never sent again; a stale row gets a
polite answer, the list redrawn, and nothing changes (see models/services/outcomes.py). A
forged or stale owner filter (a person the viewer may no longer filter by) is refused
before anything is applied."""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.lists import Back
from bot.callbacks.outcomes import Out, OutCb, Src
from bot.i18n import Tr
from bot.keyboards.outcomes import (
    back_data,
    back_to_list_row,
    confirm_rest_keyboard,
    with_outcomes,
)
from bot.render.deal_list import render_deal_list
from bot.render.digest import render_digest
from bot.render.format import fmt_next_action
from handlers.cards import show_in_place
from handlers.deal_notes import start_note
from handlers.deal_stage import show_picker
from handlers.work_flow import Work
from models.crm import Crm
from models.errors import AccessDenied, InvalidInput, NotFound
from models.services.deal_lists import DealPage, ListFilter, ListKind
from models.services.outcomes import MAX_REST, OnList, Outcomes, Shift
from models.services.reminder_items import DueList, Recipient, ZoneSlot
from models.timeutil import local_now
from models.users import User

_KINDS = {Src.today: ListKind.today, Src.overdue: ListKind.overdue, Src.no_next: ListKind.no_next}
SOURCES = {kind: src for src, kind in _KINDS.items()}
_SHIFTS = {
    Out.no_answer: Shift.tomorrow,
    Out.plus1: Shift.tomorrow,
    Out.plus3: Shift.plus3,
    Out.next_week: Shift.next_week,
}
_IDS_LINE = re.compile(r"^🗂 (.*)$", re.MULTILINE)

Rendered = tuple[str, InlineKeyboardMarkup | None]


async def render_page(
    crm: Crm, user: User, tr: Tr, page: DealPage, *, expanded: int = 0, back: Back = Back.none
) -> Rendered:
    """Today / Overdue / "no next step" with phones in the rows and outcome buttons.
    ``back``: "no next step" opened from Today / Overdue (that kind): "‹ back" to it, with the
    same owner filter."""
    outcomes = Outcomes(crm)
    phones = page.phones  # read with the page, except for a company-wide (admin's) list
    if phones is None:
        phones = await outcomes.first_phones([d.id for d in page.deals])
    src = SOURCES[page.kind]
    if src is not Src.no_next:
        back = Back.none
    text, markup = render_deal_list(page, user, tr, phones=phones, back=back)
    owner = page.filters.owner_id or 0
    no_next = page.no_next  # idem, and an empty page has no row to carry it
    if no_next is None:
        no_next = await outcomes.no_next_count(user, owner) if src is not Src.no_next else 0
    versions = {d.id: d.version for d in page.deals}
    markup = with_outcomes(
        markup, versions, tr, src, page=page.page, owner=owner, expanded=expanded, no_next=no_next
    )
    if back is not Back.none:
        rows = [*(markup.inline_keyboard if markup else []), back_to_list_row(tr, back, owner)]
        markup = InlineKeyboardMarkup(inline_keyboard=rows)
    return text, markup


async def due_today(crm: Crm, user: User) -> DueList:
    """The user's digest as it is now (today's and overdue deals, phones, no-next count)."""
    now = local_now(crm.clock(), user.timezone)
    person = Recipient(
        user.id,
        user.telegram_id,
        user.full_name,
        user.email,
        user.username,
        user.language,
        user.timezone,
        user.work_days,
    )
    slot = ZoneSlot(user.timezone, now.date(), now.time(), now.isoweekday())
    lists = await crm.reminders.due_lists([(person, slot)])
    await Outcomes(crm).decorate(lists, [user.id], {user.id: now.date()})
    return lists.get(user.id) or DueList(now.date())


async def _render(
    crm: Crm, user: User, tr: Tr, src: Src, page: int, owner: int = 0, expanded: int = 0
) -> tuple[Rendered, list[int]]:
    """The message ``src`` as it is now (its page, filtered by ``owner``: the list refuses an
    owner the user may not filter by), and the ids of the due deals it shows."""
    if src is Src.digest:
        due = await due_today(crm, user)
        if not due.total and not due.no_next:
            return (tr("oc.all_done"), None), []
        return render_digest(due, tr, expanded=expanded), [d.id for d in due.deals]
    deals = await crm.lists.page(user, _KINDS[src], page, ListFilter(owner_id=owner or None))
    shown = [d.id for d in deals.deals] if src is not Src.no_next else []
    return await render_page(crm, user, tr, deals, expanded=expanded), shown


async def _redraw(
    query: CallbackQuery, bot: Bot, crm: Crm, user: User, tr: Tr, data: OutCb, expanded: int = 0
) -> None:
    (text, markup), _ = await _render(crm, user, tr, data.src, data.page, data.owner, expanded)
    await show_in_place(query, bot, text, markup)


async def _check_owner(crm: Crm, user: User, data: OutCb) -> None:
    """Refuse a row drawn for an owner filter the user may not (or no longer) use, before
    the outcome is applied: the error handler answers politely, nothing changes."""
    if data.owner and data.src is not Src.digest:
        await crm.lists.owner_filter(user, data.owner)


async def outcome_pressed(
    query: CallbackQuery, callback_data: OutCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    await _check_owner(crm, user, callback_data)
    shift = _SHIFTS[callback_data.act]
    on = OnList.no_next if callback_data.src is Src.no_next else OnList.due
    note = tr("oc.no_answer_note") if callback_data.act is Out.no_answer else None
    try:
        deal = await Outcomes(crm).apply(
            user, callback_data.deal_id, callback_data.v, shift, on=on, note=note
        )
    except (NotFound, AccessDenied):
        await query.answer(tr("oc.gone"))
        await _redraw(query, bot, crm, user, tr, callback_data)
        return
    if deal is None:
        await query.answer(tr("oc.stale"))
    else:
        await query.answer(tr("oc.moved", deal_id=deal.id, when=fmt_next_action(deal, tr)))
    await _redraw(query, bot, crm, user, tr, callback_data)


async def row_toggled(
    query: CallbackQuery, callback_data: OutCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    """ "»" shows a row's other choices in place, "‹" hides them again."""
    expanded = callback_data.deal_id if callback_data.act is Out.more else 0
    data = callback_data
    (text, markup), _ = await _render(crm, user, tr, data.src, data.page, data.owner, expanded)
    await query.answer()
    await show_in_place(query, bot, text, markup)


async def rest_asked(
    query: CallbackQuery, callback_data: OutCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    """The list turns into the question, naming the deals it would move (by id: the
    confirmation moves exactly those, whatever the list shows by then)."""
    data = callback_data
    rendered, ids = await _render(crm, user, tr, data.src, data.page, data.owner)
    ids = ids[:MAX_REST]
    if not ids:
        await query.answer(tr("oc.rest_nothing"))
        await show_in_place(query, bot, *rendered)
        return
    await query.answer()
    text = "\n".join(
        [
            tr("oc.rest_confirm", count=len(ids)),
            tr("oc.rest_ids", ids=", ".join(f"#{i}" for i in ids)),
        ]
    )
    markup = confirm_rest_keyboard(tr, data.src, data.page, data.owner)
    await show_in_place(query, bot, text, markup)


def _confirmed_ids(query: CallbackQuery) -> list[int]:
    text = query.message.text if isinstance(query.message, Message) else None
    match = _IDS_LINE.search(text or "")
    if match is None:
        return []
    return [int(x) for x in re.findall(r"#(\d{1,10})\b", match[1]) if int(x) <= 2**31 - 1]


async def rest_confirmed(
    query: CallbackQuery, callback_data: OutCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    await _check_owner(crm, user, callback_data)
    moved = await Outcomes(crm).move_rest(user, _confirmed_ids(query))
    if moved:
        await query.answer(tr("oc.rest_done", count=moved))
    else:  # a second tap, or everything moved meanwhile
        await query.answer(tr("oc.rest_nothing"))
    await _redraw(query, bot, crm, user, tr, callback_data)


async def rest_declined(
    query: CallbackQuery, callback_data: OutCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    await query.answer()
    await _redraw(query, bot, crm, user, tr, callback_data)


async def note_pressed(
    query: CallbackQuery,
    callback_data: OutCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    """ "✓" on a row: the card's note flow in a fresh card (the list stays as it is), which
    remembers the list so that the card can lead back to it once the next date is set."""
    await _check_owner(crm, user, callback_data)
    work = Work.of(query, bot, crm, user, tr, state)
    deal = await crm.deals.get_for(user, callback_data.deal_id, for_edit=True)  # may refuse
    await start_note(work, None, deal.id, answer=query, back=back_data(callback_data))


async def flow_pressed(
    query: CallbackQuery,
    callback_data: OutCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    """ "🔀" / "📅" on a row: the card's stage or next-date flow in a fresh card (the list
    stays as it is), remembering the list as "✓" does."""
    await _check_owner(crm, user, callback_data)
    work = Work.of(query, bot, crm, user, tr, state)
    deal = await crm.deals.get_for(user, callback_data.deal_id, for_edit=True)  # may refuse
    back = back_data(callback_data)
    if callback_data.act is Out.dates:
        if not deal.is_open:
            raise InvalidInput("next.not_open")
        await work.ask_next_step(None, deal, answer=query, back=back)
        return
    await work.remember_back(deal.id, back)  # the picker awaits no answer: only the list
    await show_picker(work, None, deal, answer=query)


async def back_pressed(
    query: CallbackQuery, callback_data: OutCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    """The card's "‹ back to the list": that list as it is now (same page and filter), in
    the card's place."""
    await _check_owner(crm, user, callback_data)
    await query.answer()
    await _redraw(query, bot, crm, user, tr, callback_data)


async def no_next_list(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    await state.clear()
    page = await crm.lists.page(user, ListKind.no_next)
    text, markup = await render_page(crm, user, tr, page)
    await message.answer(text, reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(outcome_pressed, OutCb.filter(F.act.in_(set(_SHIFTS))))
    router.callback_query.register(row_toggled, OutCb.filter(F.act.in_({Out.more, Out.less})))
    router.callback_query.register(rest_asked, OutCb.filter(F.act == Out.rest))
    router.callback_query.register(rest_confirmed, OutCb.filter(F.act == Out.rest_yes))
    router.callback_query.register(rest_declined, OutCb.filter(F.act == Out.rest_no))
    router.callback_query.register(note_pressed, OutCb.filter(F.act == Out.note))
    router.callback_query.register(back_pressed, OutCb.filter(F.act == Out.back))
    router.callback_query.register(flow_pressed, OutCb.filter(F.act.in_({Out.stage, Out.dates})))
    router.message.register(no_next_list, Command("nonext"))
    return router
