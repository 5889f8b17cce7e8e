"""Polling Razorpay for an open QR: a credit is recorded on the bill exactly once, whatever Razorpay repeats or
however late it arrives; expired and cancelled QRs are closed there; network errors never lose a credit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import responses

from shared.clock import utcnow
from tests.local_backend.orders.helpers import get_order, pay_amount
from tests.local_backend.upi.conftest import (
    QR_URL,
    create_qr,
    payment,
    script_close,
    script_create,
    script_payments,
)


def upi_payments(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in order["payments"] if p["method"] == "upi"]


def request_of(client: Any, headers: dict[str, str], request_id: int) -> dict[str, Any]:
    resp = client.get(f"/api/upi/{request_id}", headers=headers)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


class TestACredit:
    def test_is_recorded_once_however_often_it_is_seen(self, client, maria, order, rzp, tick, database):
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        script_payments(rzp, "qr_TEST0001")
        tick()
        assert request_of(client, maria, created["id"])["status"] == "pending"

        script_payments(rzp, "qr_TEST0001", payment("pay_A1", 100000, status="authorized"))
        tick()
        assert request_of(client, maria, created["id"])["status"] == "pending"  # not credited yet

        script_payments(rzp, "qr_TEST0001", payment("pay_A1", 100000))
        script_close(rzp, "qr_TEST0001")
        tick()
        tick()
        # Razorpay lists the same payment twice (a duplicate credit notification): still one payment.
        script_payments(rzp, "qr_TEST0001", payment("pay_A1", 100000), payment("pay_A1", 100000))
        tick()

        paid = request_of(client, maria, created["id"])
        assert paid["status"] == "paid"
        assert paid["razorpay_payment_id"] == "pay_A1"
        bill = get_order(client, maria, order["id"])
        assert bill["status"] == "paid"
        (recorded,) = upi_payments(bill)
        assert recorded["amount"] == 100000
        assert recorded["reference"] == "pay_A1"
        assert recorded["id"] == paid["payment_id"]

    def test_of_a_split_part_pays_that_part(self, client, maria, order, rzp, tick):
        script_create(rzp, amount=25000)
        created = create_qr(client, maria, order["id"], amount=25000, split_part="1/4").json()
        script_payments(rzp, "qr_TEST0001", payment("pay_P1", 25000))
        tick()
        bill = get_order(client, maria, order["id"])
        assert bill["status"] == "partially_paid"
        assert bill["due"] == 75000
        (recorded,) = upi_payments(bill)
        assert recorded["split_part"] == "1/4"
        assert request_of(client, maria, created["id"])["status"] == "paid"

    def test_is_announced_to_the_waiter_with_the_order_events(self, client, maria, order, rzp, tick, database):
        since = database.events.seq
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        script_payments(rzp, "qr_TEST0001", payment("pay_E1", 100000))
        tick()
        types = [e.type for e in database.events.history_after(since)]
        assert "upi.requested" in types
        assert "order.paid" in types
        upi_paid = [e for e in database.events.history_after(since) if e.type == "upi.paid"]
        assert upi_paid[0].data["upi_request_id"] == created["id"]

    def test_the_payment_and_the_request_are_in_the_audit_trail(self, client, maria, order, rzp, tick):
        script_create(rzp)
        create_qr(client, maria, order["id"])
        script_payments(rzp, "qr_TEST0001", payment("pay_H1", 100000))
        tick()
        history = client.get(f"/api/orders/{order['id']}/history", headers=maria).json()
        actions = [event["action"] for event in history]
        assert "upi.requested" in actions
        assert "upi.paid" in actions
        assert "order.paid" in actions


class TestALateCredit:
    def test_after_cash_settled_the_bill_is_kept_off_it_and_alerted(
        self, client, maria, manager_headers, order, rzp, tick
    ):
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        # The guest is handed the QR, but a friend pays cash before the poll sees the UPI credit.
        pay_amount(client, maria, order["id"], 100000, method="cash")
        script_payments(rzp, "qr_TEST0001", payment("pay_L1", 100000))
        script_close(rzp, "qr_TEST0001")
        tick()
        tick()

        late = request_of(client, maria, created["id"])
        assert late["status"] == "overpaid"
        assert late["razorpay_payment_id"] == "pay_L1"
        assert late["unapplied_reason"] == "PAYMENT_EXCEEDS_BALANCE"
        assert late["payment_id"] is None
        bill = get_order(client, maria, order["id"])
        assert upi_payments(bill) == []
        assert bill["paid_total"] == 100000

        alerts = client.get("/api/upi/", params={"attention": True}, headers=manager_headers).json()
        assert [a["id"] for a in alerts] == [created["id"]]
        ack = client.post(f"/api/upi/{created['id']}/acknowledge", headers=manager_headers)
        assert ack.status_code == 200, ack.text
        assert client.get("/api/upi/", params={"attention": True}, headers=manager_headers).json() == []

    def test_a_qr_the_bill_can_no_longer_take_is_closed_before_anyone_pays_it(self, client, maria, order, rzp, tick):
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        pay_amount(client, maria, order["id"], 30000, method="card")
        script_payments(rzp, "qr_TEST0001")
        script_close(rzp, "qr_TEST0001")
        tick()
        assert request_of(client, maria, created["id"])["status"] == "cancelled"
        tick()
        assert any(c.request.url.endswith("/qr_TEST0001/close") for c in rzp.calls)
        # Cash and card settle the rest as usual.
        pay_amount(client, maria, order["id"], 70000, method="cash")
        assert get_order(client, maria, order["id"])["status"] == "paid"


class TestEndingAQr:
    def test_an_expired_qr_is_closed_at_razorpay_and_checked_once_more(self, client, maria, order, rzp, tick):
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        script_payments(rzp, "qr_TEST0001")
        script_close(rzp, "qr_TEST0001")
        tick(now=utcnow() + timedelta(minutes=16))
        ended = request_of(client, maria, created["id"])
        assert ended["status"] == "expired"
        urls = [c.request.url for c in rzp.calls]
        close_at = urls.index(f"{QR_URL}/qr_TEST0001/close")
        assert f"{QR_URL}/qr_TEST0001/payments" in urls[close_at:]
        # Nothing is polled any more.
        calls = len(rzp.calls)
        tick()
        assert len(rzp.calls) == calls

    def test_money_sent_as_the_waiter_cancelled_is_still_recorded(self, client, maria, order, rzp, tick):
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        resp = client.post(f"/api/upi/{created['id']}/cancel", headers=maria)
        assert resp.status_code == 200, resp.text
        assert resp.json()["status"] == "cancelled"
        script_close(rzp, "qr_TEST0001")
        script_payments(rzp, "qr_TEST0001", payment("pay_C1", 100000))
        tick()
        assert request_of(client, maria, created["id"])["status"] == "paid"
        assert get_order(client, maria, order["id"])["status"] == "paid"

    def test_a_cancelled_request_cannot_be_cancelled_again(self, client, maria, order, rzp):
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        assert client.post(f"/api/upi/{created['id']}/cancel", headers=maria).status_code == 200
        again = client.post(f"/api/upi/{created['id']}/cancel", headers=maria)
        assert again.status_code == 409
        assert again.json()["code"] == "UPI_NOT_PENDING"


class TestNetworkErrors:
    def test_a_failing_poll_backs_off_and_the_credit_is_recorded_when_razorpay_answers(
        self, client, maria, order, rzp, tick, upi
    ):
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        rzp.add(responses.GET, f"{QR_URL}/qr_TEST0001/payments", status=503, body="upstream down")
        tick()
        assert request_of(client, maria, created["id"])["status"] == "pending"
        assert upi._backoff[created["id"]].failures == 1
        assert client.get("/api/upi/status", headers=maria).json()["available"] is False

        script_payments(rzp, "qr_TEST0001", payment("pay_N1", 100000))
        tick()
        assert request_of(client, maria, created["id"])["status"] == "paid"
        assert client.get("/api/upi/status", headers=maria).json()["available"] is True

    def test_a_qr_razorpay_never_confirms_ends_as_failed_for_the_manager(
        self, client, maria, manager_headers, order, rzp, tick
    ):
        script_create(rzp)
        created = create_qr(client, maria, order["id"]).json()
        tick(now=utcnow() + timedelta(days=2))  # nothing scripted: every call fails
        failed = request_of(client, maria, created["id"])
        assert failed["status"] == "failed"
        assert failed["last_error"]
        alerts = client.get("/api/upi/", params={"attention": True}, headers=manager_headers).json()
        assert [a["id"] for a in alerts] == [created["id"]]
