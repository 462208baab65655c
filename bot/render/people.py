"""/people screens: the list, a person's card, the role / team / new-owner pickers and the
confirmations. Pure: data in, text + keyboard out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks.people import PeopleAction, PeopleCb
from bot.i18n import Tr
from bot.render.format import clip
from models.roles import Role
from models.services.people import PeoplePage, Person
from models.users import Team, User

PAGE_SIZE = 8
NAME_CLIP = 40
BUTTON_CLIP = 32
# The role picker's order; a button carries the index + 1.
ROLE_ORDER = (Role.manager, Role.lead, Role.operator, Role.admin)
MAX_PICKER = 20  # team and new-owner pickers: a page of them, then ‹ ›


T = TypeVar("T")


def _cb(action: PeopleAction, user_id: int = 0, item: int = 0, page: int = 0) -> PeopleCb:
    return PeopleCb(action=action, user_id=user_id, item=item, page=page)


def fmt_seen(at: dt.datetime | None, viewer: User, tr: Tr) -> str:
    if at is None:
        return tr("people.never")
    return at.astimezone(ZoneInfo(viewer.timezone)).strftime("%d.%m.%Y %H:%M")


def _team(user: User, tr: Tr) -> str:
    return user.team.name if user.team is not None else tr("people.no_team")


def render_people(page: PeoplePage, viewer: User, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    lines = [tr("people.title"), tr("people.count", n=page.total)]
    if page.pages > 1:
        lines.append(tr("people.page", page=page.page + 1, pages=page.pages))
    lines.append("")
    builder = InlineKeyboardBuilder()
    if not page.people:
        lines.append(tr("people.empty"))
    for n, person in enumerate(page.people, start=page.page * PAGE_SIZE + 1):
        user = person.user
        flags = "" if user.is_active else tr("people.flag_off")
        if not user.is_reachable:
            flags += tr("people.flag_blocked")
        lines.append(
            tr(
                "people.row",
                n=str(n),
                name=clip(user.full_name, NAME_CLIP),
                role=tr(f"role.{user.role}"),
                team=clip(_team(user, tr), NAME_CLIP),
                seen=fmt_seen(user.last_seen_at, viewer, tr),
                flags=flags,
            )
        )
        mark = "" if user.is_active else "🚫 "
        builder.button(
            text=f"{n}. {mark}{clip(user.full_name, BUTTON_CLIP)}",
            callback_data=_cb(PeopleAction.open, user.id, page=page.page),
        )
    builder.adjust(2)
    if page.pages > 1:
        builder.row(
            *(
                InlineKeyboardButton(
                    text=label, callback_data=_cb(PeopleAction.page, page=p % page.pages).pack()
                )
                for label, p in (("‹", page.page - 1), ("›", page.page + 1))
            )
        )
    return "\n".join(lines), builder.as_markup()


def render_person(
    person: Person,
    viewer: User,
    tr: Tr,
    *,
    manage: bool,
    notice: str | None = None,
    page: int = 0,
) -> tuple[str, InlineKeyboardMarkup]:
    user = person.user
    lines = [notice, ""] if notice else []
    lines.append(tr("people.card_title", name=user.full_name))
    if user.username:
        lines.append(tr("people.card_username", username=user.username))
    lines += [
        tr("people.card_role", role=tr(f"role.{user.role}")),
        tr("people.card_team", team=_team(user, tr)),
    ]
    if user.email:
        lines.append(tr("people.card_email", email=user.email))
    lines += [
        tr("people.card_seen", seen=fmt_seen(user.last_seen_at, viewer, tr)),
        tr("people.card_active" if user.is_active else "people.card_inactive"),
        tr("people.card_reachable" if user.is_reachable else "people.card_unreachable"),
        tr("people.card_deals", n=person.open_deals),
    ]
    builder = InlineKeyboardBuilder()
    if manage:
        if user.is_active:
            builder.button(
                text=tr("people.btn_deactivate"),
                callback_data=_cb(PeopleAction.deactivate, user.id, page=page),
            )
        else:
            builder.button(
                text=tr("people.btn_reactivate"),
                callback_data=_cb(PeopleAction.reactivate, user.id, page=page),
            )
        if person.open_deals:
            builder.button(
                text=tr("people.btn_handover", n=person.open_deals),
                callback_data=_cb(PeopleAction.handover, user.id, page=page),
            )
    if viewer.role is Role.admin:
        builder.button(
            text=tr("people.btn_role"), callback_data=_cb(PeopleAction.roles, user.id, page=page)
        )
        builder.button(
            text=tr("people.btn_team"), callback_data=_cb(PeopleAction.teams, user.id, page=page)
        )
    builder.button(text=tr("people.btn_list"), callback_data=_cb(PeopleAction.page, page=page))
    builder.adjust(2)
    return "\n".join(lines), builder.as_markup()


def _back(builder: InlineKeyboardBuilder, user_id: int, page: int, tr: Tr) -> None:
    builder.button(
        text=tr("people.btn_back"), callback_data=_cb(PeopleAction.open, user_id, page=page)
    )


def render_deactivate_confirm(user: User, tr: Tr, page: int) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("people.btn_yes_deactivate"),
        callback_data=_cb(PeopleAction.deactivate_yes, user.id, page=page),
    )
    _back(builder, user.id, page, tr)
    builder.adjust(1)
    return tr("people.ask_deactivate", name=user.full_name), builder.as_markup()


def render_role_picker(user: User, tr: Tr, page: int) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for index, role in enumerate(ROLE_ORDER, start=1):
        mark = "✓ " if user.role is role else ""
        builder.button(
            text=mark + tr(f"role.{role}"),
            callback_data=_cb(PeopleAction.set_role, user.id, index, page),
        )
    _back(builder, user.id, page, tr)
    builder.adjust(2)
    return tr("people.ask_role", name=user.full_name), builder.as_markup()


def render_team_picker(
    user: User, teams: Sequence[Team], tr: Tr, page: int, pick: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    shown, nav = _picker_page(teams, pick, PeopleAction.teams, user.id, page, tr)
    for team in shown:
        mark = "✓ " if user.team_id == team.id else ""
        builder.button(
            text=mark + clip(team.name, BUTTON_CLIP),
            callback_data=_cb(PeopleAction.set_team, user.id, team.id, page),
        )
    builder.button(
        text=("✓ " if user.team_id is None else "") + tr("people.btn_no_team"),
        callback_data=_cb(PeopleAction.set_team, user.id, 0, page),
    )
    builder.adjust(2)
    _nav_and_back(builder, nav, user.id, page, tr)
    return tr("people.ask_team", name=user.full_name), builder.as_markup()


def _picker_page(
    items: Sequence[T], pick: int, action: PeopleAction, user_id: int, page: int, tr: Tr
) -> tuple[Sequence[T], list[InlineKeyboardButton]]:
    """``MAX_PICKER`` items of page ``pick`` (the callback's ``item``) and its ‹ › buttons."""
    pages = max(1, -(-len(items) // MAX_PICKER))
    pick = min(max(pick, 0), pages - 1)
    nav = []
    if pick > 0:
        data = _cb(action, user_id, pick - 1, page).pack()
        nav.append(InlineKeyboardButton(text=tr("common.prev"), callback_data=data))
    if pick < pages - 1:
        data = _cb(action, user_id, pick + 1, page).pack()
        nav.append(InlineKeyboardButton(text=tr("common.next"), callback_data=data))
    return items[pick * MAX_PICKER : (pick + 1) * MAX_PICKER], nav


def _nav_and_back(
    builder: InlineKeyboardBuilder, nav: list[InlineKeyboardButton], user_id: int, page: int, tr: Tr
) -> None:
    if nav:
        builder.row(*nav)
    data = _cb(PeopleAction.open, user_id, page=page).pack()
    builder.row(InlineKeyboardButton(text=tr("people.btn_back"), callback_data=data))


def render_handover_picker(
    person: Person, candidates: Sequence[User], tr: Tr, page: int, pick: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    user = person.user
    builder = InlineKeyboardBuilder()
    shown, nav = _picker_page(candidates, pick, PeopleAction.handover, user.id, page, tr)
    for candidate in shown:
        builder.button(
            text=clip(candidate.full_name, BUTTON_CLIP),
            callback_data=_cb(PeopleAction.handover_pick, user.id, candidate.id, page),
        )
    builder.adjust(2)
    _nav_and_back(builder, nav, user.id, page, tr)
    if not candidates:
        return tr("people.no_candidates"), builder.as_markup()
    text = tr("people.ask_handover", name=user.full_name, n=person.open_deals)
    return text, builder.as_markup()


def render_handover_confirm(
    person: Person, new_owner: User, tr: Tr, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    user = person.user
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("people.btn_yes_handover"),
        callback_data=_cb(PeopleAction.handover_yes, user.id, new_owner.id, page),
    )
    builder.button(
        text=tr("people.btn_back"), callback_data=_cb(PeopleAction.handover, user.id, page=page)
    )
    builder.adjust(1)
    text = tr(
        "people.confirm_handover",
        n=person.open_deals,
        old=user.full_name,
        new=new_owner.full_name,
    )
    return text, builder.as_markup()
