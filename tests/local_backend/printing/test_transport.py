"""The printer transport (python-escpos's Network as a raw socket) and the status exchanges, over real TCP."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from local_backend.printing.transport import (
    EscposNetworkTransport,
    PrinterNoReply,
    PrinterUnreachable,
    probe,
    read_status,
    send_and_confirm,
)
from tests.support.fake_printer import FakePrinter, PrinterFault

REPO_ROOT = Path(__file__).resolve().parents[3]


def connect(printer: FakePrinter, timeout: float = 1.0) -> EscposNetworkTransport:
    transport = EscposNetworkTransport(printer.host, printer.port, timeout)
    transport.open()
    return transport


class TestStatus:
    def test_a_healthy_printer_can_print(self, printer):
        status = probe(EscposNetworkTransport(printer.host, printer.port, 1.0), 1.0)
        assert (status.online, status.paper_out, status.paper_near_end, status.can_print) == (True, False, False, True)

    def test_paper_out_is_read_from_the_real_time_status(self, printer):
        printer.set_status(PrinterFault.PAPER_OUT)
        status = probe(EscposNetworkTransport(printer.host, printer.port, 1.0), 1.0)
        assert (status.online, status.paper_out, status.can_print) == (False, True, False)

    def test_paper_near_end_still_prints(self, printer):
        printer.set_status(PrinterFault.PAPER_NEAR_END)
        status = probe(EscposNetworkTransport(printer.host, printer.port, 1.0), 1.0)
        assert (status.paper_near_end, status.can_print) == (True, True)

    def test_a_silent_printer_is_no_reply_within_the_timeout(self, printer):
        printer.set_status(PrinterFault.SILENT)
        transport = connect(printer)
        started = time.monotonic()
        with pytest.raises(PrinterNoReply):
            read_status(transport, 0.3)
        assert time.monotonic() - started < 1.0
        transport.close()
        transport.close()  # closing twice is harmless

    def test_a_refused_connection_is_unreachable(self, printer):
        printer.set_status(PrinterFault.REFUSE)
        with pytest.raises(PrinterUnreachable, match="cannot connect"):
            connect(printer)


class TestSending:
    def test_the_confirmation_comes_after_the_data(self, printer):
        transport = connect(printer)
        status = send_and_confirm(transport, b"\x1b@hello\n\x1dV\x42\x00", 2.0)
        transport.close()
        assert status.online is True
        (data,) = printer.wait_for_connections(1)
        assert data == b"\x1b@hello\n\x1dV\x42\x00\x1dr\x01"

    def test_an_offline_printer_never_confirms(self, printer):
        printer.set_status(PrinterFault.OFFLINE)
        transport = connect(printer)
        with pytest.raises(PrinterNoReply, match="no confirmation"):
            send_and_confirm(transport, b"\x1b@hello\n", 0.3)
        transport.close()


def test_importing_escpos_leaves_the_logging_configuration_alone():
    code = (
        "import logging\n"
        "from local_backend.printing.transport import warm_up\n"
        "warm_up()\n"
        "print(len(logging.getLogger().handlers))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "0"
