"""Callback data of the catalog editor (prefix "cat"). The item is re-read and the admin
role re-checked on every press, so a button that outlived an item or a role is refused."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId
from models.catalog import CatalogKind


class CatKind(IntEnum):
    pipeline = 1
    stage = 2
    source = 3

    @property
    def catalog(self) -> CatalogKind:
        return CatalogKind[self.name]


class CatAction(IntEnum):
    home = 1
    list = 2  # page = page of the list
    open = 3  # item = id; page = the list page to go back to
    rename = 4
    add = 5
    archive = 6
    restore = 7
    up = 8
    down = 9
    cancel = 10  # leave a name prompt


class CatCb(CallbackData, prefix="cat"):
    action: CatAction
    kind: CatKind = CatKind.pipeline
    item: OptId = 0
    page: Num = 0
