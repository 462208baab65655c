"""The "paused until when?" picker: 1 week / 2 weeks / 1 month chips and a month calendar
(only days after today), shown in place of the card's buttons. Pure builders."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.pauses import PauseAct, PauseCb
from bot.i18n import Tr
from bot.keyboards.buttons import button, pack
from bot.keyboards.dates import DateAction, DateCb, date_to_int, month_calendar
from models.services.pauses import plus_months


def _pz(text: str, act: PauseAct, deal_id: int, d: int = 0) -> InlineKeyboardButton:
    return button(text, pack(PauseCb, act=act, deal_id=deal_id, d=d))


def pause_keyboard(today: dt.date, deal_id: int, tr: Tr) -> InlineKeyboardMarkup:
    chips = [
        ("pause.btn_week", today + dt.timedelta(days=7)),
        ("pause.btn_2weeks", today + dt.timedelta(days=14)),
        ("pause.btn_month", plus_months(today, 1)),
    ]
    month = date_to_int(today.replace(day=1))
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_pz(tr(key), PauseAct.until, deal_id, date_to_int(day)) for key, day in chips],
            [
                _pz(tr("pause.btn_calendar"), PauseAct.calendar, deal_id, month),
                _pz(tr("pause.btn_later"), PauseAct.later, deal_id),
            ],
        ]
    )


def pause_calendar(month: dt.date, today: dt.date, deal_id: int, tr: Tr) -> InlineKeyboardMarkup:
    """The month grid with its day and page buttons turned into pause buttons (today and the
    past stay disabled)."""
    grid = month_calendar(
        month.year, month.month, today, deal_id, tr.locale, min_date=today + dt.timedelta(days=1)
    )
    rows = []
    for row in grid.inline_keyboard:
        out = []
        for b in row:
            data = DateCb.unpack(b.callback_data or "")
            if data.action is DateAction.pick:
                out.append(_pz(b.text, PauseAct.until, deal_id, data.d))
            elif data.action is DateAction.month:
                out.append(_pz(b.text, PauseAct.calendar, deal_id, data.d))
            else:
                out.append(b)  # headers and blank cells: the date pickers' noop
        rows.append(out)
    rows.append([_pz(tr("pause.btn_later"), PauseAct.later, deal_id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)
