"""Bills, receipts and test pages, printed on a chosen printer and read back with the tests' decoder."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

from typing import Any

import pytest

from tests.local_backend.printing.conftest import FAST_PRINTING
from tests.local_backend.printing.helpers import add_round, open_order, wait_for_jobs, wait_for_tickets, wait_until
from tests.support.fake_printer import PrinterFault


@pytest.fixture
def print_settings() -> dict[str, Any]:
    return {**FAST_PRINTING, "restaurant_name": "Ταβέρνα Ο Νίκος"}


@pytest.fixture
def counter(make_printer, kitchen):
    return make_printer(kitchen, "Ταμείο")


@pytest.fixture
def served(client, maria, make_table, make_product):
    """Maria's order: 2 moussaka with extra feta (15.50 each), an ouzo (5.00), and a cancelled bread."""
    moussaka = make_product("Μουσακάς", 1400, options=[("Extra φέτα", 150)])
    ouzo = make_product("Ούζο", 500, category="Ποτά")
    bread = make_product("Ψωμί", 100)
    order_id = open_order(client, maria, make_table(number=4, label="4").id)
    items = add_round(
        client,
        maria,
        order_id,
        {"product_id": moussaka.id, "quantity": 2, "option_ids": [moussaka.options[0].id]},
        {"product_id": ouzo.id},
        {"product_id": bread.id},
    )["items"]
    return order_id, [item["id"] for item in items]


def print_bill(client, headers, printer_id, order_id, kind="bill"):
    return client.post(f"/api/printers/{printer_id}/bill", json={"order_id": order_id, "kind": kind}, headers=headers)


def amount_line(lines: list[str], label: str) -> str:
    return next(line for line in lines if line.startswith(label))


class TestBills:
    def test_the_owner_prints_a_bill_with_items_and_total(
        self, client, maria, manager_headers, counter, served, kitchen
    ):
        order_id, (_, _, bread) = served
        client.request(
            "DELETE", f"/api/orders/{order_id}/items/{bread}", json={"reason": "δεν το ήθελαν"}, headers=manager_headers
        )
        resp = print_bill(client, maria, counter["id"], order_id)
        assert resp.status_code == 201, resp.text
        assert (resp.json()["kind"], resp.json()["order_id"], resp.json()["status"]) == ("bill", order_id, "pending")
        bill = wait_for_tickets(kitchen, 1)[0]
        lines = bill.text_lines
        assert lines[0] == "Ταβέρνα Ο Νίκος"
        assert "BILL" in lines
        assert "Table 4" in amount_line(lines, "Table")
        row = amount_line(lines, "2 x Μουσακάς")
        assert row.endswith("31.00 EUR")
        assert len(row) == 48
        assert "    @ 15.50 EUR" in lines
        assert "    + Extra φέτα" in lines
        assert amount_line(lines, "1 x Ούζο").endswith("5.00 EUR")
        assert not any("Ψωμί" in line for line in lines)  # cancelled
        total = next(line for line in bill.lines if line.text.startswith("TOTAL"))
        assert total.text.endswith("36.00 EUR")
        assert total.bold
        assert total.width == 2
        assert bill.cuts == 1
        assert set(bill.codecs) == {"cp737"}

    def test_a_receipt_lists_the_payments(self, client, maria, counter, served, kitchen):
        order_id, items = served
        resp = client.post(
            f"/api/orders/{order_id}/pay", json={"item_ids": items, "method": "card", "tip": 200}, headers=maria
        )
        assert resp.status_code == 201
        assert client.post(f"/api/orders/{order_id}/close", headers=maria).status_code == 200
        resp = print_bill(client, maria, counter["id"], order_id, kind="receipt")  # a closed order prints too
        assert resp.status_code == 201
        lines = wait_for_tickets(kitchen, 1)[0].text_lines
        assert "RECEIPT" in lines
        assert "BILL" not in lines
        assert amount_line(lines, "TOTAL").endswith("37.00 EUR")
        assert amount_line(lines, "Card").endswith("37.00 EUR")
        assert amount_line(lines, "  Tip").endswith("2.00 EUR")
        assert amount_line(lines, "Due").endswith("0.00 EUR")

    def test_a_bill_can_be_reprinted(self, client, maria, counter, served, kitchen):
        order_id, _ = served
        job = print_bill(client, maria, counter["id"], order_id).json()
        wait_for_jobs(client, maria, order_id)
        assert client.post(f"/api/printers/jobs/{job['id']}/reprint", headers=maria).status_code == 201
        copy = wait_for_tickets(kitchen, 2)[1]
        assert "REPRINT" in copy.text_lines
        assert "BILL" in copy.text_lines

    def test_only_the_owner_or_a_manager_prints_the_bill(
        self, client, waiter_headers, manager_headers, counter, served
    ):
        order_id, _ = served
        resp = print_bill(client, waiter_headers("nikos"), counter["id"], order_id)
        assert (resp.status_code, resp.json()["code"]) == (403, "NOT_ORDER_OWNER")
        assert print_bill(client, manager_headers, counter["id"], order_id).status_code == 201

    def test_unknown_orders_printers_and_kinds_are_refused(self, client, maria, counter, served):
        order_id, _ = served
        assert print_bill(client, maria, counter["id"], 9999).json()["code"] == "ORDER_NOT_FOUND"
        assert print_bill(client, maria, 9999, order_id).json()["code"] == "PRINTER_NOT_FOUND"
        assert print_bill(client, maria, counter["id"], order_id, kind="invoice").status_code == 422

    def test_a_printer_out_of_service_prints_no_bill(self, client, maria, manager_headers, counter, served):
        order_id, _ = served
        client.put(f"/api/printers/{counter['id']}", json={"is_active": False}, headers=manager_headers)
        resp = print_bill(client, maria, counter["id"], order_id)
        assert (resp.status_code, resp.json()["code"]) == (409, "PRINTER_INACTIVE")


class TestTestPage:
    def test_a_manager_prints_a_test_page_with_the_greek_sample(self, client, manager_headers, counter, kitchen):
        resp = client.post(f"/api/printers/{counter['id']}/test", headers=manager_headers)
        assert resp.status_code == 201
        assert resp.json()["kind"] == "test"
        page = wait_for_tickets(kitchen, 1)[0]
        assert "TEST PAGE" in page.text_lines
        assert "Ταμείο" in page.text_lines
        assert "Code page: cp737 (ESC t 29)" in page.text_lines
        assert any(line.startswith("Καλημέρα! Ελληνικά: ΑΒΓΔΕΖΗΘ αβγδεζηθ άέήίόύώ") for line in page.text_lines)
        job = wait_until(
            lambda: client.get(f"/api/printers/jobs/{resp.json()['id']}", headers=manager_headers).json()["printed_at"],
            what="the test page confirmed",
        )
        assert job

    def test_a_waiter_may_not_print_one(self, client, maria, counter):
        assert client.post(f"/api/printers/{counter['id']}/test", headers=maria).status_code == 403

    def test_a_test_page_on_a_dead_printer_fails_with_an_alert_instead_of_waiting_forever(
        self, client, manager_headers, make_printer, bar
    ):
        dead = make_printer(bar, "Νεκρός", failover_seconds=0)
        bar.set_status(PrinterFault.REFUSE)
        job_id = client.post(f"/api/printers/{dead['id']}/test", headers=manager_headers).json()["id"]

        def failed() -> dict[str, Any] | None:
            job = client.get(f"/api/printers/jobs/{job_id}", headers=manager_headers).json()
            return job if job["status"] == "failed" else None

        job = wait_until(failed, what="the test page given up")
        assert "cannot connect" in job["last_error"]
        alerts = client.get("/api/printers/alerts", headers=manager_headers).json()
        assert [(a["kind"], a["job_id"]) for a in alerts] == [("test_failed", job_id)]


class TestReceiptLogo:
    @pytest.fixture
    def print_settings(self, tmp_path) -> dict[str, Any]:
        from PIL import Image, ImageDraw

        logo = tmp_path / "logo.png"
        image = Image.new("RGB", (300, 120), "white")
        ImageDraw.Draw(image).ellipse((10, 10, 290, 110), fill="black")
        image.save(logo)
        return {**FAST_PRINTING, "restaurant_name": "Ταβέρνα Ο Νίκος", "receipt_logo_path": logo}

    def test_the_configured_logo_prints_above_the_bill_as_a_raster_image(self, client, maria, counter, served, kitchen):
        order_id, _ = served
        assert print_bill(client, maria, counter["id"], order_id).status_code == 201
        bill = wait_for_tickets(kitchen, 1)[0]
        raw = kitchen.received
        assert b"\x1dv0" in raw  # GS v 0: a raster image
        assert bill.images
        assert raw.index(b"\x1dv0") < raw.index("Ταβέρνα".encode("cp737"))
        assert bill.text_lines[0] == "Ταβέρνα Ο Νίκος"
        assert bill.cuts == 1


class TestUploadedLogo:
    @staticmethod
    def upload_logo(client, manager_headers) -> None:
        import io

        from PIL import Image, ImageDraw

        image = Image.new("RGBA", (320, 100), (0, 0, 0, 0))
        ImageDraw.Draw(image).rectangle((20, 20, 300, 80), fill="black")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        resp = client.put(
            "/api/settings/logo", files={"file": ("logo.png", buffer.getvalue(), "image/png")}, headers=manager_headers
        )
        assert resp.status_code == 200, resp.text

    def test_bills_and_receipts_start_with_the_logo_once_set_and_not_after_it_is_removed(
        self, client, maria, manager_headers, counter, served, kitchen
    ):
        order_id, _ = served
        assert print_bill(client, maria, counter["id"], order_id).status_code == 201
        plain = wait_for_tickets(kitchen, 1)[0]
        assert (plain.images, b"\x1dv0" in kitchen.received) == ([], False)

        self.upload_logo(client, manager_headers)
        assert print_bill(client, maria, counter["id"], order_id, kind="receipt").status_code == 201
        receipt = wait_for_tickets(kitchen, 2)[1]
        raw = kitchen.connections[-1]
        assert receipt.images == [(320, 100)]  # as stored: 320 dots fit 80 mm paper, one raster image
        assert raw.index(b"\x1dv0") < raw.index("Ταβέρνα".encode("cp737"))  # GS v 0 comes before the name
        assert receipt.text_lines[0] == "Ταβέρνα Ο Νίκος"

        assert client.delete("/api/settings/logo", headers=manager_headers).status_code == 204
        assert print_bill(client, maria, counter["id"], order_id).status_code == 201
        after = wait_for_tickets(kitchen, 3)[2]
        assert (after.images, b"\x1dv0" in kitchen.connections[-1]) == ([], False)

    def test_x_reports_print_it_too(self, client, manager_headers, counter, kitchen):
        self.upload_logo(client, manager_headers)
        resp = client.post("/api/shifts/open", json={"float": 0}, headers=manager_headers)
        assert resp.status_code == 201, resp.text
        resp = client.post("/api/reports/x/print", json={"printer_id": counter["id"]}, headers=manager_headers)
        assert resp.status_code == 202, resp.text
        report = wait_for_tickets(kitchen, 1)[0]
        assert report.images == [(320, 100)]
        assert "X REPORT" in report.text_lines

    def test_narrow_paper_gets_the_logo_scaled_to_its_width(
        self, client, maria, manager_headers, served, make_printer, bar
    ):
        import io

        from PIL import Image

        narrow = make_printer(bar, "Ταμείο 58", columns=32)
        buffer = io.BytesIO()
        Image.new("L", (1000, 200), 0).save(buffer, format="PNG")  # stored at 576 x 115 for 80 mm paper
        resp = client.put(
            "/api/settings/logo", files={"file": ("logo.png", buffer.getvalue(), "image/png")}, headers=manager_headers
        )
        assert resp.status_code == 200, resp.text
        order_id, _ = served
        assert print_bill(client, maria, narrow["id"], order_id).status_code == 201
        bill = wait_for_tickets(bar, 1)[0]
        assert bill.images == [(384, 77)]  # 58 mm paper: 32 columns of 12 dots
        assert all(len(line) <= 32 for line in bill.text_lines)
