"""Router gates (bot/gates.py): one check lets an update into a router only when one of its
handlers could take it; a router with a handler the gate cannot describe gets none."""

from __future__ import annotations

import datetime as dt

from aiogram import Router
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Chat, Message
from aiogram.types import User as TgUser

from bot.callbacks import DealAction, DealCb
from bot.gates import CallbackGate, MessageGate, install_gates
from bot.keyboards.dates import DateAction, DateCb
from handlers.work_flow import PlainText, WorkFlow


def _message(text: str) -> Message:
    return Message(
        message_id=1,
        date=dt.datetime(2026, 11, 27, tzinfo=dt.UTC),
        chat=Chat(id=5, type="private"),
        from_user=TgUser(id=5, is_bot=False, first_name="Иван"),
        text=text,
    )


def _query(data: str) -> CallbackQuery:
    user = TgUser(id=5, is_bot=False, first_name="Иван")
    return CallbackQuery(id="1", from_user=user, chat_instance="c", data=data)


def _gate(observer: TelegramEventObserver) -> object | None:
    filters = observer._handler.filters or []
    return next((f.callback for f in filters), None)


async def _noop(*_args: object) -> None:
    return None


async def test_message_gate_lets_in_what_a_handler_could_take() -> None:
    router = Router()
    router.message.register(_noop, Command("note"))
    router.message.register(_noop, StateFilter(WorkFlow.note_text), PlainText())
    install_gates([router])
    gate = _gate(router.message)
    assert isinstance(gate, MessageGate)
    # aiogram awaits it on the loop (a plain callable would run in a worker thread, and the
    # coroutine it returned would count as "true": every gate open, silently).
    assert (router.message._handler.filters or [])[0].awaitable
    assert await gate(_message("/note 12 позвонил"))
    assert await gate(_message("/note@dealbot 12"))
    assert await gate(_message("позвонил"), raw_state=WorkFlow.note_text.state)
    assert not await gate(_message("/deal 12"))
    assert not await gate(_message("позвонил"))  # no state: not a note
    assert not await gate(_message("позвонил"), raw_state=WorkFlow.amount.state)


async def test_callback_gate_checks_the_prefix() -> None:
    router = Router()
    router.callback_query.register(_noop, DealCb.filter())
    install_gates([router])
    gate = _gate(router.callback_query)
    assert isinstance(gate, CallbackGate)
    assert await gate(_query(DealCb(action=DealAction.open, deal_id=7).pack()))
    assert not await gate(_query(DateCb(action=DateAction.pick, ctx=7, d=20261127).pack()))


async def test_a_handler_the_gate_cannot_describe_means_no_gate() -> None:
    router = Router()
    router.message.register(_noop, Command("note"))
    router.message.register(_noop)  # takes anything: a fallback
    install_gates([router])
    assert _gate(router.message) is None
