"""The UPI block of a bill: each open UPI QR of the order, printed by the printer itself, with its amount under it.

The bill is built as raw ESC/POS bytes (TicketBuilder), so the QR is sent as the printer's native QR commands
(GS ( k, model 2) rather than as a raster image: a few hundred bytes instead of tens of kilobytes, and the printer
draws sharp modules at its own resolution. The module size follows the paper width so the code fits 58 and 80 mm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from local_backend.printing.escpos import GS, Align, TicketBuilder

QR_MAX_BYTES = 7089 - 3  # what GS ( k fn 180 can store in model 2, less its own three header bytes
_ECC_LEVELS = {"L": 48, "M": 49, "Q": 50, "H": 51}


@dataclass(frozen=True)
class BillQr:
    data: str
    """What the QR encodes: the upi:// string (or the gateway's QR link when it gives no string)."""
    amount: int
    split_part: str | None = None


def _gs_k(body: bytes) -> bytes:
    return GS + b"(k" + len(body).to_bytes(2, "little") + body


def qr_command(data: bytes, *, module: int = 6, ecc: str = "M") -> bytes:
    """GS ( k: select model 2, module size, error correction, store `data`, print it."""
    if not data or len(data) > QR_MAX_BYTES:
        raise ValueError(f"a printed QR holds 1..{QR_MAX_BYTES} bytes, got {len(data)}")
    if not 1 <= module <= 16:
        raise ValueError(f"QR module size must be 1..16 dots, got {module}")
    return (
        _gs_k(b"1A2\x00")  # fn 165: model 2
        + _gs_k(b"1C" + bytes([module]))  # fn 167: module size in dots
        + _gs_k(b"1E" + bytes([_ECC_LEVELS[ecc]]))  # fn 169: error correction
        + _gs_k(b"1P0" + data)  # fn 180: store the data
        + _gs_k(b"1Q0")  # fn 181: print what is stored
    )


def module_size(dots: int) -> int:
    """Dots per module so a version-10-ish UPI QR (57 modules + quiet zone) fits the paper: 6 on 80 mm, 4 on 58 mm."""
    return max(3, min(8, dots // 90))


def add_upi_qrs(builder: TicketBuilder, qrs: Sequence[BillQr], *, money: Callable[[int], str], title: str) -> None:
    """Print each QR centred under a title, with the amount (and the split part it pays) under it."""
    for qr in qrs:
        data = qr.data.encode("utf-8")
        if not data or len(data) > QR_MAX_BYTES:
            continue  # never let an odd payload stop the bill from printing
        builder.separator()
        builder.align(Align.CENTER).bold().text(title).bold(False)
        builder.raw(qr_command(data, module=module_size(builder.dots)))
        builder.text()
        amount = money(qr.amount)
        builder.bold().double().text(amount).double(False).bold(False)
        if qr.split_part:
            builder.text(qr.split_part)
        builder.align(Align.LEFT)
