"""Every CallbackData class: a unique prefix, and a payload within Telegram's 64 bytes even
with huge ids."""

from __future__ import annotations

import enum
import importlib
import pkgutil
import typing

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton

import bot.callbacks
import bot.keyboards
from bot.keyboards.buttons import button, pack


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


def _samples(annotation: object) -> list[object]:
    """Every value shape a field can take: each enum member, 0 / small / big ints, None."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return [None, *_samples(args[0])]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return list(annotation)
    if annotation is bool:
        return [False, True]
    if annotation is int:
        return [0, 7, 2**31 - 1]
    if annotation is str:
        return ["", "operator"]
    raise AssertionError(f"unexpected field type {annotation!r}")


def _in_range(value: object, info: typing.Any) -> bool:
    """Within the field's bounds (bot/callbacks/fields.py: ids start at 1)."""
    if not isinstance(value, int) or isinstance(value, enum.Enum):
        return True
    low = min((m.ge for m in info.metadata if hasattr(m, "ge")), default=value)
    high = max((m.le for m in info.metadata if hasattr(m, "le")), default=value)
    return low <= value <= high


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_fast_pack_is_aiogram_pack(cls: type[CallbackData]) -> None:
    """bot/keyboards/buttons.pack must give the very string CallbackData.pack gives (the
    handlers unpack it with aiogram), for every field's every value shape, defaults too."""
    hints = typing.get_type_hints(cls)
    options = {
        name: [v for v in _samples(hints[name]) if _in_range(v, info)]
        for name, info in cls.model_fields.items()
    }
    base = {name: values[-1] for name, values in options.items()}
    variants = [base] + [{**base, name: v} for name, vs in options.items() for v in vs]
    for values in variants:
        assert pack(cls, **values) == cls(**values).pack(), values
    required = {n: base[n] for n, info in cls.model_fields.items() if info.is_required()}
    assert pack(cls, **required) == cls(**required).pack()
    with pytest.raises(TypeError):
        pack(cls, **base, unknown_field=1)


def test_fast_button_is_the_validated_button() -> None:
    fast = button("Открыть «Ромашку»", "d:1:42:3")
    slow = InlineKeyboardButton(text="Открыть «Ромашку»", callback_data="d:1:42:3")
    assert fast == slow
    assert fast.model_dump(exclude_none=True) == {
        "text": "Открыть «Ромашку»",
        "callback_data": "d:1:42:3",
    }
    assert fast is not button("x", "y")  # a new object each time, the template untouched


def test_a_deal_button_s_version_is_its_last_field() -> None:
    """handlers/work_flow.card_message_id compares a card's button data without its last
    field, the version: DealCb must keep ``v`` last."""
    from bot.callbacks import DealAction, DealCb

    assert list(DealCb.model_fields)[-1] == "v"
    data = DealCb(action=DealAction.edit, deal_id=12, v=7).pack()
    assert data.rsplit(DealCb.__separator__, 1) == [
        DealCb(action=DealAction.edit, deal_id=12).pack().rsplit(DealCb.__separator__, 1)[0],
        "7",
    ]
