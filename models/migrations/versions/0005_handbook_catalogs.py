"""The handbook's own catalogs: pipelines get their number group, catalog changes an audit
table, and a database seeded by an earlier version gets the handbook's pipelines and sources.

Data, for a database that already has catalog rows (a fresh one is seeded after the
migrations, by models/seed.py):
- a row whose code the handbook keeps (3 pipelines, 16 sources) takes the handbook's name,
  English label, group and position: its deals stay where they are;
- a row of an earlier seed that the handbook does not list (invented: "Мобильное приложение",
  "Заявки с промо"...) is archived when any deal or deal history refers to it, and deleted
  when nothing ever did;
- what the handbook lists and the database lacks is added (a row that already carries the
  handbook's name, added by hand, takes the code instead of a duplicate);
- rows added by hand (no code) are kept as they are, after the handbook's.
Each archive and delete is written to catalog_events (no actor: the migration). The
downgrade drops the new column and table and keeps every row as it is.

Revision ID: 0005
Revises: 0010
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime
from models.handbook import PIPELINES, SOURCES

revision = "0005"
down_revision = "0010"
branch_labels = None
depends_on = None

# Codes that earlier versions seeded: the only rows this migration archives or deletes.
OLD_PIPELINE_CODES = ("unsorted", "site_staged", "site", "crm", "mobile", "support", "marketing")
OLD_SOURCE_CODES = (
    "avito", "website", "flru", "vk", "bitrix", "regional", "seminar", "tender", "mailing",
    "rating", "social", "cold_call", "office_call", "ref_friend", "ref_client", "ref_partner",
    "ref_employee", "partner", "promo", "other",
)  # fmt: skip

_meta = sa.MetaData()
pipelines = sa.Table(
    "pipelines",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(32)),
    sa.Column("name", sa.String(100)),
    sa.Column("name_en", sa.String(100)),
    sa.Column("group_no", sa.Integer),
    sa.Column("position", sa.Integer),
    sa.Column("is_unsorted", sa.Boolean),
    sa.Column("is_archived", sa.Boolean),
)
sources = sa.Table(
    "sources",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(32)),
    sa.Column("name", sa.String(100)),
    sa.Column("name_en", sa.String(100)),
    sa.Column("position", sa.Integer),
    sa.Column("is_archived", sa.Boolean),
)
deals = sa.Table(
    "deals",
    _meta,
    sa.Column("id", sa.Integer),
    sa.Column("pipeline_id", sa.Integer),
    sa.Column("source_id", sa.Integer),
)
deal_events = sa.Table(
    "deal_events", _meta, sa.Column("field", sa.String(32)), sa.Column("old"), sa.Column("new")
)
stages = sa.Table("stages", _meta, sa.Column("pipeline_id", sa.Integer))
catalog_events = sa.Table(
    "catalog_events",
    _meta,
    sa.Column("catalog", sa.String(16)),
    sa.Column("item_id", sa.Integer),
    sa.Column("action", sa.String(16)),
    sa.Column("actor_id", sa.Integer),
    sa.Column("at", UTCDateTime()),
    sa.Column("old", sa.Text),
    sa.Column("new", sa.Text),
)


def upgrade() -> None:
    op.add_column("pipelines", sa.Column("group_no", sa.Integer(), nullable=True))
    op.create_table(
        "catalog_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("catalog", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_catalog_events_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_events")),
    )
    op.create_index(
        "ix_catalog_events_catalog_item", "catalog_events", ["catalog", "item_id"], unique=False
    )
    bind = op.get_bind()
    now = dt.datetime.now(dt.UTC)
    handbook_pipelines = [
        {"code": code, "name": name, "name_en": en, "group_no": group, "is_unsorted": False}
        for code, name, en, group in PIPELINES
    ]
    for row in handbook_pipelines:
        row["is_unsorted"] = row["code"] == "unsorted"
    handbook_sources = [{"code": c, "name": n, "name_en": en} for c, n, en in SOURCES]
    _bring_to_handbook(bind, pipelines, "pipeline", handbook_pipelines, OLD_PIPELINE_CODES, now)
    _bring_to_handbook(bind, sources, "source", handbook_sources, OLD_SOURCE_CODES, now)


def downgrade() -> None:
    op.drop_index("ix_catalog_events_catalog_item", table_name="catalog_events")
    op.drop_table("catalog_events")
    # A plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): a batch copy of pipelines would
    # trip the foreign keys of deals and stages.
    op.drop_column("pipelines", "group_no")


def _bring_to_handbook(
    bind: sa.Connection,
    table: sa.Table,
    catalog: str,
    handbook: list[dict[str, Any]],
    old_codes: Sequence[str],
    now: dt.datetime,
) -> None:
    rows = bind.execute(sa.select(table).order_by(table.c.position, table.c.id)).mappings().all()
    if not rows:
        return  # a fresh database: the seed fills it after the migrations
    by_code = {r["code"]: r for r in rows if r["code"] is not None}
    by_name = {r["name"].casefold(): r for r in rows}
    wanted = {row["code"] for row in handbook}
    used = _used_ids(bind, catalog)
    events: list[dict[str, Any]] = []
    # Invented items first, so the handbook's names are free before anything is renamed.
    for code in old_codes:
        row = by_code.get(code)
        if row is None or code in wanted:
            continue
        if row["id"] in used:
            if not row["is_archived"]:
                bind.execute(table.update().where(table.c.id == row["id"]).values(is_archived=True))
                events.append(_event(catalog, row["id"], "archived", row["name"], now))
        else:
            bind.execute(table.delete().where(table.c.id == row["id"]))
            events.append(_event(catalog, row["id"], "deleted", row["name"], now))
        by_name.pop(row["name"].casefold(), None)
    for position, item in enumerate(handbook, start=1):
        values = {**item, "position": position}
        row = by_code.get(item["code"])
        if row is None:
            row = by_name.get(item["name"].casefold())
            if row is not None and row["code"] is not None:
                row = None  # the name belongs to another coded item: leave it be
        if row is not None:
            bind.execute(table.update().where(table.c.id == row["id"]).values(**values))
        else:
            bind.execute(table.insert().values(**values, is_archived=False))
    # Everything else (added by hand, or archived just now) after the handbook's items.
    rest = bind.execute(
        sa.select(table.c.id)
        .where(table.c.code.is_(None) | table.c.code.not_in(wanted))
        .order_by(table.c.position, table.c.id)
    ).scalars()
    for position, item_id in enumerate(rest, start=len(handbook) + 1):
        bind.execute(table.update().where(table.c.id == item_id).values(position=position))
    if events:
        bind.execute(catalog_events.insert(), events)


def _used_ids(bind: sa.Connection, catalog: str) -> set[int]:
    """Items a deal (deleted ones too) or a deal's history refers to."""
    column = deals.c.pipeline_id if catalog == "pipeline" else deals.c.source_id
    used = {i for i in bind.execute(sa.select(column).distinct()).scalars() if i is not None}
    logged = bind.execute(
        sa.select(deal_events.c.old, deal_events.c.new).where(deal_events.c.field == catalog)
    )
    for old, new in logged:
        used.update(int(v) for v in (old, new) if v is not None and str(v).isdigit())
    if catalog == "pipeline":
        own_stages = sa.select(stages.c.pipeline_id).where(stages.c.pipeline_id.is_not(None))
        used.update(bind.execute(own_stages.distinct()).scalars())
    return used


def _event(catalog: str, item_id: int, action: str, name: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "catalog": catalog,
        "item_id": item_id,
        "action": action,
        "actor_id": None,
        "at": now,
        "old": name,
        "new": None,
    }
