"""Migration 0007 on a database that holds deals: nothing lost. Websites stay websites, a
tracker's task URL becomes a link labelled "Задача", a legacy contacts.person_name becomes a
contact person of the deal (and searchable); the downgrade puts both back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select, text

from models import Contact, Deal, migrate
from models.db import create_engine
from tests.migration_support import insert_row

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
URLS = {
    "https://romashka.ru": ("url", None),
    "https://romashka.ru/contacts?x=1": ("url", None),
    "https://firm.atlassian.net/browse/WEB-1": ("link", "Задача"),
    "https://jira.firm.ru/browse/X-2": ("link", "Задача"),
    "https://trello.com/c/abc": ("link", "Задача"),
    "https://notjira.ru/page": ("url", None),
}


def _old_rows(conn: Connection) -> dict[str, int]:
    pipeline = insert_row(
        conn, "pipelines", code="p", name="Воронка", position=1, is_unsorted=False,
        is_archived=False,
    )  # fmt: skip
    stage = insert_row(
        conn, "stages", code="contacts", name="Контакты", position=1, kind="open",
        is_archived=False,
    )  # fmt: skip
    user = insert_row(
        conn, "users", telegram_id=5, full_name="Иван", role="manager",
        timezone="Europe/Moscow", language="ru", digest_time=dt.time(9, 0),
        followup_time=dt.time(14, 0), summary_time=dt.time(19, 0), work_days="01234",
        is_active=True, is_reachable=True, created_at=NOW,
    )  # fmt: skip
    deal = insert_row(
        conn, "deals", title="Ромашка", pipeline_id=pipeline, stage_id=stage, status="open",
        owner_id=user, created_at=NOW, updated_at=NOW, version=1, search_text="ромашка",
    )  # fmt: skip
    return {"deal": deal}


async def test_upgrade_keeps_every_contact_and_moves_what_it_can_tell(
    empty_database_url: str,
) -> None:
    """On SQLite, or on PostgreSQL with TEST_DATABASE_URL."""
    engine = create_engine(empty_database_url)
    try:
        await migrate.upgrade(engine, "0004")
        async with engine.begin() as conn:  # rows as 0004's tables have them
            ids = await conn.run_sync(_old_rows)
            deal_id = ids["deal"]
            for url in URLS:
                await conn.execute(
                    text(
                        "INSERT INTO contacts (deal_id, kind, value, normalized) "
                        "VALUES (:d, 'url', :u, :u)"
                    ),
                    {"d": deal_id, "u": url},
                )
            for value in ("anna@romashka.ru", "+79991234567"):
                kind = "email" if "@" in value else "phone"
                await conn.execute(
                    text(
                        "INSERT INTO contacts (deal_id, kind, value, normalized, person_name) "
                        "VALUES (:d, :k, :v, :v, 'Анна Ахматова')"
                    ),
                    {"d": deal_id, "k": kind, "v": value},
                )

        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(Contact.normalized, Contact.kind, Contact.label, Contact.person_id)
                )
            ).all()
            persons = (await conn.execute(text("SELECT id, deal_id, name FROM deal_persons"))).all()
            search = (await conn.execute(select(Deal.search_text))).scalar_one()
        assert len(rows) == len(URLS) + 2
        got = {r.normalized: (str(r.kind), r.label) for r in rows if r.normalized in URLS}
        assert got == URLS
        assert [(p.deal_id, p.name) for p in persons] == [(deal_id, "Анна Ахматова")]
        people = {r.normalized: r.person_id for r in rows if r.normalized not in URLS}
        assert people == {"anna@romashka.ru": persons[0].id, "+79991234567": persons[0].id}
        assert "анна ахматова" in search and "ромашка" in search

        await migrate.downgrade(engine, "0004")
        async with engine.connect() as conn:
            back = (
                await conn.execute(text("SELECT normalized, kind, person_name FROM contacts"))
            ).all()
        assert len(back) == len(URLS) + 2
        assert {r.kind for r in back if r.normalized in URLS} == {"url"}
        assert {r.person_name for r in back if r.normalized not in URLS} == {"Анна Ахматова"}
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
