"""Orders, their items and the bill's ledger: payment methods, payments, the item units they covered, refunds.

An item snapshots everything that decided its price (product name, unit price, options, removals and
choices) so later menu edits never change an existing order.

The bill is a ledger in minor units: paid = payments - refunds, balance = total - paid (never negative).
`payment_items` records which item units a payment covered (2 of 4 beers); a payment by amount, seat or even
share covers none, and when the balance reaches 0 every live unit counts as settled (`paid_quantity`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from local_backend.db import Base
from shared.clock import utcnow

ORDER_STATUSES = ("open", "partially_paid", "paid", "closed", "cancelled")
ACTIVE_ORDER_STATUSES = ("open", "partially_paid", "paid")
ITEM_STATUSES = ("pending", "preparing", "ready", "served", "cancelled")
METHOD_KINDS = ("cash", "card", "upi", "other")
# Seeded at startup; a report lists these methods even when unused (code, name, kind, sort order).
BUILTIN_METHODS = (("cash", "Cash", "cash", 10), ("card", "Card", "card", 20), ("upi", "UPI", "upi", 30))
PAYMENT_METHODS = ("cash", "card")

_ACTIVE_SQL = "status IN ('open', 'partially_paid', 'paid')"


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        # The database itself guarantees one active order per table, whatever races the API sees.
        Index(
            "uq_orders_active_table",
            "table_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_orders_status_opened_at", "status", "opened_at"),
        # Table turnover (analytics) reads closed orders table by table without touching the rows.
        Index("ix_orders_table_turnover", "table_id", "status", "closed_at", "opened_at"),
        CheckConstraint("status IN ('open', 'partially_paid', 'paid', 'closed', 'cancelled')", name="status_valid"),
        CheckConstraint("guests >= 0", name="guests_not_negative"),
        CheckConstraint("tax_mode IN ('inclusive', 'exclusive')", name="tax_mode_valid"),
        CheckConstraint("service_charge_bp BETWEEN 0 AND 10000", name="service_charge_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("tables.id", ondelete="RESTRICT"), index=True)
    waiter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    guests: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # How many times items were sent: round 1 prints as NEW, later rounds as ADDED.
    rounds: Mapped[int] = mapped_column(default=0)
    # Courses up to this one go to the kitchen when added; later ones are held until the waiter fires them.
    fired_course: Mapped[int] = mapped_column(default=1)
    # The site's pricing rules when the order was opened (see pricing.py): a manager changing the settings never
    # changes a bill the guests already hold.
    tax_mode: Mapped[str] = mapped_column(String(16), default="inclusive")
    service_charge_bp: Mapped[int] = mapped_column(default=0)
    # Set when this order was merged into another (it is then cancelled with reason "merged into #id").
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", lazy="raise", order_by="OrderItem.id", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="order", lazy="raise", order_by="Payment.id", cascade="all, delete-orphan"
    )
    discounts: Mapped[list[OrderDiscount]] = relationship(
        lazy="raise", order_by="OrderDiscount.id", cascade="all, delete-orphan"
    )


class OrderItem(Base):
    __tablename__ = "order_items"
    __table_args__ = (
        # Analytics over a year of items, read from indexes alone (no row lookups, no sorting): an order's live
        # units and value; items product by product (sales shares, prep times); prep times zone by zone; voids.
        Index("ix_order_items_order_live", "order_id", "status", "quantity", "unit_price", "product_id"),
        Index(
            "ix_order_items_product_sales",
            "product_id",
            "printer_zone_id",
            "added_at",
            "status",
            "order_id",
            "quantity",
            "unit_price",
            "fired_at",
            "ready_at",
        ),
        Index(
            "ix_order_items_prep_by_zone",
            "printer_zone_id",
            "added_at",
            "fired_at",
            "ready_at",
            sqlite_where=text("ready_at IS NOT NULL"),
            postgresql_where=text("ready_at IS NOT NULL"),
        ),
        Index(
            "ix_order_items_cancelled_at",
            "cancelled_at",
            sqlite_where=text("cancelled_at IS NOT NULL"),
            postgresql_where=text("cancelled_at IS NOT NULL"),
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("paid_quantity >= 0 AND paid_quantity <= quantity", name="paid_quantity_in_range"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("tax_rate_bp BETWEEN 0 AND 10000", name="tax_rate_valid"),
        CheckConstraint("status IN ('pending', 'preparing', 'ready', 'served', 'cancelled')", name="status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No single-column indexes: ix_order_items_order_live and ix_order_items_product_sales lead with these, and
    # every index is one more b-tree each add-items writes.
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), default=None)
    product_name: Mapped[str] = mapped_column(String(120))
    quantity: Mapped[int] = mapped_column(default=1)
    unit_price: Mapped[int]
    # The product's tax rate when ordered (basis points), snapshotted like the price.
    tax_rate_bp: Mapped[int] = mapped_column(default=0)
    # Snapshots: [{"id", "name", "extra_cost"}], [{"id", "name"}], [{"set_id", "set_name", "id", "name", "price_delta"}]
    selected_options: Mapped[list[Any]] = mapped_column(default=list)
    removed_ingredients: Mapped[list[Any]] = mapped_column(default=list)
    choices: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    seat: Mapped[int | None] = mapped_column(default=None)
    course: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    printed: Mapped[bool] = mapped_column(default=False)
    printer_zone_id: Mapped[int | None] = mapped_column(default=None)
    round: Mapped[int] = mapped_column(default=1)
    # When the kitchen was told to make it: at adding, or when its held course was fired (None: still held).
    fired_at: Mapped[datetime | None] = mapped_column(default=None)
    # Kitchen display progress (UTC): when the kitchen started it, had it ready, and it reached the table.
    preparing_at: Mapped[datetime | None] = mapped_column(default=None)
    ready_at: Mapped[datetime | None] = mapped_column(default=None)
    served_at: Mapped[datetime | None] = mapped_column(default=None)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # The manager whose approval (or own session) allowed the void.
    cancel_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Units covered: allocated by item payments, or all of them once the balance reached 0.
    paid_quantity: Mapped[int] = mapped_column(default=0)
    # Set when a guest ordered it from the table's QR code: the nickname they gave (the ticket prints GUEST).
    guest_nickname: Mapped[str | None] = mapped_column(String(24), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship(back_populates="items", lazy="raise")

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def is_paid(self) -> bool:
        return self.paid_quantity >= self.quantity

    @property
    def unpaid_quantity(self) -> int:
        return self.quantity - self.paid_quantity


class PaymentMethod(Base):
    """How a guest can pay: the built-in cash, card and UPI, and any a manager adds (deactivated, never deleted)."""

    __tablename__ = "payment_methods"
    __table_args__ = (
        CheckConstraint("kind IN ('cash', 'card', 'upi', 'other')", name="kind_valid"),
        CheckConstraint("sort_order >= 0", name="sort_order_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=100)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("tip >= 0", name="tip_not_negative"),
        CheckConstraint("change_due >= 0", name="change_due_not_negative"),
        # NULLs never collide, so only real external references (card slip, Razorpay id) must be unique.
        UniqueConstraint("reference"),
        # Analytics: the money of a period straight from the index, and each order's payments in time order.
        Index("ix_payments_created_at_money", "created_at", "order_id", "amount", "tip"),
        Index("ix_payments_order_id_created_at", "order_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # order_id and created_at lead the two indexes above: no index of their own.
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(32))
    # Applied to the bill; the tip is on top of it and the change is what went back to the guest.
    amount: Mapped[int]
    tip: Mapped[int] = mapped_column(default=0)
    tendered: Mapped[int | None] = mapped_column(default=None)
    change_due: Mapped[int] = mapped_column(default=0)
    reference: Mapped[str | None] = mapped_column(String(120), default=None)
    split_part: Mapped[str | None] = mapped_column(String(40), default=None)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship(back_populates="payments", lazy="raise")
    items: Mapped[list[PaymentItem]] = relationship(
        lazy="raise", order_by="PaymentItem.order_item_id", cascade="all, delete-orphan"
    )
    refunds: Mapped[list[Refund]] = relationship(lazy="raise", order_by="Refund.id", viewonly=True)


class PaymentItem(Base):
    """Item units one payment covered (2 of 4 beers), at the item's unit price."""

    __tablename__ = "payment_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"), primary_key=True)
    order_item_id: Mapped[int] = mapped_column(
        ForeignKey("order_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    quantity: Mapped[int]
    amount: Mapped[int]


class Refund(Base):
    """Money given back on a payment (a manager, with a reason); it never reopens a closed order."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(32))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


DISCOUNT_KINDS = ("percent", "amount", "comp")


class OrderDiscount(Base):
    """A discount or comp on one item (item_id) or on the whole order, approved by a manager.

    `value` is what was asked (basis points for percent, minor units for amount, 0 for a comp); `amount` is what
    it took off, computed and stored when it was given. Removing it keeps the row (removed_at) for the reports.
    """

    __tablename__ = "order_discounts"
    __table_args__ = (
        CheckConstraint("kind IN ('percent', 'amount', 'comp')", name="kind_valid"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_order_discounts_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("order_items.id", ondelete="CASCADE"), default=None)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[int]
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(default=None)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    removed_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    removed_reason: Mapped[str | None] = mapped_column(Text, default=None)
