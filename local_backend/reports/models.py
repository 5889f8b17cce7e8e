"""Day closes: the numbered, immutable record of each business day's Z report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from local_backend.db import Base
from shared.clock import utcnow


class DayClose(Base):
    """Written once when a day is closed and never updated: the Z report's figures as they stood (`figures`)."""

    __tablename__ = "day_closes"
    __table_args__ = (
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("period_start < period_end", name="period_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Z numbers run 1, 2, 3 ... without gaps: the serialized writer hands out max + 1.
    number: Mapped[int] = mapped_column(unique=True)
    business_date: Mapped[date] = mapped_column(unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    figures: Mapped[dict[str, Any]]
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None when the appliance closed the day on its own (auto_day_close_hour).
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    auto: Mapped[bool] = mapped_column(default=False)
