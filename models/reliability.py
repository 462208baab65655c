"""Tables that make the bot exactly-once and restart-safe (issue 8).

* ``ProcessedUpdate``: every Telegram update whose handling wrote something, recorded in the
  update's own transaction; a redelivered update finds its row and changes nothing twice.
* ``FsmState``: conversation state (aiogram FSM) kept in the database, so a prompt that was
  open before a restart still takes its answer.
* ``SchedulerLease``: exactly one scheduler per database, however many processes start.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ProcessedUpdate(Base):
    __tablename__ = "processed_updates"

    # Update ids are per bot: a changed token starts a new sequence.
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(index=True)


class FsmState(Base):
    __tablename__ = "fsm_states"

    # aiogram's StorageKey, flattened: bot:chat:user[:thread][:business][:destiny].
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    updated_at: Mapped[dt.datetime]
    # When the state and its data stop counting (a prompt left open for days is stale).
    expires_at: Mapped[dt.datetime | None] = mapped_column(index=True)


class SchedulerLease(Base):
    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))  # host:pid:random of the holding process
    acquired_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
