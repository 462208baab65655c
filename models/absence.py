"""Out of office: a person away until a date (inclusive), optionally covered by a colleague."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Absence(Base):
    """One row per person with an absence set; it is over (and ignored) once the person's
    local date is past ``until``, or deleted by /away off."""

    __tablename__ = "absences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    until: Mapped[dt.date] = mapped_column(index=True)
    # The colleague of the same team who gets the absent person's today's deals each morning.
    substitute_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime]
