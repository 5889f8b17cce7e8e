"""The wire to a network printer: a small transport interface, python-escpos's `Network` behind it, and the
status exchanges the print worker runs over it (blocking: call them from a worker thread).

We use python-escpos only as a socket: every byte is built by local_backend.printing.escpos (its text and
code-page helpers number CP737 wrongly for our printers). It is imported on first use, because importing it calls
`logging.basicConfig()` and creates a temporary directory.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, Protocol

from local_backend.printing.escpos import (
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    GS_R_PAPER,
    PrinterStatus,
    parse_dle_eot,
    parse_gs_r1,
)


class PrinterError(Exception):
    """The printer could not be reached, stopped answering or dropped the connection."""


class PrinterUnreachable(PrinterError):
    """No connection: refused, timed out, no route, unknown host."""


class PrinterNoReply(PrinterError):
    """Connected, but the printer did not answer a query in time (hung, or offline for GS r)."""


class PrinterConnectionLost(PrinterError):
    """The connection broke while sending or waiting for an answer."""


class PrinterTransport(Protocol):
    """One connection to one printer: open, send bytes, read answers, close."""

    def open(self) -> None: ...

    def send(self, data: bytes) -> None: ...

    def receive(self, timeout: float) -> bytes:
        """Some bytes the printer sent (at least one); PrinterNoReply after `timeout` seconds of silence."""
        ...

    def close(self) -> None: ...


TransportFactory = Callable[[str, int, float], PrinterTransport]
"""(host, port, timeout) -> a transport, not yet open."""

_import_lock = threading.Lock()
_ESCPOS_CHATTER = ("Network printer enabled", "Closing Network connection to printer")


def _quiet_escpos(record: logging.LogRecord) -> bool:
    # escpos logs every open and close at INFO on the root logger itself; a root-logger filter sees only records
    # logged on the root logger directly, so this silences those two lines and nothing of anyone else's.
    return not (record.name == "root" and str(record.msg).startswith(_ESCPOS_CHATTER))


def _network_class() -> Any:
    module = sys.modules.get("escpos.printer.network")
    if module is not None:
        return module.Network
    with _import_lock:
        root = logging.getLogger()
        # escpos.capabilities calls logging.basicConfig() on import: with a handler present it does nothing, so
        # the appliance's own logging configuration is kept.
        guard = logging.NullHandler()
        root.addHandler(guard)
        try:
            from escpos.printer.network import Network
        finally:
            root.removeHandler(guard)
        root.addFilter(_quiet_escpos)
    return Network


def warm_up() -> None:
    """Import python-escpos now (about 0.3 s), so the first ticket after startup does not pay for it."""
    _network_class()


class EscposNetworkTransport:
    """python-escpos's `Network` (raw TCP, port 9100) as a PrinterTransport; one timeout covers connect and send."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self._printer: Any = None

    def open(self) -> None:
        printer = _network_class()(self.host, self.port, timeout=self.timeout)
        try:
            printer.open()
        except Exception as exc:  # DeviceNotFoundError wrapping the OSError
            cause = exc.__context__ or exc
            raise PrinterUnreachable(f"cannot connect to {self.host}:{self.port}: {_reason(cause)}") from exc
        self._printer = printer

    def _socket(self) -> Any:
        if self._printer is None:
            raise PrinterConnectionLost("not connected")
        # The socket escpos opened (its `device` property would open a new one if there were none).
        return self._printer._device

    def send(self, data: bytes) -> None:
        self._socket()
        try:
            self._printer._raw(data)
        except OSError as exc:
            raise PrinterConnectionLost(f"connection lost while sending: {_reason(exc)}") from exc

    def receive(self, timeout: float) -> bytes:
        sock = self._socket()
        try:
            sock.settimeout(timeout)
            data: bytes = self._printer._read()
        except TimeoutError as exc:
            raise PrinterNoReply(f"no answer within {timeout:g}s") from exc
        except OSError as exc:
            raise PrinterConnectionLost(f"connection lost while waiting for an answer: {_reason(exc)}") from exc
        finally:
            with contextlib.suppress(OSError):
                sock.settimeout(self.timeout)
        if not data:
            raise PrinterConnectionLost("the printer closed the connection")
        return data

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            printer.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _status_byte(transport: PrinterTransport, query: bytes, timeout: float) -> int:
    transport.send(query)
    return transport.receive(timeout)[-1]


def read_status(transport: PrinterTransport, timeout: float) -> PrinterStatus:
    """Ask `DLE EOT 1` (online) and `DLE EOT 4` (paper): real-time queries, answered even when offline."""
    try:
        status = parse_dle_eot(1, _status_byte(transport, DLE_EOT_PRINTER, timeout))
        return status.merged(parse_dle_eot(4, _status_byte(transport, DLE_EOT_PAPER, timeout)))
    except ValueError as exc:
        raise PrinterNoReply(f"garbled status answer: {exc}") from exc


def send_and_confirm(transport: PrinterTransport, data: bytes, timeout: float) -> PrinterStatus:
    """Send a job followed by `GS r 1`: that query is answered only once everything before it was processed (and
    never while offline), so the answer is the confirmation that the ticket reached the print engine."""
    transport.send(data + GS_R_PAPER)
    try:
        return parse_gs_r1(transport.receive(timeout)[-1])
    except PrinterNoReply as exc:
        raise PrinterNoReply(f"no confirmation that it printed: {exc}") from exc
    except ValueError as exc:
        raise PrinterNoReply(f"garbled confirmation: {exc}") from exc


def probe(transport: PrinterTransport, timeout: float) -> PrinterStatus:
    """Open, read the status, close: what an idle printer is asked every poll interval."""
    transport.open()
    try:
        return read_status(transport, timeout)
    finally:
        transport.close()
