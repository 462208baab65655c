"""Pickers of working on a deal: next-step dates, stages, reasons, note dates. Pure builders.

Every picker is shown in place of the card's own keyboard (the card text stays above it, with
a one-line question on top), so the user always sees what they are changing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.work import NoteAct, NoteCb, StageAct, StageCb, WorkAct, WorkCb
from bot.i18n import Tr
from bot.keyboards.buttons import button, pack
from bot.keyboards.dates import (
    DateAction,
    DateCb,
    date_chips,
    date_to_int,
    month_calendar,
    time_chips,
)
from bot.render.format import fmt_short_date
from models.catalog import Stage, StageKind
from models.deals import Deal, Note

KIND_ICONS = {StageKind.won: "🏆 ", StageKind.paused: "⏸ ", StageKind.lost: "🚫 "}
CURRENT_MARK = "✅ "
NOTE_DAYS_AGO = (0, 1, 2)
_NOTE_DAY_KEYS = ("work.btn_today", "work.btn_yesterday", "work.btn_days_ago_2")

Rows = list[list[InlineKeyboardButton]]


def _button(text: str, data: StageCb | NoteCb | WorkCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _close(deal_id: int, tr: Tr, key: str = "work.btn_not_now") -> list[InlineKeyboardButton]:
    return [button(tr(key), pack(WorkCb, act=WorkAct.close, deal_id=deal_id))]


def _note_date_row(note: Note, tr: Tr) -> list[InlineKeyboardButton]:
    label = tr("work.btn_note_date", date=fmt_short_date(note.happened_on, tr))
    return [button(label, pack(NoteCb, act=NoteAct.date_menu, note_id=note.id))]


# -- the next step -----------------------------------------------------------------------------


# ``t`` of a day chip that asks the time next (any other day chip saves an all-day step).
THEN_TIME = 1


def next_step_keyboard(
    today: dt.date, deal_id: int, tr: Tr, *, note: Note | None = None, timed: bool = False
) -> InlineKeyboardMarkup:
    """Today / Tomorrow / +3 days / Next week / Calendar · ⏰ Time, [the date of a just-saved
    note], Not now. A next step is all-day unless ⏰ was tapped (``timed``: the day chips
    then ask the time; the calendar's days stay all-day)."""
    rows: Rows = [list(row) for row in date_chips(today, deal_id, tr.locale).inline_keyboard]
    if timed:
        rows = [[_then_time(b) for b in row] for row in rows]
    else:
        rows[-1].append(
            _button(tr("work.btn_with_time"), WorkCb(act=WorkAct.timed, deal_id=deal_id))
        )
    if note is not None:
        rows.append(_note_date_row(note, tr))
    rows.append(_close(deal_id, tr))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _then_time(chip: InlineKeyboardButton) -> InlineKeyboardButton:
    data = DateCb.unpack(chip.callback_data or "")
    if data.action is not DateAction.pick:
        return chip
    return button(
        "⏰ " + chip.text, pack(DateCb, action=data.action, ctx=data.ctx, d=data.d, t=THEN_TIME)
    )


def calendar_keyboard(
    year: int, month: int, today: dt.date, deal_id: int, tr: Tr
) -> InlineKeyboardMarkup:
    rows: Rows = [
        list(row) for row in month_calendar(year, month, today, deal_id, tr.locale).inline_keyboard
    ]
    rows.append(
        [
            _button(tr("common.back"), WorkCb(act=WorkAct.dates, deal_id=deal_id)),
            *_close(deal_id, tr),
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def time_keyboard(day: dt.date, deal_id: int, tr: Tr) -> InlineKeyboardMarkup:
    rows: Rows = [
        list(row) for row in time_chips(deal_id, date_to_int(day), tr.locale).inline_keyboard
    ]
    rows.append([_button(tr("work.btn_other_date"), WorkCb(act=WorkAct.dates, deal_id=deal_id))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


# -- notes -------------------------------------------------------------------------------------


def note_prompt_keyboard(deal_id: int, tr: Tr) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[_close(deal_id, tr, "common.cancel")])


def note_saved_keyboard(note: Note, deal: Deal, tr: Tr) -> InlineKeyboardMarkup:
    """After a note on a closed or paused deal: no next step to ask, only the note's date."""
    return InlineKeyboardMarkup(
        inline_keyboard=[_note_date_row(note, tr), _close(deal.id, tr, "work.btn_done")]
    )


def note_date_keyboard(note: Note, today: dt.date, tr: Tr) -> InlineKeyboardMarkup:
    chips = []
    for days, key in zip(NOTE_DAYS_AGO, _NOTE_DAY_KEYS, strict=True):
        mark = CURRENT_MARK if note.happened_on == today - dt.timedelta(days=days) else ""
        chips.append(
            _button(mark + tr(key), NoteCb(act=NoteAct.days_ago, note_id=note.id, days=days))
        )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            chips,
            [_button(tr("work.btn_type_date"), NoteCb(act=NoteAct.type_date, note_id=note.id))],
            [_button(tr("common.back"), NoteCb(act=NoteAct.back, note_id=note.id))],
        ]
    )


def note_typing_keyboard(note: Note, tr: Tr) -> InlineKeyboardMarkup:
    back = NoteCb(act=NoteAct.date_menu, note_id=note.id)
    return InlineKeyboardMarkup(inline_keyboard=[[_button(tr("common.back"), back)]])


# -- stages ------------------------------------------------------------------------------------


def stage_label(stage: Stage, tr: Tr) -> str:
    return KIND_ICONS.get(stage.kind, "") + stage.label(tr.locale)


def stage_picker_keyboard(stages: Sequence[Stage], deal: Deal, tr: Tr) -> InlineKeyboardMarkup:
    """The pipeline's stages in order, one per row (their names are long), the current one
    marked; each button carries the stage and the deal version."""
    rows: Rows = []
    for number, stage in enumerate(stages, start=1):
        mark = CURRENT_MARK if stage.id == deal.stage_id else ""
        # Packed without pydantic (bot/keyboards/buttons.py): ten and more stages a picker.
        data = pack(StageCb, act=StageAct.pick, deal_id=deal.id, stage_id=stage.id, v=deal.version)
        rows.append([button(f"{mark}{number}. {stage_label(stage, tr)}", data)])
    rows.append(_close(deal.id, tr, "common.back"))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def reasons_keyboard(
    codes: Sequence[str], deal: Deal, stage: Stage, tr: Tr
) -> InlineKeyboardMarkup:
    def data(act: StageAct, r: int = 0) -> StageCb:
        return StageCb(act=act, deal_id=deal.id, stage_id=stage.id, v=deal.version, r=r)

    rows: Rows = [
        [_button(tr(f"work.reason.{code}"), data(StageAct.reason, index))]
        for index, code in enumerate(codes)
    ]
    rows.append([_button(tr("work.reason_other"), data(StageAct.other))])
    rows.append([_button(tr("common.back"), data(StageAct.picker))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def won_keyboard(deal: Deal, stage: Stage, tr: Tr) -> InlineKeyboardMarkup:
    def data(act: StageAct) -> StageCb:
        return StageCb(act=act, deal_id=deal.id, stage_id=stage.id, v=deal.version)

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(tr("work.btn_confirm"), data(StageAct.confirm)),
                _button(tr("work.btn_change_amount"), data(StageAct.amount)),
            ],
            [_button(tr("common.back"), data(StageAct.picker))],
        ]
    )


def typing_back_keyboard(deal: Deal, stage: Stage, tr: Tr) -> InlineKeyboardMarkup:
    """While a reason or an amount is typed: back to the step that asked for it."""
    data = StageCb(act=StageAct.pick, deal_id=deal.id, stage_id=stage.id, v=deal.version)
    return InlineKeyboardMarkup(inline_keyboard=[[_button(tr("common.back"), data)]])
