"""Orders inserted directly, so the floor's live state can be tested without the orders API."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from local_backend.db import Database
from local_backend.orders.models import Order, OrderItem, Payment, PaymentItem


@pytest.fixture
def open_order(database: Database) -> Callable[..., Order]:
    """`open_order(table_id, waiter_id, items=[(unit_price, qty), ...], paid=[item indexes], cancelled=[...])`."""

    def _open(
        table_id: int,
        waiter_id: int,
        items: Sequence[tuple[int, int]] = (),
        *,
        guests: int = 2,
        status: str = "open",
        paid: Sequence[int] = (),
        cancelled: Sequence[int] = (),
    ) -> Order:
        with database.write_session() as db:
            order = Order(table_id=table_id, waiter_id=waiter_id, guests=guests, status=status)
            db.add(order)
            db.flush()
            rows = []
            for i, (price, qty) in enumerate(items):
                item = OrderItem(
                    order_id=order.id,
                    product_name=f"Dish {i}",
                    unit_price=price,
                    quantity=qty,
                    added_by_id=waiter_id,
                    status="cancelled" if i in cancelled else "pending",
                )
                db.add(item)
                rows.append(item)
            db.flush()
            if paid:
                payment = Payment(
                    order_id=order.id,
                    method="cash",
                    amount=sum(rows[i].line_total for i in paid),
                    created_by_id=waiter_id,
                )
                db.add(payment)
                db.flush()
                for i in paid:
                    rows[i].paid_quantity = rows[i].quantity
                    db.add(
                        PaymentItem(
                            payment_id=payment.id,
                            order_item_id=rows[i].id,
                            quantity=rows[i].quantity,
                            amount=rows[i].line_total,
                        )
                    )
        return order

    return _open
