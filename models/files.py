"""Files on a deal (a commercial offer, a photo of a contract, a voice note): kept by the
Telegram file_id only. The bytes stay on Telegram's servers; the bot re-sends by id."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class FileKind(enum.StrEnum):
    document = "document"
    photo = "photo"
    voice = "voice"


class DealFile(Base):
    __tablename__ = "deal_files"
    __table_args__ = (Index("ix_deal_files_deal_created", "deal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    kind: Mapped[FileKind] = mapped_column(Enum(FileKind, native_enum=False, length=8))
    # Telegram's ids: file_id re-sends the file (bot-specific); file_unique_id is stable
    # across bots and tells the same file sent twice.
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(127))
    size: Mapped[int | None] = mapped_column(BigInteger)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]
