"""POST/GET /api/sites/{site_id}/renewals: a Razorpay payment link per renewal, made once however often the
request is retried, and 502/503 with a code when Razorpay fails or billing is not configured."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

from cloud_backend.app import create_app
from cloud_backend.billing.gateway import InMemoryGateway
from tests.cloud_backend.billing.fake_razorpay import (
    KEY_ID,
    KEY_SECRET,
    PRICE,
    FakeRazorpay,
    Register,
    billing_settings,
    deliver,
    link_event,
    refusal,
)
from tests.cloud_backend.conftest import START, FakeClock, login

Renew = Callable[..., Any]


def iso(moment: Any) -> str:
    return str(moment.isoformat().replace("+00:00", "Z"))


class TestCreatingARenewal:
    def test_a_renewal_is_a_payment_link_for_the_months_at_the_configured_price(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        renew: Renew,
        razorpay: FakeRazorpay,
    ) -> None:
        site = register_site(name="Taverna Nikos")
        resp = renew(site, months=12)
        assert resp.status_code == 201, resp.text
        renewal = resp.json()
        [link] = razorpay.created
        assert renewal["payment_link_id"] == link["id"]
        assert renewal["short_url"] == link["short_url"]
        assert renewal["amount"] == 12 * PRICE
        assert renewal["currency"] == "INR"
        assert renewal["status"] == "created"
        assert renewal["months"] == 12
        assert renewal["site_id"] == site.site_id
        assert renewal["created_at"] == iso(START)
        assert renewal["created_by"] == "root"
        assert renewal["paid_at"] is None
        # What Razorpay was asked for.
        [sent] = razorpay.create_requests
        assert sent["amount"] == 12 * PRICE
        assert sent["currency"] == "INR"
        assert sent["reference_id"] == renewal["reference_id"]
        assert len(sent["reference_id"]) <= 40
        assert sent["notes"] == {"site_id": site.site_id, "months": "12"}
        assert sent["accept_partial"] is False
        assert sent["expire_by"] == int((START + timedelta(days=30)).timestamp())
        assert sent["customer"] == {"name": site.body["owner_name"], "email": site.body["contact_email"]}
        assert "Taverna Nikos" in sent["description"]
        auth = razorpay.received[0].headers["Authorization"]
        assert auth == "Basic " + base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
        listed = cloud.get(f"/api/sites/{site.site_id}/renewals", headers=admin_headers).json()
        assert listed == [renewal]

    def test_retrying_the_same_request_returns_the_stored_link_without_a_second_one(
        self, register_site: Register, renew: Renew, razorpay: FakeRazorpay
    ) -> None:
        site = register_site()
        first = renew(site, months=6)
        again = renew(site, months=6)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json() == first.json()
        assert len(razorpay.received) == 1

    def test_another_length_or_another_site_makes_another_link(
        self, register_site: Register, renew: Renew, razorpay: FakeRazorpay
    ) -> None:
        site, other = register_site(), register_site()
        links = {renew(site, months=3).json()["payment_link_id"] for _ in range(2)}
        links.add(renew(site, months=6).json()["payment_link_id"])
        links.add(renew(other, months=3).json()["payment_link_id"])
        assert len(links) == len(razorpay.created) == 3
        assert len({link["reference_id"] for link in razorpay.created}) == 3

    def test_the_same_idempotency_key_returns_the_first_renewal_and_a_new_key_makes_a_new_one(
        self, register_site: Register, renew: Renew, razorpay: FakeRazorpay
    ) -> None:
        site = register_site()
        first = renew(site, months=3, key="panel-7f3a")
        assert first.status_code == 201
        replay = renew(site, months=3, key="panel-7f3a")
        assert replay.status_code == 200
        assert replay.json() == first.json()
        reused = renew(site, months=6, key="panel-7f3a")
        assert reused.status_code == 422
        assert reused.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
        fresh = renew(site, months=3, key="panel-9b1c")
        assert fresh.status_code == 201
        assert fresh.json()["payment_link_id"] != first.json()["payment_link_id"]
        assert len(razorpay.created) == 2

    def test_a_retry_after_a_lost_answer_gets_the_link_razorpay_already_made(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        renew: Renew,
        razorpay: FakeRazorpay,
    ) -> None:
        site = register_site()
        razorpay.failures.append(("lost",))
        lost = renew(site, months=12)
        assert lost.status_code == 502
        assert lost.json()["code"] == "PAYMENT_GATEWAY_UNAVAILABLE"
        assert cloud.get(f"/api/sites/{site.site_id}/renewals", headers=admin_headers).json() == []
        [made] = razorpay.created  # Razorpay has it; we do not
        retry = renew(site, months=12)
        assert retry.status_code == 201
        assert retry.json()["payment_link_id"] == made["id"]
        assert retry.json()["reference_id"] == made["reference_id"]
        assert len(razorpay.created) == 1  # the retry was refused as a duplicate reference and found the first
        assert [r["reference_id"] for r in razorpay.create_requests] == [made["reference_id"]] * 2

    def test_a_paid_or_expired_link_is_not_handed_out_again(
        self, cloud: TestClient, register_site: Register, renew: Renew, razorpay: FakeRazorpay, clock: FakeClock
    ) -> None:
        site = register_site()
        first = renew(site, months=1).json()
        assert (
            deliver(cloud, link_event("payment_link.paid", razorpay.links[first["payment_link_id"]])).status_code == 200
        )
        second = renew(site, months=1)
        assert second.status_code == 201
        assert second.json()["payment_link_id"] != first["payment_link_id"]
        clock.advance(days=30)  # the link's life (RENEWAL_LINK_VALID_DAYS) is over
        third = renew(site, months=1)
        assert third.status_code == 201
        assert third.json()["payment_link_id"] not in {first["payment_link_id"], second.json()["payment_link_id"]}

    def test_creating_a_renewal_is_audited(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        renew: Renew,
        razorpay: FakeRazorpay,
    ) -> None:
        site = register_site()
        renewal = renew(site, months=2).json()
        [event] = cloud.get(
            "/api/audit/", params={"site_id": site.site_id, "action": "billing.renewal_create"}, headers=admin_headers
        ).json()
        assert event["actor_name"] == "root"
        assert event["data"]["payment_link_id"] == renewal["payment_link_id"]
        assert event["data"]["amount"] == 2 * PRICE


class TestWhenRazorpayFails:
    @pytest.mark.parametrize(
        "failure",
        [
            ("status", 500, {"error": {"code": "SERVER_ERROR", "description": "The server encountered an error"}}),
            ("status", 502, "<html><body>Bad gateway</body></html>"),
            ("status", 503, {"error": {"code": "GATEWAY_ERROR", "description": "Gateway unavailable"}}),
            ("raise", requests.exceptions.ConnectTimeout("connect timed out")),
            ("raise", requests.exceptions.ReadTimeout("read timed out")),
            ("raise", requests.exceptions.ConnectionError("name or service not known")),
        ],
        ids=["500", "html-502", "gateway-error", "connect-timeout", "read-timeout", "unreachable"],
    )
    def test_razorpay_down_is_502_and_nothing_is_stored(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        renew: Renew,
        razorpay: FakeRazorpay,
        failure: tuple[Any, ...],
    ) -> None:
        site = register_site()
        razorpay.failures.append(failure)
        resp = renew(site, months=12)
        assert resp.status_code == 502
        assert resp.json()["code"] == "PAYMENT_GATEWAY_UNAVAILABLE"
        assert cloud.get(f"/api/sites/{site.site_id}/renewals", headers=admin_headers).json() == []
        assert renew(site, months=12).status_code == 201  # and it works once Razorpay is back

    def test_razorpay_refusing_is_502_with_its_description(
        self, register_site: Register, renew: Renew, razorpay: FakeRazorpay
    ) -> None:
        site = register_site()
        razorpay.failures.append(("status", 401, refusal("The api key provided is invalid")))
        resp = renew(site, months=12)
        assert resp.status_code == 502
        assert resp.json()["code"] == "PAYMENT_GATEWAY_REJECTED"
        assert "The api key provided is invalid" in resp.json()["detail"]

    def test_the_razorpay_call_has_a_timeout(
        self, register_site: Register, renew: Renew, razorpay: FakeRazorpay
    ) -> None:
        renew(register_site(), months=1)
        # `responses` keeps the keyword arguments requests was called with.
        assert getattr(razorpay.received[0], "req_kwargs", {}).get("timeout") == 2


class TestNotConfigured:
    @pytest.mark.parametrize(
        "unset",
        [
            {"razorpay_key_id": None},
            {"razorpay_key_secret": None},
            {"renewal_price_per_month": None},
        ],
        ids=["no-key-id", "no-key-secret", "no-price"],
    )
    def test_renewals_without_keys_or_price_are_503(
        self, cloud_db: str, tmp_path: Path, clock: FakeClock, razorpay: FakeRazorpay, unset: dict[str, Any]
    ) -> None:
        app = create_app(billing_settings(cloud_db, tmp_path, **unset), clock=clock)
        with TestClient(app) as client:
            headers, site_id = _login_and_register(client)
            resp = client.post(f"/api/sites/{site_id}/renewals", json={"months": 1}, headers=headers)
            assert resp.status_code == 503
            assert resp.json()["code"] == "BILLING_NOT_CONFIGURED"
            assert client.get(f"/api/sites/{site_id}/renewals", headers=headers).json() == []
        assert razorpay.received == []

    def test_an_injected_gateway_serves_a_cloud_without_razorpay_keys(
        self, cloud_db: str, tmp_path: Path, clock: FakeClock
    ) -> None:
        app = create_app(billing_settings(cloud_db, tmp_path, razorpay_key_id=None), clock=clock)
        app.state.razorpay_gateway = gateway = InMemoryGateway()
        with TestClient(app) as client:
            headers, site_id = _login_and_register(client)
            resp = client.post(f"/api/sites/{site_id}/renewals", json={"months": 2}, headers=headers)
            assert resp.status_code == 201
            assert resp.json()["payment_link_id"] in gateway.links
            assert [r.amount for r in gateway.received] == [2 * PRICE]


def _login_and_register(client: TestClient) -> tuple[dict[str, str], str]:
    """On a cloud built by the test itself: the sysadmin's headers and a newly registered site's id."""
    headers = login(client)
    body = {
        "name": "T",
        "owner_name": "O",
        "contact_email": "o@example.com",
        "license_expires_at": "2027-01-01T00:00:00Z",
    }
    site_id: str = client.post("/api/sites/", json=body, headers=headers).json()["site_id"]
    return headers, site_id


class TestAccess:
    def test_renewals_need_a_sysadmin_and_a_registered_site(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, razorpay: FakeRazorpay
    ) -> None:
        site = register_site()
        path = f"/api/sites/{site.site_id}/renewals"
        assert cloud.post(path, json={"months": 1}).status_code == 401
        assert cloud.get(path).status_code == 401
        missing = cloud.post("/api/sites/site_nope/renewals", json={"months": 1}, headers=admin_headers)
        assert (missing.status_code, missing.json()["code"]) == (404, "SITE_NOT_FOUND")
        assert cloud.get("/api/sites/site_nope/renewals", headers=admin_headers).status_code == 404
        cloud.delete(f"/api/sites/{site.site_id}", headers=admin_headers)
        assert cloud.post(path, json={"months": 1}, headers=admin_headers).status_code == 404
        assert razorpay.received == []

    def test_bad_requests_are_422(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, razorpay: FakeRazorpay
    ) -> None:
        path = f"/api/sites/{register_site().site_id}/renewals"
        for body in ({}, {"months": 0}, {"months": 37}, {"months": "12x"}, {"months": 1, "amount": 1}):
            resp = cloud.post(path, json=body, headers=admin_headers)
            assert resp.status_code == 422, body
            assert resp.json()["code"] == "VALIDATION_ERROR"
        for key in ("", "x" * 129, "with space"):
            resp = cloud.post(path, json={"months": 1}, headers={**admin_headers, "Idempotency-Key": key})
            assert resp.status_code == 422, key
        assert razorpay.received == []


class TestListing:
    def test_renewals_are_listed_newest_first_and_paged(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        renew: Renew,
        razorpay: FakeRazorpay,
    ) -> None:
        site, other = register_site(), register_site()
        made = [renew(site, months=m).json() for m in (1, 2, 3)]
        renew(other, months=1)
        path = f"/api/sites/{site.site_id}/renewals"
        listed = cloud.get(path, headers=admin_headers).json()
        assert [r["months"] for r in listed] == [3, 2, 1]
        page = cloud.get(path, params={"limit": 2}, headers=admin_headers).json()
        rest = cloud.get(path, params={"before_id": page[-1]["id"]}, headers=admin_headers).json()
        assert [r["id"] for r in page + rest] == [r["id"] for r in reversed(made)]
