"""POST /api/billing/razorpay/webhook: signed raw body, deduped on the event id in the same transaction as the
effect; payment_link.paid extends the license by calendar months from the later of now and the current expiry,
once per link whatever order or how often the events come; the next heartbeat carries the new date."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cloud_backend.app import create_app
from cloud_backend.billing import service
from cloud_backend.billing.models import Renewal, WebhookEvent
from cloud_backend.billing.schemas import WebhookOutcome
from cloud_backend.config import Settings
from cloud_backend.db import Database
from cloud_backend.sites.models import Site
from shared.lease import keys_from_jwks, verify_lease
from tests.cloud_backend.billing.fake_razorpay import (
    PRICE,
    FakeRazorpay,
    Register,
    billing_settings,
    deliver,
    encode,
    link_event,
    sign,
)
from tests.cloud_backend.conftest import ADMIN, START, Beat, FakeClock, RegisteredSite, new_nonce
from tests.support.served import serve_in_thread

Renew = Callable[..., Any]
ADMIN_LOGIN = {"username": ADMIN[0], "password": ADMIN[1]}


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def expiry(database: Database, site: RegisteredSite) -> datetime:
    with database.write_session() as db:
        found = db.get(Site, site.site_id)
        assert found is not None
        return found.license_expires_at


def recorded_events(database: Database) -> list[WebhookEvent]:
    with database.write_session() as db:
        return list(db.scalars(select(WebhookEvent).order_by(WebhookEvent.received_at, WebhookEvent.event_id)))


def paid_audits(cloud: TestClient, headers: dict[str, str], site: RegisteredSite) -> list[dict[str, Any]]:
    params = {"site_id": site.site_id, "action": "billing.renewal_paid"}
    events: list[dict[str, Any]] = cloud.get("/api/audit/", params=params, headers=headers).json()
    return events


@pytest.fixture
def open_link(
    register_site: Register, renew: Renew, razorpay: FakeRazorpay
) -> Callable[..., tuple[RegisteredSite, dict[str, Any]]]:
    """A registered site and the Razorpay link of a renewal for it: `open_link(months=12, days=30)`."""

    def _open(months: int = 12, days: float = 30) -> tuple[RegisteredSite, dict[str, Any]]:
        site = register_site(days=days)
        resp = renew(site, months=months)
        assert resp.status_code == 201, resp.text
        return site, razorpay.links[resp.json()["payment_link_id"]]

    return _open


OpenLink = Callable[..., tuple[RegisteredSite, dict[str, Any]]]


class TestCalendarMonths:
    @pytest.mark.parametrize(
        ("start", "months", "expected"),
        [
            (datetime(2027, 1, 31, 9, 30, tzinfo=UTC), 1, datetime(2027, 2, 28, 9, 30, tzinfo=UTC)),
            (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
            (datetime(2026, 11, 22, 12, tzinfo=UTC), 2, datetime(2027, 1, 22, 12, tzinfo=UTC)),
            (datetime(2026, 12, 15, tzinfo=UTC), 12, datetime(2027, 12, 15, tzinfo=UTC)),
            (datetime(2026, 8, 31, tzinfo=UTC), 36, datetime(2029, 8, 31, tzinfo=UTC)),
            (datetime(2026, 3, 31, tzinfo=UTC), 6, datetime(2026, 9, 30, tzinfo=UTC)),
        ],
    )
    def test_months_are_calendar_months_with_the_day_clamped(
        self, start: datetime, months: int, expected: datetime
    ) -> None:
        assert service.add_months(start, months) == expected


class TestPaidLink:
    def test_a_paid_link_extends_the_license_by_its_months_from_the_current_expiry(
        self, cloud: TestClient, admin_headers: dict[str, str], open_link: OpenLink, database: Database
    ) -> None:
        site, link = open_link(months=12, days=30)
        before = START + timedelta(days=30)
        resp = deliver(cloud, link_event("payment_link.paid", link, payment_id="pay_Q1"), event_id="evt_paid_1")
        assert resp.status_code == 200, resp.text
        assert resp.json()["outcome"] == "applied"
        after = datetime(2027, 12, 22, 12, 0, tzinfo=UTC)  # 22 Dec 2026 + 12 calendar months
        assert expiry(database, site) == after
        [renewal] = cloud.get(f"/api/sites/{site.site_id}/renewals", headers=admin_headers).json()
        assert renewal["status"] == "paid"
        assert renewal["paid_at"] == iso(START)
        assert renewal["razorpay_payment_id"] == "pay_Q1"
        assert renewal["amount_paid"] == 12 * PRICE
        assert (renewal["extended_from"], renewal["extended_to"]) == (iso(before), iso(after))
        site_read = cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()
        assert site_read["license_expires_at"] == iso(after)

    def test_an_expired_license_is_extended_from_now(
        self, cloud: TestClient, open_link: OpenLink, database: Database, clock: FakeClock
    ) -> None:
        site, link = open_link(months=1, days=-40)
        clock.advance(hours=5)
        assert deliver(cloud, link_event("payment_link.paid", link)).json()["outcome"] == "applied"
        assert expiry(database, site) == datetime(2026, 12, 22, 17, 0, tzinfo=UTC)

    def test_the_payment_is_in_the_audit_trail_as_razorpay(
        self, cloud: TestClient, admin_headers: dict[str, str], open_link: OpenLink
    ) -> None:
        site, link = open_link(months=3)
        deliver(cloud, link_event("payment_link.paid", link, payment_id="pay_A1"), event_id="evt_audit")
        [event] = paid_audits(cloud, admin_headers, site)
        assert event["actor_name"] == "razorpay"
        assert event["actor_id"] is None
        assert event["data"]["payment_id"] == "pay_A1"
        assert event["data"]["event_id"] == "evt_audit"
        assert event["data"]["months"] == 3
        assert event["data"]["from"] == (START + timedelta(days=30)).isoformat()

    def test_the_next_heartbeat_carries_the_new_paid_through_date(
        self, cloud: TestClient, open_link: OpenLink, beat: Beat, clock: FakeClock
    ) -> None:
        site, link = open_link(months=6, days=2)
        before = beat(site).json()
        assert before["expires_at"] == iso(START + timedelta(days=2))
        # The open link reaches the appliance, for its manager to pay.
        assert before["renewal_url"] == link["short_url"]
        clock.advance(minutes=10)
        deliver(cloud, link_event("payment_link.paid", link))
        nonce = new_nonce()
        body = beat(site, nonce=nonce).json()
        paid_through = datetime(2027, 5, 24, 12, 0, tzinfo=UTC)
        assert body["expires_at"] == iso(paid_through)
        assert body["licensed"] is True
        assert body["renewal_url"] is None
        lease = verify_lease(
            body["lease"], keys_from_jwks(cloud.get("/.well-known/jwks.json").json()), site_id=site.site_id, nonce=nonce
        )
        assert lease.paid_through == paid_through

    def test_a_cancelled_or_lapsed_link_is_no_longer_offered_to_the_appliance(
        self, cloud: TestClient, open_link: OpenLink, beat: Beat, clock: FakeClock
    ) -> None:
        site, link = open_link(months=1, days=60)
        assert beat(site).json()["renewal_url"] == link["short_url"]
        deliver(cloud, link_event("payment_link.cancelled", link, status="cancelled"), event_id="evt_cancel")
        assert beat(site).json()["renewal_url"] is None

        other, second = open_link(months=1, days=60)
        assert beat(other).json()["renewal_url"] == second["short_url"]
        clock.advance(days=31)  # past the link's life (RENEWAL_LINK_VALID_DAYS), no webhook heard
        assert beat(other).json()["renewal_url"] is None

    def test_a_paid_link_this_cloud_never_recorded_pays_for_the_site_its_notes_name(
        self, cloud: TestClient, admin_headers: dict[str, str], register_site: Register, database: Database
    ) -> None:
        site = register_site(days=10)
        link = {
            "id": "plink_ByHand0001",
            "short_url": "https://rzp.io/i/byhand",
            "amount": 2 * PRICE,
            "currency": "INR",
            "reference_id": "",
            "notes": {"site_id": site.site_id, "months": "2"},
        }
        resp = deliver(cloud, link_event("payment_link.paid", link))
        assert resp.json()["outcome"] == "applied"
        assert expiry(database, site) == datetime(2027, 2, 2, 12, 0, tzinfo=UTC)
        [renewal] = cloud.get(f"/api/sites/{site.site_id}/renewals", headers=admin_headers).json()
        assert (renewal["payment_link_id"], renewal["status"], renewal["created_by"]) == (
            "plink_ByHand0001",
            "paid",
            "razorpay",
        )
        again = deliver(cloud, link_event("payment_link.paid", link), event_id="evt_other")
        assert again.json()["outcome"] == "ignored"
        assert expiry(database, site) == datetime(2027, 2, 2, 12, 0, tzinfo=UTC)

    @pytest.mark.parametrize(
        "notes",
        [{}, {"site_id": "site_unknown", "months": "1"}, {"months": "1"}, {"site_id": "x", "months": "99"}],
    )
    def test_a_paid_link_for_no_known_site_is_recorded_and_ignored(
        self, cloud: TestClient, database: Database, notes: dict[str, str]
    ) -> None:
        link = {
            "id": "plink_Stranger1",
            "short_url": "https://rzp.io/i/x",
            "amount": 100,
            "currency": "INR",
            "notes": notes,
        }
        resp = deliver(cloud, link_event("payment_link.paid", link), event_id="evt_stranger")
        assert resp.status_code == 200
        assert resp.json()["outcome"] == "ignored"
        [event] = recorded_events(database)
        assert (event.event_id, event.outcome, event.payment_link_id) == ("evt_stranger", "ignored", "plink_Stranger1")


class TestRepeatedAndOutOfOrder:
    def test_the_same_event_delivered_twice_extends_once(
        self, cloud: TestClient, admin_headers: dict[str, str], open_link: OpenLink, database: Database
    ) -> None:
        site, link = open_link(months=1)
        event = link_event("payment_link.paid", link)
        first = deliver(cloud, event, event_id="evt_dup")
        once = expiry(database, site)
        second = deliver(cloud, event, event_id="evt_dup")
        assert (first.status_code, second.status_code) == (200, 200)
        assert (first.json()["outcome"], second.json()["outcome"]) == ("applied", "duplicate")
        assert expiry(database, site) == once == datetime(2027, 1, 22, 12, 0, tzinfo=UTC)
        assert len(paid_audits(cloud, admin_headers, site)) == 1
        assert [e.event_id for e in recorded_events(database)] == ["evt_dup"]

    def test_two_paid_events_for_one_link_with_different_ids_extend_once(
        self, cloud: TestClient, admin_headers: dict[str, str], open_link: OpenLink, database: Database
    ) -> None:
        site, link = open_link(months=1)
        first = deliver(cloud, link_event("payment_link.paid", link, payment_id="pay_1"), event_id="evt_a")
        second = deliver(cloud, link_event("payment_link.paid", link, payment_id="pay_2"), event_id="evt_b")
        assert (first.json()["outcome"], second.json()["outcome"]) == ("applied", "ignored")
        assert second.json()["detail"] == "already paid"
        assert expiry(database, site) == datetime(2027, 1, 22, 12, 0, tzinfo=UTC)
        [renewal] = cloud.get(f"/api/sites/{site.site_id}/renewals", headers=admin_headers).json()
        assert renewal["razorpay_payment_id"] == "pay_1"
        assert len(paid_audits(cloud, admin_headers, site)) == 1

    @pytest.mark.parametrize("kind", ["payment_link.expired", "payment_link.cancelled"])
    def test_expired_or_cancelled_after_paid_changes_nothing(
        self, cloud: TestClient, admin_headers: dict[str, str], open_link: OpenLink, database: Database, kind: str
    ) -> None:
        site, link = open_link(months=1)
        deliver(cloud, link_event("payment_link.paid", link), event_id="evt_paid")
        paid_through = expiry(database, site)
        late = deliver(cloud, link_event(kind, link, status=kind.split(".")[1]), event_id="evt_late")
        assert late.status_code == 200
        assert late.json() == {"event_id": "evt_late", "outcome": "ignored", "detail": "already paid"}
        [renewal] = cloud.get(f"/api/sites/{site.site_id}/renewals", headers=admin_headers).json()
        assert renewal["status"] == "paid"
        assert expiry(database, site) == paid_through

    @pytest.mark.parametrize(
        ("kind", "status"), [("payment_link.expired", "expired"), ("payment_link.cancelled", "cancelled")]
    )
    def test_expired_or_cancelled_closes_an_unpaid_renewal_and_a_late_payment_still_counts_once(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        open_link: OpenLink,
        database: Database,
        kind: str,
        status: str,
    ) -> None:
        site, link = open_link(months=1)
        closed = deliver(cloud, link_event(kind, link, status=status), event_id="evt_closed")
        assert closed.json()["outcome"] == "applied"
        path = f"/api/sites/{site.site_id}/renewals"
        assert cloud.get(path, headers=admin_headers).json()[0]["status"] == status
        # The money arrived after all (a payment in flight as the link closed): it counts, once.
        for event_id in ("evt_late_paid", "evt_late_paid_again"):
            deliver(cloud, link_event("payment_link.paid", link), event_id=event_id)
        assert cloud.get(path, headers=admin_headers).json()[0]["status"] == "paid"
        assert expiry(database, site) == datetime(2027, 1, 22, 12, 0, tzinfo=UTC)
        again = deliver(cloud, link_event("payment_link.expired", link, status="expired"), event_id="evt_closed_2")
        assert again.json()["outcome"] == "ignored"

    def test_events_this_cloud_does_not_handle_are_recorded_and_ignored(
        self, cloud: TestClient, open_link: OpenLink, database: Database
    ) -> None:
        site, link = open_link(months=1)
        before = expiry(database, site)
        for n, kind in enumerate(["payment.captured", "payment_link.partially_paid", "order.paid", "refund.created"]):
            resp = deliver(cloud, {**link_event(kind, link), "event": kind}, event_id=f"evt_other_{n}")
            assert resp.status_code == 200
            assert resp.json()["outcome"] == "ignored"
        assert expiry(database, site) == before
        assert {(e.event, e.outcome) for e in recorded_events(database)} == {
            ("payment.captured", "ignored"),
            ("payment_link.partially_paid", "ignored"),
            ("order.paid", "ignored"),
            ("refund.created", "ignored"),
        }

    @pytest.mark.parametrize(
        "payload",
        [{}, {"payment_link": {}}, {"payment_link": {"entity": {"id": 5}}}, {"payment_link": {"entity": []}}],
    )
    def test_a_signed_event_without_a_usable_link_is_recorded_and_ignored(
        self, cloud: TestClient, database: Database, payload: dict[str, Any]
    ) -> None:
        event = {"entity": "event", "event": "payment_link.paid", "payload": payload}
        resp = deliver(cloud, event, event_id="evt_odd")
        assert (resp.status_code, resp.json()["outcome"]) == (200, "ignored")
        assert [e.event_id for e in recorded_events(database)] == ["evt_odd"]


class TestAuthenticity:
    def test_a_tampered_body_is_refused_and_changes_nothing(
        self, cloud: TestClient, open_link: OpenLink, database: Database
    ) -> None:
        site, link = open_link(months=1)
        genuine = encode(link_event("payment_link.paid", link))
        tampered = genuine.replace(b'"months":"1"', b'"months":"36"')
        assert tampered != genuine
        resp = deliver(cloud, tampered, signature=sign(genuine))
        assert resp.status_code == 400
        assert resp.json()["code"] == "WEBHOOK_SIGNATURE_INVALID"
        assert expiry(database, site) == START + timedelta(days=30)
        assert recorded_events(database) == []

    def test_a_missing_signature_is_400(self, cloud: TestClient, open_link: OpenLink, database: Database) -> None:
        _, link = open_link()
        resp = deliver(cloud, link_event("payment_link.paid", link), sign_it=False)
        assert (resp.status_code, resp.json()["code"]) == (400, "WEBHOOK_SIGNATURE_INVALID")
        assert recorded_events(database) == []

    def test_a_signature_made_with_another_secret_is_400(
        self, cloud: TestClient, open_link: OpenLink, database: Database
    ) -> None:
        _, link = open_link()
        resp = deliver(cloud, link_event("payment_link.paid", link), secret="someone-elses-secret")
        assert (resp.status_code, resp.json()["code"]) == (400, "WEBHOOK_SIGNATURE_INVALID")
        assert recorded_events(database) == []

    @pytest.mark.parametrize("signature", ["", "zz", "A" * 64, b"\xff" * 64, "é".encode() * 10])
    def test_garbage_signatures_are_400_not_500(self, cloud: TestClient, open_link: OpenLink, signature: Any) -> None:
        _, link = open_link()
        resp = deliver(cloud, link_event("payment_link.paid", link), signature=signature)
        assert (resp.status_code, resp.json()["code"]) == (400, "WEBHOOK_SIGNATURE_INVALID")

    def test_the_signature_covers_the_raw_bytes_not_a_re_serialization(
        self, cloud: TestClient, open_link: OpenLink, database: Database
    ) -> None:
        site, link = open_link(months=1)
        raw = json.dumps(link_event("payment_link.paid", link), indent=2, ensure_ascii=False).encode()
        reserialized = encode(json.loads(raw))
        assert deliver(cloud, reserialized, signature=sign(raw)).status_code == 400
        assert deliver(cloud, raw).json()["outcome"] == "applied"
        assert expiry(database, site) == datetime(2027, 1, 22, 12, 0, tzinfo=UTC)

    def test_a_missing_event_id_is_400(self, cloud: TestClient, open_link: OpenLink, database: Database) -> None:
        site, link = open_link()
        resp = deliver(cloud, link_event("payment_link.paid", link), event_id=None)
        assert (resp.status_code, resp.json()["code"]) == (400, "WEBHOOK_EVENT_ID_MISSING")
        assert expiry(database, site) == START + timedelta(days=30)
        assert recorded_events(database) == []

    @pytest.mark.parametrize("event_id", ["has space", "x" * 65, "semi;colon", "ü".encode()])
    def test_a_malformed_event_id_is_400(self, cloud: TestClient, open_link: OpenLink, event_id: Any) -> None:
        _, link = open_link()
        resp = deliver(cloud, link_event("payment_link.paid", link), event_id=event_id)
        assert (resp.status_code, resp.json()["code"]) == (400, "WEBHOOK_EVENT_ID_INVALID")

    @pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'{"payload": {}}', b'{"event": 7}', b"\xff\xfe"])
    def test_a_signed_body_that_is_no_event_is_400(self, cloud: TestClient, body: bytes, database: Database) -> None:
        resp = deliver(cloud, body)
        assert (resp.status_code, resp.json()["code"]) == (400, "WEBHOOK_PAYLOAD_INVALID")
        assert recorded_events(database) == []

    def test_an_oversized_body_is_413(self, cloud: TestClient) -> None:
        body = b'{"event": "payment.captured", "pad": "' + b"x" * 300_000 + b'"}'
        resp = deliver(cloud, body)
        assert (resp.status_code, resp.json()["code"]) == (413, "PAYLOAD_TOO_LARGE")

    def test_without_a_webhook_secret_the_webhook_is_503(self, cloud_db: str, tmp_path: Path, clock: FakeClock) -> None:
        app = create_app(billing_settings(cloud_db, tmp_path, razorpay_webhook_secret=None), clock=clock)
        with TestClient(app) as client:
            resp = deliver(client, {"event": "payment_link.paid", "payload": {}})
            assert (resp.status_code, resp.json()["code"]) == (503, "BILLING_NOT_CONFIGURED")


class TestConcurrentDeliveries:
    """Two deliveries at once, interleaved on purpose: the first holds its transaction open while the second runs.

    The services never commit (the request does), so the test can hold the first delivery's transaction."""

    def _race(
        self, database: Database, clock: FakeClock, first: tuple[str, bytes], second: tuple[str, bytes]
    ) -> tuple[WebhookOutcome, WebhookOutcome]:
        holder = database.session(write=True)
        try:
            one = service.handle_event(holder, event_id=first[0], body=first[1], now=clock.now)
            results: dict[str, WebhookOutcome] = {}

            def deliver_second() -> None:
                with database.write_session() as db:
                    results["two"] = service.handle_event(db, event_id=second[0], body=second[1], now=clock.now).outcome

            thread = threading.Thread(target=deliver_second)
            thread.start()
            thread.join(timeout=0.5)
            # It must be waiting for the first transaction; if it were not, nothing would stop a double effect.
            assert thread.is_alive()
            holder.commit()
        finally:
            holder.close()
        thread.join(timeout=15)
        assert not thread.is_alive()
        return one.outcome, results["two"]

    def test_the_same_event_twice_at_once_extends_once(
        self, open_link: OpenLink, database: Database, clock: FakeClock
    ) -> None:
        site, link = open_link(months=1)
        body = encode(link_event("payment_link.paid", link))
        outcomes = self._race(database, clock, ("evt_same", body), ("evt_same", body))
        assert outcomes == (WebhookOutcome.APPLIED, WebhookOutcome.DUPLICATE)
        assert expiry(database, site) == datetime(2027, 1, 22, 12, 0, tzinfo=UTC)

    def test_two_paid_events_for_one_link_at_once_extend_once(
        self, open_link: OpenLink, database: Database, clock: FakeClock
    ) -> None:
        site, link = open_link(months=1)
        body = encode(link_event("payment_link.paid", link))
        outcomes = self._race(database, clock, ("evt_x", body), ("evt_y", body))
        assert outcomes == (WebhookOutcome.APPLIED, WebhookOutcome.IGNORED)
        assert expiry(database, site) == datetime(2027, 1, 22, 12, 0, tzinfo=UTC)
        with database.write_session() as db:
            assert db.scalar(select(func.count()).select_from(Renewal).where(Renewal.status == "paid")) == 1
            assert db.scalar(select(func.count()).select_from(WebhookEvent)) == 2


class TestConcurrentDeliveriesOverHttp:
    def test_a_burst_of_deliveries_of_one_payment_extends_once(
        self, cloud_db: str, tmp_path: Path, razorpay: FakeRazorpay
    ) -> None:
        """Razorpay retrying while the first delivery is in flight, against a real server: 6 copies of one event
        and 6 other events for the same link, all at once; one extension."""
        with (
            served(billing_settings(cloud_db, tmp_path)) as base_url,
            httpx.Client(base_url=base_url, timeout=30) as client,
        ):
            headers = {
                "Authorization": "Bearer " + client.post("/api/auth/login", json=ADMIN_LOGIN).json()["access_token"]
            }
            site = client.post(
                "/api/sites/",
                json={
                    "name": "Burst",
                    "owner_name": "O",
                    "contact_email": "o@example.com",
                    "license_expires_at": "2030-01-10T00:00:00Z",
                },
                headers=headers,
            ).json()
            renewal = client.post(f"/api/sites/{site['site_id']}/renewals", json={"months": 1}, headers=headers).json()
            body = encode(link_event("payment_link.paid", razorpay.links[renewal["payment_link_id"]]))
            event_ids = ["evt_burst"] * 6 + [f"evt_burst_{n}" for n in range(6)]
            barrier = threading.Barrier(len(event_ids))
            outcomes: list[str] = []

            def send(event_id: str) -> None:
                barrier.wait()
                resp = deliver(client, body, event_id=event_id)
                assert resp.status_code == 200, resp.text
                outcomes.append(resp.json()["outcome"])

            threads = [threading.Thread(target=send, args=(e,)) for e in event_ids]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            assert sorted(outcomes) == sorted(["applied"] + ["duplicate"] * 5 + ["ignored"] * 6)
            read = client.get(f"/api/sites/{site['site_id']}", headers=headers).json()
            assert read["license_expires_at"] == "2030-02-10T00:00:00Z"
            audits = client.get(
                "/api/audit/", params={"site_id": site["site_id"], "action": "billing.renewal_paid"}, headers=headers
            ).json()
            assert len(audits) == 1


@contextlib.contextmanager
def served(settings: Settings) -> Iterator[str]:
    """The app behind a real uvicorn on a free loopback port (sync routes on its thread pool, truly concurrent)."""
    with serve_in_thread(create_app(settings), name="billing-uvicorn", access_log=True) as url:
        yield url
