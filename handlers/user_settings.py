"""/settings: each user's digest time, time zone, work days, a lead's summary time; language
is one tap away (/lang). Every change is saved at once and confirmed on the overview."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks.stats import SettingsAction, SettingsCb
from bot.i18n import Tr, Translator
from bot.keyboards.dates import parse_time
from bot.keyboards.menu import language_keyboard
from bot.render.user_settings import (
    fmt_days,
    fmt_time,
    render_settings,
    render_time_picker,
    render_timezone_picker,
    render_work_days_picker,
)
from handlers.stats import edit_or_send
from models.clock import Clock
from models.crm import Crm
from models.errors import AccessDenied, InvalidInput
from models.services.preferences import COMMON_TIMEZONES, Preferences, receives_summary
from models.users import User


class SettingsForm(StatesGroup):
    digest_time = State()
    summary_time = State()
    timezone = State()


def _time_of(value: int) -> dt.time:
    hours, minutes = divmod(value, 100)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise InvalidInput("settings.bad_time", text=f"{hours:02d}:{minutes:02d}")
    return dt.time(hours, minutes)


async def settings_command(
    message: Message, state: FSMContext, user: User, tr: Tr, clock: Clock
) -> None:
    await state.clear()
    text, markup = render_settings(user, tr, clock())
    await message.answer(text, reply_markup=markup)


async def _apply(prefs: Preferences, user: User, action: SettingsAction, value: int, tr: Tr) -> str:
    """Save one change; the confirmation to show."""
    if action is SettingsAction.set_digest:
        at = _time_of(value)
        await prefs.set_digest_time(user, at)
        return tr("settings.saved_digest", time=fmt_time(at))
    if action is SettingsAction.set_summary:
        at = _time_of(value)
        await prefs.set_summary_time(user, at)
        return tr("settings.saved_summary", time=fmt_time(at))
    if not 0 <= value < len(COMMON_TIMEZONES):
        raise InvalidInput("settings.bad_timezone", zone=str(value))
    zone = await prefs.set_timezone(user, COMMON_TIMEZONES[value])
    return tr("settings.saved_timezone", zone=zone)


async def settings_pressed(
    query: CallbackQuery,
    callback_data: SettingsCb,
    bot: Bot,
    state: FSMContext,
    crm: Crm,
    user: User,
    tr: Tr,
    clock: Clock,
) -> None:
    action = callback_data.action
    now = clock()
    if action in (
        SettingsAction.set_digest,
        SettingsAction.set_summary,
        SettingsAction.set_timezone,
    ):
        notice = await _apply(Preferences(crm), user, action, callback_data.value, tr)
        await query.answer(notice)
        await state.clear()
        text, markup = render_settings(user, tr, now, notice=notice)
    elif action is SettingsAction.toggle_day:
        # Refuses to switch off the last work day: the alert says why, nothing changes.
        await Preferences(crm).toggle_work_day(user, callback_data.value)
        await query.answer(tr("settings.saved_work_days", days=fmt_days(user.work_days, tr)))
        text, markup = render_work_days_picker(user, tr)
    elif action is SettingsAction.summary and not receives_summary(user):
        raise AccessDenied("settings.summary_leads_only")
    elif action is SettingsAction.language:
        await query.answer()
        chat_id = query.message.chat.id if query.message else user.telegram_id
        await bot.send_message(chat_id, tr("lang.choose"), reply_markup=language_keyboard(tr))
        return
    else:
        await query.answer()
        await state.clear()
        if action is SettingsAction.digest:
            await state.set_state(SettingsForm.digest_time)
            text, markup = render_time_picker(tr, summary=False, current=user.digest_time)
        elif action is SettingsAction.summary:
            await state.set_state(SettingsForm.summary_time)
            text, markup = render_time_picker(tr, summary=True, current=user.summary_time)
        elif action is SettingsAction.timezone:
            await state.set_state(SettingsForm.timezone)
            text, markup = render_timezone_picker(user, tr, now)
        elif action is SettingsAction.work_days:
            text, markup = render_work_days_picker(user, tr)
        else:
            text, markup = render_settings(user, tr, now)
    await edit_or_send(query, bot, text, markup)


def _zone_by_city(text: str, translator: Translator) -> str | None:
    """A city of an offered zone typed by name ("Новосибирск", "new york"), or None."""
    wanted = text.strip().casefold()
    for zone in COMMON_TIMEZONES:
        if wanted in {v.casefold() for v in translator.variants(f"settings.tz.{zone}")}:
            return zone
    return None


async def value_typed(
    message: Message,
    state: FSMContext,
    crm: Crm,
    user: User,
    tr: Tr,
    translator: Translator,
    clock: Clock,
) -> None:
    text = (message.text or "").strip()
    if text.startswith("/"):
        raise SkipHandler  # another command: let its handler run
    current = await state.get_state()
    prefs = Preferences(crm)
    # Bad input raises: the error handler explains and the state stays for another try.
    if current == SettingsForm.timezone.state:
        zone = await prefs.set_timezone(user, _zone_by_city(text, translator) or text)
        notice = tr("settings.saved_timezone", zone=zone)
    else:
        at = parse_time(text) if len(text) <= 10 else None
        if at is None:
            raise InvalidInput("settings.bad_time", text=text[:20])
        if current == SettingsForm.summary_time.state:
            await prefs.set_summary_time(user, at)
            notice = tr("settings.saved_summary", time=fmt_time(at))
        else:
            await prefs.set_digest_time(user, at)
            notice = tr("settings.saved_digest", time=fmt_time(at))
    await state.clear()
    reply, markup = render_settings(user, tr, clock(), notice=notice)
    await message.answer(reply, reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(settings_command, Command("settings"))
    router.callback_query.register(settings_pressed, SettingsCb.filter())
    router.message.register(
        value_typed,
        StateFilter(SettingsForm.digest_time, SettingsForm.summary_time, SettingsForm.timezone),
    )
    return router
