"""Monthly plans (KPI) per manager: won deals and optionally amount."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import ForeignKey, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("user_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    month: Mapped[dt.date]  # the first day of the month
    target_won: Mapped[int]
    target_amount: Mapped[decimal.Decimal | None] = mapped_column(Numeric(14, 2))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime]
