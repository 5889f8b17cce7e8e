"""Discounts and comps on an order or one of its items, each approved by a manager (see auth.approvals).

The amount is computed when the discount is given and stored with it (pricing.py applies it, capped at what is
left of its line or order): a percent rounds half up per line, an amount may not exceed what it discounts, a comp
takes everything that is left. A discount that would bring the total below what was already paid is refused,
like a void: the bill may never owe the guest money. Removing one keeps its row (removed_at) for the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.orders import ledger, pricing
from local_backend.orders import service as orders
from local_backend.orders.models import Order, OrderDiscount
from local_backend.staff.models import User
from shared.clock import utcnow
from shared.errors import Conflict, NotFound, Unprocessable


class DiscountTooLarge(Unprocessable):
    code = "DISCOUNT_TOO_LARGE"
    default_detail = "The discount is more than what is left to discount"


class NothingToDiscount(Conflict):
    code = "NOTHING_TO_DISCOUNT"
    default_detail = "Nothing is left to discount here"


class DiscountExceedsPaid(Conflict):
    code = "DISCOUNT_EXCEEDS_BALANCE"
    default_detail = "Payments already cover more than the discounted total: refund first"


class DiscountNotFound(NotFound):
    code = "DISCOUNT_NOT_FOUND"
    default_detail = "No such discount on this order"


class DiscountAlreadyRemoved(Conflict):
    code = "DISCOUNT_ALREADY_REMOVED"
    default_detail = "This discount was already removed"


ADD_ERRORS = (
    orders.OrderNotFound,
    orders.NotOrderOwner,
    orders.OrderNotOpen,
    orders.ItemNotInOrder,
    orders.ItemCancelled,
    orders.ItemAlreadyPaid,
    DiscountTooLarge,
    NothingToDiscount,
    DiscountExceedsPaid,
)
REMOVE_ERRORS = (
    orders.OrderNotFound,
    orders.NotOrderOwner,
    orders.OrderNotOpen,
    DiscountNotFound,
    DiscountAlreadyRemoved,
)


@dataclass(frozen=True, slots=True)
class DiscountApplied:
    discount: OrderDiscount
    order: orders.OrderDetail


def _amount(bill: pricing.Breakdown, *, item_id: int | None, kind: str, value: int) -> int:
    """What the discount takes off this bill now: percent half up per line, amount as asked, comp all that is left."""
    lines = [line for line in bill.lines if item_id is None or line.item_id == item_id]
    # An item discount works on what item discounts left of the line; an order discount on what is left of all.
    left = [line.gross - line.item_discount - (line.order_discount if item_id is None else 0) for line in lines]
    available = sum(left)
    if available <= 0:
        raise NothingToDiscount("Nothing is left to discount here")
    if kind == "comp":
        return available
    if kind == "percent":
        amount = sum(pricing.percent_of(part, value) for part in left)
        if amount <= 0:
            raise NothingToDiscount(f"{value / 100:g} % of {available} rounds to nothing")
        return amount
    if value > available:
        raise DiscountTooLarge(f"Only {available} is left to discount; {value} was asked")
    return value


def add_discount(
    db: Session,
    *,
    order_id: int,
    item_id: int | None,
    kind: str,
    value: int,
    reason: str,
    by: User,
    approver: User,
) -> DiscountApplied:
    """Discount or comp an item (item_id) or the whole order; `approver` is the manager who allowed it."""
    order = orders.load_for_ledger(db, order_id)
    orders.ensure_can_act(db, order, by)
    orders.ensure_active(order)
    item = None
    if item_id is not None:
        item = next((i for i in order.items if i.id == item_id), None)
        if item is None:
            raise orders.ItemNotInOrder(f"Item {item_id} is not part of order {order.id}")
        if item.status == "cancelled":
            raise orders.ItemCancelled(f"{item.product_name} (item {item.id}) was cancelled")
        if item.paid_quantity > 0:
            # Its paid units were priced without the discount: discount the order instead, or refund.
            raise orders.ItemAlreadyPaid(f"{item.product_name} (item {item.id}) is partly or fully paid")
    bill = ledger.breakdown(order)
    amount = _amount(bill, item_id=item_id, kind=kind, value=0 if kind == "comp" else value)
    paid = ledger.paid_amount(order.payments)
    after = ledger.breakdown(order, extra=[pricing.DiscountIn(id=2**62, item_id=item_id, amount=amount)]).total
    if after < paid:
        raise DiscountExceedsPaid(f"{paid} is already paid on order {order.id}; the total would become {after}")
    discount = OrderDiscount(
        order_id=order.id,
        item_id=item_id,
        kind=kind,
        value=0 if kind == "comp" else value,
        amount=amount,
        reason=reason,
        created_by_id=by.id,
        approved_by_id=approver.id,
    )
    db.add(discount)
    db.flush()
    order = _settled(db, order.id)
    audit.record(
        db,
        action="order.comped" if kind == "comp" else "order.discounted",
        entity_type="order_discount",
        entity_id=discount.id,
        actor=by,
        order_id=order.id,
        data={
            "discount_id": discount.id,
            "item_id": item_id,
            "item_name": item.product_name if item is not None else None,
            "kind": kind,
            "value": discount.value,
            "amount": amount,
            "reason": reason,
            "requested_by_id": by.id,
            "approved_by_id": approver.id,
            "approved_by_name": approver.display_name,
            "total": ledger.order_total(order),
            "status": order.status,
        },
    )
    orders.announce(db, order, "order.discounted", discount_id=discount.id, item_id=item_id, amount=amount)
    return DiscountApplied(discount=discount, order=orders.detail_of(db, order))


def remove_discount(db: Session, *, order_id: int, discount_id: int, by: User, approver: User) -> orders.OrderDetail:
    """Take a discount back off an active order (the total grows again); the row stays, marked removed."""
    order = orders.load_for_ledger(db, order_id)
    orders.ensure_can_act(db, order, by)
    orders.ensure_active(order)
    discount = next((d for d in order.discounts if d.id == discount_id), None)
    if discount is None:
        raise DiscountNotFound(f"Order {order.id} has no discount {discount_id}")
    if discount.removed_at is not None:
        raise DiscountAlreadyRemoved()
    discount.removed_at = utcnow()
    discount.removed_by_id = by.id
    discount.removed_approved_by_id = approver.id
    db.flush()
    order = _settled(db, order.id)
    audit.record(
        db,
        action="order.discount_removed",
        entity_type="order_discount",
        entity_id=discount.id,
        actor=by,
        order_id=order.id,
        data={
            "discount_id": discount.id,
            "item_id": discount.item_id,
            "kind": discount.kind,
            "amount": discount.amount,
            "requested_by_id": by.id,
            "approved_by_id": approver.id,
            "approved_by_name": approver.display_name,
            "total": ledger.order_total(order),
            "status": order.status,
        },
    )
    orders.announce(db, order, "order.discount_removed", discount_id=discount.id)
    return orders.detail_of(db, order)


def _settled(db: Session, order_id: int) -> Order:
    order = orders.load_for_ledger(db, order_id)
    ledger.settle(order)
    db.flush()
    return order
