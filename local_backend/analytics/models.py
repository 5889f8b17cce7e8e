"""Sales by product and category of finished business days, so a year's report sums 365 days instead of
re-sharing 300k order lines (see analytics.rollups)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from local_backend.db import Base

# SystemState key: {timezone, signature (products' categories), through (last business day rolled up)}.
ROLLUP_STATE_KEY = "analytics.rollups"


class SalesRollup(Base):
    """One business day's facts for one product or category (`key` None: lines of no known product), or the day's
    totals (kind "total": orders counted, net sales, and the net of orders with no live line in `unshared`)."""

    __tablename__ = "sales_rollups"
    __table_args__ = (
        CheckConstraint("kind IN ('product', 'category', 'total')", name="kind_valid"),
        Index("ix_sales_rollups_kind_day", "kind", "day_start", "key", "orders", "items", "revenue", "unshared"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_date: Mapped[date]
    # The day's first instant in UTC: reports select days by their span's UTC bounds.
    day_start: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[int | None]
    orders: Mapped[int] = mapped_column(default=0)
    items: Mapped[int] = mapped_column(default=0)
    # Unrounded shares: rounding happens once over the whole period, as for a period computed line by line.
    revenue: Mapped[float] = mapped_column(default=0.0)
    unshared: Mapped[int] = mapped_column(default=0)
