"""What the benchmark does to the bot: each action makes one realistic update for a random
manager acting on their own deal, and checks afterwards (outside the timing) that the bot
did the real thing and did not answer with an error or the fallback hint."""

from __future__ import annotations

import contextvars
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Dispatcher, Router
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.types import Message, Update
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.seed import bench_phone
from bench.telegram import Updates
from models import Deal, Stage, User
from models.catalog import StageKind
from models.roles import Role


@dataclass
class Manager:
    user_id: int
    telegram_id: int
    language: str
    deals: list[int]  # open, not deleted


# The managers one worker of the concurrent pass acts for (None: everybody). Workers get
# disjoint managers, so two updates in flight never touch one deal.
acting_for: contextvars.ContextVar[list[Manager] | None] = contextvars.ContextVar(
    "acting_for", default=None
)

# False in the mixed-load pass: the after-update hooks keep their bookkeeping in memory and
# read nothing from the database (that would compete with the updates being measured).
verifying: contextvars.ContextVar[bool] = contextvars.ContextVar("verifying", default=True)


@dataclass
class Population:
    managers: list[Manager]
    deals: int
    # deal id -> (version, stage id) of the open deals, kept current by the mutating actions
    # (a button carries the version it was drawn for).
    state: dict[int, tuple[int, int]] = field(default_factory=dict)
    open_stages: list[int] = field(default_factory=list)  # in the order of the process

    def pick(self, rng: random.Random) -> tuple[Manager, int]:
        manager = rng.choice(acting_for.get() or self.managers)
        return manager, rng.choice(manager.deals)


async def load_population(engine: AsyncEngine) -> Population:
    async with engine.connect() as conn:
        people = (
            await conn.execute(
                select(User.id, User.telegram_id, User.language).where(
                    User.role == Role.manager, User.is_active.is_(True)
                )
            )
        ).all()
        rows = (
            await conn.execute(
                select(Deal.id, Deal.owner_id, Deal.version, Deal.stage_id).where(
                    Deal.status == StageKind.open, Deal.deleted_at.is_(None)
                )
            )
        ).all()
        open_stages = list(
            await conn.scalars(
                select(Stage.id)
                .where(Stage.kind == StageKind.open, Stage.is_archived.is_(False))
                .order_by(Stage.position)
            )
        )
        await conn.rollback()
    by_owner: dict[int, list[int]] = {}
    state = {}
    for deal_id, owner_id, version, stage_id in rows:
        by_owner.setdefault(owner_id, []).append(deal_id)
        state[deal_id] = (version, stage_id)
    managers = [
        Manager(uid, tid, language, by_owner[uid])
        for uid, tid, language in people
        if uid in by_owner
    ]
    if not managers:
        raise SystemExit("the seeded base has no manager with an open deal")
    return Population(managers, len(rows), state, open_stages)


@dataclass
class Prepared:
    update: Update
    expect: dict[str, Any] = field(default_factory=dict)
    kwargs: dict[str, Any] = field(default_factory=dict)  # extra data for feed_update


Check = Callable[[Prepared, list[TelegramMethod[Any]]], str | None]


@dataclass
class Action:
    name: str
    what: str  # what the update is, for the report
    dp: Dispatcher
    make: Callable[[random.Random], Prepared]
    check: Check
    floor: bool = False  # floors are the yardstick, not held to the targets
    # Runs after the update, outside the timing: checks the database, leaves a wizard the
    # action entered; returns a problem or None.
    after: Callable[[Prepared], Awaitable[str | None]] | None = None


# -- checks --------------------------------------------------------------------------------
def texts_of(calls: list[TelegramMethod[Any]]) -> list[str]:
    return [c.text for c in calls if isinstance(c, SendMessage | EditMessageText) and c.text]


def alert_of(calls: list[TelegramMethod[Any]]) -> str | None:
    for call in calls:
        if isinstance(call, AnswerCallbackQuery) and call.show_alert:
            return f"alert: {call.text}"
    return None


def expect_card(prepared: Prepared, calls: list[TelegramMethod[Any]]) -> str | None:
    """The deal card of the expected deal was sent or edited in place."""
    if problem := alert_of(calls):
        return problem
    head = f"#{prepared.expect['deal_id']} ·"
    if any(head in text for text in texts_of(calls)):
        return None
    return f"no card of deal {prepared.expect['deal_id']} in {describe(calls)}"


def expect_anything(_prepared: Prepared, calls: list[TelegramMethod[Any]]) -> str | None:
    return alert_of(calls)


def describe(calls: list[TelegramMethod[Any]]) -> str:
    out = []
    for call in calls:
        text = getattr(call, "text", None)
        out.append(f"{type(call).__name__}({(text or '')[:80]!r})")
    return "[" + ", ".join(out) + "]"


# -- floors --------------------------------------------------------------------------------
def bare_dispatcher() -> Dispatcher:
    """One message handler that does nothing: aiogram's own cost per update."""

    async def nothing(message: Message) -> None:
        return None

    dp = Dispatcher()
    router = Router(name="bench.bare")
    router.message.register(nothing)
    dp.include_router(router)
    return dp


def floor_dispatcher(session_factory: async_sessionmaker[AsyncSession]) -> Dispatcher:
    """One handler that opens a session (one transaction, as the production middleware does)
    and reads one user by primary key: the cheapest update that touches the database."""

    async def read_user(message: Message, user_pk: int) -> None:
        async with session_factory() as session, session.begin():
            await session.get(User, user_pk)

    dp = Dispatcher()
    router = Router(name="bench.floor")
    router.message.register(read_user)
    dp.include_router(router)
    return dp


# -- the actions -----------------------------------------------------------------------------
def floor_actions(
    updates: Updates, population: Population, session_factory: async_sessionmaker[AsyncSession]
) -> list[Action]:
    bare = bare_dispatcher()
    floor = floor_dispatcher(session_factory)

    def make_bare(rng: random.Random) -> Prepared:
        manager, deal_id = population.pick(rng)
        return Prepared(updates.message(manager.telegram_id, f"/deal {deal_id}"))

    def make_floor(rng: random.Random) -> Prepared:
        manager, deal_id = population.pick(rng)
        update = updates.message(manager.telegram_id, f"/deal {deal_id}")
        return Prepared(update, kwargs={"user_pk": manager.user_id})

    return [
        Action("bare handler", "no middleware, no DB", bare, make_bare, expect_anything, True),
        Action("FLOOR", "session + session.get(User)", floor, make_floor, expect_anything, True),
    ]


def card_actions(dp: Dispatcher, updates: Updates, population: Population) -> list[Action]:
    from bot.callbacks import DealAction, DealCb

    def make_open(rng: random.Random) -> Prepared:
        manager, deal_id = population.pick(rng)
        data = DealCb(action=DealAction.open, deal_id=deal_id).pack()
        update = updates.callback(manager.telegram_id, data, manager.language)
        return Prepared(update, {"deal_id": deal_id})

    def make_command(rng: random.Random) -> Prepared:
        manager, deal_id = population.pick(rng)
        update = updates.message(manager.telegram_id, f"/deal {deal_id}", manager.language)
        return Prepared(update, {"deal_id": deal_id})

    return [
        Action("open card", "button DealCb(open)", dp, make_open, expect_card),
        Action("/deal <id>", "command, card sent", dp, make_command, expect_card),
    ]


def phone_typed(deal_id: int, rng: random.Random) -> str:
    """The deal's phone as a person types it, in one of the usual shapes."""
    e164 = bench_phone(deal_id)
    digits = e164[2:]
    shapes = (
        f"+7 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}",
        f"8 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}",
        f"8{digits}",
        e164,
    )
    return rng.choice(shapes)
