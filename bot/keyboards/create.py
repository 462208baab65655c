"""Keyboards of the deal creation wizard. Every step ends with the navigation rows
(Skip/Done, Back, Cancel); lists are paginated (Telegram: <= 8 a row, ~100 buttons)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.create import CreateAction, CreateCb, Step
from bot.i18n import Tr
from bot.keyboards.dates import date_chips, date_to_int, month_calendar, time_chips

PAGE_SIZE = 20
COLUMNS = 2
# Pipelines and sources: what fits a phone's screen; the most used come first (the caller
# orders them), the rest are a page away.
CATALOG_PAGE = 8
DATE_CTX = 0  # the wizard's DateCb context: no deal exists yet


def _button(
    text: str, w: int, step: Step, action: CreateAction, i: int = 0
) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=CreateCb(action=action, w=w, s=step, i=i).pack()
    )


def nav_rows(
    tr: Tr,
    w: int,
    step: Step,
    *,
    back: bool = True,
    skip: bool = False,
    go_on: str | None = None,
) -> list[list[InlineKeyboardButton]]:
    """[go on or Skip] / [Back][Cancel]; ``go_on`` is the text of a Done/Next button."""
    rows: list[list[InlineKeyboardButton]] = []
    if go_on:
        rows.append([_button(go_on, w, step, CreateAction.done)])
    elif skip:
        rows.append([_button(tr("common.skip"), w, step, CreateAction.skip)])
    last = []
    if back:
        last.append(_button(tr("common.back"), w, step, CreateAction.back))
    last.append(_button(tr("common.cancel"), w, step, CreateAction.cancel))
    rows.append(last)
    return rows


def _markup(*rows: Sequence[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for group in rows for row in group])


def nav_keyboard(
    tr: Tr, w: int, step: Step, *, back: bool = True, skip: bool = False, go_on: str | None = None
) -> InlineKeyboardMarkup:
    return _markup(nav_rows(tr, w, step, back=back, skip=skip, go_on=go_on))


def client_keyboard(tr: Tr, w: int, *, can_go_on: bool) -> InlineKeyboardMarkup:
    go_on = tr("create.btn_next") if can_go_on else None
    return nav_keyboard(tr, w, Step.client, back=False, go_on=go_on)


def contacts_keyboard(tr: Tr, w: int, *, count: int) -> InlineKeyboardMarkup:
    rows = []
    if count:
        rows.append([_button(tr("create.btn_undo"), w, Step.contacts, CreateAction.undo)])
    go_on = tr("create.btn_done") if count else None
    return _markup(rows, nav_rows(tr, w, Step.contacts, skip=not count, go_on=go_on))


def pages(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // page_size))


def choice_keyboard(
    tr: Tr,
    w: int,
    step: Step,
    action: CreateAction,
    items: Sequence[tuple[int, str]],
    *,
    page: int = 0,
    first: Sequence[tuple[int, str]] = (),
    skip: bool = True,
    page_size: int = PAGE_SIZE,
    columns: int = COLUMNS,
) -> InlineKeyboardMarkup:
    """Items (id, label) two a row, one page at a time, with ‹ n/m › when there are more.
    ``first`` are extra choices put above the list on every page (e.g. "Myself")."""
    count = pages(len(items), page_size)
    page = min(max(page, 0), count - 1)
    rows: list[list[InlineKeyboardButton]] = [
        [_button(label[:64], w, step, action, item_id)] for item_id, label in first
    ]
    chunk = items[page * page_size : (page + 1) * page_size]
    for start in range(0, len(chunk), columns):
        rows.append(
            [
                _button(label[:64], w, step, action, item_id)
                for item_id, label in chunk[start : start + columns]
            ]
        )
    if count > 1:
        rows.append(
            [
                _button(tr("common.prev"), w, step, CreateAction.page, (page - 1) % count),
                _button(
                    tr("common.page", page=page + 1, pages=count), w, step, CreateAction.page, page
                ),
                _button(tr("common.next"), w, step, CreateAction.page, (page + 1) % count),
            ]
        )
    return _markup(rows, nav_rows(tr, w, step, skip=skip))


def duplicates_keyboard(
    tr: Tr, w: int, deal_ids: Sequence[int], *, back: bool
) -> InlineKeyboardMarkup:
    opens = [
        _button(
            tr("create.btn_open", id=deal_id), w, Step.duplicates, CreateAction.open_dup, deal_id
        )
        for deal_id in deal_ids
    ]
    rows = [opens[i : i + COLUMNS] for i in range(0, len(opens), COLUMNS)]
    rows.append([_button(tr("create.btn_anyway"), w, Step.duplicates, CreateAction.create_anyway)])
    return _markup(rows, nav_rows(tr, w, Step.duplicates, back=back))


def date_keyboard(tr: Tr, w: int, today: dt.date) -> InlineKeyboardMarkup:
    chips = date_chips(today, DATE_CTX, tr.locale)
    return _markup(chips.inline_keyboard, nav_rows(tr, w, Step.next_date, skip=True))


def calendar_keyboard(tr: Tr, w: int, month_start: dt.date, today: dt.date) -> InlineKeyboardMarkup:
    grid = month_calendar(month_start.year, month_start.month, today, DATE_CTX, tr.locale)
    return _markup(grid.inline_keyboard, nav_rows(tr, w, Step.next_date, skip=True))


def time_keyboard(tr: Tr, w: int, day: dt.date) -> InlineKeyboardMarkup:
    chips = time_chips(DATE_CTX, date_to_int(day), tr.locale)
    return _markup(chips.inline_keyboard, nav_rows(tr, w, Step.next_time))


def confirm_keyboard(tr: Tr, w: int) -> InlineKeyboardMarkup:
    step = Step.confirm
    return _markup(
        [[_button(tr("create.btn_create"), w, step, CreateAction.create)]],
        [[_button(tr("create.btn_edit_title"), w, step, CreateAction.edit_title)]],
        nav_rows(tr, w, step),
    )


def title_keyboard(tr: Tr, w: int, *, custom: bool) -> InlineKeyboardMarkup:
    rows = []
    if custom:
        rows.append(
            [_button(tr("create.btn_reset_title"), w, Step.title, CreateAction.reset_title)]
        )
    return _markup(rows, nav_rows(tr, w, Step.title))


def quick_fix_keyboard(tr: Tr, w: int) -> InlineKeyboardMarkup:
    return _markup(
        [[_button(tr("create.btn_drop_bad"), w, Step.quick_fix, CreateAction.drop_bad)]],
        nav_rows(tr, w, Step.quick_fix, back=False),
    )
