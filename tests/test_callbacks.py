"""Every CallbackData class: a unique prefix, and a payload within Telegram's 64 bytes even
with huge ids."""

from __future__ import annotations

import enum
import importlib
import pkgutil
import typing

import pytest
from aiogram.filters.callback_data import CallbackData

import bot.callbacks
import bot.keyboards


def _all_classes() -> list[type[CallbackData]]:
    for package in (bot.callbacks, bot.keyboards):
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{info.name}")
    found: list[type[CallbackData]] = []
    stack = list(CallbackData.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("bot."):
            found.append(cls)
    return found


CLASSES = _all_classes()


def test_prefixes_are_unique() -> None:
    prefixes = [cls.__prefix__ for cls in CLASSES]
    assert len(prefixes) == len(set(prefixes)), sorted(prefixes)
    assert len(CLASSES) >= 15


def _biggest(annotation: object) -> object:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _biggest(args[0])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return max(annotation, key=lambda m: len(str(m.value)))
    if annotation is bool:
        return True
    if annotation is int:
        return 2**31 - 1  # the largest 32-bit id: years of a big team's deals and users
    if annotation is str:
        return "operator"
    raise AssertionError(f"unexpected field type {annotation!r}")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_payload_fits_in_64_bytes(cls: type[CallbackData]) -> None:
    hints = typing.get_type_hints(cls)
    values = {name: _biggest(hints[name]) for name in cls.model_fields}
    packed = cls(**values).pack()
    assert len(packed.encode()) <= 64, packed
    assert cls.unpack(packed) == cls(**values)
