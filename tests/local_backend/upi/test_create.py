"""Creating a UPI QR for a bill: what reaches Razorpay, what is stored, and what happens when Razorpay cannot help."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
import responses

from tests.local_backend.orders.helpers import get_order, pay_amount
from tests.local_backend.upi.conftest import QR_URL, create_qr, script_create, sent_json


class TestCreatingAQr:
    def test_the_qr_asks_razorpay_for_the_exact_balance_with_the_bill_in_its_notes(self, client, maria, order, rzp):
        script_create(rzp)
        before = time.time()
        resp = create_qr(client, maria, order["id"])
        assert resp.status_code == 201, resp.text
        created = resp.json()

        (call,) = rzp.calls
        assert call.request.url == QR_URL
        assert call.request.headers["Authorization"].startswith("Basic ")
        sent = sent_json(call)
        assert sent["type"] == "upi_qr"
        assert sent["usage"] == "single_use"
        assert sent["fixed_amount"] is True
        assert sent["payment_amount"] == 100000
        assert sent["notes"] == {
            "order_id": str(order["id"]),
            "upi_request_id": sent["notes"]["upi_request_id"],
            "split_part": "",
        }
        assert sent["notes"]["upi_request_id"].startswith("upi_")
        # 15 minutes (the default) from now, as a Unix timestamp.
        assert before + 15 * 60 - 2 <= sent["close_by"] <= time.time() + 15 * 60 + 1

        assert created["status"] == "pending"
        assert created["amount"] == 100000
        assert created["qr_id"] == "qr_TEST0001"
        assert created["payload"].startswith("upi://pay?")
        assert created["image_url"] == "https://rzp.io/i/qr_TEST0001"
        assert created["gateway"] == "razorpay"
        assert client.get(f"/api/upi/{created['id']}", headers=maria).json()["status"] == "pending"

    def test_a_part_of_the_bill_carries_its_split_part(self, client, maria, order, rzp):
        script_create(rzp, amount=25000)
        resp = create_qr(client, maria, order["id"], amount=25000, split_part="1/4")
        assert resp.status_code == 201, resp.text
        assert resp.json()["split_part"] == "1/4"
        sent = sent_json(rzp.calls[0])
        assert sent["payment_amount"] == 25000
        assert sent["notes"]["split_part"] == "1/4"

    def test_more_than_the_balance_is_refused_before_razorpay_is_asked(self, client, maria, order, rzp):
        resp = create_qr(client, maria, order["id"], amount=100001)
        assert resp.status_code == 409
        assert resp.json()["code"] == "PAYMENT_EXCEEDS_BALANCE"
        assert len(rzp.calls) == 0

    def test_what_open_qrs_already_ask_for_cannot_be_asked_again(self, client, maria, order, rzp):
        script_create(rzp, "qr_A", 60000)
        assert create_qr(client, maria, order["id"], amount=60000).status_code == 201
        resp = create_qr(client, maria, order["id"], amount=50000)
        assert resp.status_code == 409
        assert resp.json()["code"] == "PAYMENT_EXCEEDS_BALANCE"
        rzp.replace(responses.POST, QR_URL, json={"id": "qr_B", "image_url": "https://rzp.io/i/qr_B"})
        rest = create_qr(client, maria, order["id"])
        assert rest.status_code == 201, rest.text
        assert rest.json()["amount"] == 40000
        again = create_qr(client, maria, order["id"])
        assert again.status_code == 409
        assert again.json()["code"] == "UPI_NOTHING_DUE"

    def test_another_waiter_may_not_ask_for_the_bill(self, client, order, rzp, waiter_headers):
        resp = create_qr(client, waiter_headers("nikos"), order["id"])
        assert resp.status_code == 403
        assert len(rzp.calls) == 0

    def test_an_idempotent_retry_answers_the_first_qr_and_asks_razorpay_once(self, client, maria, order, rzp):
        script_create(rzp)
        headers = {**maria, "Idempotency-Key": "upi-retry-1"}
        first = create_qr(client, headers, order["id"])
        second = create_qr(client, headers, order["id"])
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second.headers.get("Idempotent-Replayed") == "true"
        assert len(rzp.calls) == 1


@pytest.mark.parametrize(
    "failure",
    [
        {"body": requests.ConnectionError("no route to host")},
        {"body": requests.Timeout("read timed out")},
        {"status": 502, "body": "<html>Bad gateway</html>"},
        {"status": 500, "json": {"error": {"code": "SERVER_ERROR", "description": "oops"}}},
    ],
    ids=["unreachable", "timeout", "html-502", "5xx"],
)
class TestRazorpayDown:
    def test_upi_is_unavailable_and_cash_still_settles_the_bill(
        self, client, maria, order, rzp, failure: dict[str, Any]
    ):
        rzp.add(responses.POST, QR_URL, **failure)
        resp = create_qr(client, maria, order["id"])
        assert resp.status_code == 503
        assert resp.json()["code"] == "UPI_UNAVAILABLE"
        # Nothing was stored as pending.
        assert client.get("/api/upi/", params={"order_id": order["id"]}, headers=maria).json() == []
        status = client.get("/api/upi/status", headers=maria).json()
        assert status["available"] is False
        assert status["code"] == "UPI_UNAVAILABLE"
        assert status["reason"]

        pay_amount(client, maria, order["id"], 100000, method="cash")
        assert get_order(client, maria, order["id"])["status"] == "paid"

    def test_it_comes_back_with_the_next_successful_call(self, client, maria, order, rzp, failure: dict[str, Any]):
        rzp.add(responses.POST, QR_URL, **failure)
        assert create_qr(client, maria, order["id"]).status_code == 503
        rzp.remove(responses.POST, QR_URL)
        script_create(rzp)
        assert create_qr(client, maria, order["id"]).status_code == 201
        assert client.get("/api/upi/status", headers=maria).json()["available"] is True


class TestTimeouts:
    def test_every_razorpay_call_carries_the_configured_timeout(self, client, maria, order, rzp, upi):
        script_create(rzp)
        create_qr(client, maria, order["id"])
        assert rzp.calls[0].request.req_kwargs["timeout"] == 5


class TestNotConfigured:
    @pytest.fixture
    def upi_settings(self) -> dict[str, Any]:
        return {"currency": "INR"}

    def test_without_keys_upi_is_not_offered_and_says_why(self, client, maria, order):
        status = client.get("/api/upi/status", headers=maria).json()
        assert status == {
            "available": False,
            "gateway": None,
            "code": "UPI_NOT_CONFIGURED",
            "reason": status["reason"],
        }
        resp = create_qr(client, maria, order["id"])
        assert resp.status_code == 409
        assert resp.json()["code"] == "UPI_NOT_CONFIGURED"

    def test_the_method_cannot_be_recorded_directly(self, client, maria, order):
        resp = client.post(f"/api/orders/{order['id']}/payments", json={"method": "upi", "amount": 1000}, headers=maria)
        assert resp.status_code == 409
        assert resp.json()["code"] == "METHOD_NEEDS_GATEWAY"


class TestCurrency:
    @pytest.fixture
    def upi_settings(self) -> dict[str, Any]:
        return {"currency": "EUR", "razorpay_key_id": "rzp_test_key", "razorpay_key_secret": "rzp_test_secret"}

    def test_razorpay_upi_needs_rupees(self, client, maria, order, rzp):
        resp = create_qr(client, maria, order["id"])
        assert resp.status_code == 409
        assert resp.json()["code"] == "UPI_NOT_CONFIGURED"
        assert len(rzp.calls) == 0
