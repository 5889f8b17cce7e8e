"""GET /metrics on the cloud: heartbeats by result, sites by license status, signing keys, request latency.

Runs on SQLite and on PostgreSQL, like every cloud test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from cloud_backend.app import create_app
from tests.cloud_backend.conftest import Beat, FakeClock, RegisteredSite, heartbeat, login, make_settings

pytestmark = pytest.mark.timeout(60)

Samples = dict[str, dict[tuple[tuple[str, str], ...], float]]
Register = Callable[..., RegisteredSite]


def scrape(client: TestClient, headers: dict[str, str] | None = None) -> Samples:
    resp = client.get("/metrics", headers=headers or {})
    assert resp.status_code == 200, resp.text
    out: Samples = {}
    for family in text_string_to_metric_families(resp.text):
        for sample in family.samples:
            out.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return out


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[name][tuple(sorted(labels.items()))]


class TestScrape:
    def test_metrics_need_no_user_token_and_every_name_is_prefixed_tavolo(self, cloud: TestClient) -> None:
        resp = cloud.get("/metrics")
        assert resp.status_code == 200
        names = {family.name for family in text_string_to_metric_families(resp.text)}
        assert {"tavolo_cloud_sites", "tavolo_cloud_heartbeats", "tavolo_cloud_signing_keys"} <= names
        assert all(name.startswith("tavolo_") for name in names), names

    def test_metrics_token_makes_a_scrape_need_it(self, cloud_db: str, tmp_path: Path, clock: FakeClock) -> None:
        settings = make_settings(cloud_db, tmp_path, metrics_token="scrape-me")
        with TestClient(create_app(settings, clock=clock)) as client:
            assert client.get("/metrics").status_code == 401
            assert client.get("/metrics", headers={"Authorization": "Bearer scrape-me"}).status_code == 200


class TestHeartbeats:
    def test_heartbeats_are_counted_by_result(self, cloud: TestClient, register_site: Register, beat: Beat) -> None:
        site = register_site()
        for _ in range(2):
            assert beat(site).status_code == 200
        wrong = RegisteredSite(site.site_id, "sk_" + "x" * 43, site.body)
        assert beat(wrong).status_code == 401
        samples = scrape(cloud)
        assert value(samples, "tavolo_cloud_heartbeats_total", result="ok") == 2
        assert value(samples, "tavolo_cloud_heartbeats_total", result="unauthorized") == 1
        assert value(samples, "tavolo_cloud_heartbeats_total", result="rate_limited") == 0
        assert value(samples, "tavolo_cloud_heartbeats_accepted_total") == 2
        latency = value(
            samples, "tavolo_http_request_duration_seconds_count", method="POST", route="/api/heartbeat/", status="2xx"
        )
        assert latency == 2

    def test_a_site_beating_too_often_counts_as_rate_limited(
        self, cloud_db: str, tmp_path: Path, clock: FakeClock
    ) -> None:
        settings = make_settings(cloud_db, tmp_path, heartbeat_rate_limit_per_minute=1)
        with TestClient(create_app(settings, clock=clock)) as client:
            created = client.post(
                "/api/sites/",
                json={
                    "name": "Taverna",
                    "owner_name": "Owner",
                    "contact_email": "owner@example.com",
                    "license_expires_at": (clock.now + timedelta(days=30)).isoformat(),
                },
                headers=login(client),
            ).json()
            site = RegisteredSite(created["site_id"], created["secret_key"], created)
            assert heartbeat(client, site).status_code == 200
            assert heartbeat(client, site).status_code == 429
            samples = scrape(client)
        assert value(samples, "tavolo_cloud_heartbeats_total", result="rate_limited") == 1


class TestSitesAndKeys:
    def test_sites_are_counted_by_license_status(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        beat: Beat,
    ) -> None:
        seen = register_site()
        beat(seen)
        register_site()  # never seen
        locked = register_site()
        resp = cloud.post(f"/api/sites/{locked.site_id}/lock", json={"reason": "unpaid"}, headers=admin_headers)
        assert resp.status_code == 200, resp.text
        register_site(days=-1)  # expired
        samples = scrape(cloud)
        assert value(samples, "tavolo_cloud_sites", status="active") == 1
        assert value(samples, "tavolo_cloud_sites", status="never_seen") == 1
        assert value(samples, "tavolo_cloud_sites", status="locked") == 1
        assert value(samples, "tavolo_cloud_sites", status="expired") == 1
        assert value(samples, "tavolo_cloud_sites", status="stale") == 0

    def test_a_silent_site_turns_stale_as_the_clock_moves(
        self, cloud: TestClient, register_site: Register, beat: Beat, clock: FakeClock
    ) -> None:
        site = register_site(days=365)
        beat(site)
        clock.advance(days=3)
        assert value(scrape(cloud), "tavolo_cloud_sites", status="stale") == 1

    def test_the_signing_keys_are_counted_by_state_with_the_current_keys_age(
        self, cloud: TestClient, clock: FakeClock
    ) -> None:
        samples = scrape(cloud)
        assert value(samples, "tavolo_cloud_signing_keys", state="current") == 1
        assert value(samples, "tavolo_cloud_signing_keys", state="next") == 0
        clock.advance(days=10)
        age = value(scrape(cloud), "tavolo_cloud_signing_key_current_age_seconds")
        assert age >= timedelta(days=10).total_seconds() - 60
