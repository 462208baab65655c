"""Conversation state in the database (bot/storage.py): a prompt survives a restart, expires
after STATE_TTL_HOURS and says so, and commits or rolls back with the update's other writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import pytest
from aiogram import Dispatcher
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.dispatcher import build_dispatcher
from bot.storage import DatabaseStorage
from handlers.work_flow import WorkFlow
from models import Note, User
from models.crm import Crm
from models.db import create_engine, create_session_factory
from models.reliability import FsmState
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.factories import make_deal

EXPIRED = "Этот запрос устарел: ответ пришёл слишком поздно, ничего не сохранено."
PLACEHOLDER = "Выберите действие в меню ниже."
NOTE_TEXT = "Позвонил, клиент просит КП до понедельника"


@pytest.fixture
def app(app: App) -> App:
    """These tests are about the database storage: use it also in the run where the shared
    fixture keeps the state in Redis (TEST_REDIS_URL)."""
    if not isinstance(app.dp.storage, DatabaseStorage):
        storage = DatabaseStorage(app.engine, ttl=app.settings.state_ttl, clock=app.clock)
        app.dp = build_dispatcher(
            app.settings, app.session_factory, clock=app.clock, storage=storage
        )
    return app


async def _notes(app: App, deal_id: int) -> list[str]:
    return list(await app.all(select(Note.text).where(Note.deal_id == deal_id)))


@asynccontextmanager
async def restarted(app: App, *, cache: bool = True) -> AsyncIterator[Dispatcher]:
    """What ``python -m bot`` has after a restart: a new engine, storage and dispatcher over
    the same database file, nothing kept in memory."""
    engine = create_engine(app.settings.database_url)
    try:
        storage = DatabaseStorage(engine, ttl=app.settings.state_ttl, clock=app.clock, cache=cache)
        yield build_dispatcher(
            app.settings, create_session_factory(engine), clock=app.clock, storage=storage
        )
    finally:
        await engine.dispose()


def same_person(app: App, dp: Dispatcher, client: ChatClient) -> ChatClient:
    again = ChatClient(dp, app.bot, app.telegram, client.user.id)
    again.user, again.chat = client.user, client.chat
    return again


async def test_the_production_dispatcher_keeps_the_state_in_the_database(app: App) -> None:
    assert isinstance(app.dp.storage, DatabaseStorage)


@pytest.mark.parametrize("cache", [True, False])
async def test_a_prompt_open_before_a_restart_takes_its_answer(app: App, cache: bool) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    await ivan.press("📝 Заметка")
    assert await app.count(FsmState, FsmState.state == WorkFlow.note_text.state) == 1

    async with restarted(app, cache=cache) as dp:
        await same_person(app, dp, ivan).send(NOTE_TEXT)

    assert await _notes(app, deal.id) == [NOTE_TEXT]
    assert "✅ Заметка 01 сохранена" in ivan.last_message().text
    # The prompt is over: the note flow moved on to the next-step question.
    assert await app.count(FsmState, FsmState.state == WorkFlow.note_text.state) == 0


@pytest.mark.parametrize("restart", [False, True])
async def test_an_expired_prompt_says_so_and_saves_nothing(app: App, restart: bool) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    await ivan.press("📝 Заметка")
    app.clock.advance(hours=app.settings.state_ttl_hours, seconds=1)

    async with restarted(app) as dp:
        person = same_person(app, dp, ivan) if restart else ivan
        await person.send(NOTE_TEXT)

        assert ivan.last_message().text.startswith(EXPIRED)
        assert await _notes(app, deal.id) == []
        assert await app.count(FsmState) == 0  # told once: the stale prompt is forgotten
        await person.send("ещё текст")
        assert ivan.last_message().text == PLACEHOLDER


async def test_an_expired_prompt_in_english(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager, language="en")
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    await ivan.press("📝 Note")
    app.clock.advance(hours=25)
    await ivan.send(NOTE_TEXT)
    assert ivan.last_message().text.startswith("This prompt has expired")


async def test_a_prompt_within_its_time_is_not_expired(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    await ivan.press("📝 Заметка")
    app.clock.advance(hours=app.settings.state_ttl_hours - 1)
    await ivan.send(NOTE_TEXT)
    assert await _notes(app, deal.id) == [NOTE_TEXT]


async def test_a_rolled_back_update_leaves_no_state_behind(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)

    async def half_done(message: Message, state: FSMContext, crm: Crm, user: User) -> None:
        await state.set_state(WorkFlow.note_text)
        await state.set_data({"deal_id": deal.id, "msg_id": None})
        (await crm.session.get_one(User, user.id)).language = "en"  # another write of the update
        raise RuntimeError("the handler fails after changing the state")

    app.dp.message.register(half_done, Command("halfdone"))  # the dispatcher's own: first
    await ivan.send("/halfdone")
    assert "Произошла ошибка, ничего не сохранено" in ivan.last_message().text

    assert await app.count(FsmState) == 0
    assert await app.scalar(select(User.language).where(User.id == owner.id)) == "ru"
    # Nor in the process cache: the text is no answer to a note prompt.
    await ivan.send(NOTE_TEXT)
    assert ivan.last_message().text == PLACEHOLDER
    assert await _notes(app, deal.id) == []


async def test_state_and_data_commit_with_the_update(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    await ivan.send(f"/deal {deal.id}")
    await ivan.press("📝 Заметка")
    [row] = await app.all(select(FsmState))
    assert row.key == f"{app.bot.id}:{ivan.chat.id}:{ivan.user.id}"
    assert row.state == WorkFlow.note_text.state and f'"deal_id":{deal.id}' in row.data
    assert row.expires_at == app.clock() + app.settings.state_ttl


@pytest.mark.parametrize("cache", [True, False])
async def test_storage_outside_an_update(app: App, cache: bool) -> None:
    """Without an update (no session), a write takes a transaction of its own."""
    storage = DatabaseStorage(app.engine, ttl=dt.timedelta(hours=1), clock=app.clock, cache=cache)
    key = StorageKey(bot_id=1, chat_id=2, user_id=3)
    assert await storage.get_state(key) is None and await storage.get_data(key) == {}
    await storage.set_state(key, "Flow:step")
    await storage.update_data(key, {"a": 1, "ы": "текст"})
    other = DatabaseStorage(app.engine, clock=app.clock)  # another process, no cache
    assert await other.get_state(key) == "Flow:step"
    assert await other.get_data(key) == {"a": 1, "ы": "текст"}

    await storage.set_state(key, None)
    await storage.set_data(key, {})
    assert await app.count(FsmState) == 0  # empty state and data: no row
    assert await other.get_state(key) is None

    await storage.set_state(key, "Flow:step")
    app.clock.advance(hours=1)
    assert await storage.get_state(key) is None and await other.get_data(key) == {}
    # A new state after the expiry starts with empty data, not the stale one.
    await storage.set_state(key, "Flow:again")
    assert await other.get_data(key) == {}


async def test_python_m_bot_keeps_the_state_in_the_database_or_in_redis(app: App) -> None:
    from aiogram.fsm.storage.memory import SimpleEventIsolation
    from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

    from bot.app import create_storage
    from bot.isolation import OrderedEventIsolation
    from tests.conftest import make_settings

    without_redis = make_settings(app.settings.database_url)
    storage, isolation = create_storage(without_redis, app.engine)
    assert isinstance(storage, DatabaseStorage) and isinstance(isolation, SimpleEventIsolation)
    assert storage.ttl == dt.timedelta(hours=24)

    settings = make_settings(app.settings.database_url, redis_url="redis://127.0.0.1:1/0")
    storage, isolation = create_storage(settings, app.engine)  # connects only when used
    try:
        assert isinstance(storage, RedisStorage)
        assert isinstance(isolation, OrderedEventIsolation)
        assert isinstance(isolation.shared, RedisEventIsolation)
        assert storage.state_ttl == storage.data_ttl == dt.timedelta(hours=24)
    finally:
        await storage.close()


async def test_the_nightly_prune_forgets_long_expired_prompts_only(app: App) -> None:
    from scheduler import jobs
    from scheduler.context import set_context
    from tests.reminders_support import make_context

    storage = DatabaseStorage(app.engine, ttl=dt.timedelta(hours=24), clock=app.clock)
    old, recent = StorageKey(1, 2, 3), StorageKey(1, 4, 5)
    await storage.set_state(old, "Flow:step")
    app.clock.advance(days=7)
    await storage.set_state(recent, "Flow:step")  # expires in a day: still told "expired"
    app.clock.advance(days=2)
    ctx, _ = make_context(app)
    set_context(ctx)
    try:
        await jobs.prune()
    finally:
        set_context(None)
    keys = await app.all(select(FsmState.key))
    assert keys == ["1:4:5"]


class _StateReads:
    """Counts the statements that read fsm_states on an engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        from sqlalchemy import event

        self.count = 0

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def _seen(conn: object, cursor: object, statement: str, *args: object) -> None:
            if statement.lstrip().upper().startswith("SELECT") and "fsm_states" in statement:
                self.count += 1


async def test_the_cache_loads_every_row_once_then_knows_a_missing_key_has_none(app: App) -> None:
    """The polling process reads the whole (small) table at its first state read: a person's
    first update after a start costs no state read, and the rows written before it are seen."""
    before = DatabaseStorage(app.engine, clock=app.clock)  # the previous run of the bot
    waiting, other = StorageKey(bot_id=1, chat_id=2, user_id=2), StorageKey(1, 3, 3)
    await before.set_state(waiting, "Flow:step")
    reads = _StateReads(app.engine)
    storage = DatabaseStorage(app.engine, ttl=dt.timedelta(hours=1), clock=app.clock, cache=True)
    assert await storage.get_state(other) is None
    assert await storage.get_state(waiting) == "Flow:step"
    assert await storage.get_state(StorageKey(1, 4, 4)) is None
    assert reads.count == 1  # the one load of every row


async def test_a_rolled_back_write_makes_its_key_read_again(app: App) -> None:
    storage = DatabaseStorage(app.engine, ttl=dt.timedelta(hours=1), clock=app.clock, cache=True)
    key = StorageKey(bot_id=1, chat_id=5, user_id=5)
    assert await storage.get_state(key) is None  # loaded: complete
    await DatabaseStorage(app.engine, clock=app.clock).set_state(key, "Flow:other")  # no cache
    async with app.session_factory() as session:
        from bot.middlewares.db import _update_session

        token = _update_session.set(session)
        try:
            await storage.set_state(key, "Flow:mine")
            await session.rollback()
        finally:
            _update_session.reset(token)
    # The rollback dropped the key from the cache: the database's row is read, not "no row".
    assert await storage.get_state(key) == "Flow:other"


async def test_a_table_too_big_for_the_cache_is_read_per_key(app: App) -> None:
    writer = DatabaseStorage(app.engine, clock=app.clock)
    for n in range(6):
        await writer.set_state(StorageKey(1, 10 + n, 10 + n), "Flow:step")
    storage = DatabaseStorage(app.engine, clock=app.clock, cache=True, cache_size=8)
    assert await storage.get_state(StorageKey(1, 99, 99)) is None
    await writer.set_state(StorageKey(1, 97, 97), "Flow:late")  # not complete: read per key
    assert await storage.get_state(StorageKey(1, 97, 97)) == "Flow:late"
    assert await storage.get_state(StorageKey(1, 15, 15)) == "Flow:step"


@contextmanager
def _commits() -> Iterator[list[int]]:
    """Counts the commits of every engine (the test's own engine is idle meanwhile)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen = [0]

    def _seen(conn: object) -> None:
        seen[0] += 1

    event.listen(Engine, "commit", _seen)
    try:
        yield seen
    finally:
        event.remove(Engine, "commit", _seen)


async def test_a_note_and_its_next_step_question_commit_in_one_transaction(app: App) -> None:
    """The question's state is written before the card goes out, with the note: a second
    transaction after the send cost a third of a note's time. The new card's id is kept in
    memory, so the typed answer still edits that card."""
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    async with restarted(app) as dp:  # the polling process's storage, with its cache
        person = same_person(app, dp, ivan)
        with _commits() as commits:
            [card] = await person.send(f"/note {deal.id} {NOTE_TEXT}")
        assert commits == [1]
        [row] = await app.all(select(FsmState))
        assert row.state == WorkFlow.next_day.state and '"msg_id":null' in row.data

        sent = await person.send("завтра")
        assert sent[-1].message_id == card.message_id and sent[-1].edits >= 1  # in place
    async with app.session_factory() as session:
        stored = await session.get(type(deal), deal.id)
        assert stored is not None and stored.next_action_on == _tomorrow(app, owner)


async def test_a_stage_move_and_its_next_step_question_commit_in_one_transaction(
    app: App,
) -> None:
    """The pressed button is answered once the question's state is set: answered first, the
    answer committed the move and the state took a second transaction of its own."""
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    async with restarted(app) as dp:
        person = same_person(app, dp, ivan)
        await person.send(f"/deal {deal.id}")
        card = person.last_message()
        await person.press("🔀 Этап", message=card)
        with _commits() as commits:
            await person.press("2. Собрать требования", message=card)
        assert commits == [1]
        assert "Когда следующий шаг?" in card.text
        [row] = await app.all(select(FsmState))
        assert row.state == WorkFlow.next_day.state and f'"deal_id":{deal.id}' in row.data

        await person.send("завтра")  # the typed answer still finds the question
    async with app.session_factory() as session:
        stored = await session.get(type(deal), deal.id)
        assert stored is not None and stored.next_action_on == _tomorrow(app, owner)
        assert stored.version == deal.version + 2


async def test_the_note_and_date_buttons_set_their_prompt_in_the_button_s_transaction(
    app: App,
) -> None:
    """Note and Next step on the card answer the button once the prompt's state is set:
    one commit each (answered first, the state took a transaction of its own)."""
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    async with restarted(app) as dp:
        person = same_person(app, dp, ivan)
        await person.send(f"/deal {deal.id}")
        card = person.last_message()
        with _commits() as commits:
            await person.press("📝 Заметка", message=card)
        assert commits == [1]
        [row] = await app.all(select(FsmState))
        assert row.state == WorkFlow.note_text.state
        await person.send(NOTE_TEXT)  # the typed note lands on the deal
        assert await _notes(app, deal.id) == [NOTE_TEXT]

        await person.send(f"/deal {deal.id}")
        card = person.last_message()
        with _commits() as commits:
            await person.press("📅 След. шаг", message=card)
        assert commits == [1]
        [row] = await app.all(select(FsmState))
        assert row.state == WorkFlow.next_day.state
        await person.send("завтра")
    async with app.session_factory() as session:
        stored = await session.get(type(deal), deal.id)
        assert stored is not None and stored.next_action_on == _tomorrow(app, owner)


async def test_after_a_restart_the_typed_answer_shows_a_fresh_card(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner)
    async with restarted(app) as dp:
        [card] = await same_person(app, dp, ivan).send(f"/note {deal.id} {NOTE_TEXT}")
    async with restarted(app) as dp:
        sent = await same_person(app, dp, ivan).send("завтра")
    assert sent and sent[-1].message_id != card.message_id  # the id was not written
    assert f"/deal {deal.id}" in sent[-1].text or sent[-1].reply_markup is not None
    async with app.session_factory() as session:
        stored = await session.get(type(deal), deal.id)
        assert stored is not None and stored.next_action_on == _tomorrow(app, owner)


def _tomorrow(app: App, user: User) -> dt.date:
    from models.timeutil import local_today

    return local_today(app.clock(), user.timezone) + dt.timedelta(days=1)
