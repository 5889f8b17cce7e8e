"""ESC/POS bytes built by hand: code pages we select ourselves, text that is never dropped silently, raster images,
and the status bytes a printer answers.

We do not let a library pick code pages: python-escpos numbers CP737 as Epson's 14 (the reference Jolimark wants
29), may switch pages mid-word, and does not re-send `ESC t` after `ESC @`. Here every `init()` sends both.
"""

# Look-alike characters (dashes, quotes, Greek letters) are the subject of the transliteration tables below.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from PIL import Image

ESC = b"\x1b"
GS = b"\x1d"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

INIT = ESC + b"@"
"""ESC @: reset the printer; the code page falls back to the printer's default (usually slot 0)."""
BOLD_ON = ESC + b"E\x01"
BOLD_OFF = ESC + b"E\x00"
REVERSE_ON = GS + b"B\x01"
REVERSE_OFF = GS + b"B\x00"
SIZE_NORMAL = GS + b"!\x00"
SIZE_DOUBLE = GS + b"!\x11"
PARTIAL_CUT = GS + b"V\x42"
"""GS V 66 n: feed to the cutter (plus n motion units) and partial-cut; append n."""

DLE_EOT_PRINTER = DLE + EOT + b"\x01"
DLE_EOT_OFFLINE_CAUSE = DLE + EOT + b"\x02"
DLE_EOT_ERROR_CAUSE = DLE + EOT + b"\x03"
DLE_EOT_PAPER = DLE + EOT + b"\x04"
GS_R_PAPER = GS + b"r\x01"
"""GS r 1 is queued behind earlier data and never answered offline: a reply means the job reached the engine."""

RASTER_BAND_ROWS = 256
"""Images are sent in bands so a small receive buffer never has to hold a whole logo."""


class UnknownCodePage(ValueError):
    """The code page name is not in the registry."""


@dataclass(frozen=True)
class CodePage:
    """A character table: the Python codec that encodes for it and the `ESC t n` slot that selects it."""

    name: str
    codec: str
    slot: int
    description: str


# Slots follow Epson's table except CP737, whose default is the reference Jolimark's 29 (Epson: 14). Slots differ
# between makers, so a printer's configured slot always wins; check the printer's self-test page.
CODE_PAGES: dict[str, CodePage] = {
    page.name: page
    for page in (
        CodePage("cp437", "cp437", 0, "USA, standard Europe"),
        CodePage("cp850", "cp850", 2, "Multilingual Latin-1"),
        CodePage("cp737", "cp737", 29, "Greek (Jolimark slot; Epson numbers it 14)"),
        CodePage("iso8859_7", "iso8859_7", 15, "ISO 8859-7 Greek (Epson slot)"),
        CodePage("cp1252", "cp1252", 16, "Windows Latin-1 (Epson WPC1252)"),
        CodePage("cp866", "cp866", 17, "Cyrillic #2 (Epson PC866)"),
        CodePage("cp852", "cp852", 18, "Latin-2 (Epson PC852)"),
        CodePage("cp858", "cp858", 19, "Multilingual Latin-1 with euro (Epson PC858)"),
        CodePage("cp1253", "cp1253", 47, "Windows Greek (Epson WPC1253)"),
    )
}
_ALIASES = {"pc437": "cp437", "pc737": "cp737", "pc850": "cp850", "pc852": "cp852", "pc858": "cp858"}
_ALIASES |= {"pc866": "cp866", "wpc1252": "cp1252", "wpc1253": "cp1253", "windows1252": "cp1252"}
_ALIASES |= {"windows1253": "cp1253", "iso88597": "iso8859_7", "greek": "cp737"}

DEFAULT_CODE_PAGE = "cp737"


def code_page(name: str) -> CodePage:
    """Look a code page up by registry name or a common alias (`PC737`, `windows-1253`, `iso-8859-7`)."""
    key = name.strip().lower().replace("-", "_")
    if key in CODE_PAGES:
        return CODE_PAGES[key]
    alias = _ALIASES.get(key.replace("_", ""))
    if alias is None:
        raise UnknownCodePage(f"unknown code page {name!r}; known: {', '.join(sorted(CODE_PAGES))}")
    return CODE_PAGES[alias]


def select_code_page(slot: int) -> bytes:
    """ESC t n."""
    if not 0 <= slot <= 255:
        raise ValueError(f"code page slot must be 0..255, got {slot}")
    return ESC + b"t" + bytes([slot])


# What to print instead of a character the page lacks; each replacement is itself transliterated again if needed.
_FALLBACKS: dict[str, str] = {
    "€": "EUR",
    "₹": "Rs",
    "£": "GBP",
    "¥": "JPY",
    "¢": "c",
    "–": "-",
    "—": "-",
    "―": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "´": "'",
    "…": "...",
    "•": "*",
    "·": ".",
    "×": "x",
    "÷": "/",
    "½": "1/2",
    "¼": "1/4",
    "¾": "3/4",
    "°": "o",
    "±": "+/-",
    "№": "No",
    "™": "TM",
    "©": "(c)",
    "®": "(R)",
    "→": "->",
    "←": "<-",
    "ΐ": "ϊ",
    "ΰ": "ϋ",
    "ß": "ss",
    "Æ": "AE",
    "æ": "ae",
    "Œ": "OE",
    "œ": "oe",
    "Ø": "O",
    "ø": "o",
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Þ": "Th",
    "þ": "th",
    "ð": "d",
    "ı": "i",
}

# Greek on a page without Greek: ELOT 743 style, letter by letter after accents are stripped.
_GREEK_LATIN: dict[str, str] = {
    "α": "a",
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "th",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "x",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "y",
    "φ": "f",
    "χ": "ch",
    "ψ": "ps",
    "ω": "o",
}
_GREEK_ALPHABET = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψω"


@lru_cache(maxsize=8192)
def _encodable(char: str, codec: str) -> bool:
    try:
        encoded = char.encode(codec)
    except UnicodeEncodeError:
        return False
    return len(encoded) == 1


@lru_cache(maxsize=64)
def _has_greek(codec: str) -> bool:
    return all(_encodable(char, codec) for char in _GREEK_ALPHABET)


def _is_greek(char: str) -> bool:
    point = ord(char)
    return (0x370 <= point <= 0x3FF or 0x1F00 <= point <= 0x1FFF) and unicodedata.category(char).startswith("L")


def _greek_base(char: str) -> str:
    """The lowercase unaccented Greek letter, or "" if `char` is not Greek."""
    if not _is_greek(char):
        return ""
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)).lower()


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf")


def _keeps(char: str, codec: str, greek_ok: bool) -> bool:
    # Control characters are never passed through: a note must not be able to inject printer commands.
    if _is_control(char) or not _encodable(char, codec):
        return False
    # A page with a few Greek letters (CP437 has Σ and π) would print half-Greek words: go all Latin instead.
    return greek_ok or not _is_greek(char)


def _substitute(char: str, codec: str, greek_ok: bool, upper_context: bool, depth: int = 0) -> str:
    if _keeps(char, codec, greek_ok):
        return char
    if depth > 3:
        return "?"
    category = unicodedata.category(char)
    if category == "Cc":
        return " "
    if category == "Cf":  # zero-width joiners, soft hyphens, byte-order marks: invisible by design
        return ""

    def again(text: str) -> str:
        return "".join(_substitute(c, codec, greek_ok, upper_context, depth + 1) for c in text)

    if char in _FALLBACKS:
        return again(_FALLBACKS[char])
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if not greek_ok and _is_greek(char):
        latin = _GREEK_LATIN.get(base.lower())
        if latin is not None:
            if not char.isupper():
                return latin
            return latin.upper() if upper_context else latin.capitalize()
    if base and base != char:
        return again(base)
    return "?"


def transliterate(text: str, codec: str) -> tuple[str, list[str]]:
    """Rewrite `text` so every character exists in `codec`; also return the characters that had to be replaced.

    Order: keep what the page has; a table (€ → EUR, dashes, quotes, ΐ → ϊ); Greek → Latin when the page has no
    Greek; accents stripped (NFKD); "?" last. Control characters become spaces, so text cannot carry commands.
    """
    greek_ok = _has_greek(codec)
    out: list[str] = []
    replaced: list[str] = []
    for index, char in enumerate(text):
        if _keeps(char, codec, greek_ok):
            out.append(char)
            continue
        neighbours = text[max(0, index - 1) : index] + text[index + 1 : index + 2]
        upper_context = any(c.isupper() for c in neighbours)
        if not greek_ok and index and _greek_base(char) == "υ" and _greek_base(text[index - 1]) == "ο":
            # The digraph ου reads "ou" (Μουσακάς: Mousakas), not "oy".
            out.append("U" if char.isupper() else "u")
        else:
            out.append(_substitute(char, codec, greek_ok, upper_context))
        if char not in replaced:
            replaced.append(char)
    return "".join(out), replaced


def encode_text(text: str, codec: str) -> tuple[bytes, list[str]]:
    """Encode `text` for a printer page; characters the page lacks are transliterated and reported, never dropped."""
    printable, replaced = transliterate(text, codec)
    return printable.encode(codec), replaced


def wrap_text(text: str, width: int, *, indent: int = 0) -> list[str]:
    """Word-wrap to `width` columns; continuation lines are indented by `indent` spaces. Words longer than a line are
    split (between characters: every printable character is one column on a single-byte page)."""
    if width < 1 or not 0 <= indent < width:
        raise ValueError(f"cannot wrap to width {width} with indent {indent}")
    lines: list[str] = []
    current = ""
    for word in text.split():
        while True:
            capacity = width if not lines else width - indent
            if not current:
                if len(word) <= capacity:
                    current = word
                    break
                lines.append(word[:capacity])
                word = word[capacity:]
            elif len(current) + 1 + len(word) <= capacity:
                current = f"{current} {word}"
                break
            else:
                lines.append(current)
                current = ""
    if current or not lines:
        lines.append(current)
    return lines[:1] + [" " * indent + line for line in lines[1:]]


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


_ALIGN_CODES = {Align.LEFT: 0, Align.CENTER: 1, Align.RIGHT: 2}


class TicketBuilder:
    """Accumulates the bytes of one print job and the plain text lines it prints (for logs and the KDS).

    Text is transliterated for the printer's code page before it is measured, so alignment and wrapping are
    computed on what will actually be printed; no text line ever exceeds the current line width.
    """

    def __init__(
        self,
        code_page_name: str | CodePage = DEFAULT_CODE_PAGE,
        *,
        slot: int | None = None,
        columns: int = 48,
        dots: int = 576,
    ) -> None:
        self.code_page = code_page_name if isinstance(code_page_name, CodePage) else code_page(code_page_name)
        self.slot = self.code_page.slot if slot is None else slot
        select_code_page(self.slot)  # validates the slot now rather than at the first init()
        if columns < 8:
            raise ValueError(f"a printer has at least 8 columns, got {columns}")
        if dots < 8:
            raise ValueError(f"a printer has at least 8 dots, got {dots}")
        self.columns = columns
        self.dots = dots
        self._buffer = bytearray()
        self._lines: list[str] = []
        self._replaced: list[str] = []
        self._reset_style()

    def _reset_style(self) -> None:
        self._width = 1
        self._height = 1
        self._bold = False
        self._reverse = False
        self._align = Align.LEFT

    @property
    def codec(self) -> str:
        return self.code_page.codec

    @property
    def data(self) -> bytes:
        return bytes(self._buffer)

    def build(self) -> bytes:
        return bytes(self._buffer)

    @property
    def lines(self) -> list[str]:
        """The text lines printed so far, as printed (after transliteration and wrapping)."""
        return list(self._lines)

    @property
    def replaced(self) -> list[str]:
        """Characters that the code page lacks and were transliterated, in order of first appearance."""
        return list(self._replaced)

    @property
    def line_width(self) -> int:
        """Characters that fit on one line at the current character width."""
        return self.columns // self._width

    def init(self) -> Self:
        """ESC @ then ESC t: the reset forgets the code page, so it is selected again every time."""
        self._buffer += INIT + select_code_page(self.slot)
        self._reset_style()
        return self

    def raw(self, data: bytes) -> Self:
        self._buffer += data
        return self

    def bold(self, on: bool = True) -> Self:
        self._buffer += BOLD_ON if on else BOLD_OFF
        self._bold = on
        return self

    def reverse(self, on: bool = True) -> Self:
        self._buffer += REVERSE_ON if on else REVERSE_OFF
        self._reverse = on
        return self

    def size(self, width: int = 1, height: int = 1) -> Self:
        """GS ! n: character magnification 1..8 in each direction."""
        if not (1 <= width <= 8 and 1 <= height <= 8):
            raise ValueError(f"character size must be 1..8, got {width}x{height}")
        self._buffer += GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])
        self._width, self._height = width, height
        return self

    def double(self, on: bool = True) -> Self:
        return self.size(2, 2) if on else self.size(1, 1)

    def align(self, align: Align | str) -> Self:
        value = Align(align)
        self._buffer += ESC + b"a" + bytes([_ALIGN_CODES[value]])
        self._align = value
        return self

    def printable(self, text: str) -> str:
        """`text` as this printer will print it; records what had to be replaced."""
        result, replaced = transliterate(text, self.codec)
        for char in replaced:
            if char not in self._replaced:
                self._replaced.append(char)
        return result

    def _emit(self, line: str) -> None:
        # `line` is already printable and fits: encoding cannot fail here.
        self._buffer += line.encode(self.codec) + LF
        self._lines.append(line)

    def text(self, text: str = "", *, indent: int = 0) -> Self:
        """Print lines of text (split on newlines), word-wrapped to the line width with a hanging `indent`."""
        for raw_line in text.replace("\r\n", "\n").split("\n"):
            line = self.printable(raw_line).rstrip()
            if len(line) <= self.line_width:
                self._emit(line)
                continue
            for piece in wrap_text(line, self.line_width, indent=min(indent, self.line_width - 1)):
                self._emit(piece)
        return self

    def row(self, left: str, right: str, *, indent: int = 0) -> Self:
        """`left` then `right` flush with the right edge; a long `left` wraps below, `right` stays on the first line."""
        left_text = self.printable(left).rstrip()
        right_text = self.printable(right).strip()
        width = self.line_width
        room = width - len(right_text) - 1
        if room < min(8, width // 2):
            self.text(left_text, indent=indent)
            for piece in wrap_text(right_text, width):
                self._emit(piece.rjust(width))
            return self
        pieces = [left_text] if len(left_text) <= room else wrap_text(left_text, room, indent=min(indent, room - 1))
        self._emit(pieces[0] + " " * (width - len(pieces[0]) - len(right_text)) + right_text)
        for piece in pieces[1:]:
            self._emit(piece)
        return self

    def separator(self, char: str = "-") -> Self:
        mark = self.printable(char)[:1] or "-"
        self._emit(mark * self.line_width)
        return self

    def feed(self, lines: int = 1) -> Self:
        """ESC d n: print what is buffered and feed n lines."""
        if not 0 <= lines <= 255:
            raise ValueError(f"feed must be 0..255 lines, got {lines}")
        self._buffer += ESC + b"d" + bytes([lines])
        return self

    def cut(self, feed: int = 0) -> Self:
        """GS V 66 n: feed to the cutter (and n more units), partial cut."""
        if not 0 <= feed <= 255:
            raise ValueError(f"cut feed must be 0..255, got {feed}")
        self._buffer += PARTIAL_CUT + bytes([feed])
        return self

    def image(self, image: Image.Image, *, max_width: int | None = None) -> Self:
        """Print a Pillow image as GS v 0 raster bands: scaled to fit the paper, dithered to black and white."""
        from PIL import Image as PILImage
        from PIL import ImageOps

        limit = min(max_width or self.dots, self.dots)
        picture = image
        if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
            rgba = picture.convert("RGBA")
            background = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
            background.alpha_composite(rgba)
            picture = background
        gray = picture.convert("L")
        if gray.width > limit:
            height = max(1, round(gray.height * limit / gray.width))
            gray = gray.resize((limit, height), PILImage.Resampling.LANCZOS)
        # Inverted, so a set bit is a black dot as ESC/POS wants; the padding to whole bytes is then blank paper.
        inverted = ImageOps.invert(gray)
        padded_width = (inverted.width + 7) // 8 * 8
        if padded_width != inverted.width:
            canvas = PILImage.new("L", (padded_width, inverted.height), 0)
            canvas.paste(inverted, (0, 0))
            inverted = canvas
        packed = inverted.convert("1").tobytes()  # Floyd-Steinberg dithering
        row_bytes = padded_width // 8
        for top in range(0, inverted.height, RASTER_BAND_ROWS):
            rows = min(RASTER_BAND_ROWS, inverted.height - top)
            self._buffer += GS + b"v0\x00" + struct.pack("<HH", row_bytes, rows)
            self._buffer += packed[top * row_bytes : (top + rows) * row_bytes]
        return self


@dataclass(frozen=True)
class PrinterStatus:
    """What a status byte says; None where that byte says nothing about a field."""

    online: bool | None = None
    cover_open: bool | None = None
    paper_near_end: bool | None = None
    paper_out: bool | None = None
    error: bool | None = None

    def merged(self, other: PrinterStatus) -> PrinterStatus:
        """Combine answers to several queries: fields `other` knows win."""
        values = {f.name: getattr(other, f.name) for f in fields(self) if getattr(other, f.name) is not None}
        return PrinterStatus(**{f.name: getattr(self, f.name) for f in fields(self)} | values)

    @property
    def can_print(self) -> bool:
        """Nothing known stops printing (near-end still prints)."""
        return not (self.online is False or self.cover_open or self.paper_out or self.error)


def _bit(byte: int, number: int) -> bool:
    return bool(byte >> number & 1)


def parse_dle_eot(n: int, byte: int) -> PrinterStatus:
    """Decode the answer to DLE EOT n (Epson semantics); raises ValueError if it is not a status byte."""
    if not 0 <= byte <= 255 or byte & 0b1001_0011 != 0b0001_0010:
        raise ValueError(f"0x{byte:02x} is not a DLE EOT status byte (bits 1 and 4 set, 0 and 7 clear)")
    if n == 1:
        return PrinterStatus(online=not _bit(byte, 3))
    if n == 2:
        return PrinterStatus(cover_open=_bit(byte, 2), paper_out=_bit(byte, 5), error=_bit(byte, 6))
    if n == 3:
        # Mechanical, autocutter, unrecoverable, auto-recoverable errors.
        return PrinterStatus(error=any(_bit(byte, b) for b in (2, 3, 5, 6)))
    if n == 4:
        return PrinterStatus(paper_near_end=_bit(byte, 2) or _bit(byte, 3), paper_out=_bit(byte, 5) or _bit(byte, 6))
    raise ValueError(f"DLE EOT {n} is not a status query this module knows")


def parse_gs_r1(byte: int) -> PrinterStatus:
    """Decode the answer to GS r 1 (paper sensors). Any answer means the printer was online to process it."""
    if not 0 <= byte <= 255 or byte & 0b1001_0000:
        raise ValueError(f"0x{byte:02x} is not a GS r 1 status byte (bits 4 and 7 clear)")
    return PrinterStatus(
        online=True, paper_near_end=_bit(byte, 0) or _bit(byte, 1), paper_out=_bit(byte, 2) or _bit(byte, 3)
    )
