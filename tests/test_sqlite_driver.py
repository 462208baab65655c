"""The aiosqlite cursor that runs a statement in one thread round trip (models/sqlite_driver.py)
behaves as a DBAPI cursor should: rows, RETURNING, rowcount, executemany, errors; and the hot
writes built on the version check refuse a deal changed by someone else meanwhile."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiosqlite.core
import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from models import User, db, sqlite_driver
from models.crm import Crm, CrmConfig
from models.db import create_engine, create_session_factory
from models.deals import Deal, DealEvent, Note
from models.errors import Conflict
from models.roles import Role
from models.sqlite_driver import OneTripConnection, OneTripCursor, OneTripDBAPI
from tests.conftest import App
from tests.factories import make_deal


@contextlib.contextmanager
def round_trips() -> Iterator[list[int]]:
    """Counts the calls into aiosqlite's worker thread."""
    original = aiosqlite.core.Connection._execute
    count = [0]

    async def counting(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return await original(self, fn, *args, **kwargs)

    aiosqlite.core.Connection._execute = counting  # type: ignore[method-assign]  # a stand-in
    try:
        yield count
    finally:
        aiosqlite.core.Connection._execute = original  # type: ignore[method-assign]  # a stand-in


@pytest.fixture
async def engine(tmp_path: Path) -> Any:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    yield engine
    await engine.dispose()


async def test_a_statement_is_one_round_trip(engine: Any) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))  # the connection is open, the transaction begun
        assert isinstance(conn.sync_connection.connection.dbapi_connection.cursor(), OneTripCursor)
        with round_trips() as trips:
            rows = (await conn.execute(text("SELECT 1, 'a' UNION ALL SELECT 2, 'b'"))).all()
        assert [tuple(r) for r in rows] == [(1, "a"), (2, "b")]
        assert trips[0] == 1  # the stock adapter: cursor, execute, fetchall, close = 4


async def test_returning_rowcount_executemany_lastrowid(engine: Any) -> None:
    async with engine.begin() as conn:
        table = text("INSERT INTO t (v) VALUES (:v) RETURNING id, v")
        assert [tuple(r) for r in (await conn.execute(table, {"v": "x"})).all()] == [(1, "x")]
        result = await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), [{"v": "y"}, {"v": "z"}])
        assert result.rowcount == 2
        result = await conn.execute(text("INSERT INTO t (v) VALUES ('w')"))
        assert result.lastrowid == 4
        result = await conn.execute(text("UPDATE t SET v = v || '!' WHERE id > 1"))
        assert result.rowcount == 3
        values = (await conn.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
        assert values == ["x", "y!", "z!", "w!"]


async def test_errors_are_sqlalchemy_errors_and_the_connection_goes_on(engine: Any) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
        with pytest.raises(IntegrityError):
            await conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
        with pytest.raises(OperationalError):
            await conn.execute(text("SELECT nope FROM t"))
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 1


async def test_orm_round_trip_on_the_real_schema(app: App) -> None:
    """ORM inserts (RETURNING ids), loads and Core inserts, through the cursor."""
    _client, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    async with app.session_factory() as session, session.begin():
        await session.execute(
            insert(Note),
            [
                {
                    "deal_id": deal.id,
                    "number": n,
                    "text": f"n{n}",
                    "happened_on": app.clock().date(),
                    "author_id": owner.id,
                    "created_at": app.clock(),
                }
                for n in (1, 2, 3)
            ],
        )
    assert await app.count(Note, Note.deal_id == deal.id) == 3
    loaded = await app.scalar(select(Deal).where(Deal.id == deal.id))
    assert loaded.client_name == "Ромашка"


async def test_a_deal_changed_meanwhile_is_a_conflict_and_nothing_is_written(app: App) -> None:
    """Two people hold the same deal; the second write must not overwrite the first one's
    change (before: an ORM flush wrote whatever the stale object held)."""
    _c1, owner = await app.add_user(Role.manager)
    _c2, lead = await app.add_user(Role.admin)
    deal = await make_deal(app, owner, "Ромашка")
    config = CrmConfig()
    factory = create_session_factory(app.engine)

    async with factory() as first:  # the owner opens the deal (and keeps the object)
        crm1 = Crm(first, config, app.clock)
        actor1 = await first.get_one(User, owner.id)
        stale = await crm1.deals.get_for(actor1, deal.id, for_edit=True)
        stages = await crm1.stage_moves.stages_for(stale)
        await first.commit()

    async with factory() as second, second.begin():  # an admin moves it meanwhile
        crm2 = Crm(second, config, app.clock)
        actor2 = await second.get_one(User, lead.id)
        fresh = await crm2.deals.get_for(actor2, deal.id, for_edit=True)
        await crm2.stage_moves.move(actor2, fresh, stages[1])

    events_before = await app.count(DealEvent, DealEvent.deal_id == deal.id)
    async with factory() as first_again:
        crm1 = Crm(first_again, config, app.clock)
        first_again.add(stale)
        with pytest.raises(Conflict):
            await crm1.stage_moves.move(actor1, stale, stages[2])
        await first_again.rollback()

    stored = await app.scalar(select(Deal).where(Deal.id == deal.id))
    assert stored.stage_id == stages[1].id
    assert await app.count(DealEvent, DealEvent.deal_id == deal.id) == events_before
    assert await app.scalar(select(func.count()).select_from(Deal)) == 1


async def test_a_note_on_a_deal_changed_meanwhile_is_a_conflict_and_no_note_is_written(
    app: App,
) -> None:
    """The note's INSERT rides with the deal's version-checked UPDATE (one round trip on
    SQLite): a failed check must stop it, and the transaction must stay usable."""
    _c1, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, "Ромашка")
    config = CrmConfig()
    factory = create_session_factory(app.engine)
    async with factory() as first:
        crm1 = Crm(first, config, app.clock)
        actor1 = await first.get_one(User, owner.id)
        stale = await crm1.deals.get_for(actor1, deal.id, for_edit=True)
        await first.commit()
    async with factory() as second, second.begin():  # a second note meanwhile
        crm2 = Crm(second, config, app.clock)
        actor2 = await second.get_one(User, owner.id)
        fresh = await crm2.deals.get_for(actor2, deal.id, for_edit=True)
        await crm2.notes.add(actor2, fresh, "первая")
    version = stale.version
    async with factory() as first_again:
        crm1 = Crm(first_again, config, app.clock)
        first_again.add(stale)
        with round_trips() as trips, pytest.raises(Conflict):
            await crm1.notes.add(actor1, stale, "вторая, по устаревшей карточке")
        assert trips[0] <= 2  # BEGIN, then the UPDATE that carried the INSERT
        assert stale.version == version  # the object still says what was loaded
        assert (await first_again.execute(text("SELECT 1"))).scalar() == 1  # usable
        await first_again.commit()
    texts = await app.all(select(Note.text).where(Note.deal_id == deal.id))
    assert texts == ["первая"]
    assert await app.count(DealEvent, DealEvent.deal_id == deal.id, DealEvent.kind == "note") == 1


async def test_connections_are_tuned(engine: Any) -> None:
    async with engine.connect() as conn:
        pragma = {
            name: (await conn.execute(text(f"PRAGMA {name}"))).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "cache_size")
        }
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 30_000,
        "cache_size": -16 * 1024,
    }


def test_the_self_check_passes_on_the_installed_versions() -> None:
    assert sqlite_driver.self_check() is None


async def test_a_failing_self_check_falls_back_to_the_stock_adapter(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """As after an upgrade that changed an internal the cursor uses: one warning, and the
    bot works on SQLAlchemy's own aiosqlite adapter."""

    def changed_internals(self: Any, *args: Any, **kwargs: Any) -> None:
        raise AttributeError("'Connection' object has no attribute '_execute'")

    monkeypatch.setattr(OneTripCursor, "_go", changed_internals)
    for cached in (sqlite_driver.self_check, db._one_trip_usable):
        cached.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="models.db"):
            engines = [create_engine(f"sqlite+aiosqlite:///{tmp_path / f'{n}.db'}") for n in (1, 2)]
        try:
            warnings = [r.getMessage() for r in caplog.records if r.name == "models.db"]
            assert len(warnings) == 1, warnings  # one line per process, not per engine
            assert "self-check" in warnings[0] and "_execute" in warnings[0]
            assert "stock aiosqlite adapter" in warnings[0]
            assert not isinstance(engines[0].dialect.dbapi, OneTripDBAPI)
            async with engines[0].begin() as conn:
                await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
                await conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
                assert (await conn.execute(text("SELECT v FROM t"))).scalar() == "x"
                mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
                connection = (await conn.get_raw_connection()).dbapi_connection
            assert mode == "wal" and not isinstance(connection, OneTripConnection)  # still tuned
        finally:
            for engine in engines:
                await engine.dispose()
    finally:
        monkeypatch.undo()  # the real cursor back before the caches are refilled
        sqlite_driver.self_check.cache_clear()
        db._one_trip_usable.cache_clear()
    assert isinstance(create_engine("sqlite+aiosqlite://").dialect.dbapi, OneTripDBAPI)


# -- held-back writes (sqlite_driver.deferred) ---------------------------------------------


async def test_held_back_writes_ride_with_the_next_statement_in_order(engine: Any) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        with round_trips() as trips:
            await sqlite_driver.execute_held_back(conn, text("INSERT INTO t (v) VALUES ('a')"), {})
            await sqlite_driver.execute_held_back(
                conn, text("UPDATE t SET v = 'b' WHERE v = 'a'"), {}
            )
            assert trips[0] == 0  # nothing has gone to the worker thread yet
            rows = (await conn.execute(text("SELECT v FROM t"))).scalars().all()
        assert rows == ["b"]  # both ran, in their order, before the SELECT that carried them
        assert trips[0] == 1
        await conn.commit()


async def test_held_back_writes_ride_with_the_commit(engine: Any) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        await sqlite_driver.execute_held_back(conn, text("INSERT INTO t (v) VALUES ('c')"), {})
        with round_trips() as trips:
            await conn.commit()
        assert trips[0] == 1
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT v FROM t"))).scalars().all() == ["c"]


async def test_a_rollback_drops_held_back_writes(engine: Any) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        await sqlite_driver.execute_held_back(conn, text("INSERT INTO t (v) VALUES ('d')"), {})
        await conn.rollback()
        await conn.execute(text("SELECT 1"))
        await conn.commit()  # a later commit of the same connection does not write them
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 0


async def test_a_failed_held_back_write_is_never_taken_for_the_carriers_error(engine: Any) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('e')"))
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        await sqlite_driver.execute_held_back(conn, text("INSERT INTO t (v) VALUES ('e')"), {})
        with pytest.raises(Exception) as raised:
            await conn.execute(text("SELECT 1"))
        assert not isinstance(raised.value, IntegrityError)  # not the SELECT's own failure
        assert isinstance(raised.value.orig, sqlite_driver.DeferredWriteFailed)  # type: ignore[attr-defined]
        assert "UNIQUE" in str(raised.value.orig.__cause__)  # type: ignore[attr-defined]
        await conn.rollback()


async def test_a_held_back_check_fails_its_carrier_before_anything_commits(engine: Any) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        await sqlite_driver.execute_held_back(conn, text("INSERT INTO t (v) VALUES ('f')"), {})
        changed = await sqlite_driver.execute_held_back(
            conn, text("UPDATE t SET v = 'g' WHERE v = 'nothing'"), {}, check="one row"
        )
        assert changed is None  # held back: the answer comes with the commit
        with pytest.raises(Exception) as raised:
            await conn.commit()
        orig = raised.value.orig  # type: ignore[attr-defined]
        assert isinstance(orig, sqlite_driver.DeferredCheckFailed) and orig.check == "one row"
        await conn.rollback()
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 0


async def test_held_back_is_plain_execution_on_the_stock_adapter(engine: Any) -> None:
    """Without the one-trip driver (the stock adapter, PostgreSQL) the statement runs at once
    and its result is returned."""
    import sqlite3

    import aiosqlite
    from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

    stock = create_engine(str(engine.url), module=AsyncAdapt_aiosqlite_dbapi(aiosqlite, sqlite3))
    try:
        async with stock.connect() as conn:
            result = await sqlite_driver.execute_held_back(
                conn, text("INSERT INTO t (v) VALUES ('h')"), {}, check="one row"
            )
            assert result is not None and result.rowcount == 1
            assert (await conn.execute(text("SELECT v FROM t"))).scalars().all() == ["h"]
    finally:
        await stock.dispose()
