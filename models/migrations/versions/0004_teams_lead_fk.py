"""The foreign key teams.lead_id -> users.id where it is missing.

0001 declares it with use_alter=True inside create_table, which Alembic leaves to a later
ALTER that never came: SQLite has it (inline in CREATE TABLE), PostgreSQL never got it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NAME = "fk_teams_lead_id_users"


def _has_lead_fk() -> bool:
    foreign_keys = sa.inspect(op.get_bind()).get_foreign_keys("teams")
    return any(fk["constrained_columns"] == ["lead_id"] for fk in foreign_keys)


def upgrade() -> None:
    if not _has_lead_fk():
        op.create_foreign_key(NAME, "teams", "users", ["lead_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    # Back to what 0003 left: the key only where CREATE TABLE made it (SQLite). Without this,
    # 0001's downgrade could not drop users on PostgreSQL (teams would still refer to it).
    if op.get_bind().dialect.name != "sqlite" and _has_lead_fk():
        op.drop_constraint(NAME, "teams", type_="foreignkey")
