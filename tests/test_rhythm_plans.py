"""The rhythm's scan statements walk indexes, never the deals table (SQLite's plans; the
statements are the ones the services run)."""

from __future__ import annotations

import datetime as dt

from models.services.early_reminders import early_due_stmt
from models.services.staleness import stale_stmt
from tests.conftest import START, App
from tests.test_scheduler import sqlite_only


async def _plan(app: App, stmt: object) -> list[str]:
    sql = stmt.compile(  # type: ignore[attr-defined]
        dialect=app.engine.dialect,
        compile_kwargs={"literal_binds": True, "render_postcompile": True},
    )
    async with app.engine.connect() as conn:
        rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in rows]


@sqlite_only
async def test_stale_and_early_statements_use_their_indexes(app: App) -> None:
    cutoffs = {n: START - dt.timedelta(days=n) for n in range(1, 8)}
    stale = await _plan(app, stale_stmt(list(range(1, 501)), cutoffs))
    early = await _plan(app, early_due_stmt(START))
    for steps in (stale, early):
        assert not any(step.startswith("SCAN deals") for step in steps), steps
    assert any("ix_deals_owner_status" in s for s in stale), stale
    assert any("ix_deals_next_action_at" in s for s in early), early


@sqlite_only
async def test_the_phones_of_list_rows_are_read_by_deal_not_by_kind(app: App) -> None:
    """Today / Overdue rows show a phone per deal: read through the contacts' deal index. With
    "kind = ?" in SQL SQLite walked the (kind, normalized) index, every phone of the company
    (Overdue took 66 ms on 100,000 deals)."""
    from sqlalchemy import event

    from models.services.outcomes import Outcomes
    from tests.factories import make_deal

    _, owner = await app.add_user()
    deal = await make_deal(app, owner, contacts=("+7 916 123-45-67", "a@b.ru"))
    others = [await make_deal(app, owner, contacts=(f"+7 916 000-00-{n:02d}",)) for n in range(7)]
    seen: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, statement: str, params: object, *_: object) -> None:
        if "FROM contacts" in statement:
            seen.append((statement, params))

    event.listen(app.engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with app.session_factory() as session:
            phones = await Outcomes(app.crm(session)).first_phones(
                [deal.id, *(d.id for d in others)]
            )
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", capture)
    assert phones[deal.id] == "+79161234567" and len(phones) == 8  # a page of 8 rows
    [(statement, params)] = seen
    async with app.engine.connect() as conn:
        rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)  # type: ignore[arg-type]
        plan = [row[-1] for row in rows]
    assert any("ix_contacts_deal_id" in step for step in plan), plan
    assert not any("ix_contacts_kind_normalized" in step for step in plan), plan
