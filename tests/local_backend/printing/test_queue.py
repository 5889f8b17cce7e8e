"""The durable print queue end to end: adding items queues a ticket per zone, a worker prints it on a real TCP
printer (the fake printer on 127.0.0.1), and the bytes decode to the ticket the kitchen needs."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

import time

import pytest
from sqlalchemy import event

from tests.local_backend.printing.helpers import (
    add_round,
    open_order,
    order_jobs,
    tickets,
    wait_for_jobs,
    wait_for_tickets,
    wait_until,
)
from tests.support.fake_printer import PrinterFault


@pytest.fixture
def zones(make_printer, kitchen, bar):
    return make_printer(kitchen, "Κουζίνα"), make_printer(bar, "Μπαρ")


@pytest.fixture
def menu(make_product, zones):
    kitchen_zone, bar_zone = zones
    moussaka = make_product(
        "Μουσακάς",
        1400,
        category="Κυρίως",
        category_zone=kitchen_zone["id"],
        options=[("Extra φέτα", 150)],
        ingredients=["Κρεμμύδι"],
        preference_sets=[("Ψήσιμο", True, [("Μέτριο", 0)])],
    )
    ouzo = make_product("Ούζο", 500, category="Ποτά", printer_zone_id=bar_zone["id"])
    bread = make_product("Ψωμί", 100, category="Ψωμί")  # routed nowhere
    return moussaka, ouzo, bread


@pytest.fixture
def order_id(client, maria, make_table):
    return open_order(client, maria, make_table(number=12, label="12").id)


def moussaka_line(moussaka, quantity=2, **fields):
    return {
        "product_id": moussaka.id,
        "quantity": quantity,
        "option_ids": [moussaka.options[0].id],
        "removed_ingredient_ids": [moussaka.ingredients[0].id],
        "choice_ids": [moussaka.preference_sets[0].choices[0].id],
        **fields,
    }


class TestQueueingTickets:
    def test_a_round_queues_one_ticket_per_zone_and_none_for_unrouted_items(
        self, client, maria, menu, zones, order_id, kitchen, bar
    ):
        moussaka, ouzo, bread = menu
        added = add_round(
            client, maria, order_id, moussaka_line(moussaka), {"product_id": ouzo.id}, {"product_id": bread.id}
        )
        ids = [item["id"] for item in added["items"]]
        jobs = wait_for_jobs(client, maria, order_id, count=2)
        by_zone = {job["zone_name"]: job for job in jobs}
        assert set(by_zone) == {"Κουζίνα", "Μπαρ"}
        assert by_zone["Κουζίνα"]["item_ids"] == [ids[0]]
        assert by_zone["Μπαρ"]["item_ids"] == [ids[1]]
        assert all(job["kind"] == "kitchen" and job["mark"] == "NEW" for job in jobs)
        kitchen_text = wait_for_tickets(kitchen, 1)[0].text
        bar_text = wait_for_tickets(bar, 1)[0].text
        assert "Μουσακάς" in kitchen_text
        assert "Ούζο" not in kitchen_text
        assert "Ούζο" in bar_text
        assert "Μουσακάς" not in bar_text
        assert "Ψωμί" not in kitchen_text + bar_text

    def test_items_without_a_zone_queue_nothing(self, client, maria, menu, order_id):
        _, _, bread = menu
        add_round(client, maria, order_id, {"product_id": bread.id, "quantity": 3})
        assert order_jobs(client, maria, order_id) == []

    def test_a_round_that_fails_queues_nothing(self, client, maria, menu, order_id):
        moussaka, _, _ = menu
        resp = client.post(
            f"/api/orders/{order_id}/items",
            json={"items": [moussaka_line(moussaka), {"product_id": 999_999}]},
            headers=maria,
        )
        assert resp.status_code == 404
        assert order_jobs(client, maria, order_id) == []

    def test_the_kitchen_ticket_has_everything_the_kitchen_needs(self, client, maria, menu, order_id, kitchen):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka, seat=2, note="χωρίς αλάτι"))
        ticket = wait_for_tickets(kitchen, 1)[0]
        text = ticket.text
        for expected in ("Κουζίνα", "NEW", "12", "Maria", f"#{order_id}", "2 x Μουσακάς", "+ Extra φέτα"):
            assert expected in text, expected
        assert "NO Κρεμμύδι" in text
        assert "Ψήσιμο: Μέτριο" in text
        assert "! χωρίς αλάτι" in text
        assert "Seat 2" in text
        quantity_line = next(line for line in ticket.lines if "Μουσακάς" in line.text)
        assert (quantity_line.width, quantity_line.height, quantity_line.bold) == (2, 2, True)
        assert set(ticket.codecs) == {"cp737"}  # Greek went out after ESC t 29, never in another page
        assert ticket.cuts == 1
        # Status first (DLE EOT 1 and 4), then the ticket, then GS r 1: its answer confirms the ticket was processed.
        (raw,) = kitchen.connections
        assert raw.startswith(b"\x10\x04\x01\x10\x04\x04\x1b@")
        assert raw.endswith(b"\x1dV\x42\x00\x1dr\x01")
        assert ticket.queries == [b"\x1dr\x01"]
        assert all(line.columns <= 48 for line in ticket.lines)

    def test_the_time_on_the_ticket_is_the_sites_local_time(self, client, maria, menu, order_id, kitchen):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka))
        job = wait_for_jobs(client, maria, order_id)[0]
        from datetime import datetime
        from zoneinfo import ZoneInfo

        local = datetime.fromisoformat(job["created_at"]).astimezone(ZoneInfo("Europe/Athens"))
        assert local.strftime("%d/%m/%Y %H:%M") in wait_for_tickets(kitchen, 1)[0].text

    def test_later_rounds_print_as_added(self, client, maria, menu, order_id, kitchen):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka))
        wait_for_tickets(kitchen, 1)
        add_round(client, maria, order_id, moussaka_line(moussaka, quantity=1))
        first, second = wait_for_tickets(kitchen, 2)[:2]
        assert "NEW" in first.text_lines
        assert "ADDED" not in first.text_lines
        assert "ADDED" in second.text_lines
        assert "NEW" not in second.text_lines
        assert [job["mark"] for job in order_jobs(client, maria, order_id)] == ["NEW", "ADDED"]

    def test_items_are_marked_printed_once_the_printer_confirmed(self, client, maria, menu, order_id):
        moussaka, _, bread = menu
        add_round(client, maria, order_id, moussaka_line(moussaka), {"product_id": bread.id})
        wait_for_jobs(client, maria, order_id)

        def printed_flags():
            items = client.get(f"/api/orders/{order_id}", headers=maria).json()["items"]
            flags = [item["printed"] for item in items]
            return flags if flags[0] else None

        assert wait_until(printed_flags, what="the item marked printed") == [True, False]

    def test_characters_the_code_page_lacks_are_printed_transliterated_and_recorded(
        self, client, maria, menu, order_id, kitchen
    ):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka, note="2€ – extra"))
        job = wait_for_jobs(client, maria, order_id)[0]
        assert {"€", "–"} <= set(job["replaced"])
        assert "2EUR - extra" in wait_for_tickets(kitchen, 1)[0].text

    def test_the_ticket_prints_right_after_the_commit_not_at_the_next_poll(
        self, client, maria, menu, order_id, kitchen
    ):
        moussaka, _, _ = menu
        # Idle polling is 30 s in these tests: only the after-commit wake-up can print this quickly.
        wait_until(lambda: client.get("/api/printers/status", headers=maria).json(), what="status")
        add_round(client, maria, order_id, moussaka_line(moussaka))
        wait_for_tickets(kitchen, 1)
        sent = time.monotonic()
        add_round(client, maria, order_id, moussaka_line(moussaka, quantity=1))
        wait_for_tickets(kitchen, 2, timeout=2.0)
        assert time.monotonic() - sent < 1.0

    def test_a_queued_ticket_is_a_snapshot_later_menu_edits_do_not_change(
        self, client, maria, manager_headers, menu, order_id, kitchen
    ):
        moussaka, _, _ = menu
        kitchen.set_status(PrinterFault.REFUSE)
        add_round(client, maria, order_id, moussaka_line(moussaka))
        resp = client.put(f"/api/products/{moussaka.id}", json={"name": "Παστίτσιο"}, headers=manager_headers)
        assert resp.status_code == 200
        kitchen.set_status(PrinterFault.HEALTHY)
        text = wait_for_tickets(kitchen, 1)[0].text
        assert "Μουσακάς" in text
        assert "Παστίτσιο" not in text


class TestTheCostOfQueueing:
    def test_queueing_the_tickets_adds_two_statements_to_adding_items(
        self, client, maria, manager_headers, menu, zones, order_id, database
    ):
        moussaka, ouzo, bread = menu
        for zone in zones:  # no workers: every statement counted below is the request's own
            client.put(f"/api/printers/{zone['id']}", json={"is_active": False}, headers=manager_headers)
        # Workers leave in the background (each finishes its connection first); wait until they are gone, or a
        # busy machine lets their last statements land in the count.
        manager = client.app.state.print_manager
        deadline = time.monotonic() + 10
        while manager._workers or any(not task.done() for task in manager._tasks):
            assert time.monotonic() < deadline, "print workers did not stop"
            time.sleep(0.02)
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        def statements_for(*lines) -> list[str]:
            statements.clear()
            event.listen(database.engine, "before_cursor_execute", count)
            try:
                add_round(client, maria, order_id, *lines)
            finally:
                event.remove(database.engine, "before_cursor_execute", count)
            return list(statements)

        statements_for({"product_id": bread.id})  # warm every cache (menu, staff, printers, table labels)
        statements_for(moussaka_line(moussaka), {"product_id": ouzo.id})
        unrouted = statements_for({"product_id": bread.id})
        routed = statements_for(moussaka_line(moussaka), {"product_id": ouzo.id}, {"product_id": bread.id})
        extra = [sql for sql in routed if "print_jobs" in sql]
        tickets = [sql for sql in routed if "kitchen_tickets" in sql]
        assert any(sql.startswith("INSERT INTO order_items") for sql in unrouted)
        # Two statements, whatever the number of zones: the print jobs and the kitchen display's tickets.
        assert len(routed) - len(unrouted) == 2
        assert len(extra) == 1
        assert extra[0].startswith("INSERT INTO print_jobs")
        assert len(tickets) == 1
        assert tickets[0].startswith("INSERT INTO kitchen_tickets")
        assert len(order_jobs(client, maria, order_id)) == 4  # two zones, twice


class TestTheOrderNeverWaitsForAPrinter:
    def test_adding_items_answers_at_once_while_the_printer_hangs(self, client, maria, menu, order_id, kitchen):
        moussaka, _, _ = menu
        kitchen.set_status(PrinterFault.SILENT)  # accepts the connection, never answers
        for _ in range(3):
            started = time.monotonic()
            resp = client.post(
                f"/api/orders/{order_id}/items", json={"items": [moussaka_line(moussaka)]}, headers=maria
            )
            assert resp.status_code == 201
            assert time.monotonic() - started < 0.5
        jobs = order_jobs(client, maria, order_id)
        assert [job["status"] for job in jobs] == ["pending", "pending", "pending"]

    def test_adding_items_succeeds_when_the_printer_is_unreachable(self, client, maria, menu, order_id, kitchen):
        moussaka, _, _ = menu
        kitchen.stop()
        resp = client.post(f"/api/orders/{order_id}/items", json={"items": [moussaka_line(moussaka)]}, headers=maria)
        assert resp.status_code == 201
        job = wait_until(
            lambda: next((j for j in order_jobs(client, maria, order_id) if j["attempt_count"] >= 1), None),
            what="a failed attempt",
        )
        assert job["status"] == "pending"
        assert "cannot connect" in job["last_error"]


class TestVoids:
    def test_cancelling_a_printed_item_prints_a_void_ticket_to_its_zone(
        self, client, maria, manager_headers, menu, order_id, kitchen
    ):
        moussaka, _, _ = menu
        item = add_round(client, maria, order_id, moussaka_line(moussaka))["items"][0]
        wait_for_jobs(client, maria, order_id)
        wait_until(
            lambda: client.get(f"/api/orders/{order_id}", headers=maria).json()["items"][0]["printed"],
            what="the item marked printed",
        )
        resp = client.request(
            "DELETE", f"/api/orders/{order_id}/items/{item['id']}", json={"reason": "λάθος"}, headers=manager_headers
        )
        assert resp.status_code == 200
        void = wait_for_tickets(kitchen, 2)[1]
        mark = next(line for line in void.lines if line.text.strip() == "VOID")
        assert mark.reverse
        assert "2 x Μουσακάς" in void.text
        jobs = wait_for_jobs(client, maria, order_id, count=2)
        assert [(job["kind"], job["mark"], job["item_ids"]) for job in jobs][1] == ("void", "VOID", [item["id"]])

    def test_cancelling_an_item_still_in_the_queue_takes_it_off_its_ticket(
        self, client, maria, manager_headers, menu, order_id, kitchen
    ):
        moussaka, _, _ = menu
        kitchen.set_status(PrinterFault.REFUSE)
        items = add_round(
            client, maria, order_id, moussaka_line(moussaka, note="πρώτο"), moussaka_line(moussaka, note="δεύτερο")
        )["items"]
        resp = client.request(
            "DELETE", f"/api/orders/{order_id}/items/{items[0]['id']}", json={"reason": "x"}, headers=manager_headers
        )
        assert resp.status_code == 200
        assert [job["item_ids"] for job in order_jobs(client, maria, order_id)] == [[items[1]["id"]]]
        kitchen.set_status(PrinterFault.HEALTHY)
        text = wait_for_tickets(kitchen, 1)[0].text
        assert "δεύτερο" in text
        assert "πρώτο" not in text
        wait_for_jobs(client, maria, order_id)
        assert [job["kind"] for job in order_jobs(client, maria, order_id)] == ["kitchen"]

    def test_a_queued_ticket_left_empty_is_cancelled(self, client, maria, manager_headers, menu, order_id, kitchen):
        moussaka, _, _ = menu
        kitchen.set_status(PrinterFault.REFUSE)
        item = add_round(client, maria, order_id, moussaka_line(moussaka))["items"][0]
        client.request(
            "DELETE", f"/api/orders/{order_id}/items/{item['id']}", json={"reason": "x"}, headers=manager_headers
        )
        assert [job["status"] for job in order_jobs(client, maria, order_id)] == ["cancelled"]
        kitchen.set_status(PrinterFault.HEALTHY)
        time.sleep(0.5)
        assert tickets(kitchen) == []

    def test_cancelling_an_order_voids_what_the_kitchen_already_has(
        self, client, maria, manager_headers, menu, order_id, kitchen, bar
    ):
        moussaka, ouzo, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka), {"product_id": ouzo.id})
        wait_for_jobs(client, maria, order_id, count=2)
        wait_until(
            lambda: all(i["printed"] for i in client.get(f"/api/orders/{order_id}", headers=maria).json()["items"]),
            what="both items printed",
        )
        resp = client.request("DELETE", f"/api/orders/{order_id}", json={"reason": "έφυγαν"}, headers=manager_headers)
        assert resp.status_code == 200
        assert "VOID" in [line.strip() for line in wait_for_tickets(kitchen, 2)[1].text_lines]
        assert "VOID" in [line.strip() for line in wait_for_tickets(bar, 2)[1].text_lines]


class TestThePrintLog:
    def test_the_owner_reads_each_jobs_attempts(self, client, maria, menu, order_id):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka))
        job = wait_for_jobs(client, maria, order_id)[0]
        assert job["printed_by_printer_id"] == job["printer_id"] == job["target_printer_id"]
        assert job["printed_at"] is not None
        (attempt,) = job["attempts"]
        assert (attempt["printer_name"], attempt["ok"], attempt["error"]) == ("Κουζίνα", True, None)
        assert attempt["duration_ms"] >= 0
        detail = client.get(f"/api/printers/jobs/{job['id']}", headers=maria)
        assert detail.status_code == 200
        assert detail.json()["attempts"] == job["attempts"]

    def test_another_waiter_may_not_read_it(self, client, maria, waiter_headers, menu, order_id):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka))
        job_id = order_jobs(client, maria, order_id)[0]["id"]
        nikos = waiter_headers("nikos")
        resp = client.get("/api/printers/jobs", params={"order_id": order_id}, headers=nikos)
        assert (resp.status_code, resp.json()["code"]) == (403, "NOT_ORDER_OWNER")
        assert client.get(f"/api/printers/jobs/{job_id}", headers=nikos).status_code == 403

    def test_every_job_is_listed_for_a_manager_only(self, client, maria, manager_headers, menu, order_id):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka))
        assert client.get("/api/printers/jobs", headers=maria).status_code == 403
        listed = client.get("/api/printers/jobs", headers=manager_headers).json()
        assert [job["order_id"] for job in listed] == [order_id]

    def test_unknown_jobs_and_orders_are_not_found(self, client, manager_headers):
        assert client.get("/api/printers/jobs/12345", headers=manager_headers).json()["code"] == "PRINT_JOB_NOT_FOUND"
        resp = client.get("/api/printers/jobs", params={"order_id": 12345}, headers=manager_headers)
        assert resp.json()["code"] == "ORDER_NOT_FOUND"


class TestReprinting:
    def test_a_reprint_is_a_new_job_marked_reprint(self, client, maria, menu, order_id, kitchen):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka))
        original = wait_for_jobs(client, maria, order_id)[0]
        resp = client.post(f"/api/printers/jobs/{original['id']}/reprint", headers=maria)
        assert resp.status_code == 201
        copy = resp.json()
        assert (copy["reprint"], copy["reprint_of_id"], copy["mark"]) == (True, original["id"], "NEW")
        first, second = wait_for_tickets(kitchen, 2)[:2]
        assert "REPRINT" not in first.text_lines
        assert "REPRINT" in second.text_lines
        assert "NEW" in second.text_lines
        assert "2 x Μουσακάς" in second.text

    def test_only_the_owner_or_a_manager_reprints(self, client, maria, waiter_headers, manager_headers, menu, order_id):
        moussaka, _, _ = menu
        add_round(client, maria, order_id, moussaka_line(moussaka))
        job_id = order_jobs(client, maria, order_id)[0]["id"]
        assert client.post(f"/api/printers/jobs/{job_id}/reprint", headers=waiter_headers("nikos")).status_code == 403
        assert client.post(f"/api/printers/jobs/{job_id}/reprint", headers=manager_headers).status_code == 201
