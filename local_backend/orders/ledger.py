"""The bill's arithmetic, in integer minor units, over an order whose items and payments (with refunds) are loaded.

One place computes the total (`order_total`): the live items less their discounts, plus a service charge and,
for tax-exclusive prices, the tax (the arithmetic is pricing.py's). Everything else follows from it:
paid = payments - refunds, balance = total - paid, and the status. The writes keep balance >= 0: a payment
larger than the balance, or a cancellation or move that would take the total below what was paid, is refused.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from local_backend.orders import pricing
from local_backend.orders.models import Order, OrderItem, Payment

# One allocation rule for every split of money (kept here under its old name for the ledger's callers).
allocate = pricing.allocate


def live_items(order: Order) -> list[OrderItem]:
    return [item for item in order.items if item.status != "cancelled"]


def breakdown(
    order: Order,
    *,
    quantities: Mapping[int, int] | None = None,
    without: Collection[int] = (),
    extra: Sequence[pricing.DiscountIn] = (),
) -> pricing.Breakdown:
    """The bill of an order loaded with items and discounts, by the rules snapshotted on it.

    For checking a change before making it: `quantities` overrides lines' quantities (0 drops a line), `without`
    drops items, `extra` adds discounts not stored yet.
    """
    quantities = quantities or {}
    lines = []
    for item in live_items(order):
        quantity = quantities.get(item.id, item.quantity)
        if item.id in without or quantity <= 0:
            continue
        lines.append(pricing.LineIn(item.id, item.unit_price, quantity, item.tax_rate_bp))
    discounts = [pricing.DiscountIn(d.id, d.item_id, d.amount) for d in order.discounts if d.removed_at is None] + list(
        extra
    )
    return pricing.compute(lines, discounts, tax_mode=order.tax_mode, service_charge_bp=order.service_charge_bp)


def order_total(order: Order) -> int:
    """What the guest owes for the order: live items less discounts, plus service charge (and exclusive tax)."""
    return breakdown(order).total


def units_amount(bill: pricing.Breakdown, item: OrderItem, quantity: int) -> int:
    """What `quantity` more unpaid units of a live item cost on this bill (all units sum to the line exactly)."""
    line = bill.line(item.id)
    return line.units(item.paid_quantity, quantity) if line is not None else 0


def refunded(payment: Payment) -> int:
    return sum(refund.amount for refund in payment.refunds)


def paid_amount(payments: Sequence[Payment]) -> int:
    """What stays paid: every payment's amount (tips excluded) less what was refunded on it."""
    return sum(p.amount - refunded(p) for p in payments)


def balance(order: Order) -> int:
    return order_total(order) - paid_amount(order.payments)


def status_for(total: int, paid: int) -> str:
    """open until something is paid; paid when nothing is left to pay; partially_paid in between."""
    if paid <= 0:
        return "open"
    return "paid" if paid >= total else "partially_paid"


def settle(order: Order) -> None:
    """Recompute an active order's status; with nothing left to pay, every live unit counts as paid.

    A closed or cancelled order keeps its status: a refund after the guest left does not reopen it.
    """
    if order.status in ("closed", "cancelled"):
        return
    total = order_total(order)
    paid = paid_amount(order.payments)
    order.status = status_for(total, paid)
    if order.status == "paid":
        for item in live_items(order):
            if item.paid_quantity != item.quantity:
                item.paid_quantity = item.quantity
