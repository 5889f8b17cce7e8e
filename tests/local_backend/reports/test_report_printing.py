"""X and Z reports printed on a receipt printer, read back by the tests' ESC/POS decoder."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import make_settings
from tests.local_backend.printing.conftest import FAST_PRINTING
from tests.local_backend.printing.helpers import wait_for_tickets
from tests.local_backend.shifts.helpers import close_shift, movement, open_shift
from tests.support.fake_printer import FakePrinter, fake_printer

TODAY = datetime.now(ZoneInfo("Europe/Athens")).date().isoformat()


@pytest.fixture
def counter() -> Iterator[FakePrinter]:
    with fake_printer(name="counter") as started:
        yield started


@pytest.fixture
def bar() -> Iterator[FakePrinter]:
    with fake_printer(name="bar") as started:
        yield started


@pytest.fixture
def settings(tmp_path, counter, bar):
    # The printers start before the app and stop after it.
    return make_settings(tmp_path, restaurant_name="Ταβέρνα Ο Νίκος", **FAST_PRINTING)


def register(client, headers, fake, name):
    resp = client.post(
        "/api/printers/", json={"name": name, "ip_address": fake.host, "port": fake.port}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


def line_with(lines, start):
    return next(line for line in lines if line.startswith(start))


class TestPrintingReports:
    def test_the_z_report_prints_readably_when_the_day_is_closed(self, client, manager_headers, staff, till, counter):
        register(client, manager_headers, counter, "Ταμείο")
        maria, _ = staff
        open_shift(client, manager_headers, opening_float=5_000)
        till.sale(maria, 2_000, tip=150)
        till.sale(maria, 3_100, method="card")
        close_shift(client, manager_headers, counted=7_100)
        resp = client.post("/api/reports/z/close", json={"date": TODAY, "print": True}, headers=manager_headers)
        assert resp.status_code == 201, resp.text
        assert resp.json()["print_job"]["printer_name"] == "Ταμείο"

        ticket = wait_for_tickets(counter, 1)[0]
        lines = ticket.text_lines
        assert lines[0] == "Ταβέρνα Ο Νίκος"  # the site's name, in Greek: the code page was switched
        assert "Z REPORT #1" in lines
        assert "PROVISIONAL" not in " ".join(lines)
        assert line_with(lines, "Cash (1)").endswith("20.00 EUR")
        assert line_with(lines, "Card (1)").endswith("31.00 EUR")
        assert line_with(lines, "Net sales").endswith("51.00 EUR")
        assert line_with(lines, "Tips").endswith("1.50 EUR")
        assert line_with(lines, "  Tips").endswith("1.50 EUR")  # the cash tips, nested under their method
        assert line_with(lines, "Maria (2 orders)").endswith("51.00 EUR")
        assert line_with(lines, "Shift #1 expected").endswith("71.50 EUR")
        assert line_with(lines, "  variance").endswith("-0.50 EUR")
        assert all(len(line) <= 48 for line in lines)
        assert ticket.cut

    def test_the_x_report_prints_the_drawer_on_the_report_printer_of_the_settings(
        self, client, manager_headers, staff, till, counter, bar
    ):
        register(client, manager_headers, counter, "Κουζίνα")
        chosen = register(client, manager_headers, bar, "Bar")
        client.put("/api/settings", json={"report_printer_id": chosen["id"]}, headers=manager_headers)
        maria, _ = staff
        shift = open_shift(client, manager_headers, opening_float=10_000)
        till.sale(maria, 1_250)
        movement(client, manager_headers, shift["id"], "pay_out", 400, "Παγάκια")
        resp = client.post("/api/reports/x/print", json={}, headers=manager_headers)
        assert resp.status_code == 202, resp.text
        assert resp.json()["printer_id"] == chosen["id"]
        lines = wait_for_tickets(bar, 1)[0].text_lines
        assert "X REPORT" in lines
        assert line_with(lines, "Expected in drawer").endswith("108.50 EUR")
        assert line_with(lines, "Παγάκια").endswith("-4.00 EUR")
        assert not any(b"X REPORT" in data for data in counter.connections)

    def test_amounts_print_in_the_decimals_of_the_site_currency(self, client, manager_headers, staff, till, counter):
        register(client, manager_headers, counter, "Ταμείο")
        assert client.put("/api/settings", json={"currency": "JPY"}, headers=manager_headers).status_code == 200
        maria, _ = staff
        open_shift(client, manager_headers, opening_float=10_000)
        till.sale(maria, 1_250)
        assert client.post("/api/reports/x/print", json={}, headers=manager_headers).status_code == 202
        lines = wait_for_tickets(counter, 1)[0].text_lines
        assert line_with(lines, "Expected in drawer").endswith(" 11250 JPY")
        assert not any(line.endswith("112.50 JPY") for line in lines)

    def test_a_z_report_of_an_open_day_prints_as_provisional(self, client, manager_headers, counter):
        register(client, manager_headers, counter, "Ταμείο")
        resp = client.post("/api/reports/z/print", json={"date": TODAY}, headers=manager_headers)
        assert resp.status_code == 202, resp.text
        lines = wait_for_tickets(counter, 1)[0].text_lines
        assert "Z REPORT" in lines
        assert any("PROVISIONAL" in line for line in lines)

    def test_without_a_printer_in_service_nothing_is_queued(self, client, manager_headers):
        resp = client.post("/api/reports/z/print", json={"date": TODAY}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "NO_REPORT_PRINTER")
        resp = client.post("/api/reports/z/close", json={"date": TODAY, "print": True}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "NO_REPORT_PRINTER")
        # The close and the print are one request: a refused print leaves the day open.
        assert client.get("/api/reports/z", params={"date": TODAY}, headers=manager_headers).json()["closed"] is False

    def test_a_printed_report_can_be_reprinted_from_the_print_log(self, client, manager_headers, counter):
        register(client, manager_headers, counter, "Ταμείο")
        job = client.post("/api/reports/z/print", json={"date": TODAY}, headers=manager_headers).json()
        wait_for_tickets(counter, 1)
        assert client.post(f"/api/printers/jobs/{job['job_id']}/reprint", headers=manager_headers).status_code == 201
        copy = wait_for_tickets(counter, 2)[1].text_lines
        assert "REPRINT" in copy
        assert "Z REPORT" in copy
