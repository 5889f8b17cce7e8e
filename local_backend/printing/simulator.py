"""A simulated network ESC/POS printer (raw TCP, port 9100 style) for development, demos and tests.

It decodes what it receives the way a printer would: `ESC @` resets to slot 0, `ESC t n` selects a table from a
maker's slot table (an unknown slot is ignored, as printers do), text is decoded with that table. It answers
`DLE EOT n` at once (real-time) and `GS r n` after the data ahead of it (queued), both from a settable fault
state, serves one client at a time, splits tickets at cuts and shows them framed on the console and in a log.

Use from code (`with SimulatedPrinter(...) as sim:` runs it in a background thread) or from the command line:
`python -m local_backend printer-sim --port 9100`.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Self, TextIO

from shared import clock

EPSON_TABLE: dict[int, str] = {
    0: "cp437",
    2: "cp850",
    3: "cp860",
    4: "cp863",
    5: "cp865",
    13: "cp857",
    14: "cp737",
    15: "iso8859_7",
    16: "cp1252",
    17: "cp866",
    18: "cp852",
    19: "cp858",
    45: "cp1250",
    46: "cp1251",
    47: "cp1253",
    48: "cp1254",
}
# The reference Jolimark TP850UE puts CP737 in slot 29; Epson's 14 is not Greek there.
JOLIMARK_TABLE: dict[int, str] = {slot: codec for slot, codec in EPSON_TABLE.items() if slot != 14} | {29: "cp737"}
CODEPAGE_TABLES: dict[str, dict[int, str]] = {"epson": EPSON_TABLE, "jolimark": JOLIMARK_TABLE}


class PrinterFault(StrEnum):
    HEALTHY = "healthy"
    PAPER_NEAR_END = "paper_near_end"
    """Prints normally; status reports the paper is nearly out."""
    PAPER_OUT = "paper_out"
    """Offline because of paper end: answers DLE EOT, not GS r, prints nothing."""
    OFFLINE = "offline"
    """Offline with the cover open: answers DLE EOT, not GS r, prints nothing."""
    SILENT = "silent"
    """Accepts connections and reads, answers nothing, prints nothing (a hung printer)."""
    DROP_AFTER_BYTES = "drop_after_bytes"
    """Resets each connection after N bytes, mid-ticket; what arrived prints without a cut."""
    REFUSE = "refuse"
    """Stops listening: connections are refused."""


# --- byte stream -------------------------------------------------------------------------------------------------

_ESC, _GS, _DLE, _FS = 0x1B, 0x1D, 0x10, 0x1C
_LF, _CR, _HT = 0x0A, 0x0D, 0x09

_FIXED_LENGTH: dict[bytes, int] = {
    b"\x1b@": 2,
    b"\x1bt": 3,
    b"\x1bE": 3,
    b"\x1bG": 3,
    b"\x1b-": 3,
    b"\x1ba": 3,
    b"\x1bd": 3,
    b"\x1bJ": 3,
    b"\x1be": 3,
    b"\x1b!": 3,
    b"\x1bM": 3,
    b"\x1bR": 3,
    b"\x1b2": 2,
    b"\x1b3": 3,
    b"\x1bp": 5,
    b"\x1b{": 3,
    b"\x1bV": 3,
    b"\x1b ": 3,
    b"\x1b$": 4,
    b"\x1bi": 2,
    b"\x1bm": 2,
    b"\x1bc": 4,
    b"\x1d!": 3,
    b"\x1dB": 3,
    b"\x1dr": 3,
    b"\x1dL": 4,
    b"\x1dW": 4,
    b"\x1dh": 3,
    b"\x1dw": 3,
    b"\x1dH": 3,
    b"\x1df": 3,
    b"\x1da": 3,
    b"\x1db": 3,
    b"\x10\x04": 3,
    b"\x10\x05": 3,
    b"\x10\x14": 5,
    b"\x1c.": 2,
    b"\x1c&": 2,
}


class TokenKind(StrEnum):
    TEXT = "text"
    NEWLINE = "newline"
    COMMAND = "command"
    IGNORED = "ignored"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    raw: bytes

    @property
    def key(self) -> bytes:
        return self.raw[:2]


def _command_length(buffer: bytearray, start: int) -> int | None:
    """Length of the command at `start`; None until enough bytes arrived; 0 if the command is unknown."""
    available = len(buffer) - start
    if available < 2:
        return None
    first, second = buffer[start], buffer[start + 1]
    if first == _GS and second == ord("V"):
        if available < 3:
            return None
        return 3 if buffer[start + 2] in (0, 1, 48, 49) else 4
    if first == _GS and second == ord("v"):
        if available < 8:
            return None
        width_bytes = buffer[start + 4] | buffer[start + 5] << 8
        rows = buffer[start + 6] | buffer[start + 7] << 8
        return 8 + width_bytes * rows
    if first == _GS and second == ord("("):
        if available < 5:
            return None
        return 5 + (buffer[start + 3] | buffer[start + 4] << 8)
    if first == _GS and second == ord("k"):
        if available < 3:
            return None
        if buffer[start + 2] <= 6:
            end = buffer.find(b"\x00", start + 3)
            return None if end < 0 else end - start + 1
        return None if available < 4 else 4 + buffer[start + 3]
    if first == _ESC and second == ord("*"):
        if available < 5:
            return None
        columns = buffer[start + 3] | buffer[start + 4] << 8
        return 5 + columns * (1 if buffer[start + 2] in (0, 1) else 3)
    return _FIXED_LENGTH.get(bytes((first, second)), 0)


class Tokenizer:
    """Splits a byte stream into text runs, newlines and whole commands, across reads of any size."""

    def __init__(self) -> None:
        self._pending = bytearray()

    def feed(self, data: bytes) -> list[Token]:
        self._pending += data
        buffer = self._pending
        tokens: list[Token] = []
        index = 0
        while index < len(buffer):
            byte = buffer[index]
            if byte in (_ESC, _GS, _DLE, _FS):
                length = _command_length(buffer, index)
                if length is None or index + length > len(buffer):
                    break  # the rest of this command is still on the wire
                if length == 0:
                    tokens.append(Token(TokenKind.UNKNOWN, bytes(buffer[index : index + 2])))
                    index += 2
                else:
                    tokens.append(Token(TokenKind.COMMAND, bytes(buffer[index : index + length])))
                    index += length
            elif byte == _LF:
                tokens.append(Token(TokenKind.NEWLINE, b"\n"))
                index += 1
            elif byte < 0x20 and byte != _HT:
                tokens.append(Token(TokenKind.IGNORED, bytes([byte])))
                index += 1
            else:
                end = index
                while end < len(buffer) and (buffer[end] >= 0x20 or buffer[end] == _HT):
                    end += 1
                tokens.append(Token(TokenKind.TEXT, bytes(buffer[index:end])))
                index = end
        del buffer[:index]
        return tokens


@dataclass(frozen=True)
class PrintedLine:
    text: str
    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"
    reverse: bool = False


@dataclass(frozen=True)
class ReceivedTicket:
    """One cut-to-cut piece of paper (or what arrived before a connection ended, with `cut` False)."""

    printer: str
    number: int
    received_at: datetime
    raw: bytes
    printed: list[PrintedLine]
    cut: bool
    images: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [line.text for line in self.printed]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_ALIGNS = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


class Paper:
    """The print engine's state: code page and style persist across jobs until `ESC @`, as on a real printer."""

    def __init__(self, table: Mapping[int, str], columns: int) -> None:
        self.table = dict(table)
        self.columns = columns
        self._reset_mode()
        self._start_ticket()

    def _reset_mode(self) -> None:
        self.slot = 0
        self.codec = self.table.get(0, "cp437")
        self.bold = False
        self.width = 1
        self.height = 1
        self.align = "left"
        self.reverse = False

    def _start_ticket(self) -> None:
        self.raw = bytearray()
        self.printed: list[PrintedLine] = []
        self.images: list[tuple[int, int]] = []
        self.warnings: list[str] = []
        self._line: list[str] = []
        self._line_style: PrintedLine | None = None

    @property
    def has_content(self) -> bool:
        return bool(self.printed or self.images or self._line)

    def _style(self, text: str) -> PrintedLine:
        return PrintedLine(text, self.bold, self.width, self.height, self.align, self.reverse)

    def _add_text(self, text: str) -> None:
        if self._line_style is None:
            self._line_style = self._style("")
        self._line.append(text)
        # The printer wraps a line that does not fit; the layout should never make it do so.
        capacity = max(1, self.columns // self._line_style.width)
        current = "".join(self._line)
        if len(current) > capacity:
            self.warnings.append(f"line longer than {capacity} characters wrapped by the printer: {current!r}")
            while len(current) > capacity:
                self.printed.append(_restyle(self._line_style, current[:capacity]))
                current = current[capacity:]
            self._line = [current]

    def _end_line(self) -> None:
        style = self._line_style or self._style("")
        self.printed.append(_restyle(style, "".join(self._line)))
        self._line = []
        self._line_style = None

    def apply(self, token: Token) -> ReceivedTicket | None:
        """Process one token; return the finished ticket when it was a cut (without number or printer name)."""
        self.raw += token.raw
        if token.kind is TokenKind.TEXT:
            self._add_text(token.raw.replace(b"\t", b" ").decode(self.codec, errors="replace"))
        elif token.kind is TokenKind.NEWLINE:
            self._end_line()
        elif token.kind is TokenKind.UNKNOWN:
            self.warnings.append(f"unknown command {token.raw.hex(' ')}")
        elif token.kind is TokenKind.COMMAND:
            return self._command(token)
        return None

    def _command(self, token: Token) -> ReceivedTicket | None:
        key, raw = token.key, token.raw
        arg = raw[2] if len(raw) > 2 else 0
        if key == b"\x1b@":
            if self._line:
                self._end_line()
            self._reset_mode()
        elif key == b"\x1bt":
            codec = self.table.get(arg)
            if codec is None:
                self.warnings.append(f"ESC t {arg}: no such code page on this printer, ignored")
            else:
                self.slot, self.codec = arg, codec
        elif key in (b"\x1bE", b"\x1bG"):
            self.bold = bool(arg & 1)
        elif key == b"\x1b!":
            self.bold = bool(arg & 0x08)
            self.height = 2 if arg & 0x10 else 1
            self.width = 2 if arg & 0x20 else 1
        elif key == b"\x1d!":
            self.width = (arg >> 4 & 0x07) + 1
            self.height = (arg & 0x07) + 1
        elif key == b"\x1dB":
            self.reverse = bool(arg & 1)
        elif key == b"\x1ba":
            self.align = _ALIGNS.get(arg, self.align)
        elif key == b"\x1bd":
            if self._line:
                self._end_line()
            self.printed.extend(self._style("") for _ in range(arg))
        elif key == b"\x1dv":
            if self._line:
                self._end_line()
            width_bytes = raw[4] | raw[5] << 8
            rows = raw[6] | raw[7] << 8
            self.images.append((width_bytes * 8, rows))
            self.printed.append(self._style(f"[image {width_bytes * 8}x{rows} dots]"))
        elif key in (b"\x1dV", b"\x1bi", b"\x1bm"):
            if self._line:
                self._end_line()
            ticket = ReceivedTicket(
                printer="",
                number=0,
                received_at=clock.utcnow(),
                raw=bytes(self.raw),
                printed=self.printed,
                cut=True,
                images=self.images,
                warnings=self.warnings,
            )
            self._start_ticket()
            return ticket
        return None

    def flush_partial(self) -> ReceivedTicket | None:
        """What is on the paper when a connection ends without a cut."""
        if not self.has_content:
            self._start_ticket()
            return None
        if self._line:
            self._end_line()
        ticket = ReceivedTicket(
            printer="",
            number=0,
            received_at=clock.utcnow(),
            raw=bytes(self.raw),
            printed=self.printed,
            cut=False,
            images=self.images,
            warnings=[*self.warnings, "connection ended without a cut"],
        )
        self._start_ticket()
        return ticket


def _restyle(style: PrintedLine, text: str) -> PrintedLine:
    return PrintedLine(text, style.bold, style.width, style.height, style.align, style.reverse)


# --- status ------------------------------------------------------------------------------------------------------

_STATUS_FIXED = 0x12  # bits 1 and 4 are always set in a DLE EOT answer


def dle_eot_reply(fault: PrinterFault, n: int) -> bytes | None:
    """The byte a printer in `fault` answers to DLE EOT n (Epson), or None if it stays quiet."""
    if fault in (PrinterFault.SILENT, PrinterFault.REFUSE):
        return None
    paper_out = fault is PrinterFault.PAPER_OUT
    offline = fault is PrinterFault.OFFLINE or paper_out
    if n == 1:
        return bytes([_STATUS_FIXED | (0x08 if offline else 0)])
    if n == 2:
        cover = 0x04 if fault is PrinterFault.OFFLINE else 0
        return bytes([_STATUS_FIXED | cover | (0x20 if paper_out else 0)])
    if n == 3:
        return bytes([_STATUS_FIXED])
    if n == 4:
        near = 0x0C if fault in (PrinterFault.PAPER_NEAR_END, PrinterFault.PAPER_OUT) else 0
        return bytes([_STATUS_FIXED | near | (0x60 if paper_out else 0)])
    return None


def gs_r_reply(fault: PrinterFault, n: int) -> bytes | None:
    """The byte answered to GS r n; an offline printer never processes GS r, so it never answers."""
    if fault in (PrinterFault.SILENT, PrinterFault.REFUSE, PrinterFault.OFFLINE, PrinterFault.PAPER_OUT):
        return None
    if n in (1, 49):
        return bytes([0x03 if fault is PrinterFault.PAPER_NEAR_END else 0x00])
    if n in (2, 50):
        return b"\x00"
    return None


# --- the printer -------------------------------------------------------------------------------------------------


@dataclass
class ConnectionRecord:
    """Everything one client sent, and how the connection ended."""

    number: int
    opened_at: datetime
    raw: bytearray = field(default_factory=bytearray)
    closed: bool = False
    dropped: bool = False


class SimulatedPrinter:
    """A network ESC/POS printer on `host:port` (port 0 picks a free one) with faults settable at runtime."""

    def __init__(
        self,
        *,
        name: str = "printer",
        host: str = "127.0.0.1",
        port: int = 0,
        columns: int = 48,
        codepage_table: str | Mapping[int, str] = "jolimark",
        log_file: str | Path | None = None,
        echo: bool = False,
        out: TextIO | None = None,
        slow: float = 0.0,
        idle_timeout: float = 30.0,
    ) -> None:
        table = CODEPAGE_TABLES[codepage_table] if isinstance(codepage_table, str) else dict(codepage_table)
        self.name = name
        self.host = host
        self._port = port
        self.columns = columns
        self.slow = slow
        """Seconds per KiB of print data: a slow printer answers GS r late."""
        self.idle_timeout = idle_timeout
        self.log_file = Path(log_file) if log_file else None
        self._out = out if out is not None else (sys.stdout if echo else None)
        self._paper = Paper(table, columns)
        self._state_lock = threading.Condition()
        self._fault = PrinterFault.HEALTHY
        self._drop_after: int | None = None
        self.tickets: list[ReceivedTicket] = []
        self.connections: list[ConnectionRecord] = []
        self.discarded_bytes = 0
        """Bytes received while offline or out of paper: lost, as on a printer that was not ready."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._one_client: asyncio.Lock | None = None
        self._handlers: set[asyncio.Task[object]] = set()

    # --- state, callable from any thread ---

    @property
    def port(self) -> int:
        return self._port

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self._port

    @property
    def fault(self) -> PrinterFault:
        with self._state_lock:
            return self._fault

    @property
    def drop_after(self) -> int | None:
        with self._state_lock:
            return self._drop_after

    def set_fault(self, fault: PrinterFault | str, n: int | None = None) -> None:
        """Replace the current fault; `n` is the byte count for drop_after_bytes. `refuse` stops listening and any
        other fault listens again on the same port."""
        fault = PrinterFault(fault)
        if fault is PrinterFault.DROP_AFTER_BYTES and (n is None or n < 0):
            raise ValueError("drop_after_bytes needs a byte count >= 0")
        with self._state_lock:
            self._fault = fault
            self._drop_after = n if fault is PrinterFault.DROP_AFTER_BYTES else None
        self._sync_listening()

    def wait_for_tickets(self, count: int, timeout: float = 5.0) -> list[ReceivedTicket]:
        """Block until `count` tickets arrived; raise TimeoutError otherwise."""
        with self._state_lock:
            if not self._state_lock.wait_for(lambda: len(self.tickets) >= count, timeout):
                raise TimeoutError(f"{self.name}: {len(self.tickets)} of {count} tickets after {timeout}s")
            return list(self.tickets)

    def wait_for_connections(self, count: int, timeout: float = 5.0) -> list[ConnectionRecord]:
        """Block until `count` connections have been served and closed."""
        with self._state_lock:
            done = self._state_lock.wait_for(lambda: sum(c.closed for c in self.connections) >= count, timeout)
            if not done:
                raise TimeoutError(f"{self.name}: fewer than {count} connections closed after {timeout}s")
            return [c for c in self.connections if c.closed]

    def clear(self) -> None:
        with self._state_lock:
            self.tickets.clear()
            self.connections.clear()
            self.discarded_bytes = 0

    # --- running in a background thread (tests, embedding) ---

    def start(self, timeout: float = 5.0) -> Self:
        if self._thread is not None:
            raise RuntimeError("the simulator is already running")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name=f"printer-sim-{self.name}", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            asyncio.run_coroutine_threadsafe(self._open(), loop).result(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout: float = 15.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if not thread.is_alive():
            loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- running in the foreground (the CLI) ---

    def run(self) -> None:
        """Serve until SIGINT/SIGTERM."""
        asyncio.run(self._run_forever())

    async def _run_forever(self) -> None:
        self._loop = asyncio.get_running_loop()
        stopped = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                self._loop.add_signal_handler(signum, stopped.set)
        await self._open()
        fault = self.fault
        state = fault.value + (f" {self.drop_after}" if fault is PrinterFault.DROP_AFTER_BYTES else "")
        self._say(f"printer-sim {self.name}: listening on {self.host}:{self._port}, {self.columns} columns, {state}")
        try:
            await stopped.wait()
        finally:
            await self._close()
            self._say(f"printer-sim {self.name}: stopped")
            self._loop = None

    # --- inside the event loop ---

    async def _open(self) -> None:
        self._one_client = asyncio.Lock()
        if self.fault is not PrinterFault.REFUSE:
            await self._listen()

    async def _listen(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(self._handle, self.host, self._port, reuse_address=True)
        if self._port == 0:
            self._port = self._server.sockets[0].getsockname()[1]

    async def _unlisten(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()  # only the listening socket; a client being served finishes

    async def _close(self) -> None:
        await self._unlisten()
        handlers = list(self._handlers)
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)

    async def _shutdown(self) -> None:
        """Close, then end every task still on this printer's loop: a task left pending when the loop stops is
        destroyed later by the garbage collector, with a warning in whatever code runs then."""
        await self._close()
        current = asyncio.current_task()
        rest = [task for task in asyncio.all_tasks() if task is not current]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)

    def _sync_listening(self) -> None:
        loop = self._loop
        if loop is None or not loop.is_running():
            return  # applied by _open()
        refuse = self.fault is PrinterFault.REFUSE
        coroutine = self._unlisten() if refuse else self._listen()
        if self._thread is not None and threading.current_thread() is not self._thread:
            asyncio.run_coroutine_threadsafe(coroutine, loop).result(5.0)
        else:
            loop.create_task(coroutine)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        one_client = self._one_client or asyncio.Lock()
        try:
            async with one_client:  # a printer serves one client; the others wait
                await self._serve(reader, writer)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            if task is not None:
                self._handlers.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with self._state_lock:
            record = ConnectionRecord(number=len(self.connections) + 1, opened_at=clock.utcnow())
            self.connections.append(record)
        queue: asyncio.Queue[Token | None] = asyncio.Queue()
        printing = asyncio.create_task(self._print(queue, writer))
        tokenizer = Tokenizer()
        received = 0
        try:
            while True:
                try:
                    data = await asyncio.wait_for(reader.read(65536), self.idle_timeout)
                except TimeoutError:
                    break
                if not data:
                    break
                with self._state_lock:
                    fault, drop_after = self._fault, self._drop_after
                dropping = drop_after is not None and received + len(data) >= drop_after
                if drop_after is not None and dropping:
                    data = data[: max(0, drop_after - received)]
                received += len(data)
                with self._state_lock:
                    record.raw += data
                if fault is not PrinterFault.SILENT:
                    for token in tokenizer.feed(data):
                        self._route(token, fault, writer, queue)
                    await writer.drain()
                if dropping:
                    record.dropped = True
                    writer.transport.abort()
                    break
        finally:
            queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await printing
            partial = self._paper.flush_partial()
            if partial is not None:
                self._record(partial)
            with self._state_lock:
                record.closed = True
                self._state_lock.notify_all()

    def _route(
        self, token: Token, fault: PrinterFault, writer: asyncio.StreamWriter, queue: asyncio.Queue[Token | None]
    ) -> None:
        if token.kind is TokenKind.COMMAND and token.key == b"\x10\x04":
            reply = dle_eot_reply(fault, token.raw[2])  # real-time: answered before anything queued
            if reply is not None:
                writer.write(reply)
        elif token.kind is TokenKind.COMMAND and token.key in (b"\x10\x05", b"\x10\x14"):
            pass  # real-time requests we accept and ignore
        elif fault in (PrinterFault.OFFLINE, PrinterFault.PAPER_OUT):
            with self._state_lock:
                self.discarded_bytes += len(token.raw)
        else:
            queue.put_nowait(token)

    async def _print(self, queue: asyncio.Queue[Token | None], writer: asyncio.StreamWriter) -> None:
        backlog = 0
        while (token := await queue.get()) is not None:
            if token.kind in (TokenKind.TEXT, TokenKind.NEWLINE) or token.key == b"\x1dv":
                backlog += len(token.raw)
            is_gs_r = token.kind is TokenKind.COMMAND and token.key == b"\x1dr"
            is_cut = token.kind is TokenKind.COMMAND and token.key in (b"\x1dV", b"\x1bi", b"\x1bm")
            if self.slow and backlog and (is_gs_r or is_cut or backlog >= 1024):
                await asyncio.sleep(backlog / 1024 * self.slow)
                backlog = 0
            if is_gs_r:
                reply = gs_r_reply(self.fault, token.raw[2])
                if reply is not None and not writer.is_closing():
                    writer.write(reply)
                    with contextlib.suppress(ConnectionError):
                        await writer.drain()
                continue
            ticket = self._paper.apply(token)
            if ticket is not None:
                self._record(ticket)

    def _record(self, ticket: ReceivedTicket) -> None:
        with self._state_lock:
            numbered = ReceivedTicket(
                printer=self.name,
                number=len(self.tickets) + 1,
                received_at=ticket.received_at,
                raw=ticket.raw,
                printed=ticket.printed,
                cut=ticket.cut,
                images=ticket.images,
                warnings=ticket.warnings,
            )
            self.tickets.append(numbered)
            self._state_lock.notify_all()
        framed = frame_ticket(numbered, self.columns)
        if self._out is not None:
            self._say(framed)
        if self.log_file is not None:
            with self.log_file.open("a", encoding="utf-8") as log:
                log.write(framed + "\n")

    def _say(self, text: str) -> None:
        if self._out is None:
            return
        with contextlib.suppress(ValueError, OSError):
            print(text, file=self._out, flush=True)


def _render_line(line: PrintedLine, columns: int) -> str:
    # Placed where it sits on paper (double-width characters take two columns), but not spaced out, so logs stay
    # greppable; the style tags after the frame say it is big.
    visual = len(line.text) * line.width
    if line.align == "center":
        pad = max(0, (columns - visual) // 2)
    elif line.align == "right":
        pad = max(0, columns - visual)
    else:
        pad = 0
    return " " * pad + line.text + " " * max(0, columns - pad - len(line.text))


def _style_tags(line: PrintedLine) -> str:
    tags = [f"{line.width}x{line.height}"] if (line.width, line.height) != (1, 1) else []
    tags += [name for name, on in (("bold", line.bold), ("reverse", line.reverse)) if on]
    return f"  {' '.join(tags)}" if tags and line.text else ""


def frame_ticket(ticket: ReceivedTicket, columns: int) -> str:
    """A ticket as it would look on paper, framed with the printer name and time, for the console and the log."""
    stamp = ticket.received_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    title = f"+-- {ticket.printer} | {stamp} | ticket {ticket.number} "
    top = title + "-" * max(0, columns + 3 - len(title)) + "+"
    body = []
    for line in ticket.printed:
        body.append(f"| {_render_line(line, columns)} |{_style_tags(line)}")
    end = " cut " if ticket.cut else " NO CUT (connection ended) "
    bottom = "+" + "-" * max(0, columns + 2 - len(end) - 2) + end + "--+"
    notes = [f"  ! {warning}" for warning in ticket.warnings]
    return "\n".join([top, *body, bottom, *notes])
