"""Exactly-once and restart safety: processed updates, conversation state in the database,
the scheduler lease, and the moment a reminder was handed to Telegram.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processed_updates",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "update_id", name=op.f("pk_processed_updates")),
    )
    op.create_index(
        op.f("ix_processed_updates_processed_at"), "processed_updates", ["processed_at"]
    )
    op.create_table(
        "fsm_states",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=200), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_fsm_states")),
    )
    op.create_index(op.f("ix_fsm_states_expires_at"), "fsm_states", ["expires_at"])
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_leases")),
    )
    with op.batch_alter_table("sent_notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("reported_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sent_notifications", schema=None) as batch_op:
        batch_op.drop_column("reported_at")
        batch_op.drop_column("handed_at")
    op.drop_table("scheduler_leases")
    op.drop_index(op.f("ix_fsm_states_expires_at"), table_name="fsm_states")
    op.drop_table("fsm_states")
    op.drop_index(op.f("ix_processed_updates_processed_at"), table_name="processed_updates")
    op.drop_table("processed_updates")
