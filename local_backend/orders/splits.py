"""Splitting a bill into payable parts: computed from the current balance, never stored.

Every split is exact to the minor unit: shares come from `ledger.allocate` (largest remainder), so the parts of
an even or seat split always sum to the balance. The phone pays each part as a payment (by items for an items
part, by amount with `split_part` as its label otherwise); asking again after a payment splits what is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from local_backend.orders import ledger
from local_backend.orders import service as orders
from local_backend.orders.models import Order, OrderItem
from local_backend.orders.payments import PaymentExceedsBalance, resolve_units
from local_backend.staff.models import User
from shared.errors import Conflict


class NothingDue(Conflict):
    code = "NOTHING_DUE"
    default_detail = "Nothing is left to pay on this order"


SPLIT_ERRORS = (
    orders.OrderNotFound,
    orders.NotOrderOwner,
    orders.OrderNotOpen,
    orders.ItemNotInOrder,
    orders.ItemAlreadyPaid,
    orders.ItemCancelled,
    PaymentExceedsBalance,
    NothingDue,
)


@dataclass(frozen=True, slots=True)
class PartItem:
    item_id: int
    quantity: int
    amount: int
    shared: bool = False


@dataclass(frozen=True, slots=True)
class Part:
    label: str
    amount: int
    items: list[PartItem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Split:
    order_id: int
    mode: str
    total: int
    paid_total: int
    due: int
    parts: list[Part]
    remaining: int  # what the balance would be after every part is paid


def _split(order: Order, mode: str, parts: list[Part]) -> Split:
    total = ledger.order_total(order)
    paid = ledger.paid_amount(order.payments)
    due = total - paid
    return Split(
        order_id=order.id,
        mode=mode,
        total=total,
        paid_total=paid,
        due=due,
        parts=parts,
        remaining=due - sum(p.amount for p in parts),
    )


def _items_part(order: Order, requested: Sequence[tuple[int, int]]) -> list[Part]:
    units = resolve_units(order, requested)
    bill = ledger.breakdown(order)
    lines = [PartItem(item_id=item.id, quantity=q, amount=ledger.units_amount(bill, item, q)) for item, q in units]
    amount = sum(line.amount for line in lines)
    if amount > ledger.balance(order):
        raise PaymentExceedsBalance(f"These items total {amount}; order {order.id} has {ledger.balance(order)} left")
    return [Part(label="items", amount=amount, items=lines)]


def _even_parts(due: int, count: int) -> list[Part]:
    return [Part(label=f"{n}/{count}", amount=share) for n, share in enumerate(ledger.allocate(due, [1] * count), 1)]


def _amount_parts(due: int, amounts: Sequence[int]) -> list[Part]:
    if sum(amounts) > due:
        raise PaymentExceedsBalance(f"These amounts total {sum(amounts)}; only {due} is left to pay")
    return [Part(label=f"{n}/{len(amounts)}", amount=a) for n, a in enumerate(amounts, 1)]


def _seat_parts(order: Order, due: int) -> list[Part]:
    """One part per seat with unpaid units; unseated units are shared evenly among the seats.

    The parts are then fitted to the balance in proportion to their value (exactly, largest remainder): that is
    a no-op on a bill paid only by items, and spreads a payment by amount (or a refund) fairly otherwise.
    """
    unpaid = [item for item in ledger.live_items(order) if item.unpaid_quantity > 0]
    bill = ledger.breakdown(order)

    def unpaid_value(item: OrderItem) -> int:
        return ledger.units_amount(bill, item, item.unpaid_quantity)

    seats = sorted({item.seat for item in unpaid if item.seat is not None})
    shared: list[OrderItem] = [item for item in unpaid if item.seat is None]
    if not seats:
        lines = [
            PartItem(item_id=i.id, quantity=i.unpaid_quantity, amount=unpaid_value(i), shared=True) for i in shared
        ]
        return [Part(label="shared", amount=due, items=lines)]
    own: dict[int, list[PartItem]] = {seat: [] for seat in seats}
    for item in unpaid:
        if item.seat is not None:
            own[item.seat].append(PartItem(item_id=item.id, quantity=item.unpaid_quantity, amount=unpaid_value(item)))
    # Each shared line is split evenly; the +1 remainders rotate, so no seat always pays the odd cent.
    offset = 0
    for item in shared:
        value = unpaid_value(item)
        shares = ledger.allocate(value, [1] * len(seats))
        extra = value % len(seats)
        shares = shares[-offset:] + shares[:-offset] if offset else shares
        offset = (offset + extra) % len(seats)
        for seat, share in zip(seats, shares, strict=True):
            own[seat].append(PartItem(item_id=item.id, quantity=item.unpaid_quantity, amount=share, shared=True))
    values = [sum(line.amount for line in own[seat]) for seat in seats]
    amounts = ledger.allocate(due, values)
    return [
        Part(label=f"seat {seat}", amount=amount, items=own[seat]) for seat, amount in zip(seats, amounts, strict=True)
    ]


def split(
    db: Session,
    *,
    order_id: int,
    mode: str,
    by: User,
    items: Sequence[tuple[int, int]] = (),
    parts: int = 1,
    amounts: Sequence[int] = (),
) -> Split:
    """The payable parts of the balance, by items, by seat, in N even shares or in given amounts."""
    order = orders.load_for_ledger(db, order_id)
    orders.ensure_can_act(db, order, by)
    orders.ensure_active(order)
    due = ledger.balance(order)
    if mode == "items":
        return _split(order, mode, _items_part(order, items))
    if due <= 0:
        raise NothingDue(f"Order {order.id} has nothing left to pay")
    if mode == "even":
        return _split(order, mode, _even_parts(due, parts))
    if mode == "amount":
        return _split(order, mode, _amount_parts(due, amounts))
    return _split(order, mode, _seat_parts(order, due))
