"""Helpers for the cash shift and X/Z report tests: sales through the real payment API, shifts, moving time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import count
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from local_backend.db import Database
from local_backend.orders.models import Order, OrderItem, Payment, Refund
from local_backend.shifts.models import CashMovement, Shift

_products = count(1)


class Till:
    """Rings up sales the way the waiter app does: open an order, add one item at the price, pay it."""

    def __init__(self, client: TestClient, make_table: Callable[..., Any], make_product: Callable[..., Any]) -> None:
        self.client = client
        self.make_table = make_table
        self.make_product = make_product

    def order(self, headers: dict[str, str], price: int, quantity: int = 1) -> tuple[int, int]:
        """An open order with one line of `quantity` x `price`: (order id, item id)."""
        product = self.make_product(f"Dish {next(_products)}", price)
        resp = self.client.post("/api/orders/", json={"table_id": self.make_table().id}, headers=headers)
        assert resp.status_code == 201, resp.text
        order_id = int(resp.json()["id"])
        resp = self.client.post(
            f"/api/orders/{order_id}/items",
            json={"items": [{"product_id": product.id, "quantity": quantity}]},
            headers=headers,
        )
        assert resp.status_code == 201, resp.text
        return order_id, int(resp.json()["items"][0]["id"])

    def pay(
        self,
        headers: dict[str, str],
        order_id: int,
        amount: int,
        *,
        method: str = "cash",
        tip: int = 0,
        tendered: int | None = None,
    ) -> int:
        body: dict[str, Any] = {"method": method, "amount": amount, "tip": tip}
        if tendered is not None:
            body["tendered"] = tendered
        resp = self.client.post(f"/api/orders/{order_id}/payments", json=body, headers=headers)
        assert resp.status_code == 201, resp.text
        return int(resp.json()["payment"]["id"])

    def sale(
        self,
        headers: dict[str, str],
        price: int,
        *,
        method: str = "cash",
        tip: int = 0,
        tendered: int | None = None,
    ) -> tuple[int, int]:
        """A bill of `price` paid in full: (order id, payment id)."""
        order_id, _ = self.order(headers, price)
        return order_id, self.pay(headers, order_id, price, method=method, tip=tip, tendered=tendered)

    def refund(self, manager: dict[str, str], payment_id: int, amount: int, reason: str = "overcharged") -> int:
        resp = self.client.post(
            f"/api/payments/{payment_id}/refunds", json={"amount": amount, "reason": reason}, headers=manager
        )
        assert resp.status_code == 201, resp.text
        return int(resp.json()["refund"]["id"])

    def void(self, manager: dict[str, str], order_id: int, item_id: int, reason: str = "wrong dish") -> None:
        resp = self.client.request(
            "DELETE", f"/api/orders/{order_id}/items/{item_id}", json={"reason": reason}, headers=manager
        )
        assert resp.status_code == 200, resp.text


def open_shift(client: TestClient, manager: dict[str, str], opening_float: int = 10_000) -> dict[str, Any]:
    resp = client.post("/api/shifts/open", json={"float": opening_float}, headers=manager)
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def close_shift(client: TestClient, manager: dict[str, str], counted: int, note: str | None = None) -> dict[str, Any]:
    resp = client.post("/api/shifts/close", json={"counted_cash": counted, "note": note}, headers=manager)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def movement(
    client: TestClient, manager: dict[str, str], shift_id: int, kind: str, amount: int, reason: str = "change"
) -> Any:
    return client.post(
        f"/api/shifts/{shift_id}/movements", json={"kind": kind, "amount": amount, "reason": reason}, headers=manager
    )


def move_payment(database: Database, payment_id: int, at: datetime) -> None:
    """Pretend a payment was taken at `at` (UTC)."""
    with database.write_session() as db:
        db.execute(update(Payment).where(Payment.id == payment_id).values(created_at=at))


def move_refund(database: Database, refund_id: int, at: datetime) -> None:
    with database.write_session() as db:
        db.execute(update(Refund).where(Refund.id == refund_id).values(created_at=at))


def move_void(database: Database, item_id: int, at: datetime) -> None:
    with database.write_session() as db:
        db.execute(update(OrderItem).where(OrderItem.id == item_id).values(cancelled_at=at))


def move_order(database: Database, order_id: int, at: datetime) -> None:
    with database.write_session() as db:
        db.execute(update(Order).where(Order.id == order_id).values(opened_at=at))


def move_shift(database: Database, shift_id: int, opened_at: datetime, closed_at: datetime | None = None) -> None:
    values: dict[str, Any] = {"opened_at": opened_at}
    if closed_at is not None:
        values["closed_at"] = closed_at
    with database.write_session() as db:
        db.execute(update(Shift).where(Shift.id == shift_id).values(**values))
        db.execute(update(CashMovement).where(CashMovement.shift_id == shift_id).values(created_at=opened_at))
