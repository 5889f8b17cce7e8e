"""Emailing a purchase order through SMTP, against a local aiosmtpd sink on 127.0.0.1: the email with its lines
and CSV attachment arrives; with the sink down it stays queued and goes out once the sink is up; a server that
never answers does not hold up a single request; a refusal is final; the password reaches the server only.

Retries are 0.1 s doubling to 0.3 s here (SMTP_RETRY_*), and every wait is bounded."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

import csv
import io
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.local_backend.printing.helpers import wait_until
from tests.local_backend.purchasing.conftest import BASE, FAST_EMAIL, ok
from tests.local_backend.purchasing.smtp_sink import SmtpSink


@pytest.fixture
def farm_order(make_supplier, make_item, make_order) -> dict[str, Any]:
    farm = make_supplier("Φάρμα", email="orders@farm.example")
    beef = make_item("Μοσχάρι", "g", unit_cost=1500, supplier_id=farm["id"])
    eggs = make_item("Eggs", "pc", unit_cost=25, supplier_id=farm["id"])
    order: dict[str, Any] = make_order(farm["id"], [(beef["id"], 2500), (eggs["id"], 30)], note="Before Friday, please")
    return order


def email_of(client, headers, order_id: int, status: str, timeout: float = 10.0) -> dict[str, Any]:
    """The order once its latest email is in `status`."""

    def check() -> dict[str, Any] | None:
        order: dict[str, Any] = ok(client.get(f"{BASE}/{order_id}", headers=headers))
        return order if order["email"] is not None and order["email"]["status"] == status else None

    return wait_until(check, timeout=timeout, what=f"the email of order {order_id} to be {status}")


class TestTheEmailArrives:
    def test_the_supplier_gets_the_lines_and_the_csv(
        self, client, manager_headers, sink, farm_order, audit_actions
    ) -> None:
        resp = client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers)
        sent = ok(resp)
        assert sent["status"] == "sent"
        assert sent["email_status"] in ("queued", "sent")  # the mailer may already have it out

        message = sink.wait_for(1)[0]
        assert sink.envelopes == [("orders@taverna.test", ["orders@farm.example"])]
        assert message["To"] == "orders@farm.example"
        assert message["From"] == "Taverna <orders@taverna.test>"
        assert message["Subject"] == "Purchase order #1 - Ταβέρνα Ο Νίκος"
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        text = body.get_content()
        assert "Hello Φάρμα," in text
        assert "Μοσχάρι  2.5 kg" in text
        assert "Eggs     30 pc" in text
        assert "Before Friday, please" in text
        attachments = list(message.iter_attachments())
        assert [a.get_filename() for a in attachments] == ["tavolo-purchase-order-1.csv"]
        assert attachments[0].get_content_type() == "text/csv"
        content = attachments[0].get_content()
        assert content.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(content[1:])))
        assert [r[3:6] for r in rows[1:]] == [["Μοσχάρι", "2.5", "kg"], ["Eggs", "30", "pc"]]

        order = email_of(client, manager_headers, farm_order["id"], "sent")
        assert order["email_status"] == "sent"
        assert (order["email"]["to_address"], order["email"]["attempts"]) == ("orders@farm.example", 1)
        assert order["email"]["sent_at"] is not None
        assert order["email"]["last_error"] is None
        assert audit_actions(farm_order["id"]) == ["purchasing.created", "purchasing.sent", "purchasing.email_sent"]

    def test_a_sent_order_can_be_emailed_again(self, client, manager_headers, sink, farm_order) -> None:
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={}, headers=manager_headers))
        assert sink.messages == []
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        sink.wait_for(2)
        email_of(client, manager_headers, farm_order["id"], "sent")


class TestRefusedBeforeQueueing:
    def test_a_supplier_without_email_or_without_lines_is_refused(
        self, client, manager_headers, sink, make_supplier, make_item, make_order
    ) -> None:
        shop = make_supplier("Corner shop")
        order = make_order(shop["id"], [(make_item("Salt")["id"], 100)])
        resp = client.post(f"{BASE}/{order['id']}/send", json={"email": True}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "SUPPLIER_HAS_NO_EMAIL")
        assert ok(client.get(f"{BASE}/{order['id']}", headers=manager_headers))["status"] == "draft"


class TestWithoutSmtp:
    @pytest.fixture
    def email_settings(self) -> dict[str, Any]:
        return {}

    def test_emailing_answers_smtp_not_configured_and_nothing_changes(
        self, client, manager_headers, farm_order
    ) -> None:
        resp = client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers)
        assert (resp.status_code, resp.json()["code"]) == (409, "SMTP_NOT_CONFIGURED")
        order = ok(client.get(f"{BASE}/{farm_order['id']}", headers=manager_headers))
        assert (order["status"], order["email"]) == ("draft", None)
        # Sending without email still works: phoned or handed over printed.
        assert ok(client.post(f"{BASE}/{farm_order['id']}/send", json={}, headers=manager_headers))["status"] == "sent"


class TestWhileTheServerIsDown:
    @pytest.fixture
    def sink(self) -> Iterator[SmtpSink]:
        """The sink's port is reserved but nothing listens until the test starts it."""
        stopped = SmtpSink()
        yield stopped
        stopped.stop()

    def test_the_email_stays_queued_and_goes_out_once_the_server_is_up(
        self, client, manager_headers, sink, farm_order, audit_actions
    ) -> None:
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))

        def retried() -> dict[str, Any] | None:
            order: dict[str, Any] = ok(client.get(f"{BASE}/{farm_order['id']}", headers=manager_headers))
            return order if order["email"]["attempts"] >= 3 else None

        order = wait_until(retried, timeout=10, what="three failed attempts")
        assert (order["status"], order["email_status"], order["email"]["status"]) == ("sent", "queued", "queued")
        assert "Connection refused" in order["email"]["last_error"] or "Errno" in order["email"]["last_error"]
        assert sink.messages == []

        sink.start()  # the internet is back
        message = sink.wait_for(1)[0]
        assert message["Subject"].startswith("Purchase order #1")
        done = email_of(client, manager_headers, farm_order["id"], "sent")
        assert done["email_status"] == "sent"
        assert done["email"]["last_error"] is None
        assert done["email"]["attempts"] > order["email"]["attempts"]
        assert len(sink.messages) == 1
        assert audit_actions(farm_order["id"])[-1] == "purchasing.email_sent"

    def test_cancelling_the_order_drops_its_queued_email(self, client, manager_headers, sink, farm_order) -> None:
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        cancelled = ok(client.post(f"{BASE}/{farm_order['id']}/cancel", headers=manager_headers))
        assert (cancelled["email_status"], cancelled["email"]["status"]) == ("cancelled", "cancelled")
        sink.start()
        time.sleep(1.0)  # several retry intervals: a queued email would have gone out by now
        assert sink.messages == []


class TestAServerThatNeverAnswers:
    """The internet half up: the TCP handshake completes (the kernel's backlog) but no greeting ever comes."""

    @pytest.fixture
    def black_hole(self) -> Iterator[socket.socket]:
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            yield listener

    @pytest.fixture
    def email_settings(self, black_hole: socket.socket) -> dict[str, Any]:
        port = black_hole.getsockname()[1]
        return {**FAST_EMAIL, "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_timeout_seconds": 3.0}

    def test_requests_do_not_wait_for_it(self, client, manager_headers, make_supplier, make_item, make_order) -> None:
        farm = make_supplier("Farm", email="orders@farm.example")
        beef = make_item("Beef", supplier_id=farm["id"])
        first = make_order(farm["id"], [(beef["id"], 1000)])
        second = make_order(farm["id"], [(beef["id"], 2000)])
        ok(client.post(f"{BASE}/{first['id']}/send", json={"email": True}, headers=manager_headers))
        time.sleep(0.3)  # the mailer is now inside its 3 s wait for the greeting
        started = time.monotonic()
        ok(client.post(f"{BASE}/{second['id']}/send", json={"email": True}, headers=manager_headers))
        ok(client.get(BASE, headers=manager_headers))
        ok(client.post(f"{BASE}/{second['id']}/receive", json={}, headers=manager_headers))
        assert time.monotonic() - started < 1.5

        def timed_out() -> dict[str, Any] | None:
            order: dict[str, Any] = ok(client.get(f"{BASE}/{first['id']}", headers=manager_headers))
            return order if order["email"]["last_error"] else None

        order = wait_until(timed_out, timeout=10, what="the attempt to time out")
        assert order["email"]["status"] == "queued"  # still waiting for the server, not given up
        assert "timed out" in order["email"]["last_error"]


class TestRefusals:
    def test_a_refused_address_fails_for_good_and_says_why(
        self, client, manager_headers, sink, farm_order, audit_actions
    ) -> None:
        sink.refuse.add("orders@farm.example")
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        order = email_of(client, manager_headers, farm_order["id"], "failed")
        assert order["email_status"] == "failed"
        assert order["email"]["attempts"] == 1
        assert "550" in order["email"]["last_error"]
        assert "No such mailbox" in order["email"]["last_error"]
        assert audit_actions(farm_order["id"])[-1] == "purchasing.email_failed"
        time.sleep(0.5)  # past several retry intervals: a failed email is not retried
        assert ok(client.get(f"{BASE}/{farm_order['id']}", headers=manager_headers))["email"]["attempts"] == 1

        # Fixed at the server (or the supplier's address corrected): emailing again sends it.
        sink.refuse.clear()
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        sink.wait_for(1)
        assert email_of(client, manager_headers, farm_order["id"], "sent")["email_status"] == "sent"


class TestLoggingIn:
    PASSWORD = "s3cret-horse-battery"

    @pytest.fixture
    def sink(self) -> Iterator[SmtpSink]:
        started = SmtpSink(credentials=("orders", self.PASSWORD)).start()
        yield started
        started.stop()

    @pytest.fixture
    def email_settings(self, sink: SmtpSink) -> dict[str, Any]:
        return {
            **FAST_EMAIL,
            "smtp_host": sink.host,
            "smtp_port": sink.port,
            "smtp_username": "orders",
            "smtp_password": self.PASSWORD,
        }

    def test_the_password_reaches_the_server_and_never_the_log(
        self, client, manager_headers, sink, farm_order, settings, caplog
    ) -> None:
        caplog.set_level(logging.DEBUG)
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        sink.wait_for(1)
        assert sink.logins == [("orders", self.PASSWORD)]
        email_of(client, manager_headers, farm_order["id"], "sent")
        assert self.PASSWORD not in caplog.text
        assert self.PASSWORD not in repr(settings)
        assert self.PASSWORD not in str(settings.model_dump())

    def test_a_wrong_password_fails_for_good(self, client, manager_headers, sink, farm_order, caplog) -> None:
        sink.credentials = ("orders", "another one")
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        order = email_of(client, manager_headers, farm_order["id"], "failed")
        assert "535" in order["email"]["last_error"]
        assert self.PASSWORD not in caplog.text
        assert self.PASSWORD not in order["email"]["last_error"]
        assert sink.messages == []


class TestAPasswordSmtplibCannotSend:
    @pytest.fixture
    def sink(self) -> Iterator[SmtpSink]:
        started = SmtpSink(credentials=("orders", "κωδικός")).start()
        yield started
        started.stop()

    @pytest.fixture
    def email_settings(self, sink: SmtpSink) -> dict[str, Any]:
        return {
            **FAST_EMAIL,
            "smtp_host": sink.host,
            "smtp_port": sink.port,
            "smtp_username": "orders",
            "smtp_password": "κωδικός",
        }

    def test_it_fails_for_good_instead_of_retrying_forever(self, client, manager_headers, sink, farm_order) -> None:
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        order = email_of(client, manager_headers, farm_order["id"], "failed")
        assert order["email"]["attempts"] == 1
        assert "ASCII" in order["email"]["last_error"]
        assert "κωδικός" not in order["email"]["last_error"]


class TestStartTls:
    @pytest.fixture
    def email_settings(self, sink: SmtpSink) -> dict[str, Any]:
        return {**FAST_EMAIL, "smtp_host": sink.host, "smtp_port": sink.port, "smtp_starttls": True}

    def test_a_server_without_starttls_gets_nothing_in_clear_text(
        self, client, manager_headers, sink, farm_order
    ) -> None:
        ok(client.post(f"{BASE}/{farm_order['id']}/send", json={"email": True}, headers=manager_headers))
        order = email_of(client, manager_headers, farm_order["id"], "failed")
        assert "STARTTLS" in order["email"]["last_error"]
        assert sink.messages == []
