"""Inline buttons for the hot keyboards (digests, the card, date chips), built without
pydantic validation.

A button the usual way validates a CallbackData model, dumps it to pack it, then validates
an InlineKeyboardButton: ~10 us. A 09:00 digest has 32 buttons and the wave 10,000 digests.
Here the callback data is packed straight from the values (``pack``: the same string as
``CallbackData.pack``, which tests/test_buttons.py checks for every callback class) and the
button is a copy of a template (``model_copy`` does not validate; text and data are str by
construction): ~3 us."""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import Any, Final

from aiogram.filters.callback_data import MAX_CALLBACK_LENGTH, CallbackData
from aiogram.types import InlineKeyboardButton

_TEMPLATE: Final = InlineKeyboardButton(text="-", callback_data="-")
_REQUIRED: Final = object()


def button(text: str, data: str) -> InlineKeyboardButton:
    return _TEMPLATE.model_copy(update={"text": text, "callback_data": data})


@cache
def _layout(cls: type[CallbackData]) -> tuple[str, str, tuple[tuple[str, Any], ...]]:
    fields = tuple(
        (name, _REQUIRED if info.is_required() else info.get_default(call_default_factory=True))
        for name, info in cls.model_fields.items()
    )
    return cls.__prefix__, cls.__separator__, fields


def pack(cls: type[CallbackData], **values: Any) -> str:
    """``pack(DealCb, action=DealAction.open, deal_id=5)`` == ``DealCb(...).pack()``. The
    values are trusted (our own ids and enums): only their presence is checked."""
    prefix, separator, fields = _layout(cls)
    parts = [prefix]
    for name, default in fields:
        value = values.pop(name, default)
        if value is _REQUIRED:
            raise TypeError(f"{cls.__name__}: {name} is required")
        encoded = _encode(value)
        if separator in encoded:
            raise ValueError(f"{cls.__name__}: the separator in {name}={encoded!r}")
        parts.append(encoded)
    if values:
        raise TypeError(f"{cls.__name__}: unknown fields {sorted(values)}")
    data = separator.join(parts)
    if len(data.encode()) > MAX_CALLBACK_LENGTH:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def _encode(value: Any) -> str:
    """As ``CallbackData._encode_value`` for the types our callbacks use."""
    kind = type(value)
    if kind is int or kind is str:  # ids, versions, pages: most values (a bool is not an int)
        return str(value)
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | str):
        return str(value)
    raise ValueError(f"cannot pack {value!r} into callback data")
