"""Callback data of the spreadsheet import and of list exports.

An import's buttons carry its token (the id of the message that brought the file): a button of
a finished, cancelled or replaced import no longer matches the conversation's data and is
answered "out of date"."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId
from models.services.deal_lists import ListKind
from models.services.export import ExportFormat


class ImportAction(IntEnum):
    confirm = 1
    cancel = 2
    columns = 3  # the list of columns and their fields
    column = 4  # the field picker of one column
    set_field = 5
    summary = 6  # back to the dry run


class ImportCb(CallbackData, prefix="imp"):
    action: ImportAction
    t: Num
    col: Num = 0
    f: Num = 0  # an ImportField, 0 for "ignore"


class ExportCb(CallbackData, prefix="exp"):
    kind: ListKind
    fmt: ExportFormat
    pipeline: OptId = 0
    stage: OptId = 0
    owner: OptId = 0
    q: Num = 0  # the search serial number (search lists only)
