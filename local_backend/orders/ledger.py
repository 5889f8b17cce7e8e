"""The bill's arithmetic, in integer minor units, over an order whose items and payments (with refunds) are loaded.

One place computes the total (`order_total`), so discounts, tax-exclusive tax and a service charge slot in
here later without touching the payment rules. Everything else follows from it:
paid = payments - refunds, balance = total - paid, and the status. The writes keep balance >= 0: a payment
larger than the balance, or a cancellation or move that would take the total below what was paid, is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from local_backend.orders.models import Order, OrderItem, Payment


def live_items(order: Order) -> list[OrderItem]:
    return [item for item in order.items if item.status != "cancelled"]


def order_total(order: Order) -> int:
    """What the guest owes for the order: its live items' line totals (later: minus discounts, plus taxes)."""
    return sum(item.line_total for item in live_items(order))


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


def allocate(amount: int, weights: Sequence[int]) -> list[int]:
    """Split `amount` in proportion to `weights` so the parts sum to it exactly (largest remainder).

    Ties in the remainder go to the earlier parts, so an even split gives the first (amount mod n) parts +1.
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
