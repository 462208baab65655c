"""The deal-feature actions, wired to the handlers' real callback data and commands:

- stage picker: the card's Stage button, ``DealCb(stage, deal, v)`` (handlers/deal_stage.py);
- move stage:   a stage of the picker, ``StageCb(pick, deal, stage, v)``, to the next open
                stage (the deal stays open, so it is asked for its next step);
- add note:     ``/note <id> <text>`` (handlers/deal_notes.py);
- Today / Overdue: the main-menu buttons' texts (handlers/deal_lists.py);
- search phone: ``/find <phone as typed>`` (handlers/deal_search.py).

Note and stage leave the user in the "next step date" question (an FSM state); the harness
clears it after the update, outside the timing, as if the user had answered."""

from __future__ import annotations

import random
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.actions import (
    Action,
    Manager,
    Population,
    Prepared,
    alert_of,
    describe,
    expect_card,
    phone_typed,
    texts_of,
    verifying,
)
from bench.telegram import Updates
from bot.callbacks import DealAction, DealCb
from bot.callbacks.work import StageAct, StageCb
from bot.i18n import load_catalogs
from models import Deal

NOTE_TEXT = "Созвонились: клиент согласен на встречу, просит прислать договор на почту."


def card_keyboard(deal_id: int, version: int) -> InlineKeyboardMarkup:
    """The card's own buttons, as the pressed card message carries them."""
    actions = (
        (DealAction.note, DealAction.stage),
        (DealAction.next_date, DealAction.edit),
        (DealAction.history, DealAction.delete),
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=a.name, callback_data=DealCb(action=a, deal_id=deal_id, v=version).pack()
                )
                for a in row
            ]
            for row in actions
        ]
    )


def _prefixes(*keys: str) -> tuple[str, ...]:
    """The fixed start of these texts in every language (what a reply must begin with)."""
    return tuple(catalog[key].split("{")[0] for catalog in load_catalogs().values() for key in keys)


def expect_start(*keys: str) -> Any:
    prefixes = _prefixes(*keys)

    def check(_prepared: Prepared, calls: list[TelegramMethod[Any]]) -> str | None:
        if problem := alert_of(calls):
            return problem
        if any(text.startswith(prefixes) for text in texts_of(calls)):
            return None
        return f"expected a text starting with one of {prefixes[:2]}..., got {describe(calls)}"

    return check


def expect_found(prepared: Prepared, calls: list[TelegramMethod[Any]]) -> str | None:
    """The search result lists the deal whose phone was typed (its Open button)."""
    if problem := alert_of(calls):
        return problem
    wanted = DealCb(action=DealAction.open, deal_id=prepared.expect["deal_id"]).pack()
    for call in calls:
        if isinstance(call, SendMessage) and isinstance(call.reply_markup, InlineKeyboardMarkup):
            for row in call.reply_markup.inline_keyboard:
                if any(button.callback_data == wanted for button in row):
                    return None
    return f"deal {prepared.expect['deal_id']} not in the result: {describe(calls)}"


def feature_actions(
    dp: Dispatcher,
    bot: Bot,
    updates: Updates,
    population: Population,
    session_factory: async_sessionmaker[AsyncSession],
) -> list[Action]:
    actions: list[Action] = []
    catalogs = load_catalogs()

    def menu_text(manager: Manager, key: str) -> str:
        return catalogs.get(manager.language, catalogs["ru"])[key]

    async def refresh(prepared: Prepared) -> str | None:
        """Re-read the deal's version and stage (the next button must carry them) and leave
        the next-step question. A move must have landed on the expected stage. In the
        mixed-load pass nothing is read: one change bumps the version by one."""
        deal_id, manager = prepared.expect["deal_id"], prepared.expect["manager"]
        context = dp.fsm.get_context(bot, manager.telegram_id, manager.telegram_id)
        await context.clear()
        if not verifying.get():
            version, stage_id = population.state[deal_id]
            population.state[deal_id] = (version + 1, prepared.expect.get("stage_id", stage_id))
            return None
        async with session_factory() as session:
            row = (
                await session.execute(select(Deal.version, Deal.stage_id).where(Deal.id == deal_id))
            ).one()
        before = population.state[deal_id]
        population.state[deal_id] = (row.version, row.stage_id)
        if row.version == before[0]:
            return f"deal {deal_id} unchanged (version {row.version})"
        wanted = prepared.expect.get("stage_id")
        if wanted is not None and row.stage_id != wanted:
            return f"deal {deal_id} on stage {row.stage_id}, expected {wanted}"
        return None

    def next_open_stage(stage_id: int) -> int:
        stages = population.open_stages
        return (
            stages[(stages.index(stage_id) + 1) % len(stages)] if stage_id in stages else stages[0]
        )

    # -- stage ---------------------------------------------------------------------------------

    def make_picker(rng: random.Random) -> Prepared:
        manager, deal_id = population.pick(rng)
        version, _stage = population.state[deal_id]
        data = DealCb(action=DealAction.stage, deal_id=deal_id, v=version).pack()
        update = updates.callback(
            manager.telegram_id,
            data,
            manager.language,
            f"#{deal_id} · card",
            card_keyboard(deal_id, version),
        )
        return Prepared(update, {"deal_id": deal_id})

    def make_move(rng: random.Random) -> Prepared:
        manager, deal_id = population.pick(rng)
        version, stage_id = population.state[deal_id]
        target = next_open_stage(stage_id)
        data = StageCb(act=StageAct.pick, deal_id=deal_id, stage_id=target, v=version).pack()
        update = updates.callback(manager.telegram_id, data, manager.language, f"#{deal_id} · card")
        return Prepared(update, {"deal_id": deal_id, "manager": manager, "stage_id": target})

    actions.append(Action("stage picker", "button DealCb(stage)", dp, make_picker, expect_card))
    actions.append(
        Action(
            "move stage",
            "StageCb(pick) to the next stage",
            dp,
            make_move,
            expect_card,
            after=refresh,
        )
    )

    # -- note ----------------------------------------------------------------------------------
    def make_note(rng: random.Random) -> Prepared:
        manager, deal_id = population.pick(rng)
        update = updates.message(manager.telegram_id, f"/note {deal_id} {NOTE_TEXT}")
        return Prepared(update, {"deal_id": deal_id, "manager": manager})

    actions.append(
        Action("add note", "/note <id> <text>", dp, make_note, expect_card, after=refresh)
    )

    # -- lists ---------------------------------------------------------------------------------
    def make_list(key: str) -> Any:
        def make(rng: random.Random) -> Prepared:
            manager, _deal_id = population.pick(rng)
            text = menu_text(manager, key)
            return Prepared(updates.message(manager.telegram_id, text, manager.language))

        return make

    actions.append(
        Action(
            "Today",
            "menu button 'Today'",
            dp,
            make_list("menu.today"),
            expect_start("lists.today_title", "lists.empty_today"),
        )
    )
    actions.append(
        Action(
            "Overdue",
            "menu button 'Overdue'",
            dp,
            make_list("menu.overdue"),
            expect_start("lists.overdue_title", "lists.empty_overdue"),
        )
    )

    # -- search --------------------------------------------------------------------------------
    def make_search(rng: random.Random) -> Prepared:
        manager, deal_id = population.pick(rng)
        text = f"/find {phone_typed(deal_id, rng)}"
        return Prepared(
            updates.message(manager.telegram_id, text, manager.language), {"deal_id": deal_id}
        )

    actions.append(Action("search phone", "/find <phone as typed>", dp, make_search, expect_found))
    return actions
