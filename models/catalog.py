"""Admin-editable reference lists: pipelines, stages of the sales process, deal sources."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, ForeignKey, Index, String, Text
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
    # The handbook's number group ("1 Магазин ..." is in group 1); None for Конвейер I-III.
    group_no: Mapped[int | None]
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


class CatalogKind(enum.StrEnum):
    pipeline = "pipeline"
    stage = "stage"
    source = "source"


class CatalogAction(enum.StrEnum):
    added = "added"
    renamed = "renamed"
    archived = "archived"
    restored = "restored"
    moved = "moved"
    deleted = "deleted"  # only migration 0005 deletes (invented items no deal ever used)


class CatalogEvent(Base):
    """Append-only audit of the catalogs: who added, renamed, archived, restored or moved
    which pipeline, stage or source, old -> new. Apart from deal_events, whose rows each
    belong to a deal (reports count them); ``actor_id`` None is the system (a migration)."""

    __tablename__ = "catalog_events"
    __table_args__ = (Index("ix_catalog_events_catalog_item", "catalog", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog: Mapped[CatalogKind] = mapped_column(Enum(CatalogKind, native_enum=False, length=16))
    # No foreign key: the row outlives an item the migration deleted.
    item_id: Mapped[int]
    action: Mapped[CatalogAction] = mapped_column(
        Enum(CatalogAction, native_enum=False, length=16)
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime]
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
