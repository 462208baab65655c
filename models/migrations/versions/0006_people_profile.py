"""People and profiles: when a user was last seen, and how their deal titles begin.

Revision ID: 0006
Revises: 0009
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0006"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", UTCDateTime(), nullable=True))
        # Existing people keep what their titles started with so far: the e-mail, else the name.
        batch_op.add_column(
            sa.Column("title_prefix", sa.String(length=8), nullable=False, server_default="email")
        )


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 too), not a batch: a batch rebuilds
    # the table, and SQLite refuses to drop users while other rows refer to them.
    op.drop_column("users", "title_prefix")
    op.drop_column("users", "last_seen_at")
