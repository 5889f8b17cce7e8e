"""Order rules: open, add items, pay, close, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from local_backend.orders.models import ACTIVE_ORDER_STATUSES, Order, OrderItem


@dataclass(frozen=True, slots=True)
class ActiveOrderSummary:
    """What the floor view needs about a table's active order."""

    order_id: int
    table_id: int
    status: str
    waiter_id: int
    guests: int
    opened_at: datetime
    total: int
    paid_total: int
    item_count: int


def active_order_summaries(db: Session) -> dict[int, ActiveOrderSummary]:
    """Active order per table id with running totals, in one query (the floor view calls this)."""
    live = OrderItem.status != "cancelled"
    line = OrderItem.unit_price * OrderItem.quantity
    stmt = (
        select(
            Order.id,
            Order.table_id,
            Order.status,
            Order.waiter_id,
            Order.guests,
            Order.opened_at,
            func.coalesce(func.sum(case((live, line), else_=0)), 0),
            func.coalesce(func.sum(case((live & OrderItem.payment_id.is_not(None), line), else_=0)), 0),
            func.coalesce(func.sum(case((live, OrderItem.quantity), else_=0)), 0),
        )
        .outerjoin(OrderItem, OrderItem.order_id == Order.id)
        .where(Order.status.in_(ACTIVE_ORDER_STATUSES))
        .group_by(Order.id)
    )
    return {
        row[1]: ActiveOrderSummary(
            order_id=row[0],
            table_id=row[1],
            status=row[2],
            waiter_id=row[3],
            guests=row[4],
            opened_at=row[5],
            total=int(row[6]),
            paid_total=int(row[7]),
            item_count=int(row[8]),
        )
        for row in db.execute(stmt).all()
    }
