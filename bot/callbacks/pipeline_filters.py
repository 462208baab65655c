"""Callback data of the lists' pipeline-set filters (prefix "dlp"): a number group or a
family of pipelines ("Магазин"), chosen in the pipeline picker of My deals. The chosen set
is kept in FSM data with the list message's id (a name part does not fit in 64 bytes);
the list's own buttons then carry that id as ``ListCb.q``."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId
from models.services.deal_lists import ListKind


class ListSetCb(CallbackData, prefix="dlp"):
    kind: ListKind
    group: Num = 0
    family: OptId = 0  # a pipeline id: its name's first word names the family
    stage: OptId = 0
    owner: OptId = 0
