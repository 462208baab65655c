"""Editing a deal from its card: a menu of fields, each with a text prompt or a picker, and
the contact list. The card message turns into the editor and back into the card after a
change. Every button re-checks rights; buttons that change the deal carry its version."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks import DealAction, DealCb
from bot.callbacks.editing import EditAction, EditCb, EditField
from bot.filters import TextKey
from bot.i18n import Tr
from bot.keyboards.menu import MENU_KEYS
from bot.render.deal_edit import (
    FIELD_LABELS,
    TEXT_FIELDS,
    contact_prompt,
    contacts_view,
    duplicate_lines,
    edit_menu,
    pipeline_picker,
    source_picker,
    value_prompt,
)
from handlers.cards import edit_card, edit_card_by_id, show_in_place, stale_or_fresh
from models.crm import Crm
from models.deals import Deal
from models.errors import AccessDenied, NotFound
from models.services import deal_editing as fields
from models.users import User

# The DealEvent field name of each typed field.
FIELD_NAMES = {
    EditField.title: fields.TITLE,
    EditField.client: fields.CLIENT,
    EditField.company: fields.COMPANY,
    EditField.amount: fields.AMOUNT,
}


class EditStates(StatesGroup):
    value = State()  # waiting for the new value of a text field
    contact = State()  # waiting for a contact to add


class FreeText(Filter):
    """Anything but a command or a main-menu button: those keep working mid-edit."""

    def __init__(self) -> None:
        self.menu = [TextKey(key) for key in MENU_KEYS]

    async def __call__(self, message: Message) -> bool:
        if message.text is not None and message.text.startswith("/"):
            return False
        for button in self.menu:
            if await button(message):
                return False
        return True


def chat_of(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message else query.from_user.id


async def leave_editor(state: FSMContext) -> None:
    """Forget a pending prompt of this feature (and only of this feature)."""
    if await state.get_state() in (EditStates.value.state, EditStates.contact.state):
        await state.clear()


async def _fresh(
    query: CallbackQuery, cb: EditCb, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> Deal | None:
    """The deal, when the button that changes it is current; else the card is re-rendered."""
    deal = await crm.editing.load(user, cb.deal_id)
    if not await stale_or_fresh(query, bot, crm, user, tr, deal, cb.v):
        await leave_editor(state)
        return None
    return deal


# -- navigation ----------------------------------------------------------------------------------
async def open_menu(
    query: CallbackQuery,
    callback_data: DealCb | EditCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    deal = await crm.editing.load(user, callback_data.deal_id)
    await query.answer()
    await leave_editor(state)
    await show_in_place(query, bot, *edit_menu(deal, tr))


async def close_editor(
    query: CallbackQuery,
    callback_data: EditCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    deal = await crm.editing.load(user, callback_data.deal_id)
    await query.answer()
    await leave_editor(state)
    await edit_card(query.message, bot, chat_of(query), crm, user, tr, deal.id)


async def open_field(
    query: CallbackQuery,
    callback_data: EditCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    """The editor of one field: a text prompt, a picker or the contact list."""
    deal = await crm.editing.load(user, callback_data.deal_id)
    await query.answer()
    await leave_editor(state)
    field = callback_data.field
    page = callback_data.page
    if field in TEXT_FIELDS:
        message_id = await show_in_place(query, bot, *value_prompt(deal, field, tr))
        await state.set_state(EditStates.value)
        await state.set_data({"deal_id": deal.id, "field": int(field), "message_id": message_id})
    elif field is EditField.pipeline:
        pipelines = await crm.catalogs.pipelines_for(user, crm.clock())  # most used first
        await show_in_place(query, bot, *pipeline_picker(deal, pipelines, tr, page))
    elif field is EditField.source:
        sources = await crm.catalogs.sources_for(user, crm.clock())
        await show_in_place(query, bot, *source_picker(deal, sources, tr, page))
    elif field is EditField.contacts:
        await show_in_place(query, bot, *contacts_view(deal, tr))
    else:
        await show_in_place(query, bot, *edit_menu(deal, tr))


# -- typed values --------------------------------------------------------------------------------
async def _pending_deal(
    message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr, raw: str | None
) -> tuple[Deal, dict[str, int]] | None:
    """The deal a prompt waits for, or None (and a hint) when ``raw`` is no text at all."""
    data = await state.get_data()
    try:
        deal = await crm.editing.load(user, int(data["deal_id"]))
    except (AccessDenied, NotFound) as exc:
        # The deal is gone or no longer ours: the prompt is over. Answered here, not raised:
        # the state lives in the update's transaction, which an error would roll back.
        await state.clear()
        await message.answer(tr(exc.key, **exc.params))
        return None
    if raw is None:  # a sticker, a photo...
        await message.answer(tr("edit.need_text"))
        return None
    return deal, data


async def value_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    pending = await _pending_deal(message, state, crm, user, tr, message.text)
    if pending is None:
        return
    deal, data = pending
    field = EditField(data["field"])
    # Refused input (empty, too long, not an amount) raises: the prompt stays for a retry.
    changed = await crm.editing.set_value(user, deal, FIELD_NAMES[field], message.text)
    await state.clear()
    label = tr(FIELD_LABELS[field])
    notice = tr("edit.saved", field=label) if changed else tr("edit.unchanged")
    await edit_card_by_id(
        bot, message.chat.id, data.get("message_id"), crm, user, tr, deal.id, notice=notice
    )


async def contact_typed(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    raw = message.contact.phone_number if message.contact else message.text
    pending = await _pending_deal(message, state, crm, user, tr, raw)
    if pending is None:
        return
    deal, data = pending
    added = await crm.editing.add_contact(user, deal, raw)
    await state.clear()
    value = added.contact.value
    notice = "\n".join(
        [tr("edit.contact_added", value=value), *duplicate_lines(added.duplicates, value, tr)]
    )
    text, markup = contacts_view(deal, tr, notice=notice)
    try:
        await bot.edit_message_text(
            text=text, chat_id=message.chat.id, message_id=data["message_id"], reply_markup=markup
        )
    except TelegramBadRequest as exc:  # the prompt message is gone or too old: show it anew
        if "not modified" not in exc.message:
            await message.answer(text, reply_markup=markup)


# -- button changes ------------------------------------------------------------------------------
async def pick_pipeline(
    query: CallbackQuery,
    callback_data: EditCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    deal = await _fresh(query, callback_data, bot, crm, user, tr, state)
    if deal is None:
        return
    old_stage = deal.stage
    changed = await crm.editing.set_pipeline(user, deal, callback_data.item)
    await query.answer()
    notice = tr("edit.saved", field=tr("edit.field.pipeline")) if changed else tr("edit.unchanged")
    if deal.stage_id != old_stage.id:
        moved = tr(
            "edit.stage_moved", old=old_stage.label(tr.locale), new=deal.stage.label(tr.locale)
        )
        notice = f"{notice}\n{moved}"
    await edit_card(query.message, bot, chat_of(query), crm, user, tr, deal.id, notice=notice)


async def pick_source(
    query: CallbackQuery,
    callback_data: EditCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    deal = await _fresh(query, callback_data, bot, crm, user, tr, state)
    if deal is None:
        return
    changed = await crm.editing.set_source(user, deal, callback_data.item or None)
    await query.answer()
    key = "edit.unchanged"
    if changed:
        key = "edit.saved" if deal.source_id is not None else "edit.cleared"
    notice = tr(key, field=tr("edit.field.source"))
    await edit_card(query.message, bot, chat_of(query), crm, user, tr, deal.id, notice=notice)


async def clear_field(
    query: CallbackQuery,
    callback_data: EditCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    deal = await _fresh(query, callback_data, bot, crm, user, tr, state)
    if deal is None:
        return
    field = callback_data.field
    if field not in FIELD_NAMES:
        await query.answer(tr("edit.cannot_clear"), show_alert=True)
        return
    changed = await crm.editing.clear_value(user, deal, FIELD_NAMES[field])
    await query.answer()
    await leave_editor(state)
    label = tr(FIELD_LABELS[field])
    notice = tr("edit.cleared", field=label) if changed else tr("edit.unchanged")
    await edit_card(query.message, bot, chat_of(query), crm, user, tr, deal.id, notice=notice)


async def ask_contact(
    query: CallbackQuery,
    callback_data: EditCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    deal = await crm.editing.load(user, callback_data.deal_id)
    await query.answer()
    message_id = await show_in_place(query, bot, *contact_prompt(deal, tr))
    await state.set_state(EditStates.contact)
    await state.set_data({"deal_id": deal.id, "message_id": message_id})


async def remove_contact(
    query: CallbackQuery,
    callback_data: EditCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    deal = await _fresh(query, callback_data, bot, crm, user, tr, state)
    if deal is None:
        return
    removed = await crm.editing.remove_contact(user, deal, callback_data.item)
    await query.answer()
    notice = tr("edit.contact_removed", value=removed.value)
    await show_in_place(query, bot, *contacts_view(deal, tr, notice=notice))


def build_router() -> Router:
    router = Router(name=__name__)
    cb = router.callback_query
    cb.register(open_menu, DealCb.filter(F.action == DealAction.edit))
    cb.register(open_menu, EditCb.filter(F.action == EditAction.menu))
    cb.register(close_editor, EditCb.filter(F.action == EditAction.close))
    cb.register(open_field, EditCb.filter(F.action.in_({EditAction.ask, EditAction.page})))
    cb.register(pick_pipeline, EditCb.filter(F.action == EditAction.pipeline))
    cb.register(pick_source, EditCb.filter(F.action == EditAction.source))
    cb.register(clear_field, EditCb.filter(F.action == EditAction.clear))
    cb.register(ask_contact, EditCb.filter(F.action == EditAction.add_contact))
    cb.register(remove_contact, EditCb.filter(F.action == EditAction.remove_contact))
    router.message.register(value_typed, StateFilter(EditStates.value), FreeText())
    router.message.register(contact_typed, StateFilter(EditStates.contact), FreeText())
    return router
