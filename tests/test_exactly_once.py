"""Each update takes effect once: a redelivered update (Telegram after a crash, a second
process) finds its processed-update record and changes nothing twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import Deal, Note, ProcessedUpdate
from models.roles import Role
from models.update_log import prune_processed
from tests.conftest import App
from tests.factories import make_deal
from tests.mocked_bot import BOT_ID
from tests.reminders_support import set_user

TODAY = dt.date(2026, 11, 27)


async def test_a_note_delivered_twice_is_saved_once(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    update = ivan.message_update(text=f"/note {deal.id} Позвонил, договорились о встрече")

    await ivan.feed(update)
    replies = len(app.telegram.chat(ivan.chat.id))
    await ivan.feed(update)  # the same update_id again

    notes = await app.all(select(Note).where(Note.deal_id == deal.id))
    assert [n.text for n in notes] == ["Позвонил, договорились о встрече"]
    assert len(app.telegram.chat(ivan.chat.id)) == replies  # the second run said nothing
    [record] = await app.all(select(ProcessedUpdate))
    assert (record.bot_id, record.update_id) == (BOT_ID, update.update_id)


async def test_a_new_deal_delivered_twice_is_created_once(app: App) -> None:
    # No e-mail or phone: the duplicate check has nothing to match, only the guard stops it.
    ivan, _ = await app.add_user(Role.manager)
    before = await app.count(Deal)
    update = ivan.message_update(text="/new Пётр Сидоров")
    await ivan.feed(update)
    assert await app.count(Deal) == before + 1
    await ivan.feed(update)
    assert await app.count(Deal) == before + 1


async def test_a_read_only_update_writes_no_record(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    await make_deal(app, owner, next_action_on=TODAY)
    # Seen a minute ago: "last seen" is not due for a write (at most one per 5 minutes).
    await set_user(app, owner, last_seen_at=app.clock() - dt.timedelta(minutes=1))
    await ivan.send("/today")
    assert await app.count(ProcessedUpdate) == 0


async def test_an_update_recorded_by_another_process_is_skipped(app: App) -> None:
    """Another process committed this update first: this one writes nothing."""
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    update = ivan.message_update(text=f"/note {deal.id} Это уже сохранено другим процессом")
    async with app.session_factory() as session, session.begin():
        session.add(
            ProcessedUpdate(bot_id=BOT_ID, update_id=update.update_id, processed_at=app.clock())
        )
    sent = await ivan.feed(update)
    assert sent == []
    assert await app.count(Note, Note.deal_id == deal.id) == 0


async def test_different_updates_with_the_same_text_are_both_applied(app: App) -> None:
    ivan, owner = await app.add_user(Role.manager)
    deal = await make_deal(app, owner, next_action_on=TODAY)
    await ivan.send(f"/note {deal.id} Перезвонить")
    await ivan.send(f"/note {deal.id} Перезвонить")
    assert await app.count(Note, Note.deal_id == deal.id) == 2
    assert await app.count(ProcessedUpdate) == 2


async def test_old_records_are_pruned(app: App) -> None:
    now = app.clock()
    async with app.session_factory() as session, session.begin():
        session.add_all(
            ProcessedUpdate(bot_id=BOT_ID, update_id=i, processed_at=now - dt.timedelta(days=d))
            for i, d in ((1, 5), (2, 4), (3, 1))
        )
    async with app.session_factory() as session, session.begin():
        removed = await prune_processed(session, now - dt.timedelta(days=3))
    assert removed == 2
    assert [r.update_id for r in await app.all(select(ProcessedUpdate))] == [3]
