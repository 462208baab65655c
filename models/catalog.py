"""Admin-editable reference lists: pipelines, stages of the sales process, deal sources."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class StageKind(enum.StrEnum):
    open = "open"
    won = "won"
    lost = "lost"
    paused = "paused"


CLOSED_KINDS = frozenset({StageKind.won, StageKind.lost})


class Pipeline(Base):
    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    # Incoming requests from website forms land here for a lead or a manager to claim.
    is_unsorted: Mapped[bool] = mapped_column(default=False)
    is_archived: Mapped[bool] = mapped_column(default=False)

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


class Stage(Base):
    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    # None: the stage belongs to every pipeline (the company's one sales process).
    pipeline_id: Mapped[int | None] = mapped_column(ForeignKey("pipelines.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[StageKind] = mapped_column(Enum(StageKind, native_enum=False, length=8))
    is_archived: Mapped[bool] = mapped_column(default=False)
    # Days without contact after which an open deal at this stage is stale; None: never
    # (models/staleness.py). On the stage row so cards and lists get it with the stage.
    stale_days: Mapped[int | None]

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    is_archived: Mapped[bool] = mapped_column(default=False)

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name
