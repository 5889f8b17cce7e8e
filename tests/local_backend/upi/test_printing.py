"""The printed bill carries the open UPI QR (the printer's own GS ( k QR commands) with its amount under it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from local_backend.printing.tickets import Bill, PrinterProfile, render_bill
from local_backend.printing.upi_qr import BillQr, qr_command
from shared.clock import utcnow
from tests.local_backend.upi.conftest import SLOW_POLL, create_qr
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakePrinter, fake_printer

GS_K = b"\x1d(k"


def strip_qr(data: bytes) -> bytes:
    """The bytes without the GS ( k commands (the tests' decoder reads text, not QR codes)."""
    out = bytearray()
    i = 0
    while i < len(data):
        if data.startswith(GS_K, i):
            i += 5 + data[i + 3] + 256 * data[i + 4]
            continue
        out.append(data[i])
        i += 1
    return bytes(out)


def stored_qr_data(data: bytes) -> list[bytes]:
    """What each GS ( k fn 180 (store) asks the printer to encode."""
    found = []
    i = data.find(GS_K)
    while i >= 0:
        length = data[i + 3] + 256 * data[i + 4]
        body = data[i + 5 : i + 5 + length]
        if body[:3] == b"1P0":
            found.append(body[3:])
        i = data.find(GS_K, i + 5 + length)
    return found


class TestQrCommand:
    def test_selects_model_2_sets_the_size_stores_the_data_and_prints_it(self):
        command = qr_command(b"upi://pay?pa=x@y&am=10.00", module=6)
        assert command.startswith(b"\x1d(k\x04\x001A2\x00")
        assert b"\x1d(k\x03\x001C\x06" in command
        assert b"\x1d(k\x03\x001E1" in command
        store = b"\x1d(k" + (3 + 25).to_bytes(2, "little") + b"1P0upi://pay?pa=x@y&am=10.00"
        assert store in command
        assert command.endswith(b"\x1d(k\x03\x001Q0")

    def test_refuses_nothing_and_too_much(self):
        with pytest.raises(ValueError, match="a printed QR holds"):
            qr_command(b"")
        with pytest.raises(ValueError, match="a printed QR holds"):
            qr_command(b"x" * 8000)


class TestRenderedBill:
    def bill(self, **fields: Any) -> Bill:
        return Bill(
            restaurant_name="Tavolo",
            table_label="7",
            waiter_name="Maria",
            order_id=12,
            lines=[],
            subtotal=100000,
            total=100000,
            due=100000,
            created_at=utcnow(),
            currency="INR",
            **fields,
        )

    def test_prints_the_qr_with_the_amount_and_part_under_it(self):
        qr = BillQr(data="upi://pay?pa=t@icici&am=250.00", amount=25000, split_part="1/4")
        rendered = render_bill(self.bill(upi_qrs=[qr]), profile=PrinterProfile(code_page="cp437"))
        assert stored_qr_data(rendered.data) == [b"upi://pay?pa=t@icici&am=250.00"]
        text = decode(strip_qr(rendered.data)).text_lines
        title = text.index("Scan to pay by UPI")
        assert any("250.00" in line for line in text[title + 1 :])
        assert "1/4" in text[title + 1 :]

    def test_a_bill_without_an_open_qr_has_none(self):
        rendered = render_bill(self.bill(), profile=PrinterProfile(code_page="cp437"))
        assert GS_K not in rendered.data


@pytest.fixture
def counter() -> Iterator[FakePrinter]:
    with fake_printer(name="counter") as started:
        yield started


@pytest.fixture
def upi_settings(counter: FakePrinter) -> dict[str, Any]:
    return {
        "currency": "INR",
        "upi_gateway": "fake",
        "upi_poll_seconds": SLOW_POLL,
        "print_retry_base_seconds": 0.05,
        "print_connect_timeout_seconds": 1.0,
        "print_confirm_timeout_seconds": 2.0,
    }


class TestPrintedBill:
    def test_the_bill_printed_while_a_qr_is_open_carries_it(self, client, maria, manager_headers, order, counter):
        resp = client.post(
            "/api/printers/",
            json={"name": "Counter", "ip_address": counter.host, "port": counter.port},
            headers=manager_headers,
        )
        assert resp.status_code == 201, resp.text
        printer_id = resp.json()["id"]
        created = create_qr(client, maria, order["id"], amount=40000)
        assert created.status_code == 201, created.text
        payload = created.json()["payload"]

        job = client.post(f"/api/printers/{printer_id}/bill", json={"order_id": order["id"]}, headers=maria)
        assert job.status_code == 201, job.text
        (ticket,) = counter.simulator.wait_for_tickets(1, timeout=10)
        assert stored_qr_data(ticket.raw) == [payload.encode()]
        text = decode(strip_qr(ticket.raw)).text_lines
        title = text.index("Scan to pay by UPI")
        assert any("400.00" in line for line in text[title + 1 :])
        # The QR commands reach the printer whole: the simulator understood every command.
        assert not any("unknown" in warning for warning in ticket.warnings)
