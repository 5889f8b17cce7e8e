"""The simulated network printer over real TCP sockets, and its command line."""

# ruff: noqa: RUF001  (Greek letters look like Latin ones; they are the subject here)

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from local_backend.printing.escpos import (
    DLE_EOT_OFFLINE_CAUSE,
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    GS_R_PAPER,
    TicketBuilder,
    parse_dle_eot,
    parse_gs_r1,
)
from local_backend.printing.simulator import PrinterFault, SimulatedPrinter, Tokenizer, TokenKind
from local_backend.printing.tickets import (
    Bill,
    BillLine,
    KitchenTicket,
    TicketItem,
    TicketMark,
    render_bill,
    render_kitchen_ticket,
)
from tests.local_backend.printing.conftest import exchange
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakePrinter

REPO_ROOT = Path(__file__).resolve().parents[3]


def kitchen_ticket(name: str = "Μουσακάς", order_id: int = 7) -> bytes:
    ticket = KitchenTicket(
        zone_name="ΚΟΥΖΙΝΑ",
        table_label="4",
        waiter_name="Νίκος",
        order_id=order_id,
        created_at=datetime(2026, 11, 21, 18, 15, tzinfo=UTC),
        mark=TicketMark.NEW,
        items=[TicketItem(2, name, removed=["Κρεμμύδι"])],
    )
    return render_kitchen_ticket(ticket, tz="Europe/Athens").data


def recv_exactly(conn: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def nothing_arrives(conn: socket.socket, wait: float = 0.4) -> bool:
    conn.settimeout(wait)
    try:
        return conn.recv(1) == b""
    except TimeoutError:
        return True
    finally:
        conn.settimeout(3)


class TestReceivingTickets:
    def test_a_ticket_sent_over_tcp_is_decoded_and_kept_with_its_bytes(self, printer: FakePrinter):
        data = kitchen_ticket()
        exchange((printer.host, printer.port), data)
        [ticket] = printer.simulator.wait_for_tickets(1)
        assert ticket.cut
        assert ticket.raw == data
        assert "2 x Μουσακάς" in ticket.lines
        assert "NO Κρεμμύδι" in [line.strip() for line in ticket.lines]
        assert ticket.printer == "kitchen"
        # The tests' own decoder reads the same bytes the same way.
        assert "2 x Μουσακάς" in printer.decoded(0).text_lines

    def test_tickets_are_split_at_cuts(self, printer: FakePrinter):
        exchange((printer.host, printer.port), kitchen_ticket("Σουβλάκι", 1) + kitchen_ticket("Γύρος", 2))
        first, second = printer.simulator.wait_for_tickets(2)
        assert "2 x Σουβλάκι" in first.lines
        assert "2 x Γύρος" in second.lines
        assert "Σουβλάκι" not in second.text

    def test_many_sequential_connections_each_print(self, printer: FakePrinter):
        for number in range(1, 6):
            exchange((printer.host, printer.port), kitchen_ticket(f"Πιάτο {number}", number))
        tickets = printer.simulator.wait_for_tickets(5)
        assert [f"2 x Πιάτο {n}" in t.lines for n, t in enumerate(tickets, start=1)] == [True] * 5
        assert len(printer.wait_for_connections(5)) == 5

    def test_one_client_at_a_time_the_next_waits(self, printer: FakePrinter):
        first = socket.create_connection((printer.host, printer.port), timeout=3)
        try:
            first.sendall(TicketBuilder().init().text("Πρώτος").build())
            time.sleep(0.2)
            with socket.create_connection((printer.host, printer.port), timeout=3) as second:
                second.sendall(kitchen_ticket("Δεύτερος"))
                time.sleep(0.3)
                assert printer.simulator.tickets == []  # the second client has not been served yet
        finally:
            first.close()
        partial, served = printer.simulator.wait_for_tickets(2)
        assert (partial.lines, partial.cut) == (["Πρώτος"], False)
        assert "2 x Δεύτερος" in served.lines
        assert served.cut

    def test_a_reset_returns_to_slot_zero_until_the_page_is_selected_again(self, printer: FakePrinter):
        greek = "Καλημέρα".encode("cp737")
        data = b"\x1b@\x1bt\x1d" + greek + b"\n" + b"\x1b@" + greek + b"\n" + b"\x1dVB\x00"
        exchange((printer.host, printer.port), data)
        [ticket] = printer.simulator.wait_for_tickets(1)
        assert ticket.lines[0] == "Καλημέρα"
        assert ticket.lines[1] == greek.decode("cp437")
        assert ticket.lines[1] != "Καλημέρα"

    @pytest.mark.parametrize(("table", "greek"), [("epson", True), ("jolimark", False)])
    def test_slot_14_is_greek_only_on_an_epson_table(self, table, greek):
        with SimulatedPrinter(codepage_table=table) as sim:
            exchange(sim.address, b"\x1b@\x1bt\x0e" + "Ελλάδα".encode("cp737") + b"\n\x1dVB\x00")
            [ticket] = sim.wait_for_tickets(1)
        assert (ticket.lines[0] == "Ελλάδα") is greek
        assert any("ESC t 14" in warning for warning in ticket.warnings) is not greek

    def test_raster_payloads_are_skipped_by_their_declared_size(self, printer: FakePrinter):
        # Image bytes that look like ESC, LF, GS, DLE EOT: a printer that misread them would print garbage.
        ink = bytes([0x1B, 0x0A, 0x1D, 0x10, 0x04, 0x01]) * 4
        logo = Image.frombytes("1", (48, 4), bytes(byte ^ 0xFF for byte in ink))
        bill = Bill(
            "Ταβέρνα", "4", "Νίκος", 7, [BillLine("Γύρος", 1, 350, 350)], 350, 350, 350, datetime.now(UTC), logo=logo
        )
        data = render_bill(bill).data
        assert b"\x1dv0\x00\x06\x00\x04\x00" + ink in data
        with socket.create_connection((printer.host, printer.port), timeout=3) as conn:
            conn.sendall(data + DLE_EOT_PRINTER)
            assert recv_exactly(conn, 1) == b"\x12"
            assert nothing_arrives(conn)  # the DLE EOT look-alike inside the image was not answered
        [ticket] = printer.simulator.wait_for_tickets(1)
        assert ticket.images == [(48, 4)]
        assert "Ταβέρνα" in ticket.text
        assert ticket.warnings == []

    def test_a_command_split_across_reads_is_still_one_command(self):
        tokens = Tokenizer()
        first = tokens.feed(b"ab\x1d")
        second = tokens.feed(b"v0\x00\x01\x00")
        third = tokens.feed(b"\x02\x00\x0a\x1b")
        fourth = tokens.feed(b"\n")
        assert [(t.kind, t.raw) for t in first] == [(TokenKind.TEXT, b"ab")]
        assert second == []
        assert [(t.kind, t.raw) for t in third] == [(TokenKind.COMMAND, b"\x1dv0\x00\x01\x00\x02\x00\x0a\x1b")]
        assert [t.kind for t in fourth] == [TokenKind.NEWLINE]

    def test_each_ticket_is_appended_to_the_log_file(self, tmp_path: Path):
        log = tmp_path / "printer.log"
        with SimulatedPrinter(name="bar", log_file=log) as sim:
            exchange(sim.address, kitchen_ticket("Ούζο"))
            sim.wait_for_tickets(1)
        text = log.read_text(encoding="utf-8")
        assert "bar" in text
        assert "Ούζο" in text
        assert "cut" in text


class TestLifecycle:
    def test_stopping_with_a_client_still_connected_does_not_hang(self):
        sim = SimulatedPrinter().start()
        conn = socket.create_connection(sim.address, timeout=3)
        try:
            conn.sendall(TicketBuilder().init().text("Μισό").build())
            time.sleep(0.1)
            started = time.monotonic()
            sim.stop()
            assert time.monotonic() - started < 3
            try:
                closed = conn.recv(1) == b""
            except ConnectionResetError:
                closed = True
            assert closed
        finally:
            conn.close()
            sim.stop()

    def test_drop_after_bytes_needs_a_count(self):
        with pytest.raises(ValueError, match="byte count"):
            SimulatedPrinter().set_fault("drop_after_bytes")


class TestStatusAnswers:
    def test_a_healthy_printer_is_online_with_paper(self, printer: FakePrinter):
        reply = exchange((printer.host, printer.port), DLE_EOT_PRINTER + DLE_EOT_PAPER + GS_R_PAPER, expect=3)
        assert parse_dle_eot(1, reply[0]).online is True
        assert parse_dle_eot(4, reply[1]).paper_out is False
        assert parse_gs_r1(reply[2]).paper_out is False

    def test_an_offline_printer_says_so_and_answers_gs_r_never(self, printer: FakePrinter):
        printer.set_status("offline")
        with socket.create_connection((printer.host, printer.port), timeout=3) as conn:
            conn.sendall(GS_R_PAPER)
            assert nothing_arrives(conn)
            conn.sendall(DLE_EOT_PRINTER + DLE_EOT_OFFLINE_CAUSE)
            reply = recv_exactly(conn, 2)
        assert parse_dle_eot(1, reply[0]).online is False
        assert parse_dle_eot(2, reply[1]).cover_open is True

    def test_an_offline_printer_prints_nothing(self, printer: FakePrinter):
        printer.set_status(PrinterFault.OFFLINE)
        reply = exchange((printer.host, printer.port), kitchen_ticket() + DLE_EOT_PRINTER, expect=1)
        assert reply
        printer.wait_for_connections(1)
        assert printer.simulator.tickets == []
        assert printer.simulator.discarded_bytes > 0

    def test_paper_out_is_reported_by_the_paper_sensor_and_nothing_prints(self, printer: FakePrinter):
        printer.set_status("paper_out")
        reply = exchange((printer.host, printer.port), kitchen_ticket() + DLE_EOT_PAPER + DLE_EOT_PRINTER, expect=2)
        assert parse_dle_eot(4, reply[0]).paper_out is True
        assert parse_dle_eot(1, reply[1]).online is False
        printer.wait_for_connections(1)
        assert printer.simulator.tickets == []

    def test_paper_near_end_still_prints_and_warns(self, printer: FakePrinter):
        printer.set_status("paper_near_end")
        reply = exchange((printer.host, printer.port), kitchen_ticket() + DLE_EOT_PAPER + GS_R_PAPER, expect=2)
        assert parse_dle_eot(4, reply[0]).paper_near_end is True
        assert parse_gs_r1(reply[1]).paper_near_end is True
        assert printer.simulator.wait_for_tickets(1)[0].cut

    def test_gs_r_answers_only_after_the_data_ahead_of_it(self):
        # At 2 s/KiB a 1 KiB job takes ~2 s: the real-time DLE EOT overtakes the queued GS r.
        with SimulatedPrinter(slow=2.0) as sim, socket.create_connection(sim.address, timeout=6) as conn:
            started = time.monotonic()
            conn.sendall(TicketBuilder().init().text("Α" * 1024).cut().build() + GS_R_PAPER + DLE_EOT_PRINTER)
            first = recv_exactly(conn, 1)
            first_at = time.monotonic() - started
            second = recv_exactly(conn, 1)
            second_at = time.monotonic() - started
        assert (first, second) == (b"\x12", b"\x00")
        assert first_at < 1.0
        assert second_at >= 1.5

    def test_a_silent_printer_accepts_the_connection_and_answers_nothing(self, printer: FakePrinter):
        printer.set_status("silent")
        with socket.create_connection((printer.host, printer.port), timeout=3) as conn:
            conn.sendall(DLE_EOT_PRINTER + kitchen_ticket() + GS_R_PAPER)
            assert nothing_arrives(conn)
        printer.wait_for_connections(1)
        assert printer.simulator.tickets == []

    def test_a_refusing_printer_refuses_until_it_is_healthy_again(self, printer: FakePrinter):
        printer.set_status("refuse")
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((printer.host, printer.port), timeout=3)
        printer.set_status("healthy")
        assert exchange((printer.host, printer.port), DLE_EOT_PRINTER, expect=1) == b"\x12"

    def test_drop_after_bytes_cuts_the_connection_mid_ticket(self, printer: FakePrinter):
        printer.set_status("drop_after_bytes", 60)
        data = kitchen_ticket()
        assert len(data) > 200
        with socket.create_connection((printer.host, printer.port), timeout=3) as conn:
            conn.sendall(data)
            try:
                closed = conn.recv(1) == b""
            except ConnectionResetError:
                closed = True
        assert closed
        [record] = printer.simulator.wait_for_connections(1)
        assert record.dropped
        assert bytes(record.raw) == data[:60]
        [ticket] = printer.simulator.wait_for_tickets(1)
        assert not ticket.cut
        assert not decode(bytes(record.raw)).cut

    def test_the_fake_keeps_each_connections_bytes_apart(self, printer: FakePrinter):
        exchange((printer.host, printer.port), kitchen_ticket("Ένα", 1))
        exchange((printer.host, printer.port), DLE_EOT_PRINTER, expect=1)
        first, second = printer.wait_for_connections(2)
        assert "2 x Ένα" in decode(first).text_lines
        assert second == DLE_EOT_PRINTER


class TestCommandLine:
    def test_printer_sim_receives_a_ticket_and_logs_it_as_text(self, tmp_path: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = tmp_path / "sim.log"
        command = [sys.executable, "-m", "local_backend", "printer-sim", "--port", str(port), "--name", "grill"]
        command += ["--log-file", str(log)]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    reply = exchange(("127.0.0.1", port), kitchen_ticket("Παϊδάκια") + DLE_EOT_PRINTER, expect=1)
                    break
                except ConnectionRefusedError:
                    assert process.poll() is None, "printer-sim exited early"
                    assert time.monotonic() < deadline, "printer-sim did not listen within 15 s"
                    time.sleep(0.1)
            assert reply == b"\x12"
            while "Παϊδάκια" not in (log.read_text(encoding="utf-8") if log.exists() else ""):
                assert time.monotonic() < deadline, "the ticket never reached the log"
                time.sleep(0.05)
        finally:
            process.terminate()
            try:
                output, _ = process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate(timeout=5)
        assert process.returncode == 0
        assert f"listening on 127.0.0.1:{port}" in output
        assert "grill" in output
        assert "2 x Παϊδάκια" in output
        logged = log.read_text(encoding="utf-8")
        assert "2 x Παϊδάκια" in logged
        assert "NO Κρεμμύδι" in logged
