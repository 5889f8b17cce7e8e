"""A pending UPI request survives the appliance being killed: the restarted process polls it and records the credit.

A real `python -m local_backend` process with the fake gateway (UPI_GATEWAY=fake) and its pay route.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.support.appliance import TEST_ENV, Appliance, seed

FAKE_UPI = {**TEST_ENV, "UPI_GATEWAY": "fake", "UPI_POLL_SECONDS": "0.2"}


def wait_for(check: Callable[[], Any], *, timeout: float = 15.0, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


class TestRestart:
    def test_a_pending_request_is_polled_again_after_a_kill_and_paid_once(self, tmp_path: Path):
        with Appliance(tmp_path / "appliance", env=FAKE_UPI) as appliance:
            data = seed(appliance.base_url, waiters=1, tables=1)
            waiter = data.waiters[0]
            with httpx.Client(base_url=appliance.base_url, timeout=20, headers=waiter.headers) as client:
                order = client.post("/api/orders/", json={"table_id": data.tables[0]["id"]}).json()
                items = {"items": data.item_templates[:2]}
                assert client.post(f"/api/orders/{order['id']}/items", json=items).status_code == 201
                total = client.get(f"/api/orders/{order['id']}").json()["due"]
                created = client.post(f"/api/orders/{order['id']}/upi", json={})
                assert created.status_code == 201, created.text
                upi = created.json()
                assert upi["amount"] == total
                assert "FAKE gateway" in appliance.log_tail()

            appliance.kill9()
            appliance.restart()

            with httpx.Client(base_url=appliance.base_url, timeout=20, headers=waiter.headers) as client:
                assert client.get(f"/api/upi/{upi['id']}").json()["status"] == "pending"
                paid = client.post(f"/api/upi/fake/{upi['qr_id']}/pay")
                assert paid.status_code == 200, paid.text

                def settled() -> dict[str, Any] | None:
                    state = client.get(f"/api/upi/{upi['id']}").json()
                    return state if state["status"] == "paid" else None

                state = wait_for(settled, what="the UPI credit to be recorded")
                assert state["razorpay_payment_id"] == paid.json()["payment_id"]
                time.sleep(1.0)  # several more polls: the credit must still count once
                bill = client.get(f"/api/orders/{order['id']}").json()
                assert bill["status"] == "paid"
                assert [p["amount"] for p in bill["payments"] if p["method"] == "upi"] == [total]
                # The QR is paid: paying it again is refused by the (single-use) fake.
                assert client.post(f"/api/upi/fake/{upi['qr_id']}/pay").status_code == 404
