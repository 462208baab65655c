"""Cheap async filters. Async on purpose: aiogram runs sync filters in a worker thread."""

from __future__ import annotations

from functools import cache

from aiogram.filters import Filter
from aiogram.types import Message

from bot.i18n import load_catalogs


@cache
def texts_of(key: str) -> frozenset[str]:
    return frozenset(c[key] for c in load_catalogs().values() if key in c)


class TextKey(Filter):
    """Matches a message whose text is a translated label (a reply-keyboard button) in any
    language, so an old keyboard keeps working after the user switches language."""

    def __init__(self, key: str) -> None:
        self.key = key

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and message.text in texts_of(self.key)
