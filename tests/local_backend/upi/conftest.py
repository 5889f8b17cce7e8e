"""Fixtures for the UPI tests: the appliance configured for Razorpay (HTTP mocked with `responses`) or the fake
gateway, a waiter's order with a balance, and Razorpay's answers as the tests script them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from fastapi import FastAPI
from fastapi.testclient import TestClient

from local_backend.config import Settings
from local_backend.upi.manager import UpiManager
from tests.conftest import make_settings
from tests.local_backend.orders.helpers import add_items, open_order

QR_URL = "https://api.razorpay.com/v1/payments/qr_codes"
# A poll interval far beyond any test: the tests run each poll themselves (`tick`), so nothing races them.
SLOW_POLL = 300.0


@pytest.fixture
def upi_settings() -> dict[str, Any]:
    return {
        "currency": "INR",
        "razorpay_key_id": "rzp_test_key",
        "razorpay_key_secret": "rzp_test_secret",
        "upi_poll_seconds": SLOW_POLL,
    }


@pytest.fixture
def settings(tmp_path: Path, upi_settings: dict[str, Any]) -> Settings:
    return make_settings(tmp_path, **upi_settings)


@pytest.fixture
def rzp() -> Iterator[responses.RequestsMock]:
    """Razorpay's HTTP API, scripted per test; a request nobody scripted fails as a connection error would."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def upi(app: FastAPI, client: TestClient) -> UpiManager:
    manager: UpiManager = app.state.upi
    return manager


@pytest.fixture
def tick(client: TestClient, upi: UpiManager) -> Callable[..., float]:
    """Run one poll of every watched request now, on the app's loop (as the background task would)."""

    def _tick(**kwargs: Any) -> float:
        return float(client.portal.call(lambda: upi.tick(force=True, **kwargs)))  # type: ignore[union-attr]

    return _tick


@pytest.fixture
def maria(waiter_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    return waiter_headers("maria")


@pytest.fixture
def order(client: TestClient, maria: dict[str, str], make_table: Any, make_product: Any) -> dict[str, Any]:
    """Maria's order: 2 x 450.00 thali + 1 x 100.00 lassi = 1000.00 (minor units 100000)."""
    thali = make_product("Thali", 45000)
    lassi = make_product("Lassi", 10000, category="Drinks")
    created = open_order(client, maria, make_table().id)
    add_items(client, maria, created["id"], {"product_id": thali.id, "quantity": 2}, {"product_id": lassi.id})
    return created


def qr_answer(qr_id: str = "qr_TEST0001", amount: int = 100000, **extra: Any) -> dict[str, Any]:
    return {
        "id": qr_id,
        "entity": "qr_code",
        "usage": "single_use",
        "type": "upi_qr",
        "image_url": f"https://rzp.io/i/{qr_id}",
        "payment_amount": amount,
        "status": "active",
        "fixed_amount": True,
        **extra,
    }


def payment(payment_id: str, amount: int, status: str = "captured") -> dict[str, Any]:
    return {"id": payment_id, "entity": "payment", "amount": amount, "currency": "INR", "status": status}


def script_create(rzp: responses.RequestsMock, qr_id: str = "qr_TEST0001", amount: int = 100000) -> None:
    upi_string = f"upi://pay?pa=tavolo@icici&pn=Tavolo&tr={qr_id}&am={amount / 100:.2f}&cu=INR"
    rzp.add(responses.POST, QR_URL, json=qr_answer(qr_id, amount, image_content=upi_string))


def script_payments(rzp: responses.RequestsMock, qr_id: str, *payments: dict[str, Any]) -> None:
    """From now on, the QR's payment list answers these payments."""
    url = f"{QR_URL}/{qr_id}/payments"
    rzp.remove(responses.GET, url)
    rzp.add(responses.GET, url, json={"entity": "collection", "count": len(payments), "items": list(payments)})


def script_close(rzp: responses.RequestsMock, qr_id: str) -> None:
    rzp.add(responses.POST, f"{QR_URL}/{qr_id}/close", json=qr_answer(qr_id, status="closed"))


def sent_json(call: Any) -> dict[str, Any]:
    body = call.request.body
    return dict(json.loads(body.decode() if isinstance(body, bytes) else body))


def create_qr(client: TestClient, headers: dict[str, str], order_id: int, **body: Any) -> Any:
    return client.post(f"/api/orders/{order_id}/upi", json=body, headers=headers)
