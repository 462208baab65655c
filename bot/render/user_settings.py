"""/settings screens: the overview and the pickers (pure: user + time in, text + keyboard out)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks.catalogs import CatAction, CatCb
from bot.callbacks.people import PeopleAction, PeopleCb, ProfileAction, ProfileCb
from bot.callbacks.stats import SettingsAction, SettingsCb
from bot.i18n import Tr
from bot.keyboards.dates import WEEKDAY_NAMES, time_to_int
from bot.render.rhythm_settings import early_text, rhythm_buttons
from models.roles import Role
from models.services.people import can_list_people
from models.services.preferences import COMMON_TIMEZONES, receives_summary
from models.users import User

DIGEST_CHIPS = (dt.time(8), dt.time(9), dt.time(10))
SUMMARY_CHIPS = (dt.time(18), dt.time(19), dt.time(20))


def _lang(tr: Tr) -> str:
    return "ru" if tr.locale == "ru" else "en"


def fmt_time(at: dt.time) -> str:
    return at.strftime("%H:%M")


def fmt_days(work_days: str, tr: Tr) -> str:
    names = WEEKDAY_NAMES[_lang(tr)]
    return ", ".join(names[int(d) - 1] for d in sorted(work_days))


def fmt_offset(zone: str, now: dt.datetime) -> str:
    offset = now.astimezone(ZoneInfo(zone)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _cb(action: SettingsAction, value: int = 0) -> SettingsCb:
    return SettingsCb(action=action, value=value)


def render_settings(
    user: User, tr: Tr, now: dt.datetime, *, notice: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    local = now.astimezone(ZoneInfo(user.timezone))
    lines = [notice, ""] if notice else []
    lines += [tr("settings.title"), "", tr("settings.digest", time=fmt_time(user.digest_time))]
    if receives_summary(user):
        lines.append(tr("settings.summary", time=fmt_time(user.summary_time)))
    lines += [
        tr("settings.timezone", zone=user.timezone, now=local.strftime("%H:%M")),
        tr("settings.work_days", days=fmt_days(user.work_days, tr)),
        tr("early.settings_line", current=early_text(user.remind_before, tr)),
        tr("settings.language"),
    ]
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("settings.btn_digest"), callback_data=_cb(SettingsAction.digest))
    if receives_summary(user):
        builder.button(text=tr("settings.btn_summary"), callback_data=_cb(SettingsAction.summary))
    builder.button(text=tr("settings.btn_timezone"), callback_data=_cb(SettingsAction.timezone))
    builder.button(text=tr("settings.btn_work_days"), callback_data=_cb(SettingsAction.work_days))
    builder.button(text=tr("settings.btn_language"), callback_data=_cb(SettingsAction.language))
    builder.button(
        text=tr("profile.btn_settings"), callback_data=ProfileCb(action=ProfileAction.show)
    )
    if can_list_people(user):
        builder.button(
            text=tr("people.btn_settings"), callback_data=PeopleCb(action=PeopleAction.page)
        )
    rhythm_buttons(builder, user, tr)
    builder.adjust(2)
    if user.role is Role.admin:  # the catalog editor (handlers/catalog_admin.py)
        builder.row(
            InlineKeyboardButton(
                text=tr("catalogs.btn_settings"), callback_data=CatCb(action=CatAction.home).pack()
            )
        )
    return "\n".join(lines), builder.as_markup()


def _back(builder: InlineKeyboardBuilder, tr: Tr) -> None:
    builder.button(text=tr("common.back"), callback_data=_cb(SettingsAction.show))


def render_time_picker(
    tr: Tr, *, summary: bool, current: dt.time
) -> tuple[str, InlineKeyboardMarkup]:
    chips = SUMMARY_CHIPS if summary else DIGEST_CHIPS
    action = SettingsAction.set_summary if summary else SettingsAction.set_digest
    builder = InlineKeyboardBuilder()
    for at in chips:
        mark = "• " if at == current else ""
        builder.button(text=f"{mark}{fmt_time(at)}", callback_data=_cb(action, time_to_int(at)))
    _back(builder, tr)
    text = tr("settings.ask_summary" if summary else "settings.ask_digest")
    builder.adjust(len(chips), 1)
    return text, builder.as_markup()


def render_timezone_picker(
    user: User, tr: Tr, now: dt.datetime
) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for index, zone in enumerate(COMMON_TIMEZONES):
        mark = "• " if zone == user.timezone else ""
        label = f"{mark}{tr(f'settings.tz.{zone}')} ({fmt_offset(zone, now)})"
        builder.button(text=label, callback_data=_cb(SettingsAction.set_timezone, index))
    _back(builder, tr)
    rows = [2] * (len(COMMON_TIMEZONES) // 2) + [1] * (len(COMMON_TIMEZONES) % 2) + [1]
    builder.adjust(*rows)
    return tr("settings.ask_timezone"), builder.as_markup()


def render_work_days_picker(user: User, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for weekday, name in enumerate(WEEKDAY_NAMES[_lang(tr)], start=1):
        mark = "✅" if str(weekday) in user.work_days else "▫️"
        builder.button(text=f"{mark} {name}", callback_data=_cb(SettingsAction.toggle_day, weekday))
    builder.button(text=tr("settings.btn_done"), callback_data=_cb(SettingsAction.show))
    text = "\n\n".join(
        [tr("settings.ask_work_days"), tr("settings.work_days", days=fmt_days(user.work_days, tr))]
    )
    builder.adjust(4, 3, 1)
    return text, builder.as_markup()
