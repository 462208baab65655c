"""/profile screens: the overview and the title prefix picker (pure)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks.people import ProfileAction, ProfileCb
from bot.i18n import Tr
from models.titles import TitlePrefix, default_title
from models.users import User

# The picker's order; a button carries the index.
PREFIX_ORDER = (TitlePrefix.email, TitlePrefix.name, TitlePrefix.none)


def _cb(action: ProfileAction, item: int = 0) -> ProfileCb:
    return ProfileCb(action=action, item=item)


def render_profile(
    user: User, tr: Tr, *, notice: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    lines = [notice, ""] if notice else []
    lines += [tr("profile.title"), "", tr("profile.name", name=user.full_name)]
    if user.email:
        lines.append(tr("profile.email", email=user.email))
    else:
        lines.append(tr("profile.no_email"))
    lines += [
        tr("profile.prefix", prefix=tr(f"profile.prefix_{user.title_prefix}")),
        tr("profile.example", example=default_title(user, tr("profile.example_client"))),
    ]
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("profile.btn_name"), callback_data=_cb(ProfileAction.edit_name))
    builder.button(text=tr("profile.btn_email"), callback_data=_cb(ProfileAction.edit_email))
    if user.email:
        builder.button(
            text=tr("profile.btn_clear_email"), callback_data=_cb(ProfileAction.clear_email)
        )
    builder.button(text=tr("profile.btn_prefix"), callback_data=_cb(ProfileAction.prefixes))
    builder.adjust(2)
    return "\n".join(lines), builder.as_markup()


def render_prefix_picker(user: User, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for index, choice in enumerate(PREFIX_ORDER):
        mark = "✓ " if user.title_prefix == choice else ""
        builder.button(
            text=mark + tr(f"profile.prefix_{choice}"),
            callback_data=_cb(ProfileAction.set_prefix, index),
        )
    builder.button(text=tr("common.back"), callback_data=_cb(ProfileAction.show))
    builder.adjust(3, 1)
    return tr("profile.ask_prefix"), builder.as_markup()


def render_prompt(tr: Tr, key: str, **params: object) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    builder.button(text=tr("common.back"), callback_data=_cb(ProfileAction.show))
    return tr(key, **params), builder.as_markup()
