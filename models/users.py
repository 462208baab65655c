"""People and teams: users with roles, teams with a lead, single-use invites."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Enum, ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .roles import Role

DEFAULT_DIGEST_TIME = dt.time(9, 0)
DEFAULT_FOLLOWUP_TIME = dt.time(14, 0)
DEFAULT_SUMMARY_TIME = dt.time(19, 0)
DEFAULT_WORK_DAYS = "12345"  # ISO weekdays, Monday = 1


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime]

    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id], lazy="raise")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    digest_time: Mapped[dt.time] = mapped_column(Time, default=DEFAULT_DIGEST_TIME)
    followup_time: Mapped[dt.time] = mapped_column(Time, default=DEFAULT_FOLLOWUP_TIME)
    summary_time: Mapped[dt.time] = mapped_column(Time, default=DEFAULT_SUMMARY_TIME)
    work_days: Mapped[str] = mapped_column(String(7), default=DEFAULT_WORK_DAYS)
    # Minutes before a timed next step for an early reminder; None: only the on-time one.
    remind_before: Mapped[int | None]
    # Access: an admin switches it off; a deactivated user is treated as unknown.
    is_active: Mapped[bool] = mapped_column(default=True)
    # Delivery: False once Telegram said the user blocked the bot; reset when they write again.
    is_reachable: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime]
    # Written at most once per SEEN_EVERY (a write per update would cost a write transaction).
    last_seen_at: Mapped[dt.datetime | None]
    # What new deal titles start with: "email" (the handbook's default; the name while there
    # is no e-mail), "name" or "none" (models/titles.py).
    title_prefix: Mapped[str] = mapped_column(String(8), default="email", server_default="email")

    team: Mapped[Team | None] = relationship(foreign_keys=[team_id], lazy="raise")

    @property
    def display_name(self) -> str:
        return self.email or self.full_name


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
