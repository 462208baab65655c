"""Callback data of files on a deal (the card's 📎 button and the file list)."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id, OptId


class FileAct(IntEnum):
    panel = 1  # the card's 📎: list the files, and the next file sent is attached
    send = 2  # re-send this file
    ask_delete = 3  # "delete this file?"
    delete = 4  # yes, delete it
    close = 5  # back to the card's own buttons


class FileCb(CallbackData, prefix="fi"):
    act: FileAct
    deal_id: Id
    file_id: OptId = 0  # our DealFile.id (0: none)
