"""The bill's pricing arithmetic: discounts, service charge and tax per rate, in integer minor units.

Pure functions of plain values (no database), so the ledger, splits, reports and bills all compute the same figures.
Per line, in this order:

1. gross = unit price x quantity.
2. Item discounts (oldest first), each capped at what is left of the line.
3. Order discounts (oldest first), each capped at what is left of the order, spread across the lines in proportion
   to what is left of them (exact, largest remainder), so the tax of every line stays right.
4. Service charge: `service_charge_bp` of the discounted subtotal, rounded half up once, spread over the lines the
   same way. It is taxed at the rates of the lines it is charged on (the usual VAT/GST treatment of a charge that
   is part of the price of the meal), so a line's taxable base is its net plus its share of the service charge.
5. Tax per rate group, rounded half up once per group: inclusive prices contain it
   (tax = base x r / (10000 + r)); exclusive prices get it added on top (tax = base x r / 10000). Each group's tax
   is spread over its lines (largest remainder) for paying items one by one.
6. A line's `payable` = net + service share (+ its tax when exclusive); the total is the sum of the lines, so paying
   every unit of every line pays the total exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BP = 10_000


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (both non-negative, denominator > 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split `amount` in proportion to `weights` so the parts sum to it exactly (largest remainder).

    Ties in the remainder go to the earlier parts; all-zero weights share evenly.
    """
    if not weights:
        return []
    total_weight = sum(weights)
    if total_weight <= 0:
        weights = [1] * len(weights)
        total_weight = len(weights)
    shares = [amount * w // total_weight for w in weights]
    remainders = [amount * w % total_weight for w in weights]
    left = amount - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def percent_of(amount: int, rate_bp: int) -> int:
    return half_up(amount * rate_bp, BP)


@dataclass(frozen=True, slots=True)
class LineIn:
    item_id: int
    unit_price: int
    quantity: int
    tax_rate_bp: int

    @property
    def gross(self) -> int:
        return self.unit_price * self.quantity


@dataclass(frozen=True, slots=True)
class DiscountIn:
    id: int
    item_id: int | None
    amount: int


@dataclass(frozen=True, slots=True)
class LineOut:
    item_id: int
    quantity: int
    tax_rate_bp: int
    gross: int
    item_discount: int
    order_discount: int
    service_charge: int
    tax: int
    payable: int

    @property
    def discount(self) -> int:
        return self.item_discount + self.order_discount

    @property
    def net(self) -> int:
        """After discounts, before service charge (and before exclusive tax)."""
        return self.gross - self.discount

    def units(self, already_paid: int, quantity: int) -> int:
        """What `quantity` more units cost after `already_paid` units: exact, so all units sum to `payable`."""
        return self._through(already_paid + quantity) - self._through(already_paid)

    def _through(self, units: int) -> int:
        return self.payable * units // self.quantity if self.quantity else 0


@dataclass(frozen=True, slots=True)
class TaxLine:
    rate_bp: int
    base: int
    """What the rate applies to: tax included for inclusive prices, excluded for exclusive ones."""
    tax: int
    net: int
    """The taxable amount without the tax."""


@dataclass(frozen=True, slots=True)
class Breakdown:
    tax_mode: str
    subtotal: int
    discounts: int
    service_charge: int
    taxes: list[TaxLine]
    tax_total: int
    total: int
    lines: list[LineOut]

    def line(self, item_id: int) -> LineOut | None:
        return next((line for line in self.lines if line.item_id == item_id), None)


def compute(
    lines: Sequence[LineIn], discounts: Sequence[DiscountIn], *, tax_mode: str, service_charge_bp: int
) -> Breakdown:
    """The bill of these live lines with these active discounts (see the module's steps)."""
    exclusive = tax_mode == "exclusive"
    gross = [line.gross for line in lines]
    index = {line.item_id: n for n, line in enumerate(lines)}

    item_off = [0] * len(lines)
    order_asked: list[int] = []
    for discount in sorted(discounts, key=lambda d: d.id):
        if discount.item_id is None:
            order_asked.append(discount.amount)
            continue
        n = index.get(discount.item_id)
        if n is not None:
            item_off[n] += min(discount.amount, gross[n] - item_off[n])
    left = [g - off for g, off in zip(gross, item_off, strict=True)]
    pool = sum(left)
    order_total_off = 0
    for asked in order_asked:
        order_total_off += min(asked, pool - order_total_off)
    order_off = allocate(order_total_off, left)
    net = [lt - off for lt, off in zip(left, order_off, strict=True)]

    net_sum = sum(net)
    service = percent_of(net_sum, service_charge_bp) if service_charge_bp and net_sum else 0
    service_share = allocate(service, net)
    base = [n + s for n, s in zip(net, service_share, strict=True)]

    taxes: list[TaxLine] = []
    line_tax = [0] * len(lines)
    for rate in sorted({line.tax_rate_bp for line in lines}):
        members = [n for n, line in enumerate(lines) if line.tax_rate_bp == rate]
        group_base = sum(base[n] for n in members)
        if rate == 0 or group_base == 0:
            continue
        tax = half_up(group_base * rate, BP) if exclusive else half_up(group_base * rate, BP + rate)
        for n, share in zip(members, allocate(tax, [base[n] for n in members]), strict=True):
            line_tax[n] = share
        taxes.append(TaxLine(rate_bp=rate, base=group_base, tax=tax, net=group_base if exclusive else group_base - tax))

    out = [
        LineOut(
            item_id=line.item_id,
            quantity=line.quantity,
            tax_rate_bp=line.tax_rate_bp,
            gross=gross[n],
            item_discount=item_off[n],
            order_discount=order_off[n],
            service_charge=service_share[n],
            tax=line_tax[n],
            payable=base[n] + (line_tax[n] if exclusive else 0),
        )
        for n, line in enumerate(lines)
    ]
    tax_total = sum(t.tax for t in taxes)
    return Breakdown(
        tax_mode=tax_mode,
        subtotal=sum(gross),
        discounts=sum(item_off) + order_total_off,
        service_charge=service,
        taxes=taxes,
        tax_total=tax_total,
        total=sum(line.payable for line in out),
        lines=out,
    )
