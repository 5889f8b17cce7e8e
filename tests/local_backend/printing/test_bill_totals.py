"""The bill's totals on paper: subtotal, discounts, service charge, tax per rate, total, payments and change, with
the restaurant's name and footer from the site settings (read back from a fake printer's bytes)."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

from tests.local_backend.printing.helpers import add_round, open_order, wait_for_tickets


def row(lines: list[str], label: str) -> str:
    return next(line for line in lines if line.startswith(label))


class TestBillTotals:
    def test_a_receipt_shows_the_whole_breakdown(
        self, client, maria, manager_headers, make_printer, kitchen, make_table, make_product
    ):
        settings = {
            "restaurant_name": "Ταβέρνα Η Ελιά",
            "receipt_footer": "Ευχαριστούμε!",
            "tax_mode": "exclusive",
            "service_charge_bp": 1000,
        }
        assert client.put("/api/settings", json=settings, headers=manager_headers).status_code == 200
        counter = make_printer(kitchen, "Ταμείο")
        moussaka = make_product("Μουσακάς", 1000, tax_rate_bp=1300)
        wine = make_product("Κρασί", 1000, category="Ποτά", tax_rate_bp=2400)
        order_id = open_order(client, maria, make_table(number=7, label="7").id)
        add_round(client, maria, order_id, {"product_id": moussaka.id, "quantity": 2}, {"product_id": wine.id})
        given = client.post(
            f"/api/orders/{order_id}/discounts",
            json={"kind": "amount", "value": 300, "reason": "regulars"},
            headers=manager_headers,
        )
        assert given.status_code == 201, given.text
        order = given.json()["order"]
        assert order["total"] == 3465
        paid = client.post(
            f"/api/orders/{order_id}/payments",
            json={"method": "cash", "amount": 3465, "tendered": 4000},
            headers=maria,
        )
        assert paid.status_code == 201, paid.text
        resp = client.post(
            f"/api/printers/{counter['id']}/bill", json={"order_id": order_id, "kind": "receipt"}, headers=maria
        )
        assert resp.status_code == 201, resp.text
        ticket = wait_for_tickets(kitchen, 1)[-1]
        lines = ticket.text_lines
        assert lines[0] == "Ταβέρνα Η Ελιά"
        assert row(lines, "Subtotal").endswith("30.00 EUR")
        assert row(lines, "Discount").endswith("-3.00 EUR")
        assert row(lines, "Service").endswith("2.70 EUR")
        # Tax per rate on the discounted lines plus their service share: 19.80 x 13 % and 9.90 x 24 %.
        assert row(lines, "Tax 13%").endswith("2.57 EUR")
        assert row(lines, "Tax 24%").endswith("2.38 EUR")
        assert row(lines, "TOTAL").endswith("34.65 EUR")
        assert row(lines, "Cash").endswith("34.65 EUR")
        assert row(lines, "Change").endswith("5.35 EUR")
        assert row(lines, "Due").endswith("0.00 EUR")
        assert "Ευχαριστούμε!" in lines
        order_of_rows = [
            next(i for i, line in enumerate(lines) if line.startswith(label))
            for label in ("Subtotal", "Discount", "Service", "Tax 13%", "Tax 24%", "TOTAL", "Cash", "Change")
        ]
        assert order_of_rows == sorted(order_of_rows)
        assert set(ticket.codecs) == {"cp737"}

    def test_inclusive_tax_is_marked_as_included(self, client, maria, make_printer, kitchen, make_table, make_product):
        counter = make_printer(kitchen, "Ταμείο")
        food = make_product("Μουσακάς", 1130, tax_rate_bp=1300)
        order_id = open_order(client, maria, make_table(number=8, label="8").id)
        add_round(client, maria, order_id, {"product_id": food.id})
        client.post(f"/api/printers/{counter['id']}/bill", json={"order_id": order_id, "kind": "bill"}, headers=maria)
        lines = wait_for_tickets(kitchen, 1)[-1].text_lines
        assert row(lines, "incl. Tax 13%").endswith("1.30 EUR")
        assert row(lines, "TOTAL").endswith("11.30 EUR")
