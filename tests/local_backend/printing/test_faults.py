"""Printer faults over real TCP: down, out of paper, cut off mid-ticket, failing past its failover time; alerts;
jobs a restart interrupted. Every wait is bounded (helpers.wait_until)."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from local_backend.app import create_app
from local_backend.printing.models import PrintJob
from tests.conftest import MANAGER, login
from tests.local_backend.printing.conftest import FAST_PRINTING
from tests.local_backend.printing.helpers import (
    add_round,
    open_order,
    order_jobs,
    tickets,
    wait_for_jobs,
    wait_until,
)
from tests.support.fake_printer import FakePrinter, PrinterFault


@pytest.fixture
def moussaka(make_printer, kitchen, make_product):
    zone = make_printer(kitchen, "Κουζίνα")
    return make_product("Μουσακάς", 1400, category="Κυρίως", category_zone=zone["id"])


@pytest.fixture
def order_id(client, maria, make_table):
    return open_order(client, maria, make_table(number=7, label="7").id)


def cut_tickets(printer: FakePrinter) -> list[Any]:
    return [t for t in tickets(printer) if t.cut]


def alerts(client, headers, **params):
    resp = client.get("/api/printers/alerts", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


class TestAPrinterThatIsDown:
    def test_the_ticket_prints_once_when_it_comes_back(self, client, maria, moussaka, order_id, kitchen):
        kitchen.set_status(PrinterFault.REFUSE)
        add_round(client, maria, order_id, {"product_id": moussaka.id})
        job = wait_until(
            lambda: next((j for j in order_jobs(client, maria, order_id) if j["attempt_count"] >= 2), None),
            what="retries",
        )
        assert job["status"] == "pending"
        assert all(not a["ok"] and "cannot connect" in a["error"] for a in job["attempts"])
        kitchen.set_status(PrinterFault.HEALTHY)
        job = wait_for_jobs(client, maria, order_id)[0]
        time.sleep(0.3)  # more than a retry interval: nothing is printed twice
        (ticket,) = cut_tickets(kitchen)
        assert "Μουσακάς" in ticket.text
        assert "REPRINT" not in ticket.text_lines  # nothing had reached the printer before
        assert job["reprint"] is False
        assert job["attempts"][-1]["ok"] is True

    def test_tickets_that_waited_print_in_the_order_they_were_sent(self, client, maria, moussaka, order_id, kitchen):
        kitchen.set_status(PrinterFault.REFUSE)
        for n in range(1, 5):
            add_round(client, maria, order_id, {"product_id": moussaka.id, "note": f"γύρος {n}"})
        wait_until(lambda: order_jobs(client, maria, order_id)[0]["attempt_count"] >= 1, what="a failed attempt")
        kitchen.set_status(PrinterFault.HEALTHY)
        jobs = wait_for_jobs(client, maria, order_id, count=4)
        paper = cut_tickets(kitchen)
        assert [next(line for line in t.text_lines if "γύρος" in line).strip() for t in paper] == [
            f"! γύρος {n}" for n in range(1, 5)
        ]
        assert [t.text_lines[1] for t in paper] == ["NEW", "ADDED", "ADDED", "ADDED"]
        assert all(len(job["attempts"]) >= 1 and job["attempts"][-1]["ok"] for job in jobs)
        # Each ticket is confirmed on its own: a GS r 1 after every cut.
        assert sum(t.queries.count(b"\x1dr\x01") for t in paper) == 4

    def test_retries_back_off(self, client, maria, moussaka, order_id, kitchen):
        kitchen.set_status(PrinterFault.REFUSE)
        add_round(client, maria, order_id, {"product_id": moussaka.id})
        job = wait_until(
            lambda: next((j for j in order_jobs(client, maria, order_id) if j["attempt_count"] >= 4), None),
            what="four attempts",
        )
        starts = [datetime.fromisoformat(a["started_at"]) for a in job["attempts"][:4]]
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
        # Base 0.05 s doubling, capped at 0.2 s: 0.05, 0.1, 0.2 (plus the time an attempt takes).
        assert gaps[0] >= 0.04
        assert gaps[1] >= 0.09
        assert gaps[2] >= 0.18

    def test_the_waiter_who_sent_it_sees_an_alert_until_it_prints(
        self, client, maria, waiter_headers, manager_headers, moussaka, make_table, order_id, kitchen
    ):
        kitchen.set_status(PrinterFault.REFUSE)
        add_round(client, maria, order_id, {"product_id": moussaka.id})
        nikos = waiter_headers("nikos")
        nikos_order = open_order(client, nikos, make_table(number=8).id)
        add_round(client, nikos, nikos_order, {"product_id": moussaka.id})
        wait_until(lambda: len(alerts(client, manager_headers)) >= 2, what="an alert per job")
        (mine,) = alerts(client, maria)
        assert (mine["kind"], mine["order_id"], mine["printer_name"]) == ("printer_failing", order_id, "Κουζίνα")
        assert "cannot connect" in mine["message"]
        assert [a["order_id"] for a in alerts(client, nikos)] == [nikos_order]
        assert client.post(f"/api/printers/alerts/{mine['id']}/ack", headers=nikos).status_code == 404
        acked = client.post(f"/api/printers/alerts/{mine['id']}/ack", headers=maria)
        assert acked.status_code == 200
        assert acked.json()["acknowledged_at"] is not None
        assert alerts(client, maria)[0]["acknowledged_at"] is not None  # seen, but its cause is still there
        kitchen.set_status(PrinterFault.HEALTHY)
        wait_until(lambda: alerts(client, manager_headers) == [], what="alerts cleared")
        history = alerts(client, maria, include_cleared=True)
        assert [a["id"] for a in history] == [mine["id"]]
        assert history[0]["cleared_at"] is not None


class TestPaperOut:
    def test_paper_out_raises_an_alert_and_the_ticket_prints_once_paper_is_back(
        self, client, maria, moussaka, order_id, kitchen
    ):
        kitchen.set_status(PrinterFault.PAPER_OUT)
        add_round(client, maria, order_id, {"product_id": moussaka.id})
        alert = wait_until(lambda: alerts(client, maria), what="a paper-out alert")[0]
        assert (alert["kind"], alert["message"]) == ("paper_out", "Κουζίνα is out of paper")
        status = client.get("/api/printers/status", headers=maria).json()[0]
        assert (status["state"], status["paper_out"], status["queue_length"]) == ("paper_out", True, 1)
        time.sleep(0.6)  # several retry intervals
        # The printer is asked its status again and again, but nothing is resent and nothing is lost.
        assert len(kitchen.connections) >= 3
        assert tickets(kitchen) == []
        assert kitchen.simulator.discarded_bytes == 0
        job = order_jobs(client, maria, order_id)[0]
        assert (job["status"], job["attempt_count"], job["attempts"][0]["error"]) == ("pending", 1, "out of paper")
        kitchen.set_status(PrinterFault.HEALTHY)
        job = wait_for_jobs(client, maria, order_id)[0]
        assert [a["ok"] for a in job["attempts"]] == [False, True]
        (ticket,) = cut_tickets(kitchen)
        assert "REPRINT" not in ticket.text_lines
        wait_until(lambda: alerts(client, maria) == [], what="the alert cleared")


class TestConnectionDroppedMidTicket:
    def test_the_ticket_prints_again_marked_reprint(self, client, maria, moussaka, order_id, kitchen):
        kitchen.set_status(PrinterFault.DROP_AFTER_BYTES, 120)  # past the status queries, inside the ticket
        add_round(client, maria, order_id, {"product_id": moussaka.id, "quantity": 3})
        wait_until(
            lambda: any(c.dropped and c.closed for c in kitchen.simulator.connections), what="a dropped connection"
        )
        kitchen.set_status(PrinterFault.HEALTHY)
        job = wait_for_jobs(client, maria, order_id)[0]
        assert job["reprint"] is True
        first, last = job["attempts"][0], job["attempts"][-1]
        assert first["ok"] is False
        assert first["error"]
        assert (last["ok"], last["reprint"]) == (True, True)
        # The cut-off piece arrived without a cut; the whole ticket came after it, marked REPRINT.
        assert any(c.dropped for c in kitchen.simulator.connections[:-1])
        final = cut_tickets(kitchen)
        assert len(final) == 1
        assert "REPRINT" in final[0].text_lines
        assert "NEW" in final[0].text_lines
        assert "3 x Μουσακάς" in final[0].text
        assert final[0].cuts == 1


class TestFailover:
    @pytest.fixture
    def routed(self, make_printer, kitchen, bar, make_product):
        spare = make_printer(bar, "Εφεδρικός")
        main = make_printer(kitchen, "Κουζίνα", failover_seconds=1, backup_printer_id=spare["id"])
        product = make_product("Μουσακάς", 1400, category="Κυρίως", category_zone=main["id"])
        return main, spare, product

    def test_past_its_failover_time_the_backup_prints_the_ticket_marked_backup(
        self, client, maria, manager_headers, routed, order_id, kitchen, bar
    ):
        main, spare, product = routed
        kitchen.set_status(PrinterFault.REFUSE)
        started = time.monotonic()
        add_round(client, maria, order_id, {"product_id": product.id, "quantity": 2})
        job = wait_for_jobs(client, maria, order_id)[0]
        assert time.monotonic() - started >= 1.0  # not before the primary's failover time
        assert (job["on_backup"], job["printer_id"], job["printed_by_printer_id"]) == (True, main["id"], spare["id"])
        assert {a["printer_name"] for a in job["attempts"] if not a["ok"]} == {"Κουζίνα"}
        assert job["attempts"][-1] == {
            **job["attempts"][-1],
            "printer_name": "Εφεδρικός",
            "ok": True,
            "on_backup": True,
        }
        (ticket,) = cut_tickets(bar)
        assert "BACKUP - for Κουζίνα" in ticket.text
        assert "2 x Μουσακάς" in ticket.text
        assert "Κουζίνα" in ticket.text_lines[0]
        assert cut_tickets(kitchen) == []
        kinds = {a["kind"] for a in alerts(client, maria, include_cleared=True)}
        assert {"printer_failing", "failover"} <= kinds
        events = client.get("/api/audit/", params={"action": "printing.failover"}, headers=manager_headers).json()
        assert events[0]["data"]["job_ids"] == [job["id"]]

    def test_a_printer_taken_out_of_service_hands_its_queue_to_the_backup(
        self, client, maria, manager_headers, routed, order_id, kitchen, bar
    ):
        main, _, product = routed
        kitchen.set_status(PrinterFault.REFUSE)
        add_round(client, maria, order_id, {"product_id": product.id})
        resp = client.put(f"/api/printers/{main['id']}", json={"is_active": False}, headers=manager_headers)
        assert resp.status_code == 200
        job = wait_for_jobs(client, maria, order_id)[0]
        assert job["on_backup"] is True
        assert "BACKUP - for Κουζίνα" in cut_tickets(bar)[0].text
        # While it is out of service, new tickets for its zone go straight to the backup.
        add_round(client, maria, order_id, {"product_id": product.id})
        second = wait_for_jobs(client, maria, order_id, count=2)[1]
        assert (second["on_backup"], second["attempts"][0]["printer_name"]) == (True, "Εφεδρικός")

    def test_tickets_on_a_backup_taken_out_of_service_go_back_to_their_own_printer(
        self, client, maria, manager_headers, routed, order_id, kitchen, bar
    ):
        main, spare, product = routed
        kitchen.set_status(PrinterFault.REFUSE)
        bar.set_status(PrinterFault.REFUSE)
        add_round(client, maria, order_id, {"product_id": product.id, "quantity": 3})

        def on_backup() -> bool:
            jobs = client.get("/api/printers/jobs", params={"order_id": order_id}, headers=maria).json()
            return bool(jobs and jobs[0]["on_backup"])

        wait_until(on_backup, what="the ticket failed over to the (also dead) backup")
        kitchen.set_status(PrinterFault.HEALTHY)
        resp = client.put(f"/api/printers/{spare['id']}", json={"is_active": False}, headers=manager_headers)
        assert resp.status_code == 200
        job = wait_for_jobs(client, maria, order_id)[0]
        assert (job["on_backup"], job["printed_by_printer_id"]) == (False, main["id"])
        (ticket,) = cut_tickets(kitchen)
        assert "3 x Μουσακάς" in ticket.text
        assert "BACKUP" not in ticket.text

    def test_a_printer_taken_out_of_service_mid_ticket_finishes_it_and_nothing_prints_twice(
        self, client, maria, manager_headers, routed, order_id, kitchen, bar
    ):
        main, _, product = routed
        kitchen.simulator.slow = 4.0  # seconds per KiB: the ticket's GS r answer comes about a second late

        def status() -> str:
            jobs = client.get("/api/printers/jobs", params={"order_id": order_id}, headers=maria).json()
            return str(jobs[0]["status"]) if jobs else ""

        add_round(client, maria, order_id, {"product_id": product.id, "quantity": 2})
        wait_until(lambda: status() == "printing", what="the ticket being sent")
        resp = client.put(f"/api/printers/{main['id']}", json={"is_active": False}, headers=manager_headers)
        assert resp.status_code == 200
        job = wait_for_jobs(client, maria, order_id)[0]
        assert (job["printed_by_printer_id"], job["on_backup"], job["reprint"]) == (main["id"], False, False)
        time.sleep(0.5)  # anything wrongly rerouted to the backup would print by now
        assert len(cut_tickets(kitchen)) == 1
        assert cut_tickets(bar) == []


class TestIdlePrinters:
    @pytest.fixture
    def print_settings(self) -> dict[str, Any]:
        return {**FAST_PRINTING, "print_status_poll_seconds": 0.1}

    def test_an_idle_printer_is_polled_and_paper_out_alerts_the_managers(
        self, client, manager_headers, maria, make_printer, kitchen
    ):
        printer = make_printer(kitchen, "Κουζίνα")

        def status() -> dict[str, Any]:
            return dict(client.get("/api/printers/status", headers=maria).json()[0])

        wait_until(lambda: status()["state"] == "online", what="the printer polled")
        assert status()["printer_id"] == printer["id"]
        kitchen.set_status(PrinterFault.PAPER_OUT)
        wait_until(lambda: status()["state"] == "paper_out", what="paper out seen")
        (alert,) = wait_until(lambda: alerts(client, manager_headers), what="a printer alert")
        assert (alert["kind"], alert["job_id"], alert["printer_id"]) == ("paper_out", None, printer["id"])
        assert alerts(client, maria) == []  # no ticket of hers is affected
        kitchen.set_status(PrinterFault.HEALTHY)
        wait_until(lambda: alerts(client, manager_headers) == [], what="the alert cleared")
        kitchen.set_status(PrinterFault.REFUSE)
        wait_until(lambda: status()["state"] == "offline", what="offline seen")
        assert "cannot connect" in status()["last_error"]
        assert tickets(kitchen) == []


class TestJobsInterruptedByARestart:
    def test_a_job_caught_mid_send_prints_again_marked_reprint(self, settings, kitchen):
        first = create_app(settings)
        with TestClient(first) as client:
            manager = login(client, *MANAGER)
            kitchen.set_status(PrinterFault.REFUSE)
            zone = client.post(
                "/api/printers/",
                json={"name": "Κουζίνα", "ip_address": kitchen.host, "port": kitchen.port},
                headers=manager,
            ).json()
            category = client.post(
                "/api/products/categories", json={"name": "Κυρίως", "printer_zone_id": zone["id"]}, headers=manager
            ).json()
            product = client.post(
                "/api/products/",
                json={"category_id": category["id"], "name": "Μουσακάς", "base_price": 900},
                headers=manager,
            ).json()
            table = client.post("/api/tables/", json={"number": 3}, headers=manager).json()
            order_id = open_order(client, manager, table["id"])
            add_round(client, manager, order_id, {"product_id": product["id"]})
        # As if the appliance died between "printing" and the printer's confirmation.
        with first.state.database.write_session() as db:
            db.execute(update(PrintJob).values(status="printing"))
        kitchen.set_status(PrinterFault.HEALTHY)
        with TestClient(create_app(settings)) as client:
            manager = login(client, *MANAGER)
            job = wait_for_jobs(client, manager, order_id)[0]
        assert job["reprint"] is True
        assert any("interrupted" in (a["error"] or "") for a in job["attempts"])
        (ticket,) = cut_tickets(kitchen)
        assert "REPRINT" in ticket.text_lines


class TestAlertsArriveLive:
    def test_the_sender_gets_alert_changes_on_the_event_stream_and_other_waiters_do_not(
        self, client, maria, waiter_headers, moussaka, order_id, kitchen
    ):
        app = client.app
        maria_id = client.get("/api/auth/me", headers=maria).json()["id"]
        nikos_id = client.get("/api/auth/me", headers=waiter_headers("nikos")).json()["id"]
        bus = app.state.database.events

        async def subscribe(user_id: int) -> Any:
            return bus.subscribe(
                lambda e: (
                    e.type == "printer.alerts_changed"
                    and (e.audience.waiter_ids is None or user_id in e.audience.waiter_ids)
                )
            )[0]

        async def next_change(subscription: Any) -> dict[str, Any]:
            event = await asyncio.wait_for(subscription.next(), timeout=10)
            return dict(event.data)

        mine = client.portal.call(subscribe, maria_id)
        theirs = client.portal.call(subscribe, nikos_id)
        kitchen.set_status(PrinterFault.REFUSE)
        add_round(client, maria, order_id, {"product_id": moussaka.id})
        assert client.portal.call(next_change, mine)["change"] == "raised"
        kitchen.set_status(PrinterFault.HEALTHY)
        assert client.portal.call(next_change, mine)["change"] == "cleared"
        assert theirs.queue.empty()
