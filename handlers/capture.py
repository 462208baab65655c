"""Capture from anywhere: outside any flow, a forwarded message, a shared contact or a typed
bare phone / e-mail shows the deals the user may see with that phone or e-mail (the search
service, so the rights are the lists' own), each with "as a note" / "open"; or, when none
matches, offers a new deal pre-filled (the New-deal wizard, from its contacts step, so the
duplicate check across owners, the pipeline and the source still come).

What was captured waits in the FSM data (key ``cap``; no state is set, so every other flow
stays free) with a token, the captured message's id, that the buttons carry: a button of an
older capture, or pressed twice, is answered "out of date" and changes nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks.capture import CaptureAct, CaptureCb
from bot.callbacks.create import Step
from bot.i18n import Tr
from bot.render.capture import Capture, render_capture
from bot.render.create import contact_errors
from handlers.cards import send_card
from handlers.create_input import read
from handlers.create_steps import fresh, make_ctx, show
from handlers.deal_notes import show_note_saved
from handlers.forwarded_notes import PENDING, add_note, forwarded_note
from handlers.work_flow import Work
from models.contacts import ContactKind, ParsedContact, parse_quick_deal
from models.crm import Crm
from models.deal_input import merge_contacts
from models.deals import Deal
from models.roles import Role
from models.services.deal_lists import ListKind, SearchBy, SearchQuery
from models.services.deals import DealDraft
from models.users import User

KEY = "cap"
MAX_SHOWN = 8  # deals listed, each a row of buttons
_SEARCHABLE = (ContactKind.phone, ContactKind.email)


def bare_contacts(text: str | None) -> list[ParsedContact] | None:
    """A typed message that is nothing but phones / e-mails ("+7 999 123-45-67"), else None."""
    if not text or text.startswith("/"):
        return None
    parsed = parse_quick_deal(text)
    if parsed.client or parsed.errors or not parsed.contacts:
        return None
    if any(c.kind not in _SEARCHABLE for c in parsed.contacts):
        return None
    return parsed.contacts


class Capturable(Filter):
    """A forwarded text, a shared contact, or a typed bare phone / e-mail."""

    async def __call__(self, message: Message) -> bool:
        if message.contact is not None:
            return True
        if message.forward_origin is not None:
            return bool(message.text or message.caption) and message.document is None
        return bare_contacts(message.text) is not None


async def _matches(crm: Crm, user: User, contacts: list[ParsedContact]) -> tuple[list[Deal], int]:
    """Deals ``user`` may see with one of these phones / e-mails (the search service's own
    rules and order), at most MAX_SHOWN, and how many there are (at least)."""
    found: dict[int, Deal] = {}
    total = 0
    for contact in contacts:
        if contact.kind not in _SEARCHABLE:
            continue
        query = SearchQuery(contact.value, SearchBy(contact.kind.value), contact.normalized)
        page = await crm.lists.page(user, ListKind.search, query=query)
        total = max(total, page.total)
        for deal in page.deals:
            found.setdefault(deal.id, deal)
    return list(found.values())[:MAX_SHOWN], max(total, len(found))


async def captured(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    found = read(message, names=False)
    if found is None:  # not reachable through Capturable; kept total
        return
    if found.errors and not found.contacts:
        await message.answer(contact_errors(found.errors, tr))
        return
    contacts, _ = merge_contacts([], found.contacts)
    note = forwarded_note(message, user.timezone)
    cap = Capture(
        token=message.message_id,
        name=found.name,
        contacts=contacts,
        note_on=dt.date.fromisoformat(note["on"]) if note else None,
        show_owner=user.role is not Role.manager,
    )
    cap.matches, cap.total = await _matches(crm, user, contacts)
    data = dict(await state.get_data())
    data[KEY] = {
        "t": cap.token,
        "name": found.name,
        "contacts": [[c.kind.value, c.value, c.normalized] for c in contacts],
        "note": note,
    }
    await state.set_data(data)
    text, markup = render_capture(cap, tr)
    await message.answer(text, reply_markup=markup)


async def _stale(query: CallbackQuery, tr: Tr) -> None:
    await query.answer(tr("capture.stale"), show_alert=True)
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)


async def _done(query: CallbackQuery, text: str) -> None:
    """The capture message says what became of it, without buttons."""
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(text, reply_markup=None)


async def capture_button(
    query: CallbackQuery,
    callback_data: CaptureCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    act = callback_data.act
    chat_id = query.message.chat.id if query.message else query.from_user.id
    if act is CaptureAct.open:  # needs nothing captured: any time, rights checked
        deal = await crm.deals.get_for(user, callback_data.deal_id)
        await query.answer()
        await send_card(bot, chat_id, crm, user, tr, deal.id)
        return
    data: dict[str, Any] = dict(await state.get_data())
    cap = data.get(KEY)
    if not isinstance(cap, dict) or cap.get("t") != callback_data.t:
        await _stale(query, tr)
        return
    if act is CaptureAct.cancel:
        data.pop(KEY)
        await state.set_data(data)
        await query.answer()
        await _done(query, tr("capture.cancelled"))
    elif act is CaptureAct.note:
        if not cap.get("note"):
            await _stale(query, tr)
            return
        deal = await crm.deals.get_for(user, callback_data.deal_id, for_edit=True)
        note = await add_note(crm, user, deal, cap["note"])
        data.pop(KEY)
        await state.set_data(data)
        await query.answer()
        await _done(query, tr("capture.noted", number=f"{note.number:02d}", id=deal.id))
        work = Work.of(query, bot, crm, user, tr, state)
        await show_note_saved(work, None, deal, note)
    else:
        await query.answer()
        await _new_deal(query, cap, state, bot, crm, user, tr)


async def _new_deal(
    query: CallbackQuery,
    cap: dict[str, Any],
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    """The wizard, pre-filled, in place of the capture message (its data replaces ours)."""
    ctx = await make_ctx(query, state, bot, crm, user, tr)
    await fresh(ctx, quick=False)
    contacts = [
        ParsedContact(ContactKind(kind), value, normalized)
        for kind, value, normalized in cap.get("contacts") or []
    ]
    ctx.keep(DealDraft(client_name=cap.get("name"), contacts=contacts))
    if cap.get("note"):
        ctx.data[PENDING] = [cap["note"]]
    await show(ctx, Step.contacts if cap.get("name") or contacts else Step.client)


def build_router() -> Router:
    router = Router(name=__name__)
    # Private chats only: in a group (a team feed) a typed phone or a file must not make the
    # bot show deals or keep files for whoever is in the group.
    router.message.filter(F.chat.type == "private")
    router.callback_query.register(capture_button, CaptureCb.filter())
    # Outside any flow only: inside one, a forward or a contact is that flow's input.
    router.message.register(captured, StateFilter(None), Capturable())
    return router
