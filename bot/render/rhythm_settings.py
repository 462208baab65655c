"""Screens of the rhythm settings: the admin's stale limits per stage and the personal early
reminder. Pure: data in, text + keyboard out."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks.rhythm import EarlyCb, StaleAction, StaleCb
from bot.callbacks.stats import SettingsAction, SettingsCb
from bot.i18n import Tr
from bot.render.format import clip
from models.catalog import Stage
from models.roles import Role
from models.users import User

# Offered lead times of an early reminder, in minutes (EARLY_OFF: off).
EARLY_CHOICES = (5, 15, 30, 60)
EARLY_OFF = 9999
STAGE_CLIP = 40


def _button(text: str, data: StaleCb | EarlyCb | SettingsCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def limit_text(days: int | None, tr: Tr) -> str:
    return tr("stale.current_days", days=days) if days else tr("stale.current_off")


def render_stale_limits(
    stages: Sequence[Stage], tr: Tr, *, notice: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    rows = []
    for stage in stages:
        name = clip(stage.label(tr.locale), STAGE_CLIP)
        if stage.stale_days:
            label = tr("stale.row_days", stage=name, days=stage.stale_days)
        else:
            label = tr("stale.row_off", stage=name)
        rows.append([_button(label, StaleCb(action=StaleAction.stage, stage_id=stage.id))])
    rows.append([_button(tr("common.back"), SettingsCb(action=SettingsAction.show))])
    text = "\n\n".join([notice, tr("stale.title")] if notice else [tr("stale.title")])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def render_stale_prompt(stage: Stage, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    text = tr("stale.ask", stage=stage.label(tr.locale), current=limit_text(stage.stale_days, tr))
    rows = [
        [_button(tr("stale.btn_off"), StaleCb(action=StaleAction.off, stage_id=stage.id))],
        [_button(tr("common.back"), StaleCb(action=StaleAction.show))],
    ]
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def early_text(minutes: int | None, tr: Tr) -> str:
    return tr("early.minutes", minutes=minutes) if minutes else tr("early.off")


def render_early_picker(current: int | None, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    def mark(selected: bool, label: str) -> str:
        return f"• {label}" if selected else label

    chips = [
        _button(mark(current == m, tr("early.btn_minutes", minutes=m)), EarlyCb(minutes=m))
        for m in EARLY_CHOICES
    ]
    rows = [
        chips[:2],
        chips[2:],
        [_button(mark(current is None, tr("early.btn_off")), EarlyCb(minutes=EARLY_OFF))],
        [_button(tr("common.back"), SettingsCb(action=SettingsAction.show))],
    ]
    return tr("early.title", current=early_text(current, tr)), InlineKeyboardMarkup(
        inline_keyboard=rows
    )


def rhythm_buttons(builder: InlineKeyboardBuilder, user: User, tr: Tr) -> None:
    """The /settings overview's buttons of this feature: early reminder; stale limits for
    admins."""
    builder.button(text=tr("early.btn_settings"), callback_data=EarlyCb(minutes=0))
    if user.role is Role.admin:
        builder.button(
            text=tr("stale.btn_settings"), callback_data=StaleCb(action=StaleAction.show)
        )
