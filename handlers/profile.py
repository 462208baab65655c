"""/profile (also a button in /settings): the name colleagues see, the e-mail (validated
like a deal's e-mail contact) and what new deal titles start with (the handbook: the
manager's e-mail by default; else the name, or nothing)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks.people import ProfileAction, ProfileCb
from bot.i18n import Tr
from bot.render.profile import PREFIX_ORDER, render_prefix_picker, render_profile, render_prompt
from handlers.stats import edit_or_send
from models.crm import Crm
from models.errors import InvalidInput
from models.services.profiles import MAX_NAME
from models.users import User


class ProfileForm(StatesGroup):
    name = State()
    email = State()


async def profile_command(message: Message, state: FSMContext, user: User, tr: Tr) -> None:
    await state.clear()
    text, markup = render_profile(user, tr)
    await message.answer(text, reply_markup=markup)


async def profile_pressed(
    query: CallbackQuery,
    callback_data: ProfileCb,
    bot: Bot,
    state: FSMContext,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    action = callback_data.action
    profiles = crm.profiles
    notice: str | None = None
    if action is ProfileAction.edit_name:
        await state.set_state(ProfileForm.name)
        screen = render_prompt(tr, "profile.ask_name", limit=MAX_NAME)
    elif action is ProfileAction.edit_email:
        await state.set_state(ProfileForm.email)
        screen = render_prompt(tr, "profile.ask_email")
    elif action is ProfileAction.prefixes:
        await state.clear()
        screen = render_prefix_picker(user, tr)
    else:
        await state.clear()
        if action is ProfileAction.clear_email:
            changed = await profiles.clear_email(user)
            notice = tr("profile.cleared_email" if changed else "profile.unchanged")
        elif action is ProfileAction.set_prefix:
            if not 0 <= callback_data.item < len(PREFIX_ORDER):
                raise InvalidInput("error.invalid_input")
            changed = await profiles.set_title_prefix(user, PREFIX_ORDER[callback_data.item])
            notice = tr("profile.saved_prefix" if changed else "profile.unchanged")
        screen = render_profile(user, tr, notice=notice)
    await query.answer(notice)
    await edit_or_send(query, bot, *screen)


async def value_typed(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    text = message.text
    if text is not None and text.startswith("/"):
        raise SkipHandler  # another command: let its handler run
    if text is None:
        await message.answer(tr("profile.no_text"))
        return
    # Bad input raises: the error handler explains and the prompt stays for another try.
    if await state.get_state() == ProfileForm.name.state:
        changed = await crm.profiles.set_name(user, text)
        notice = tr("profile.saved_name" if changed else "profile.unchanged")
    else:
        changed = await crm.profiles.set_email(user, text)
        notice = tr("profile.saved_email" if changed else "profile.unchanged")
    await state.clear()
    reply, markup = render_profile(user, tr, notice=notice)
    await message.answer(reply, reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(profile_command, Command("profile"))
    router.callback_query.register(profile_pressed, ProfileCb.filter())
    router.message.register(value_typed, StateFilter(ProfileForm.name, ProfileForm.email))
    return router
