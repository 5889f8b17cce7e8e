"""Stock: suppliers, stock items, recipes, the movements ledger and deliveries.

Quantities are integers in the stock item's base unit (`g`, `ml` or `pc`; kg and l are only display), so sums
are exact and SQLite adds them without rounding. `unit_cost` is minor units per kg, per l or per piece (what a
supplier's invoice says), None while unknown.

`stock_movements` is the one history of stock: every change of `on_hand` writes a movement carrying the new
figure, so the ledger can be audited line by line and the forecast reads its use from it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from local_backend.db import Base
from shared.clock import utcnow

UNITS = ("g", "ml", "pc")
# Base units per unit the cost is quoted in (per kg, per l, per piece).
COST_PER = {"g": 1000, "ml": 1000, "pc": 1}
MOVEMENT_KINDS = ("sale", "return", "delivery", "count", "adjustment", "waste", "opening")


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockItem(Base):
    __tablename__ = "stock_items"
    __table_args__ = (
        CheckConstraint("unit IN ('g', 'ml', 'pc')", name="unit_valid"),
        CheckConstraint("critical_level >= 0", name="critical_level_not_negative"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="unit_cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    unit: Mapped[str] = mapped_column(String(2))
    # May go negative: counts are imperfect and a waiter is never refused a dish because of a stock figure.
    on_hand: Mapped[int] = mapped_column(default=0)
    # At or below it the item is low: an alert, and the forecast's suggested order keeps it above.
    critical_level: Mapped[int] = mapped_column(default=0)
    unit_cost: Mapped[int | None] = mapped_column(default=None)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecipeLine(Base):
    """What one unit of a product (option_id None) or of one of its options uses of a stock item."""

    __tablename__ = "recipe_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_recipe_lines_product_id_option_id", "product_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    # An option's lines are used on top of the product's when a guest picks it (extra cheese).
    option_id: Mapped[int | None] = mapped_column(ForeignKey("product_options.id", ondelete="CASCADE"), default=None)
    stock_item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int]


class Delivery(Base):
    """Goods received: each line is stock in (a `delivery` movement), at the cost on the supplier's note."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"), index=True)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    lines: Mapped[list[DeliveryLine]] = relationship(
        back_populates="delivery", lazy="raise", cascade="all, delete-orphan", order_by="DeliveryLine.id"
    )


class DeliveryLine(Base):
    __tablename__ = "delivery_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="unit_cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"), index=True)
    stock_item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int]
    unit_cost: Mapped[int | None] = mapped_column(default=None)

    delivery: Mapped[Delivery] = relationship(back_populates="lines", lazy="raise")


class StockMovement(Base):
    """One change of a stock item's on_hand: `delta` and the figure it left (`on_hand_after`)."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('sale', 'return', 'delivery', 'count', 'adjustment', 'waste', 'opening')", name="kind_valid"
        ),
        # The item's history page by page, its first movement, and the forecast's days: all ranges of this index.
        Index("ix_stock_movements_stock_item_id_at", "stock_item_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stock_item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(16))
    delta: Mapped[int]
    on_hand_after: Mapped[int]
    # Plain ids, no foreign keys: the ledger is append-only history and must not slow the order hot path with
    # index lookups into other tables.
    order_item_id: Mapped[int | None] = mapped_column(default=None)
    delivery_id: Mapped[int | None] = mapped_column(default=None)
    reason: Mapped[str | None] = mapped_column(String(200), default=None)
    user_id: Mapped[int | None] = mapped_column(default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
