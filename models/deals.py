"""Deals and what hangs off them: contacts, numbered notes, the append-only event log."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, Numeric, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .catalog import Pipeline, Source, Stage, StageKind
from .contacts import ContactKind
from .search_text import build_search_text
from .users import User


def _created_at(context: Any) -> dt.datetime | None:
    """A new deal's last contact is its creation, whichever code path inserts it (ORM,
    Core executemany). A multi-VALUES ORM insert cannot hand a row's own parameters over
    (SQLAlchemy raises KeyError): such rows get none and count from their first note."""
    try:
        value: dt.datetime | None = context.get_current_parameters().get("created_at")
    except KeyError:
        return None
    return value


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (
        # Today / Overdue lists and counters of one owner.
        Index("ix_deals_owner_status_next", "owner_id", "status", "next_action_on"),
        # The scheduler's scan of due deals across everybody.
        Index("ix_deals_status_next", "status", "next_action_on"),
        Index("ix_deals_next_action_at", "next_action_at"),
        # Stale deals of some owners: open ones with the oldest last contact (staleness.py).
        Index("ix_deals_owner_status_contact", "owner_id", "status", "last_contact_at"),
        # Period reports (/report): created / closed in a period, per person (migration 0013).
        Index("ix_deals_owner_created", "owner_id", "created_at"),
        Index("ix_deals_owner_status_closed", "owner_id", "status", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    client_name: Mapped[str | None] = mapped_column(String(255))
    company: Mapped[str | None] = mapped_column(String(255))
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    # Mirrors the stage's kind so lists and the scheduler need no join.
    status: Mapped[StageKind] = mapped_column(Enum(StageKind, native_enum=False, length=8))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    amount: Mapped[decimal.Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    next_action_on: Mapped[dt.date | None]
    next_action_time: Mapped[dt.time | None] = mapped_column(Time)
    # The UTC instant of a timed next action, for the reminder scan.
    next_action_at: Mapped[dt.datetime | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    # The last contact with the client: a note or a stage move (creation to start with);
    # written in the same statement as the note's or the move's bump of the deal.
    last_contact_at: Mapped[dt.datetime | None] = mapped_column(default=_created_at)
    deleted_at: Mapped[dt.datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Bumped by every change; buttons carry it so a stale button cannot apply old data.
    version: Mapped[int] = mapped_column(default=1)
    # Title, client, company and contacts folded for search (models/search_text.py).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    pipeline: Mapped[Pipeline] = relationship(lazy="raise")
    stage: Mapped[Stage] = relationship(lazy="raise")
    source: Mapped[Source | None] = relationship(lazy="raise")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="raise")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="deal", lazy="raise", order_by="Contact.id", cascade="all, delete-orphan"
    )
    # The people on the client's side (their own e-mails and phones are contacts with
    # person_id); models/services/deal_persons.py changes them.
    persons: Mapped[list[DealPerson]] = relationship(
        lazy="raise", order_by="DealPerson.id", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status is StageKind.open

    def refresh_search_text(self) -> None:
        """Call after the title, client, company or contacts change (contacts loaded)."""
        people = [part for p in self.persons for part in (p.name, p.position) if part]
        self.search_text = build_search_text(
            self.title,
            self.client_name,
            self.company,
            [*(c.value for c in self.contacts), *(c.label for c in self.contacts if c.label)],
            people,
        )


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_kind_normalized", "kind", "normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ContactKind] = mapped_column(Enum(ContactKind, native_enum=False, length=8))
    value: Mapped[str] = mapped_column(String(255))
    normalized: Mapped[str] = mapped_column(String(255))
    # Legacy: nothing writes it; migration 0007 copied its values into deal_persons.
    person_name: Mapped[str | None] = mapped_column(String(255))
    # The contact person it belongs to; None: the deal's own (the client's) contact.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("deal_persons.id", ondelete="CASCADE"), index=True
    )
    # The label of a ContactKind.link ("Источник", "Задача").
    label: Mapped[str | None] = mapped_column(String(64))

    deal: Mapped[Deal] = relationship(back_populates="contacts", lazy="raise")


class DealPerson(Base):
    """A person on the client's side: name and position; e-mails and phones are Contacts."""

    __tablename__ = "deal_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    position: Mapped[str | None] = mapped_column(String(255))


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (
        UniqueConstraint("deal_id", "number"),
        # The notes a person wrote in a period (/report, migration 0013).
        Index("ix_notes_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    happened_on: Mapped[dt.date]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(index=True)


class EventKind(enum.StrEnum):
    created = "created"
    stage = "stage"
    next_action = "next_action"
    note = "note"
    field = "field"
    owner = "owner"
    deleted = "deleted"
    restored = "restored"
    denied = "denied"
    imported = "imported"  # created by a spreadsheet import (new: "<import id>:<row>")


class DealEvent(Base):
    """Append-only audit: who changed what on a deal, old -> new. Reports are computed from it."""

    __tablename__ = "deal_events"
    __table_args__ = (
        Index("ix_deal_events_deal_at", "deal_id", "at"),
        Index("ix_deal_events_at_kind", "at", "kind"),
        # The stage moves a person made in a period (/report, migration 0013).
        Index("ix_deal_events_actor_kind_at", "actor_id", "kind", "at"),
        # The stage moves of a report's cohort, by deal (migration 0013).
        Index("ix_deal_events_deal_kind_at", "deal_id", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime]
    kind: Mapped[EventKind] = mapped_column(Enum(EventKind, native_enum=False, length=16))
    field: Mapped[str | None] = mapped_column(String(32))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
