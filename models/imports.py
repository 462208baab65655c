"""One row per imported file: what makes a second import of the same file create nothing, and
lets an interrupted import go on where it stopped.

``next_row`` moves forward in the same transaction as each batch of deals it covers, so after a
crash the rows below it are written and those at or above it are not: importing the file again
(same fingerprint) skips the first and writes the rest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ImportRun(Base):
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the file's bytes.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    # Spreadsheet row number below which every row is done (written, rejected or skipped).
    next_row: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
