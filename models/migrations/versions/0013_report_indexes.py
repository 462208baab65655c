"""Indexes of the period reports (/report, issue 13): each statement of a team's report walks
one index range per person instead of scanning deals, notes or the event log.

- deals (owner_id, created_at): the deals a person created in a period (the funnel's and the
  sources' cohort, "new deals");
- deals (owner_id, status, closed_at): won / lost in a period per person;
- notes (author_id, created_at): the notes a person wrote in a period;
- deal_events (actor_id, kind, at): the stage moves a person made in a period;
- deal_events (deal_id, kind, at): the stage moves of the cohort's deals (their notes and
  other events skipped in the index, not read and dropped row by row).

Indexes only: every row stays as it is; the downgrade drops them.

Revision ID: 0013
Revises: 0005
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_deals_owner_created", "deals", ["owner_id", "created_at"]),
    ("ix_deals_owner_status_closed", "deals", ["owner_id", "status", "closed_at"]),
    ("ix_notes_author_created", "notes", ["author_id", "created_at"]),
    ("ix_deal_events_actor_kind_at", "deal_events", ["actor_id", "kind", "at"]),
    ("ix_deal_events_deal_kind_at", "deal_events", ["deal_id", "kind", "at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
