"""/api/license: status for any staff, activation and sync for managers, with the cloud faked at httpx."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select

from local_backend.audit.models import AuditEvent
from local_backend.licensing.models import LicenseKey, LicenseLease, LicenseRecord
from shared.wire import SITE_ID_HEADER, SITE_KEY_HEADER
from tests.local_backend.licensing.conftest import activate, scheduler_of, status_of, sync
from tests.local_backend.licensing.support import CLOUD_URL, SITE_ID, SITE_KEY, START


def audit_actions(database) -> list[tuple[str, str | None, dict[str, Any]]]:
    with database.read_session() as db:
        rows = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "license").order_by(AuditEvent.id))
        return [(e.action, e.actor_name, e.data) for e in rows]


class TestStatus:
    def test_an_unactivated_appliance_reports_its_trial(self, client, waiter_headers, cloud):
        body = status_of(client, waiter_headers("maria"))
        assert body["state"] == "trial"
        assert body["code"] == "TRIAL"
        assert body["allows_orders"] is True
        assert body["configured"] is False
        assert body["trial_ends_at"].startswith("2026-11-16T09:00")
        assert body["days_left"] == 14
        assert body["paid_through"] is None
        assert body["last_heartbeat_at"] is None
        assert body["next_attempt_at"] is None
        assert cloud.requests == []  # no heartbeat without a configuration

    def test_the_status_needs_a_login(self, client):
        resp = client.get("/api/license")
        assert resp.status_code == 401
        assert resp.json()["code"] == "NOT_AUTHENTICATED"

    def test_the_contract_fields_are_all_there(self, client, manager_headers):
        body = status_of(client, manager_headers)
        for name in (
            "state",
            "code",
            "reason",
            "paid_through",
            "lease_expires_at",
            "last_heartbeat_at",
            "next_attempt_at",
            "trial_ends_at",
            "renewal_url",
        ):
            assert name in body


class TestActivation:
    def test_activation_heartbeats_saves_the_site_and_answers_the_new_state(
        self, client, manager_headers, cloud, database
    ):
        resp = activate(client, manager_headers)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["state"] == "active"
        assert body["configured"] is True
        assert body["site_id"] == SITE_ID
        assert body["cloud_url"] == CLOUD_URL
        assert body["last_heartbeat_at"].startswith("2026-11-02T09:00")
        assert body["paid_through"].startswith("2027-01-01")
        assert body["lease_expires_at"].startswith("2026-11-03T15:00")
        assert body["trial_ends_at"] is None
        assert body["last_error"] is None
        assert "site_key" not in body
        # One heartbeat, authenticated by the headers, with a fresh nonce.
        (sent,) = cloud.requests
        assert sent["headers"][SITE_ID_HEADER.lower()] == SITE_ID
        assert sent["headers"][SITE_KEY_HEADER.lower()] == SITE_KEY
        assert len(sent["body"]["nonce"]) >= 24
        with database.read_session() as db:
            record = db.get(LicenseRecord, 1)
            assert (record.site_id, record.site_key, record.cloud_url) == (SITE_ID, SITE_KEY, CLOUD_URL)
            assert len(db.scalars(select(LicenseLease)).all()) == 1
            assert db.scalars(select(LicenseKey.kid)).all() == [cloud.key.kid]
        assert audit_actions(database) == [
            (
                "license.activated",
                "boss",
                {"site_id": SITE_ID, "cloud_url": CLOUD_URL, "ok": True, "state": "active"},
            )
        ]

    def test_a_waiter_may_not_activate(self, client, waiter_headers, cloud):
        resp = activate(client, waiter_headers("maria"))
        assert resp.status_code == 403
        assert resp.json()["code"] == "MANAGER_REQUIRED"
        assert cloud.requests == []

    def test_a_wrong_key_is_refused_with_the_clouds_reason_and_nothing_is_saved(
        self, client, manager_headers, database
    ):
        resp = activate(client, manager_headers, site_key="sk_typo")
        assert resp.status_code == 400
        assert resp.json()["code"] == "LICENSE_ACTIVATION_FAILED"
        assert "Unknown site or wrong key" in resp.json()["detail"]
        with database.read_session() as db:
            assert db.get(LicenseRecord, 1).site_id is None
        assert status_of(client, manager_headers)["state"] == "trial"
        assert audit_actions(database)[-1][:2] == ("license.activation_failed", "boss")

    def test_a_typo_never_replaces_a_working_configuration(self, client, manager_headers, activated, database):
        resp = activate(client, manager_headers, site_id="site_other", site_key="sk_other")
        assert resp.status_code == 400
        body = status_of(client, manager_headers)
        assert (body["state"], body["site_id"]) == ("active", SITE_ID)
        with database.read_session() as db:
            assert db.get(LicenseRecord, 1).site_key == SITE_KEY

    def test_an_unreachable_cloud_is_a_503(self, client, manager_headers, cloud_mock):
        cloud_mock.post("https://down.tavolo.test/api/heartbeat/").mock(side_effect=httpx.ConnectError("refused"))
        resp = activate(client, manager_headers, cloud_url="https://down.tavolo.test")
        assert resp.status_code == 503
        assert resp.json()["code"] == "CLOUD_UNREACHABLE"
        assert status_of(client, manager_headers)["configured"] is False

    def test_a_cloud_that_answers_nonsense_is_a_502(self, client, manager_headers, cloud):
        cloud.respond = lambda request, body: httpx.Response(200, text="<html>captive portal</html>")
        resp = activate(client, manager_headers)
        assert resp.status_code == 502
        assert resp.json()["code"] == "CLOUD_BAD_RESPONSE"

    def test_a_rate_limited_activation_says_when_to_retry(self, client, manager_headers, cloud):
        cloud.respond = lambda request, body: httpx.Response(
            429, json={"detail": "slow down", "code": "HEARTBEAT_RATE_LIMITED"}, headers={"Retry-After": "30"}
        )
        resp = activate(client, manager_headers)
        assert resp.status_code == 429
        assert resp.json()["code"] == "HEARTBEAT_RATE_LIMITED"
        assert resp.headers["retry-after"] == "30"

    def test_without_any_cloud_url_activation_asks_for_one(self, client, manager_headers, cloud):
        resp = client.post(
            "/api/license/activate", json={"site_id": SITE_ID, "site_key": SITE_KEY}, headers=manager_headers
        )
        assert resp.status_code == 422
        assert resp.json()["code"] == "CLOUD_URL_REQUIRED"
        assert cloud.requests == []

    def test_the_configured_cloud_url_is_the_default(self, client, manager_headers, activated, cloud):
        resp = client.post(
            "/api/license/activate", json={"site_id": SITE_ID, "site_key": SITE_KEY}, headers=manager_headers
        )
        assert resp.status_code == 200, resp.text
        assert len(cloud.requests) == 2

    def test_bad_input_is_a_422_not_a_500(self, client, manager_headers, cloud):
        for body in (
            {"site_id": "site 1", "site_key": SITE_KEY, "cloud_url": CLOUD_URL},
            {"site_id": SITE_ID, "site_key": "sk\nx", "cloud_url": CLOUD_URL},
            {"site_id": SITE_ID, "site_key": SITE_KEY, "cloud_url": "ftp://cloud"},
            {"site_id": "", "site_key": SITE_KEY},
        ):
            resp = client.post("/api/license/activate", json=body, headers=manager_headers)
            assert resp.status_code == 422, body
        assert cloud.requests == []


class TestSync:
    def test_sync_heartbeats_now_and_records_who_asked(self, client, manager_headers, activated, cloud, database):
        body = sync(client, manager_headers)
        assert body["state"] == "active"
        assert len(cloud.requests) == 2
        assert cloud.requests[0]["body"]["nonce"] != cloud.requests[1]["body"]["nonce"]
        assert audit_actions(database)[-1] == (
            "license.synced",
            "boss",
            {"site_id": SITE_ID, "cloud_url": CLOUD_URL, "ok": True, "state": "active"},
        )

    def test_the_clouds_renewal_link_is_shown_until_the_cloud_stops_offering_it(
        self, client, manager_headers, activated, cloud
    ):
        assert status_of(client, manager_headers)["renewal_url"] is None
        cloud.renewal_url = "https://rzp.io/i/renew-tavolo"
        assert sync(client, manager_headers)["renewal_url"] == "https://rzp.io/i/renew-tavolo"
        assert status_of(client, manager_headers)["renewal_url"] == "https://rzp.io/i/renew-tavolo"
        # Only a plain https link is passed on to the screens.
        for hostile in ("javascript:alert(1)", "https://rzp.io/i/x\n<script>", "ftp://rzp.io/i/x", "h" * 600):
            cloud.renewal_url = hostile
            assert sync(client, manager_headers)["renewal_url"] is None
        cloud.renewal_url = None
        assert sync(client, manager_headers)["renewal_url"] is None

    def test_a_failed_sync_answers_the_status_with_the_error(self, client, manager_headers, activated, cloud):
        cloud.site_key = "sk_rotated"  # the cloud no longer knows this key
        body = sync(client, manager_headers)
        assert body["state"] == "warning"
        assert body["code"] == "HEARTBEAT_REJECTED"
        assert "refused the site ID or key" in body["last_error"]
        assert body["last_heartbeat_at"] == activated["last_heartbeat_at"]
        assert body["next_attempt_at"].startswith("2026-11-02T09:01")  # retry in a minute

    def test_a_waiter_may_not_sync(self, client, waiter_headers):
        resp = client.post("/api/license/sync", headers=waiter_headers("maria"))
        assert resp.status_code == 403

    def test_sync_without_a_configuration_just_answers_the_trial(self, client, manager_headers, cloud):
        assert sync(client, manager_headers)["state"] == "trial"
        assert cloud.requests == []


class TestScheduleOnTheApp:
    def test_after_activation_the_next_heartbeat_is_six_hours_away_give_or_take_ten_percent(
        self, client, manager_headers, activated
    ):
        next_at = datetime.fromisoformat(activated["next_attempt_at"])
        hours = (next_at - START).total_seconds() / 3600
        assert 5.4 <= hours <= 6.6
        job = scheduler_of(client).get_job("license-heartbeat")
        assert job is not None
