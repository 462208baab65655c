"""A deal's contact persons and labelled links, from the card's edit menu: add, rename, set
the position, add and remove a person's e-mails and phones, remove a person; add and remove
links. Every button re-checks rights (crm.editing.load); buttons that remove carry the deal's
version, so a stale one re-renders the card and changes nothing."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.persons import PersonAction, PersonCb
from bot.i18n import Tr
from bot.render.deal_edit import duplicate_lines
from bot.render.deal_persons import (
    link_prompt,
    links_view,
    person_prompt,
    person_view,
    persons_view,
    remove_confirm,
)
from handlers.cards import stale_or_fresh
from handlers.deal_edit import FreeText, leave_editor, show_in_place
from models.crm import Crm
from models.deals import Deal
from models.errors import AccessDenied, NotFound
from models.users import User

A = PersonAction
# What a typed answer sets, by the prompt's action.
TYPED = (A.add, A.rename, A.position, A.add_contact)


class PersonStates(StatesGroup):
    value = State()  # a name, position or contact of a person (data: action, person)
    link = State()  # a labelled link


async def _leave(state: FSMContext) -> None:
    await leave_editor(state)
    if await state.get_state() in (PersonStates.value.state, PersonStates.link.state):
        await state.clear()


async def pressed(
    query: CallbackQuery,
    callback_data: PersonCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    cb = callback_data
    deal = await crm.editing.load(user, cb.deal_id)
    changes = cb.action in (A.remove_contact, A.remove_yes, A.remove_link, A.clear_position)
    if changes and not await stale_or_fresh(query, bot, crm, user, tr, deal, cb.v):
        await _leave(state)
        return
    await _leave(state)
    persons = crm.persons
    text: str
    markup: InlineKeyboardMarkup
    if cb.action is A.list:
        text, markup = persons_view(deal, tr)
    elif cb.action is A.links:
        text, markup = links_view(deal, tr)
    elif cb.action is A.add_link:
        text, markup = link_prompt(deal, tr)
    elif cb.action is A.remove_link:
        removed = await persons.remove_link(user, deal, cb.item)
        notice = tr("persons.link_removed", label=removed.label or "")
        text, markup = links_view(deal, tr, notice)
    elif cb.action is A.add:
        text, markup = person_prompt(deal, None, cb.action, tr)
    else:
        person = persons.person(deal, cb.person)
        if cb.action in TYPED:
            text, markup = person_prompt(deal, person, cb.action, tr)
        elif cb.action is A.remove:
            text, markup = remove_confirm(deal, person, tr)
        elif cb.action is A.remove_yes:
            await persons.remove_person(user, deal, person.id)
            text, markup = persons_view(deal, tr, tr("persons.removed", name=person.name))
        elif cb.action is A.remove_contact:
            gone = await persons.remove_contact(user, deal, person.id, cb.item)
            notice = tr("persons.contact_removed", value=gone.value)
            text, markup = person_view(deal, person, tr, notice)
        elif cb.action is A.clear_position:
            changed = await persons.set_position(user, deal, person.id, None)
            notice = tr("persons.position_cleared" if changed else "persons.unchanged")
            text, markup = person_view(deal, person, tr, notice)
        else:
            text, markup = person_view(deal, person, tr)
    await query.answer()
    message_id = await show_in_place(query, bot, text, markup)
    if cb.action in TYPED:
        await state.set_state(PersonStates.value)
        data = {"deal_id": deal.id, "person": cb.person, "action": int(cb.action)}
        await state.set_data({**data, "message_id": message_id})
    elif cb.action is A.add_link:
        await state.set_state(PersonStates.link)
        await state.set_data({"deal_id": deal.id, "message_id": message_id})


async def _pending(
    message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr
) -> tuple[Deal, dict[str, int]] | None:
    data = await state.get_data()
    try:
        deal = await crm.editing.load(user, int(data["deal_id"]))
    except (AccessDenied, NotFound) as exc:
        # The prompt is over; answered here, not raised: the state is in this transaction.
        await state.clear()
        await message.answer(tr(exc.key, **exc.params))
        return None
    if message.text is None:
        await message.answer(tr("persons.need_text"))
        return None
    return deal, data


async def _show(
    message: Message, bot: Bot, message_id: int | None, view: tuple[str, InlineKeyboardMarkup]
) -> None:
    """Turn the prompt back into the view (or send it anew when it can't be edited)."""
    text, markup = view
    if message_id:
        try:
            await bot.edit_message_text(
                text=text, chat_id=message.chat.id, message_id=message_id, reply_markup=markup
            )
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
    await message.answer(text, reply_markup=markup)


async def value_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    pending = await _pending(message, state, crm, user, tr)
    if pending is None:
        return
    deal, data = pending
    action = A(data["action"])
    persons = crm.persons
    # Refused input raises InvalidInput: the error handler says why, the prompt stays.
    if action is A.add:
        person = await persons.add_person(user, deal, message.text)
        notice = tr("persons.added", name=person.name)
    else:
        person = persons.person(deal, int(data["person"]))
        if action is A.rename:
            changed = await persons.rename(user, deal, person.id, message.text)
            notice = tr("persons.renamed" if changed else "persons.unchanged")
        elif action is A.position:
            changed = await persons.set_position(user, deal, person.id, message.text)
            notice = tr("persons.position_saved" if changed else "persons.unchanged")
        else:
            added = await persons.add_contact(user, deal, person.id, message.text)
            value = added.contact.value
            notice = "\n".join(
                [
                    tr("persons.contact_added", value=value),
                    *duplicate_lines(added.duplicates, value, tr),
                ]
            )
    await state.clear()
    await _show(message, bot, data.get("message_id"), person_view(deal, person, tr, notice))


async def link_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    pending = await _pending(message, state, crm, user, tr)
    if pending is None:
        return
    deal, data = pending
    link = await crm.persons.add_link(user, deal, message.text, tr.locale)
    await state.clear()
    notice = tr("persons.link_added", label=link.label or "")
    await _show(message, bot, data.get("message_id"), links_view(deal, tr, notice))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(pressed, PersonCb.filter())
    router.message.register(value_typed, StateFilter(PersonStates.value), FreeText())
    router.message.register(link_typed, StateFilter(PersonStates.link), FreeText())
    return router
