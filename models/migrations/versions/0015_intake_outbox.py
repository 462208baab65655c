"""The intake's outbox: a request's messages still to send, written in the request's own
transaction (models.intake.IntakeOutbox). Nothing to backfill: the requests a database holds
were announced (or lost) by the version that took them.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["intake_requests.id"],
            name=op.f("fk_intake_outbox_request_id_intake_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_outbox")),
        sa.UniqueConstraint("request_id", name=op.f("uq_intake_outbox_request_id")),
    )


def downgrade() -> None:
    op.drop_table("intake_outbox")
