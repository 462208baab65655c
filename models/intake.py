"""Web-form intake and team group feeds: the forms a website posts to, each request that came
in (and who claimed it), the messages that announced it, and the Telegram group of a team."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class IntakeForm(Base):
    """A website form. Its secret token is shown once; only its SHA-256 is kept, so a leaked
    database (or backup) does not let anyone post as the form."""

    __tablename__ = "intake_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    pipeline_id: Mapped[int | None] = mapped_column(ForeignKey("pipelines.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class IntakeKind(enum.StrEnum):
    new = "new"  # a new deal was made
    known = "known"  # a note on the open deal of a known contact


class IntakeRequest(Base):
    """One accepted request. ``claimed_by_id`` is NULL until somebody presses Claim: the
    claim is one conditional UPDATE ... WHERE claimed_by_id IS NULL, so two presses yield one
    owner."""

    __tablename__ = "intake_requests"
    __table_args__ = (Index("ix_intake_requests_unclaimed", "claimed_by_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("intake_forms.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[IntakeKind] = mapped_column(Enum(IntakeKind, native_enum=False, length=8))
    page_url: Mapped[str | None] = mapped_column(String(2000))
    utm: Mapped[str | None] = mapped_column(Text)  # "utm_source=...&utm_medium=..."
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]


class IntakePost(Base):
    """A message that announced a request with a Claim button: edited when it is claimed."""

    __tablename__ = "intake_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("intake_requests.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)


class IntakeOutbox(Base):
    """A request's messages still to send (its Claim message, or its known deal's owner told),
    written in the request's own transaction: the HTTP answer does not wait for Telegram, and
    a crash between the answer and the send loses nothing (the next start sends it). The row
    is deleted in the transaction that confirms the messages in the sent-log, whose unique keys
    keep every message to one delivery whoever drains the row."""

    __tablename__ = "intake_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("intake_requests.id", ondelete="CASCADE"), unique=True
    )
    payload: Mapped[str] = mapped_column(Text)  # JSON: what the message shows
    created_at: Mapped[dt.datetime]


class TeamChat(Base):
    """A Telegram group bound to a team: its feed of web requests, won deals, escalations."""

    __tablename__ = "team_chats"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    title: Mapped[str | None] = mapped_column(String(255))
    feed_requests: Mapped[bool] = mapped_column(default=True)
    feed_won: Mapped[bool] = mapped_column(default=True)
    feed_escalations: Mapped[bool] = mapped_column(default=True)
    bound_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    bound_at: Mapped[dt.datetime]
