"""Conversation state (aiogram FSM) that survives a restart: in our database by default, in
Redis when ``REDIS_URL`` is set. Both expire a prompt after ``STATE_TTL_HOURS`` and can tell
that a prompt the person answers has expired (``consume_expired_prompt``).

Why our own storage and not a package: the aiogram SQLAlchemy storages on PyPI open a session
and commit per call (a state change could not commit or roll back with the update's other
writes), bring their own table outside our migrations and have no TTL; the SQLite ones do not
run on PostgreSQL. This one is a thin layer over ``models/services/conversation_state.py``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    DEFAULT_DESTINY,
    BaseStorage,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from bot.middlewares.db import _update_session
from models.clock import Clock, utc_now
from models.db import create_read_session_factory, create_session_factory, note_write
from models.services import conversation_state as rows
from models.services.conversation_state import EMPTY_DATA, StoredState
from models.sqlite_driver import deferred

if TYPE_CHECKING:  # the redis client is an optional extra
    from aiogram.fsm.storage.redis import RedisStorage

DEFAULT_TTL = dt.timedelta(hours=24)
# After a prompt expired, how long an answer to it is still told "the prompt expired" (the
# expired row or, in Redis, a marker is kept that long; then it is pruned).
EXPIRED_NOTICE_WINDOW = dt.timedelta(days=7)
DEFAULT_CACHE_SIZE = 50_000
_KEEP: Any = object()  # _change: leave this part as it is

_VIEWS = "dealbot_fsm_views"  # session.info: {storage: _TxView} of the open transaction


class _TxView:
    """What one transaction read and wrote: its own writes are seen by its later reads, and
    reach the process cache only when the transaction commits."""

    __slots__ = ("rows", "written")

    def __init__(self) -> None:
        self.rows: dict[str, StoredState | None] = {}
        self.written: set[str] = set()


def storage_key(key: StorageKey) -> str:
    """``bot:chat:user[:thread][:business][:destiny]`` (see models.reliability.FsmState)."""
    parts = [str(key.bot_id), str(key.chat_id), str(key.user_id)]
    if key.thread_id:
        parts.append(f"t{key.thread_id}")
    if key.business_connection_id:
        parts.append(f"b{key.business_connection_id}")
    if key.destiny != DEFAULT_DESTINY:
        parts.append(f"d{key.destiny}")
    return ":".join(parts)


class DatabaseStorage(BaseStorage):
    """FSM state and data in the table ``fsm_states``.

    Inside an update every write goes into the update's own session and transaction (it
    commits or rolls back with the update's other writes and its processed-update record);
    outside an update a write takes a short transaction of its own. aiogram reads the state
    before our session middleware opens the update's session: that read takes a short
    read-only transaction.

    ``cache=True`` keeps the committed rows in this process's memory, so reading the state of
    an update costs a dictionary look-up instead of a database round trip, and writes that
    change nothing (``state.clear()`` with no state) cost nothing. Safe only when this process
    is the only one that writes the conversation state of this database: long polling (one
    poller per token) is. Never with several processes handling updates (webhook workers):
    they would read each other's stale rows. A transaction that rolls back drops what it
    wrote from the cache. The first read loads every row at once (people in the middle of a
    flow are few), so from then on a key missing from the cache is known to have no row: a
    person's first update after a start costs no state read either.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        ttl: dt.timedelta | None = DEFAULT_TTL,
        clock: Clock = utc_now,
        cache: bool = False,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        self._reader = create_read_session_factory(engine)
        self._writer = create_session_factory(engine)
        self._cache: dict[str, StoredState | None] | None = {} if cache else None
        self._cache_size = cache_size
        # The cache holds every committed row (loaded whole, then kept by our own commits):
        # a miss means "no row", except for the keys in _unknown (a write of theirs rolled
        # back: their committed row is read again). Dropped when the cache overflows.
        self._complete = False
        self._preloaded = False
        self._unknown: set[str] = set()

    # -- aiogram's interface -------------------------------------------------------------
    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._row(storage_key(key), _update_session.get())
        return row.state if row is not None and row.live(self.clock()) else None

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._row(storage_key(key), _update_session.get())
        if row is None or not row.live(self.clock()):
            return {}
        return dict(json.loads(row.data))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        await self._change(storage_key(key), state=name)

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        text = json.dumps(dict(data), ensure_ascii=False, separators=(",", ":"))
        await self._change(storage_key(key), data=text)

    async def close(self) -> None:
        if self._cache is not None:
            self._cache.clear()

    # -- ours ----------------------------------------------------------------------------
    async def consume_expired_prompt(self, key: StorageKey) -> bool:
        """True if this conversation had a prompt that expired unanswered; forgets it, so the
        person is told once."""
        k = storage_key(key)
        session = _update_session.get()
        row = await self._row(k, session)
        if row is None or row.state is None or row.live(self.clock()):
            return False
        await self._write(k, None, session)
        return True

    async def remember(self, key: StorageKey, changes: Mapping[str, Any]) -> bool:
        """Add ``changes`` to the conversation's data in this process's memory only (into the
        update's pending write when it has one, which then writes them too): for what a flow
        can do without after a restart, such as the id of the message a prompt sits on,
        learnt only once the message went out, or a search's query for its page buttons.
        Writing them would cost a write transaction of its own. False without a cache (the
        caller writes as usual)."""
        if self._cache is None:
            return False
        k = storage_key(key)
        session = _update_session.get()
        views = session.sync_session.info.get(_VIEWS) if session is not None else None
        view = views.get(self) if views else None
        if view is not None and k in view.written:
            view.rows[k] = self._merged(view.rows[k], changes)
            return True
        current = await self._row(k, session)
        self._cache[k] = self._merged(current, changes)
        return True

    def _merged(self, row: StoredState | None, changes: Mapping[str, Any]) -> StoredState:
        now = self.clock()
        if row is None or not row.live(now):  # data of no state, kept as long as a prompt
            expires = now + self.ttl if self.ttl is not None else None
            row = StoredState(None, EMPTY_DATA, expires)
        data = {**json.loads(row.data), **changes}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return StoredState(row.state, text, row.expires_at)

    async def _change(self, k: str, *, state: str | None = _KEEP, data: str | None = None) -> None:
        session = _update_session.get()
        now = self.clock()
        current = await self._row(k, session)
        live = current if current is not None and current.live(now) else None
        new_state = (live.state if live else None) if state is _KEEP else state
        new_data = (live.data if live else EMPTY_DATA) if data is None else data
        if live is not None and live.state == new_state and live.data == new_data:
            return  # nothing changes (the TTL counts from the last change)
        if current is None and new_state is None and new_data == EMPTY_DATA:
            return  # clearing what is not there
        expires = now + self.ttl if self.ttl is not None else None
        new = StoredState(new_state, new_data, expires)
        await self._write(k, None if new.empty else new, session)

    async def _write(self, k: str, row: StoredState | None, session: AsyncSession | None) -> None:
        """Record the new row in the transaction's view; the statement runs when it commits
        (``_before_commit``): a handler's ``set_state`` + ``set_data`` cost one statement."""
        if session is None:  # outside an update: a short transaction of its own
            async with self._writer() as own, own.begin():
                self._stage(own, k, row)
            return
        self._stage(session, k, row)

    def _stage(self, session: AsyncSession, k: str, row: StoredState | None) -> None:
        sync = session.sync_session
        if not sync.in_transaction():
            sync.begin()  # no I/O yet; the commit that follows must not find "nothing to do"
        note_write(sync)  # counts as a write of the update (processed-update record, "saved")
        view = self._view(session)
        view.rows[k] = row
        view.written.add(k)

    async def _row(self, k: str, session: AsyncSession | None) -> StoredState | None:
        if session is not None:
            views = session.sync_session.info.get(_VIEWS)
            view = views.get(self) if views else None
            if view is not None and k in view.rows:
                return view.rows[k]
        if self._cache is not None:
            if k in self._cache:
                return self._cache[k]
            if not self._preloaded:
                await self._preload()
                if k in self._cache:
                    return self._cache[k]
            if self._complete and k not in self._unknown:
                return None
        if session is None:
            async with self._reader() as reader:
                row = await rows.load(reader, k)
        else:
            row = await rows.load(session, k)
            if self._cache is None:
                self._view(session).rows[k] = row  # later reads of this update: no round trip
        if self._cache is not None:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
                self._complete = False
            self._cache[k] = row  # committed data: our own uncommitted writes are in the view
            self._unknown.discard(k)
        return row

    async def _preload(self) -> None:
        assert self._cache is not None
        self._preloaded = True  # once: a store too big for the cache is read per key
        async with self._reader() as reader:
            every_row = await rows.load_all(reader, self._cache_size // 2)
        if every_row is not None:
            for k, row in every_row.items():  # a commit of ours during the read is newer
                self._cache.setdefault(k, row)
            self._complete = True

    def _view(self, session: AsyncSession) -> _TxView:
        views = session.sync_session.info.setdefault(_VIEWS, {})
        view = views.get(self)
        if view is None:
            view = views[self] = _TxView()
        return view

    # -- called by the session events below ----------------------------------------------
    def _flush(self, session: Session, view: _TxView) -> None:
        dialect = session.get_bind().dialect.name
        now = self.clock()
        # On SQLite the state rides with the COMMIT that follows (models/sqlite_driver.py).
        with deferred(session.connection()):
            for k in view.written:
                row = view.rows[k] or StoredState(None, EMPTY_DATA, None)
                for stmt, params in rows.write_statements(dialect, k, row, now):
                    session.execute(stmt, params)

    def _committed(self, view: _TxView) -> None:
        if self._cache is not None:
            if len(self._cache) + len(view.written) > self._cache_size:
                self._cache.clear()
                self._complete = False
            for k in view.written:
                self._cache[k] = view.rows[k]

    def _discarded(self, view: _TxView) -> None:
        if self._cache is not None:
            for k in view.written:
                self._cache.pop(k, None)  # the database decides again on the next read
                self._unknown.add(k)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    # Runs inside AsyncSession.commit's greenlet: sync execution is allowed here (as in a flush).
    views = session.info.get(_VIEWS)
    if views:
        for storage, view in views.items():
            storage._flush(session, view)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    views = session.info.pop(_VIEWS, None)
    if views:
        for storage, view in views.items():
            storage._committed(view)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Still there at the end of the outer transaction: it was not committed (rolled back, or
    # the session closed). Savepoints are not used around state writes.
    if transaction.parent is not None:
        return
    views = session.info.pop(_VIEWS, None)
    if views:
        for storage, view in views.items():
            storage._discarded(view)


async def remember_data(state: FSMContext, **changes: Any) -> None:
    """``DatabaseStorage.remember`` where the storage can, else an ordinary data update."""
    remember = getattr(state.storage, "remember", None)
    if remember is None or not await remember(state.key, changes):
        await state.update_data(changes)


def create_redis_storage(
    url: str, ttl: dt.timedelta | None, *, key_builder: KeyBuilder | None = None
) -> RedisStorage:
    """aiogram's RedisStorage with state/data TTLs and a marker that outlives an open prompt
    (so an answer after the TTL is told the prompt expired)."""
    from aiogram.fsm.storage.redis import RedisStorage

    class PromptAwareRedisStorage(RedisStorage):
        async def set_state(self, key: StorageKey, state: StateType = None) -> None:
            await super().set_state(key, state)
            marker = self._marker(key)
            if state is None:
                await self.redis.delete(marker)
            else:
                # the factory's ttl (a timedelta) is our state_ttl; redis types it int | timedelta
                ex = (ttl or dt.timedelta(0)) + EXPIRED_NOTICE_WINDOW
                await self.redis.set(marker, 1, ex=ex)

        async def consume_expired_prompt(self, key: StorageKey) -> bool:
            if await self.get_state(key) is not None:
                return False
            return bool(await self.redis.delete(self._marker(key)))

        def _marker(self, key: StorageKey) -> str:
            # KeyBuilder.build types its part Literal["data", "state", "lock"]; aiogram's
            # builders take any word, and ours cannot clash with theirs
            return self.key_builder.build(key, "prompt")  # type: ignore[arg-type]

    return PromptAwareRedisStorage.from_url(
        url, state_ttl=ttl, data_ttl=ttl, key_builder=key_builder
    )


async def consume_expired_prompt(state: FSMContext) -> bool:
    """True if the person answers a prompt that expired (told once); False for a storage
    that cannot know (aiogram's MemoryStorage)."""
    check = getattr(state.storage, "consume_expired_prompt", None)
    return bool(check is not None and await check(state.key))
