"""Sent-log of proactive messages; its unique key makes every reminder go out at most once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SentNotification(Base):
    __tablename__ = "sent_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime]
    # Set just before the message is handed to Telegram: a row with handed_at and no sent_at
    # after a crash may or may not have been delivered (reported, never sent again); a row
    # with neither was only claimed and can be sent safely.
    handed_at: Mapped[dt.datetime | None]
    # None while claimed but not yet confirmed by Telegram.
    sent_at: Mapped[dt.datetime | None]
    # Set at start-up on a row handed but never confirmed (a kill -9 while it was in flight):
    # it was logged once as "possibly not delivered" and is neither sent nor reported again.
    reported_at: Mapped[dt.datetime | None]
