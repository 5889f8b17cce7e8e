"""A purchase order as CSV (the report exports' helpers: BOM, formula-neutral text, exact decimals) and as a
ticket on the report printer, read back from a fake ESC/POS printer on loopback by the tests' own decoder."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

import csv
import io

from tests.local_backend.printing.helpers import wait_for_tickets
from tests.local_backend.purchasing.conftest import BASE, ok


def register(client, headers, fake, name):
    resp = client.post(
        "/api/printers/", json={"name": name, "ip_address": fake.host, "port": fake.port}, headers=headers
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


def line_with(lines, start):
    return next(line for line in lines if line.startswith(start))


class TestCsv:
    def test_the_csv_gives_supplier_units_exact_costs_and_harmless_text(
        self, client, manager_headers, make_supplier, make_item, make_order
    ) -> None:
        farm = make_supplier("=Farm")  # a name a spreadsheet would run
        beef = make_item("Μοσχάρι", "g", unit_cost=1500)
        wine = make_item("-Wine", "ml", unit_cost=800)
        eggs = make_item("Eggs", "pc")
        order = make_order(farm["id"], [(beef["id"], 2500), (wine["id"], 750), (eggs["id"], 30)])

        resp = client.get(f"{BASE}/{order['id']}/csv", headers=manager_headers)
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"] == "text/csv; charset=utf-8"
        assert resp.headers["content-disposition"] == 'attachment; filename="tavolo-purchase-order-1.csv"'
        text = resp.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:])))
        assert rows[0] == [
            "purchase_order",
            "supplier",
            "stock_item_id",
            "item",
            "quantity",
            "unit",
            "unit_cost (EUR per unit)",
            "cost (EUR)",
        ]
        assert rows[1:] == [
            ["1", "'=Farm", str(beef["id"]), "Μοσχάρι", "2.5", "kg", "15.00", "37.50"],
            ["1", "'=Farm", str(wine["id"]), "'-Wine", "0.75", "l", "8.00", "6.00"],
            ["1", "'=Farm", str(eggs["id"]), "Eggs", "30", "pc", "", ""],
        ]

    def test_a_missing_order_has_no_csv(self, client, manager_headers) -> None:
        resp = client.get(f"{BASE}/77/csv", headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (404, "PURCHASE_ORDER_NOT_FOUND")


class TestPrinting:
    def test_the_order_prints_on_the_report_printer_with_its_lines(
        self, client, manager_headers, counter, make_supplier, make_item, make_order, audit_actions
    ) -> None:
        printer = register(client, manager_headers, counter, "Ταμείο")
        farm = make_supplier("Φάρμα Παπαδόπουλος", phone="+30 210 000 0000")
        beef = make_item("Μοσχάρι", "g", unit_cost=1500)
        salt = make_item("Salt", "g")
        order = make_order(farm["id"], [(beef["id"], 2500), (salt["id"], 250)], note="Πριν την Παρασκευή")

        resp = client.post(f"{BASE}/{order['id']}/print", json={}, headers=manager_headers)
        assert resp.status_code == 202, resp.text
        assert (resp.json()["printer_id"], resp.json()["printer_name"]) == (printer["id"], "Ταμείο")

        ticket = wait_for_tickets(counter, 1)[0]
        lines = ticket.text_lines
        assert lines[0] == "Ταβέρνα Ο Νίκος"
        assert "PURCHASE ORDER #1" in lines
        assert "Supplier: Φάρμα Παπαδόπουλος" in lines
        assert "+30 210 000 0000" in lines
        assert line_with(lines, "2.5 kg Μοσχάρι").endswith("37.50 EUR")
        assert line_with(lines, "250 g Salt").strip() == "250 g Salt"
        assert "Πριν την Παρασκευή" in ticket.text
        assert all(len(line) <= 48 for line in lines)
        assert ticket.cut
        assert "printing.report" in [
            e["action"]
            for e in ok(client.get("/api/audit/", params={"action": "printing.report"}, headers=manager_headers))
        ]
        assert audit_actions(order["id"]) == ["purchasing.created"]  # printing changes nothing of the order

    def test_a_printer_can_be_named_and_without_one_nothing_is_queued(
        self, client, manager_headers, counter, make_supplier, make_order
    ) -> None:
        order = make_order(make_supplier("Farm")["id"], [])
        resp = client.post(f"{BASE}/{order['id']}/print", json={}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "NO_REPORT_PRINTER")
        resp = client.post(f"{BASE}/{order['id']}/print", json={"printer_id": 99}, headers=manager_headers)
        assert resp.status_code == 404
        printer = register(client, manager_headers, counter, "Bar")
        resp = client.post(f"{BASE}/{order['id']}/print", json={"printer_id": printer["id"]}, headers=manager_headers)
        assert resp.status_code == 202, resp.text
        lines = wait_for_tickets(counter, 1)[0].text_lines
        assert "No items" in " ".join(lines)
