"""Money is an int of minor units (cents, paise) everywhere; these helpers keep it that way."""

from __future__ import annotations

Minor = int

_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "INR": "₹"}


def line_total(unit_price: Minor, quantity: int) -> Minor:
    """Total of a line; multiplication of ints never drifts."""
    return unit_price * quantity


def format_minor(amount: Minor, currency: str = "EUR", *, symbol: bool = True) -> str:
    """Render minor units for people (tickets, reports) without going through float."""
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(amount), 100)
    text = f"{sign}{major}.{minor:02d}"
    if symbol:
        return f"{text} {_SYMBOLS.get(currency.upper(), currency.upper())}"
    return text


def split_evenly(total: Minor, parts: int) -> list[Minor]:
    """Split a total into `parts` shares that differ by at most one minor unit and sum exactly."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    base, remainder = divmod(total, parts)
    return [base + 1 if i < remainder else base for i in range(parts)]
