"""A fake network printer for tests: 127.0.0.1, a free port, the bytes of every connection, a settable status.

It wraps the product's `SimulatedPrinter` for the network side (one client at a time, DLE EOT / GS r answers,
faults), but tests read what arrived through `raw` bytes and decode them with `tests.support.escpos_decoder`,
never with the simulator's own decoder.

    with FakePrinter() as printer:
        send(printer.host, printer.port, data)
        printer.wait_for_connections(1)
        assert "Μουσακάς" in printer.decoded().text
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from local_backend.printing.simulator import PrinterFault, SimulatedPrinter
from tests.support.escpos_decoder import EPSON_SLOTS, JOLIMARK_SLOTS, Decoded, decode

__all__ = ["FakePrinter", "PrinterFault", "fake_printer"]


class FakePrinter:
    def __init__(self, *, name: str = "fake", codepage_table: str = "jolimark", columns: int = 48) -> None:
        self._sim = SimulatedPrinter(name=name, port=0, codepage_table=codepage_table, columns=columns, idle_timeout=10)
        self.codepage_table = codepage_table

    def start(self) -> Self:
        self._sim.start()
        return self

    def stop(self) -> None:
        self._sim.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def host(self) -> str:
        return self._sim.host

    @property
    def port(self) -> int:
        return self._sim.port

    @property
    def simulator(self) -> SimulatedPrinter:
        return self._sim

    def set_status(self, fault: PrinterFault | str, n: int | None = None) -> None:
        """healthy, paper_near_end, paper_out, offline, silent, drop_after_bytes (n), refuse."""
        self._sim.set_fault(fault, n)

    @property
    def connections(self) -> list[bytes]:
        """The bytes of each connection so far, in order (including one still open)."""
        return [bytes(record.raw) for record in self._sim.connections]

    @property
    def received(self) -> bytes:
        return b"".join(self.connections)

    def wait_for_connections(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """Block until `count` connections were served and closed; their bytes."""
        return [bytes(record.raw) for record in self._sim.wait_for_connections(count, timeout)]

    def decoded(self, index: int | None = None) -> Decoded:
        """Decode one connection's bytes (or all of them) with the tests' own decoder and slot table."""
        slots = EPSON_SLOTS if self.codepage_table == "epson" else JOLIMARK_SLOTS
        data = self.received if index is None else self.connections[index]
        return decode(data, slots)

    def clear(self) -> None:
        self._sim.clear()


@contextmanager
def fake_printer(*, name: str = "fake", codepage_table: str = "jolimark", columns: int = 48) -> Iterator[FakePrinter]:
    """A started fake printer, stopped on exit; for fixtures in any test directory."""
    with FakePrinter(name=name, codepage_table=codepage_table, columns=columns) as printer:
        yield printer
