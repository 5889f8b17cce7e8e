"""The bill's arithmetic (orders.pricing): discounts, service charge and tax per rate, exact to the minor unit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from local_backend.orders.pricing import DiscountIn, LineIn, compute, half_up, percent_of


def bill(lines, discounts=(), *, mode="inclusive", service=0):
    return compute(
        [LineIn(n + 1, price, qty, rate) for n, (price, qty, rate) in enumerate(lines)],
        [DiscountIn(n + 1, item, amount) for n, (item, amount) in enumerate(discounts)],
        tax_mode=mode,
        service_charge_bp=service,
    )


class TestRounding:
    def test_half_up_rounds_halves_away_from_zero(self):
        assert [half_up(n, 2) for n in (1, 3, 5)] == [1, 2, 3]
        assert percent_of(1005, 1000) == 101  # 100.5 -> 101
        assert percent_of(1004, 1000) == 100


class TestDiscounts:
    def test_an_item_discount_is_capped_at_its_line_and_touches_no_other(self):
        result = bill([(1000, 1, 0), (500, 2, 0)], [(1, 1500)])
        assert [(line.item_discount, line.payable) for line in result.lines] == [(1000, 0), (0, 1000)]
        assert (result.subtotal, result.discounts, result.total) == (2000, 1000, 1000)

    def test_an_order_discount_spreads_in_proportion_and_sums_exactly(self):
        result = bill([(1000, 1, 0), (2000, 1, 0), (333, 1, 0)], [(None, 100)])
        assert [line.order_discount for line in result.lines] == [30, 60, 10]
        assert sum(line.order_discount for line in result.lines) == 100
        assert result.total == 3333 - 100

    def test_order_discounts_never_take_more_than_what_is_left(self):
        result = bill([(1000, 1, 0)], [(1, 400), (None, 500), (None, 500)])
        assert (result.discounts, result.total) == (1000, 0)


class TestTax:
    def test_inclusive_tax_is_extracted_per_rate_group_and_not_added(self):
        result = bill([(1130, 1, 1300), (1240, 1, 2400), (500, 1, 0)])
        assert [(t.rate_bp, t.base, t.net, t.tax) for t in result.taxes] == [
            (1300, 1130, 1000, 130),
            (2400, 1240, 1000, 240),
        ]
        assert result.total == 2870

    def test_exclusive_tax_is_added_on_top_once_per_rate_group(self):
        # 3 x 333 at 13 %: per group 999 * 0.13 = 129.87 -> 130 (per line it would be 3 x 43 = 129).
        result = bill([(333, 1, 1300), (333, 1, 1300), (333, 1, 1300), (1000, 1, 600)], mode="exclusive")
        assert [(t.rate_bp, t.tax) for t in result.taxes] == [(600, 60), (1300, 130)]
        assert result.total == 1999 + 190
        assert sum(line.payable for line in result.lines) == result.total

    def test_the_service_charge_is_on_the_discounted_subtotal_and_taxed_at_its_lines_rates(self):
        result = bill([(1000, 1, 1000), (1000, 1, 2000)], [(None, 200)], mode="exclusive", service=1000)
        assert (result.discounts, result.service_charge) == (200, 180)
        # Each line: 900 net + 90 service; taxed 10 % and 20 %.
        assert [(t.rate_bp, t.base, t.tax) for t in result.taxes] == [(1000, 990, 99), (2000, 990, 198)]
        assert result.total == 1800 + 180 + 297


lines_strategy = st.lists(
    st.tuples(st.integers(0, 5000), st.integers(1, 6), st.sampled_from([0, 600, 1300, 2400])), min_size=1, max_size=6
)


class TestExactness:
    @given(
        lines=lines_strategy,
        discounts=st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 6)), st.integers(1, 4000)), max_size=4),
        mode=st.sampled_from(["inclusive", "exclusive"]),
        service=st.sampled_from([0, 500, 1250]),
    )
    def test_lines_and_their_units_always_sum_to_the_total(self, lines, discounts, mode, service):
        result = bill(lines, discounts, mode=mode, service=service)
        assert sum(line.payable for line in result.lines) == result.total
        assert result.total >= 0
        assert result.total == (
            result.subtotal
            - result.discounts
            + result.service_charge
            + (result.tax_total if mode == "exclusive" else 0)
        )
        for line in result.lines:
            assert 0 <= line.discount <= line.gross
            # Paying the units one at a time, or all at once, costs the same.
            assert sum(line.units(n, 1) for n in range(line.quantity)) == line.units(0, line.quantity) == line.payable
