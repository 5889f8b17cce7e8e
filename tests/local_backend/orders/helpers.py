"""Small API helpers shared by the orders and reports tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def open_order(client: TestClient, headers: dict[str, str], table_id: int, guests: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"table_id": table_id}
    if guests is not None:
        body["guests"] = guests
    resp = client.post("/api/orders/", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def line(product_id: int, quantity: int = 1, **fields: Any) -> dict[str, Any]:
    return {"product_id": product_id, "quantity": quantity, **fields}


def add_items(client: TestClient, headers: dict[str, str], order_id: int, *lines: dict[str, Any]) -> dict[str, Any]:
    resp = client.post(f"/api/orders/{order_id}/items", json={"items": list(lines)}, headers=headers)
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def pay(
    client: TestClient, headers: dict[str, str], order_id: int, item_ids: list[int], method: str = "cash", tip: int = 0
) -> dict[str, Any]:
    resp = client.post(
        f"/api/orders/{order_id}/pay", json={"item_ids": item_ids, "method": method, "tip": tip}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def get_order(client: TestClient, headers: dict[str, str], order_id: int) -> dict[str, Any]:
    resp = client.get(f"/api/orders/{order_id}", headers=headers)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def cancel_item(
    client: TestClient, headers: dict[str, str], order_id: int, item_id: int, reason: str = "guest changed mind"
) -> Any:
    return client.request("DELETE", f"/api/orders/{order_id}/items/{item_id}", json={"reason": reason}, headers=headers)


def cancel_order(client: TestClient, headers: dict[str, str], order_id: int, reason: str = "walked out") -> Any:
    return client.request("DELETE", f"/api/orders/{order_id}", json={"reason": reason}, headers=headers)


def user_id(client: TestClient, headers: dict[str, str]) -> int:
    return int(client.get("/api/auth/me", headers=headers).json()["id"])


def post_payment(client: TestClient, headers: dict[str, str], order_id: int, **body: Any) -> Any:
    """POST /api/orders/{id}/payments; the raw response (refusals are part of what tests check)."""
    return client.post(f"/api/orders/{order_id}/payments", json=body, headers=headers)


def pay_amount(client: TestClient, headers: dict[str, str], order_id: int, amount: int, **body: Any) -> dict[str, Any]:
    resp = post_payment(client, headers, order_id, method=body.pop("method", "card"), amount=amount, **body)
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def split(client: TestClient, headers: dict[str, str], order_id: int, **body: Any) -> Any:
    return client.post(f"/api/orders/{order_id}/split", json=body, headers=headers)
