"""Deal search text (folded in Python: SQLite folds ASCII only) and an index on the creator.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 05:20:13
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.search_text import build_search_text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch_op.create_index(batch_op.f("ix_deals_created_by_id"), ["created_by_id"], unique=False)
    _backfill()


def _backfill() -> None:
    """Fill the new column for deals that already exist, in batches."""
    conn = op.get_bind()
    contacts: dict[int, list[str]] = {}
    for deal_id, value in conn.execute(sa.text("SELECT deal_id, value FROM contacts")):
        contacts.setdefault(deal_id, []).append(value)
    rows = conn.execute(sa.text("SELECT id, title, client_name, company FROM deals")).all()
    updates = [
        {"id": i, "text": build_search_text(t, c, co, contacts.get(i, ()))} for i, t, c, co in rows
    ]
    for start in range(0, len(updates), 5000):
        conn.execute(
            sa.text("UPDATE deals SET search_text = :text WHERE id = :id"),
            updates[start : start + 5000],
        )


def downgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deals_created_by_id"))
        batch_op.drop_column("search_text")
