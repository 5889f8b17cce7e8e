"""Money helpers never drift: integer minor units only."""

from hypothesis import given
from hypothesis import strategies as st

from shared.money import format_minor, line_total, split_evenly


class TestFormatting:
    def test_minor_units_render_with_two_decimals(self):
        assert format_minor(1250, "EUR") == "12.50 €"
        assert format_minor(5, "EUR", symbol=False) == "0.05"
        assert format_minor(-300, "INR") == "-3.00 ₹"


class TestSplitting:
    @given(total=st.integers(min_value=0, max_value=10**9), parts=st.integers(min_value=1, max_value=50))
    def test_an_even_split_sums_exactly_and_differs_by_at_most_one_cent(self, total, parts):
        shares = split_evenly(total, parts)
        assert sum(shares) == total
        assert len(shares) == parts
        assert max(shares) - min(shares) <= 1

    def test_a_line_total_is_exact(self):
        assert line_total(333, 3) == 999
