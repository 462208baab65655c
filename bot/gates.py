"""Router gates: one cheap check per router instead of one per handler.

aiogram offers an update to every router in turn and, inside a router, to every handler,
running its filters with a fresh copy of the update's data each time (~15 us a handler
here). A message for the tenth router paid for every handler before it. The gate of a
router is a filter on its observer that aiogram checks once: it lets in only what one of
the router's handlers could take.

The gate is derived from the handlers' own filters, so it cannot drift from them: each
handler's first filter of a known kind (a command, a menu label, a state, a callback data
prefix) is a condition it needs, and the gate is the union of those conditions. A router
with a handler that has no such filter gets no gate. The handlers' filters still run after
the gate, so a gate only ever saves time; it never decides what a handler takes."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, Filter, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.filters import TextKey, texts_of

ANY_STATE = "*"


@dataclass
class _Keys:
    commands: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    states: set[str | None] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    separators: set[str] = field(default_factory=set)


class MessageGate(Filter):
    """Lets a message in when its command, its text or the chat's state is one of the keys."""

    # A Filter subclass: aiogram awaits those; any other callable runs in a worker thread.
    def __init__(self, keys: _Keys) -> None:
        self.commands = frozenset(keys.commands)
        self.texts = frozenset(keys.texts)
        self.states = frozenset(keys.states)

    async def __call__(self, event: TelegramObject, raw_state: str | None = None) -> bool:
        if raw_state in self.states:
            return True
        if not isinstance(event, Message):
            return True  # not what this gate knows: let the handlers decide
        text = event.text or event.caption
        if text is None:
            return False
        if text in self.texts:
            return True
        return text.startswith("/") and _command_name(text) in self.commands


class CallbackGate(Filter):
    """Lets a button press in when its callback data has one of the routers' prefixes."""

    def __init__(self, keys: _Keys) -> None:
        self.prefixes = frozenset(keys.prefixes)
        self.separators = tuple(keys.separators)

    async def __call__(self, event: TelegramObject) -> bool:
        if not isinstance(event, CallbackQuery):
            return True
        data = event.data or ""
        return any(data.split(sep, 1)[0] in self.prefixes for sep in self.separators)


def install_gates(routers: Iterable[Router]) -> None:
    """Call once every handler is registered (a handler registered later would be behind a
    gate that does not know it)."""
    for router in routers:
        keys = _keys_of(router.message, _message_key)
        if keys is not None:
            router.message.filter(MessageGate(keys))
        keys = _keys_of(router.callback_query, _callback_key)
        if keys is not None:
            router.callback_query.filter(CallbackGate(keys))


def _command_name(text: str) -> str:
    """``"/note@dealbot 12 text"`` -> ``"note"``."""
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0] if len(text) > 1 else ""


def _keys_of(observer: TelegramEventObserver, key_of: Any) -> _Keys | None:
    if not observer.handlers:
        return None
    keys = _Keys()
    for handler in observer.handlers:
        # The handler's most selective filter the gate knows (a command over a state).
        known = [k for k in (key_of(f.callback) for f in handler.filters or ()) if k is not None]
        if not known:
            return None  # a handler the gate cannot describe: no gate for this router
        _rank, best = min(known, key=lambda k: k[0])
        keys.commands |= best.commands
        keys.texts |= best.texts
        keys.states |= best.states
        keys.prefixes |= best.prefixes
        keys.separators |= best.separators
    return keys


def _message_key(flt: Any) -> tuple[int, _Keys] | None:
    """What ``flt`` needs, ranked (lower: more selective); None when the gate doesn't know
    the filter."""
    if isinstance(flt, Command):
        names = {c for c in flt.commands if isinstance(c, str)}
        if flt.prefix != "/" or flt.ignore_case or len(names) != len(flt.commands):
            return None
        return 0, _Keys(commands=names)
    if isinstance(flt, TextKey):
        return 0, _Keys(texts=set(texts_of(flt.key)))
    if isinstance(flt, StateFilter):
        states = _state_names(flt.states)
        if states is None:
            return None
        # "No state" lets in every message outside a flow: the least selective.
        return (2 if None in states else 1), _Keys(states=states)
    return None


def _callback_key(flt: Any) -> tuple[int, _Keys] | None:
    if isinstance(flt, CallbackQueryFilter):
        cls = flt.callback_data
        return 0, _Keys(prefixes={cls.__prefix__}, separators={cls.__separator__})
    return None


def _state_names(states: Iterable[Any]) -> set[str | None] | None:
    """The raw state strings a StateFilter accepts; None when it accepts any state."""
    names: set[str | None] = set()
    for state in states:
        if state is None or isinstance(state, str):
            if state == ANY_STATE:
                return None
            names.add(state)
        elif isinstance(state, State):
            if state.state == ANY_STATE or state.state is None:
                return None
            names.add(state.state)
        elif inspect.isclass(state) and issubclass(state, StatesGroup):
            names.update(state.__all_states_names__)
        else:
            return None
    return names
