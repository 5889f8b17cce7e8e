"""Money helpers never drift: integer minor units only."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.money import decimal_text, format_minor, line_total, minor_exponent, split_evenly


class TestFormatting:
    def test_minor_units_render_with_two_decimals(self):
        assert format_minor(1250, "EUR") == "12.50 €"
        assert format_minor(5, "EUR", symbol=False) == "0.05"
        assert format_minor(-300, "INR") == "-3.00 ₹"

    def test_yen_have_no_minor_unit(self):
        assert format_minor(1250, "JPY") == "1250 JPY"
        assert format_minor(-5, "jpy", symbol=False) == "-5"

    @pytest.mark.parametrize("currency", ["KWD", "BHD", "OMR", "JOD", "TND"])
    def test_dinars_and_rials_have_three_decimals(self, currency):
        assert format_minor(1250, currency) == f"1.250 {currency}"
        assert format_minor(-5, currency, symbol=False) == "-0.005"

    def test_a_currency_the_table_does_not_list_has_cents(self):
        assert minor_exponent("CHF") == 2
        assert format_minor(100_001, "CHF") == "1000.01 CHF"

    def test_the_exponent_table_ignores_case(self):
        assert (minor_exponent("jpy"), minor_exponent("Kwd"), minor_exponent("eur")) == (0, 3, 2)

    @given(amount=st.integers(min_value=-(10**15), max_value=10**15), exponent=st.sampled_from([0, 2, 3, 4]))
    def test_the_decimal_text_is_the_exact_amount(self, amount, exponent):
        assert Decimal(decimal_text(amount, exponent)) == Decimal(amount).scaleb(-exponent)


class TestSplitting:
    @given(total=st.integers(min_value=0, max_value=10**9), parts=st.integers(min_value=1, max_value=50))
    def test_an_even_split_sums_exactly_and_differs_by_at_most_one_cent(self, total, parts):
        shares = split_evenly(total, parts)
        assert sum(shares) == total
        assert len(shares) == parts
        assert max(shares) - min(shares) <= 1

    def test_a_line_total_is_exact(self):
        assert line_total(333, 3) == 999
