"""Web-form intake (forms, requests, their Claim messages) and team group feeds.

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0011"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("pipeline_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_intake_forms_team_id_teams"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_intake_forms_source_id_sources"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pipeline_id"],
            ["pipelines.id"],
            name=op.f("fk_intake_forms_pipeline_id_pipelines"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_intake_forms_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_forms")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_intake_forms_token_hash")),
    )
    op.create_table(
        "intake_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("new", "known", name="intakekind", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("page_url", sa.String(length=2000), nullable=True),
        sa.Column("utm", sa.Text(), nullable=True),
        sa.Column("claimed_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["intake_forms.id"],
            name=op.f("fk_intake_requests_form_id_intake_forms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_intake_requests_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"],
            ["users.id"],
            name=op.f("fk_intake_requests_claimed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_requests")),
    )
    op.create_index(op.f("ix_intake_requests_deal_id"), "intake_requests", ["deal_id"])
    op.create_index(
        "ix_intake_requests_unclaimed", "intake_requests", ["claimed_by_id", "created_at"]
    )
    op.create_table(
        "intake_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["intake_requests.id"],
            name=op.f("fk_intake_posts_request_id_intake_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_posts")),
    )
    op.create_index(op.f("ix_intake_posts_request_id"), "intake_posts", ["request_id"])
    op.create_table(
        "team_chats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=True),
        sa.Column("feed_requests", sa.Boolean(), nullable=False),
        sa.Column("feed_won", sa.Boolean(), nullable=False),
        sa.Column("feed_escalations", sa.Boolean(), nullable=False),
        sa.Column("bound_by_id", sa.Integer(), nullable=True),
        sa.Column("bound_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_chats_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["bound_by_id"],
            ["users.id"],
            name=op.f("fk_team_chats_bound_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_chats")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_team_chats_chat_id")),
        sa.UniqueConstraint("team_id", name=op.f("uq_team_chats_team_id")),
    )


def downgrade() -> None:
    op.drop_table("team_chats")
    op.drop_index(op.f("ix_intake_posts_request_id"), table_name="intake_posts")
    op.drop_table("intake_posts")
    op.drop_index("ix_intake_requests_unclaimed", table_name="intake_requests")
    op.drop_index(op.f("ix_intake_requests_deal_id"), table_name="intake_requests")
    op.drop_table("intake_requests")
    op.drop_table("intake_forms")
