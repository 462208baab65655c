"""The daily rhythm: stale limits per stage, each deal's last contact, early reminders, out of
office.

* stages.stale_days: filled with the defaults of models/staleness.py for the handbook's stages;
* deals.last_contact_at: the last note or stage move of every existing deal (its creation when
  there is none), from the event log; indexed with (owner_id, status) for the stale lists;
* users.remind_before: minutes before a timed step (NULL: off, as before);
* absences: who is away until when, and who covers.

Revision ID: 0012
Revises: 0006
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0012"
down_revision = "0006"
branch_labels = None
depends_on = None

# A copy, not an import: a migration must not change when the code's defaults do.
STALE_DAYS = {
    "contacts": 3,
    "requirements": 5,
    "portfolio": 5,
    "proposal": 7,
    "presentation": 7,
    "objections": 10,
    "closing": 14,
}


def upgrade() -> None:
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stale_days", sa.Integer(), nullable=True))
    stages = sa.table("stages", sa.column("code", sa.String), sa.column("stale_days", sa.Integer))
    for code, days in STALE_DAYS.items():
        op.execute(stages.update().where(stages.c.code == code).values(stale_days=days))

    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_contact_at", UTCDateTime(), nullable=True))
    # Notes and stage moves are in the event log (a note's date edit has a field: not a
    # contact); the deal's creation when it has neither.
    op.execute(
        "UPDATE deals SET last_contact_at = COALESCE("
        "(SELECT MAX(e.at) FROM deal_events e WHERE e.deal_id = deals.id"
        " AND ((e.kind = 'note' AND e.field IS NULL) OR e.kind = 'stage')),"
        " deals.created_at)"
    )
    op.create_index(
        "ix_deals_owner_status_contact", "deals", ["owner_id", "status", "last_contact_at"]
    )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remind_before", sa.Integer(), nullable=True))

    op.create_table(
        "absences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("substitute_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_absences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["substitute_id"],
            ["users.id"],
            name=op.f("fk_absences_substitute_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_absences")),
    )
    op.create_index(op.f("ix_absences_until"), "absences", ["until"])
    op.create_index(op.f("ix_absences_substitute_id"), "absences", ["substitute_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_absences_substitute_id"), table_name="absences")
    op.drop_index(op.f("ix_absences_until"), table_name="absences")
    op.drop_table("absences")
    op.drop_index("ix_deals_owner_status_contact", table_name="deals")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 too), not a batch: a batch rebuilds
    # the table, and SQLite refuses to drop users / stages / deals that other rows refer to.
    op.drop_column("users", "remind_before")
    op.drop_column("deals", "last_contact_at")
    op.drop_column("stages", "stale_days")
