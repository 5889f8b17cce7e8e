"""GET /metrics on the appliance: request latency by route, orders, items, printers, live clients, license, backups."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from local_backend.app import create_app
from local_backend.backup import service as backups
from local_backend.config import Settings
from local_backend.menu.models import Product
from local_backend.tables.models import Table
from tests.conftest import make_settings
from tests.local_backend.orders.helpers import add_items, line, open_order
from tests.local_backend.printing.conftest import FAST_PRINTING
from tests.local_backend.printing.helpers import wait_until
from tests.support.fake_printer import FakePrinter, PrinterFault, fake_printer

pytestmark = pytest.mark.timeout(60)

Samples = dict[str, dict[tuple[tuple[str, str], ...], float]]


def scrape(client: TestClient, headers: dict[str, str] | None = None) -> Samples:
    resp = client.get("/metrics", headers=headers or {})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("text/plain; version=0.0.4")
    out: Samples = {}
    for family in text_string_to_metric_families(resp.text):
        for sample in family.samples:
            out.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return out


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[name][tuple(sorted(labels.items()))]


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    with fake_printer(name="kitchen") as started:
        yield started


@pytest.fixture
def settings(tmp_path: Path, printer: FakePrinter) -> Settings:
    # The printer starts before the app and stops after it.
    return make_settings(tmp_path, **FAST_PRINTING)


class TestScrape:
    def test_metrics_need_no_user_token_and_every_name_is_prefixed_tavolo(self, client: TestClient) -> None:
        resp = client.get("/metrics")
        assert resp.status_code == 200
        names = {family.name for family in text_string_to_metric_families(resp.text)}
        assert {"tavolo_orders_created", "tavolo_license_state", "tavolo_websocket_clients"} <= names
        assert all(name.startswith("tavolo_") for name in names), names

    def test_the_build_is_named_with_its_versions(self, client: TestClient) -> None:
        build = scrape(client)["tavolo_build_info"]
        (labels,) = build
        assert dict(labels)["version"]
        assert dict(labels)["sqlite"].count(".") == 2


class TestOrdersAndLatency:
    def test_opening_orders_and_adding_items_moves_the_counters_and_the_route_latency(
        self,
        client: TestClient,
        waiter_headers: Callable[..., dict[str, str]],
        make_table: Callable[..., Table],
        make_product: Callable[..., Product],
    ) -> None:
        maria = waiter_headers("maria")
        soup = make_product("Soup", price=500)
        before = scrape(client)
        assert value(before, "tavolo_orders_open", status="open") == 0
        for table in (make_table(1), make_table(2)):
            order = open_order(client, maria, table.id)
            add_items(client, maria, order["id"], line(soup.id), line(soup.id, 2))
        after = scrape(client)
        assert value(after, "tavolo_orders_created_total") == value(before, "tavolo_orders_created_total") + 2
        assert value(after, "tavolo_order_items_added_total") == value(before, "tavolo_order_items_added_total") + 4
        assert value(after, "tavolo_orders_open", status="open") == 2
        added = value(
            after,
            "tavolo_http_request_duration_seconds_count",
            method="POST",
            route="/api/orders/{order_id}/items",
            status="2xx",
        )
        assert added == 2


class TestPrinters:
    def test_a_printed_ticket_shows_as_an_ok_attempt_an_online_printer_and_an_empty_queue(
        self, client: TestClient, manager_headers: dict[str, str], printer: FakePrinter
    ) -> None:
        body = {"name": "Kitchen", "ip_address": printer.host, "port": printer.port}
        created = client.post("/api/printers/", json=body, headers=manager_headers).json()
        assert client.post(f"/api/printers/{created['id']}/test", headers=manager_headers).status_code in (200, 201)

        def printed() -> Samples | None:
            samples = scrape(client)
            ok = samples.get("tavolo_print_attempts_total", {}).get((("printer", "Kitchen"), ("result", "ok")), 0)
            return samples if ok >= 1 else None

        samples = wait_until(printed, what="a confirmed test page")
        assert value(samples, "tavolo_print_queue_depth", printer="Kitchen") == 0
        assert value(samples, "tavolo_printer_state", printer="Kitchen", state="online") == 1
        assert value(samples, "tavolo_printer_state", printer="Kitchen", state="offline") == 0
        assert value(samples, "tavolo_printer_last_success_timestamp_seconds", printer="Kitchen") > 0

    def test_a_printer_out_of_paper_shows_its_state_its_queue_and_failed_attempts(
        self, client: TestClient, manager_headers: dict[str, str], printer: FakePrinter
    ) -> None:
        printer.set_status(PrinterFault.PAPER_OUT)
        body = {"name": "Kitchen", "ip_address": printer.host, "port": printer.port}
        created = client.post("/api/printers/", json=body, headers=manager_headers).json()
        client.post(f"/api/printers/{created['id']}/test", headers=manager_headers)

        def failing() -> Samples | None:
            samples = scrape(client)
            failed = samples.get("tavolo_print_attempts_total", {}).get(
                (("printer", "Kitchen"), ("result", "failed")), 0
            )
            return samples if failed >= 1 else None

        samples = wait_until(failing, what="a failed attempt")
        assert value(samples, "tavolo_print_queue_depth", printer="Kitchen") == 1
        assert value(samples, "tavolo_printer_state", printer="Kitchen", state="paper_out") == 1
        assert value(samples, "tavolo_print_alerts_open", printer="Kitchen", kind="paper_out") >= 1


class TestLiveClients:
    def test_open_staff_and_kitchen_sockets_are_counted_by_kind_until_they_close(
        self, client: TestClient, manager_headers: dict[str, str]
    ) -> None:
        zone = client.post(
            "/api/printers/",
            json={"name": "Grill", "ip_address": "127.0.0.1", "port": 9, "is_active": False},
            headers=manager_headers,
        ).json()
        screen = client.post(
            "/api/kitchen/screens", json={"name": "Pass", "zone_ids": [zone["id"]]}, headers=manager_headers
        ).json()
        access = manager_headers["Authorization"].removeprefix("Bearer ")
        with (
            client.websocket_connect(f"/ws/events?token={access}") as staff,
            client.websocket_connect(f"/ws/kitchen?token={screen['token']}") as kitchen,
        ):
            assert staff.receive_json()["type"] == "snapshot"
            assert kitchen.receive_json()["type"] == "snapshot"
            samples = scrape(client)
            assert value(samples, "tavolo_websocket_clients", kind="staff") == 1
            assert value(samples, "tavolo_websocket_clients", kind="kitchen") == 1
            assert value(samples, "tavolo_websocket_clients", kind="other") == 0

        def closed() -> bool:
            samples = scrape(client)
            return value(samples, "tavolo_websocket_clients", kind="staff") == 0 and (
                value(samples, "tavolo_websocket_clients", kind="kitchen") == 0
            )

        wait_until(closed, what="the sockets to be forgotten")


class TestLicenseAndBackups:
    def test_an_unactivated_appliance_reports_its_trial_and_no_heartbeat_yet(self, client: TestClient) -> None:
        samples = scrape(client)
        assert value(samples, "tavolo_license_state", state="trial") == 1
        assert value(samples, "tavolo_license_state", state="restricted") == 0
        assert value(samples, "tavolo_license_code", code="TRIAL") == 1
        assert value(samples, "tavolo_license_allows_orders") == 1
        assert value(samples, "tavolo_license_clock_suspect") == 0
        assert value(samples, "tavolo_license_heartbeat_last_result", result="none") == 1

    def test_the_last_backup_appears_once_one_is_taken(self, client: TestClient, settings: Settings) -> None:
        assert "tavolo_backup_last_timestamp_seconds" not in scrape(client)
        taken = backups.take_backup(settings)
        samples = scrape(client)
        assert value(samples, "tavolo_backup_last_timestamp_seconds") == pytest.approx(taken.taken_at.timestamp())
        assert value(samples, "tavolo_backup_last_size_bytes") == taken.size_bytes
        assert 0 <= value(samples, "tavolo_backup_last_age_seconds") < 60

    def test_the_database_files_are_measured(self, client: TestClient, settings: Settings) -> None:
        samples = scrape(client)
        db_file = Path(settings.database_url.removeprefix("sqlite:///"))
        assert value(samples, "tavolo_db_size_bytes", file="db") == db_file.stat().st_size


class TestSettings:
    def app(self, tmp_path: Path, **overrides: Any) -> FastAPI:
        return create_app(make_settings(tmp_path, web_dir=tmp_path / "no-web", **overrides))

    def test_metrics_token_makes_a_scrape_need_it(self, tmp_path: Path) -> None:
        with TestClient(self.app(tmp_path, metrics_token="scrape-me")) as c:
            assert c.get("/metrics").status_code == 401
            assert c.get("/metrics", headers={"Authorization": "Bearer scrape-me"}).status_code == 200

    def test_metrics_can_be_turned_off(self, tmp_path: Path) -> None:
        with TestClient(self.app(tmp_path, metrics_enabled=False)) as c:
            resp = c.get("/metrics")
            assert "tavolo_" not in resp.text
            # Request ids stay: they are for the logs, not for Prometheus.
            assert c.get("/api/system/health").headers["X-Request-ID"]
