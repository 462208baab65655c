"""The sent-log is pruned nightly; recent keys (still guarding against duplicates) stay."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import SentNotification
from scheduler import jobs
from scheduler.context import set_context
from tests.conftest import App
from tests.reminders_support import make_context


async def test_old_sent_log_rows_are_pruned_and_recent_ones_kept(app: App) -> None:
    now = app.clock()
    async with app.session_factory() as session, session.begin():
        for days in (200, 120, 91, 89, 1, 0):
            for i in range(3):
                session.add(
                    SentNotification(
                        key=f"digest:{days}:{i}",
                        created_at=now - dt.timedelta(days=days),
                        sent_at=now - dt.timedelta(days=days),
                    )
                )
    ctx, _ = make_context(app)
    set_context(ctx)
    try:
        await jobs.prune()
    finally:
        set_context(None)
    left = await app.all(select(SentNotification.key).order_by(SentNotification.id))
    assert left == [f"digest:{d}:{i}" for d in (89, 1, 0) for i in range(3)]


async def test_pruning_goes_in_small_batches(app: App) -> None:
    old = app.clock() - dt.timedelta(days=100)
    async with app.session_factory() as session, session.begin():
        session.add_all(SentNotification(key=f"k{i}", created_at=old) for i in range(12))
    async with app.session_factory() as session, session.begin():
        assert await app.crm(session).reminders.prune_sent(app.clock(), limit=5) == 5
    ctx, _ = make_context(app)
    assert await jobs.prune_sent_log(ctx, app.clock()) == 7
    assert await app.count(SentNotification) == 0


async def test_the_nightly_prune_forgets_old_processed_updates(app: App) -> None:
    from models import ProcessedUpdate

    now = app.clock()
    async with app.session_factory() as session, session.begin():
        session.add_all(
            ProcessedUpdate(bot_id=1, update_id=i, processed_at=now - dt.timedelta(days=days))
            for i, days in enumerate((10, 4, 2, 0))
        )
    ctx, _ = make_context(app)
    set_context(ctx)
    try:
        await jobs.prune()
    finally:
        set_context(None)
    left = await app.all(select(ProcessedUpdate.update_id).order_by(ProcessedUpdate.update_id))
    assert left == [2, 3]
