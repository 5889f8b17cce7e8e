"""A small, strict ESC/POS decoder for test assertions, written independently of the product's simulator.

It tracks `ESC @` (back to slot 0) and `ESC t n` with its own slot table and decodes text with Python's codecs,
so Greek sent without the right page switch comes out as box-drawing garbage and the test fails. Any command it
does not know raises `UndecodableBytes`: a test must notice bytes it did not expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The reference Jolimark numbering (CP737 in 29); the Epson table differs only in where CP737 lives.
JOLIMARK_SLOTS = {0: "cp437", 2: "cp850", 15: "iso8859_7", 16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858"}
JOLIMARK_SLOTS |= {29: "cp737", 47: "cp1253"}
EPSON_SLOTS = {slot: codec for slot, codec in JOLIMARK_SLOTS.items() if slot != 29} | {14: "cp737"}

# Commands with one argument byte whose effect the tests do not need beyond what is tracked below.
_ONE_ARG = {b"\x1b-", b"\x1bM", b"\x1bJ", b"\x1bR", b"\x1b3"}


class UndecodableBytes(AssertionError):
    """The stream holds a command this decoder does not know, or ends inside one."""


@dataclass(frozen=True)
class DecodedLine:
    text: str
    bold: bool
    width: int
    height: int
    align: int
    reverse: bool

    @property
    def columns(self) -> int:
        """Paper columns the line occupies: double-width characters take two."""
        return len(self.text) * self.width


@dataclass
class Decoded:
    lines: list[DecodedLine] = field(default_factory=list)
    cuts: int = 0
    images: list[tuple[int, int]] = field(default_factory=list)
    queries: list[bytes] = field(default_factory=list)
    codecs: list[str] = field(default_factory=list)
    """The code page in force at each text run, in order."""
    ends_with_cut: bool = False

    @property
    def cut(self) -> bool:
        return self.cuts > 0

    @property
    def text_lines(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def text(self) -> str:
        return "\n".join(self.text_lines)


def decode(data: bytes, slots: dict[int, str] | None = None) -> Decoded:
    """Turn printer bytes back into styled text lines."""
    table = JOLIMARK_SLOTS if slots is None else slots
    out = Decoded()
    codec = table[0]
    bold = reverse = False
    width = height = 1
    align = 0
    current: list[str] = []
    i = 0

    def need(count: int) -> bytes:
        if i + count > len(data):
            raise UndecodableBytes(f"stream ends inside a command at offset {i}: {data[i:].hex(' ')}")
        return data[i : i + count]

    def end_line() -> None:
        out.lines.append(DecodedLine("".join(current), bold, width, height, align, reverse))
        current.clear()

    while i < len(data):
        byte = data[i]
        out.ends_with_cut = False
        if byte == 0x0A:
            end_line()
            i += 1
            continue
        if byte >= 0x20:
            end = i
            while end < len(data) and data[end] >= 0x20:
                end += 1
            current.append(data[i:end].decode(codec, errors="replace"))
            out.codecs.append(codec)
            i = end
            continue
        prefix = need(2)
        if prefix == b"\x1b@":
            codec, bold, reverse, width, height, align = table[0], False, False, 1, 1, 0
            i += 2
        elif prefix == b"\x1bt":
            slot = need(3)[2]
            if slot not in table:
                raise UndecodableBytes(f"ESC t {slot}: slot not in the test's table")
            codec = table[slot]
            i += 3
        elif prefix == b"\x1bE":
            bold = bool(need(3)[2] & 1)
            i += 3
        elif prefix == b"\x1ba":
            align = need(3)[2] % 48
            i += 3
        elif prefix == b"\x1dB":
            reverse = bool(need(3)[2] & 1)
            i += 3
        elif prefix == b"\x1d!":
            size = need(3)[2]
            width, height = (size >> 4) + 1, (size & 0x0F) + 1
            i += 3
        elif prefix == b"\x1bd":
            need(3)
            if current:
                end_line()
            i += 3
        elif prefix in _ONE_ARG:
            need(3)
            i += 3
        elif prefix == b"\x1dV":
            mode = need(3)[2]
            length = 3 if mode in (0, 1, 48, 49) else 4
            need(length)
            if current:
                end_line()
            out.cuts += 1
            i += length
            out.ends_with_cut = True
        elif prefix == b"\x1dv":
            header = need(8)
            if header[2] not in (0, 48):
                raise UndecodableBytes(f"GS v 0 with mode {header[2]}")
            row_bytes = header[4] + 256 * header[5]
            rows = header[6] + 256 * header[7]
            need(8 + row_bytes * rows)
            out.images.append((row_bytes * 8, rows))
            i += 8 + row_bytes * rows
        elif prefix in (b"\x10\x04", b"\x1dr"):
            out.queries.append(need(3))
            i += 3
        else:
            raise UndecodableBytes(f"unknown bytes at offset {i}: {data[i : i + 4].hex(' ')}")
    if current:
        end_line()
    return out
