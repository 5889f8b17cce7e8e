"""Money is an int of minor units (cents, paise) everywhere; these helpers keep it that way."""

from __future__ import annotations

Minor = int

_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "INR": "₹"}

# ISO 4217 minor units where they are not 2 (every other code has cents); a line per exponent reads as the table.
# Printed bills and reports and the CSV exports all read it, so a yen bill never shows "12.50" for 1250 yen.
MINOR_EXPONENTS = {
    **dict.fromkeys("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0),  # noqa: SIM905
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),  # noqa: SIM905
    **dict.fromkeys("CLF UYW".split(), 4),  # noqa: SIM905
}


def line_total(unit_price: Minor, quantity: int) -> Minor:
    """Total of a line; multiplication of ints never drifts."""
    return unit_price * quantity


def minor_exponent(currency: str) -> int:
    """Decimal places of the currency's minor unit: 2 unless the table above says otherwise."""
    return MINOR_EXPONENTS.get(currency.upper(), 2)


def decimal_text(amount: Minor, exponent: int) -> str:
    """Minor units as an exact decimal string ("-12.05"), by integer arithmetic only."""
    sign = "-" if amount < 0 else ""
    if exponent == 0:
        return f"{sign}{abs(amount)}"
    major, minor = divmod(abs(amount), 10**exponent)
    return f"{sign}{major}.{minor:0{exponent}d}"


def format_minor(amount: Minor, currency: str = "EUR", *, symbol: bool = True) -> str:
    """Render minor units for people (tickets, reports) in the currency's own decimals, without going through float."""
    text = decimal_text(amount, minor_exponent(currency))
    if symbol:
        return f"{text} {_SYMBOLS.get(currency.upper(), currency.upper())}"
    return text


def split_evenly(total: Minor, parts: int) -> list[Minor]:
    """Split a total into `parts` shares that differ by at most one minor unit and sum exactly."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    base, remainder = divmod(total, parts)
    return [base + 1 if i < remainder else base for i in range(parts)]
