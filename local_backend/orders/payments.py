"""Payment methods, payments and refunds: the writes of the bill's ledger (see ledger.py for its arithmetic).

A payment is applied to the balance: by item units (what the bill prices them at, recorded in payment_items),
or by an amount (a seat's or an even share, or any amount). It can never exceed the balance: a second phone
paying the last balance at the same moment gets 409 PAYMENT_EXCEEDS_BALANCE, because writes run one at a time
(TavoloRoute) and the balance is read inside the same transaction that records the payment.
Settling is never behind the license: these writes take no LicenseRequired.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from local_backend.audit import service as audit
from local_backend.orders import ledger
from local_backend.orders import service as orders
from local_backend.orders.models import BUILTIN_METHODS, Order, OrderItem, Payment, PaymentItem, PaymentMethod, Refund
from local_backend.staff.models import User
from shared.errors import Conflict, NotFound, Unprocessable


class PaymentExceedsBalance(Conflict):
    code = "PAYMENT_EXCEEDS_BALANCE"
    default_detail = "This payment is more than what is left to pay"


class NothingToPay(Unprocessable):
    code = "NOTHING_TO_PAY"
    default_detail = "These items cost nothing: there is nothing to pay for them"


class AmountMismatch(Unprocessable):
    code = "AMOUNT_MISMATCH"
    default_detail = "The amount is not the total of the items paid"


class TenderedTooLow(Unprocessable):
    code = "TENDERED_TOO_LOW"
    default_detail = "The cash handed over does not cover the amount and the tip"


class TenderedOnlyForCash(Unprocessable):
    code = "TENDERED_ONLY_FOR_CASH"
    default_detail = "Only a cash payment has cash handed over"


class UnknownPaymentMethod(Unprocessable):
    code = "UNKNOWN_PAYMENT_METHOD"
    default_detail = "No such payment method"


class PaymentMethodInactive(Conflict):
    code = "PAYMENT_METHOD_INACTIVE"
    default_detail = "This payment method is switched off"


class MethodNeedsGateway(Conflict):
    code = "METHOD_NEEDS_GATEWAY"
    default_detail = "This method is paid through its gateway flow (a UPI QR), not recorded directly"


class PaymentReferenceTaken(Conflict):
    code = "PAYMENT_REFERENCE_TAKEN"
    default_detail = "A payment with this reference is already recorded"


class PaymentNotFound(NotFound):
    code = "PAYMENT_NOT_FOUND"
    default_detail = "No such payment"


class RefundExceedsPayment(Conflict):
    code = "REFUND_EXCEEDS_PAYMENT"
    default_detail = "More than what is left of this payment to refund"


class PaymentMethodNotFound(NotFound):
    code = "PAYMENT_METHOD_NOT_FOUND"
    default_detail = "No such payment method"


class PaymentMethodCodeTaken(Conflict):
    code = "PAYMENT_METHOD_CODE_TAKEN"
    default_detail = "A payment method with this code already exists"


@dataclass(frozen=True, slots=True)
class PaymentRecorded:
    payment: orders.PaymentView
    order: orders.OrderDetail


@dataclass(frozen=True, slots=True)
class RefundRecorded:
    refund: orders.RefundView
    order: orders.OrderDetail


PAYMENT_ERRORS = (
    orders.OrderNotFound,
    orders.NotOrderOwner,
    orders.OrderNotOpen,
    orders.ItemNotInOrder,
    orders.ItemAlreadyPaid,
    orders.ItemCancelled,
    PaymentExceedsBalance,
    NothingToPay,
    AmountMismatch,
    TenderedTooLow,
    TenderedOnlyForCash,
    UnknownPaymentMethod,
    PaymentMethodInactive,
    MethodNeedsGateway,
    PaymentReferenceTaken,
)
LEGACY_PAY_ERRORS = PAYMENT_ERRORS
REFUND_ERRORS = (PaymentNotFound, RefundExceedsPayment)
METHOD_CREATE_ERRORS = (PaymentMethodCodeTaken,)
METHOD_UPDATE_ERRORS = (PaymentMethodNotFound,)


# ---------------------------------------------------------------------------------------------------------------
# Payment methods


def ensure_builtin_methods(db: Session) -> None:
    """Create cash, card and UPI if missing (startup); a manager's later edits to them are kept."""
    existing = set(db.scalars(select(PaymentMethod.code)).all())
    for code, name, kind, sort_order in BUILTIN_METHODS:
        if code not in existing:
            db.add(PaymentMethod(code=code, name=name, kind=kind, sort_order=sort_order, is_active=True))
    db.flush()


def list_methods(db: Session, *, include_inactive: bool = False) -> Sequence[PaymentMethod]:
    stmt = select(PaymentMethod).order_by(PaymentMethod.sort_order, PaymentMethod.id)
    if not include_inactive:
        stmt = stmt.where(PaymentMethod.is_active.is_(True))
    return db.scalars(stmt).all()


def create_method(
    db: Session, *, code: str, name: str, kind: str, sort_order: int, is_active: bool, by: User
) -> PaymentMethod:
    """A method a manager defines (voucher, bank transfer…); its code is what payments record."""
    if db.scalar(select(PaymentMethod.id).where(PaymentMethod.code == code)) is not None:
        raise PaymentMethodCodeTaken(f"A payment method with code {code!r} already exists")
    method = PaymentMethod(code=code, name=name, kind=kind, sort_order=sort_order, is_active=is_active)
    db.add(method)
    db.flush()
    audit.record(
        db,
        action="payment_method.created",
        entity_type="payment_method",
        entity_id=method.id,
        actor=by,
        data={"code": code, "name": name, "kind": kind, "is_active": is_active},
    )
    return method


def update_method(
    db: Session,
    *,
    method_id: int,
    name: str | None,
    is_active: bool | None,
    sort_order: int | None,
    by: User,
) -> PaymentMethod:
    """Rename, reorder, switch off or on; code and kind stay, since payments and reports refer to them."""
    method = db.get(PaymentMethod, method_id)
    if method is None:
        raise PaymentMethodNotFound()
    changes: dict[str, object] = {}
    if name is not None and name != method.name:
        changes["name"] = name
        method.name = name
    if is_active is not None and is_active != method.is_active:
        changes["is_active"] = is_active
        method.is_active = is_active
    if sort_order is not None and sort_order != method.sort_order:
        changes["sort_order"] = sort_order
        method.sort_order = sort_order
    db.flush()
    if changes:
        audit.record(
            db,
            action="payment_method.updated",
            entity_type="payment_method",
            entity_id=method.id,
            actor=by,
            data={"code": method.code, **changes},
        )
    return method


def _usable_method(db: Session, code: str, *, via_gateway: bool) -> PaymentMethod:
    method = db.scalar(select(PaymentMethod).where(PaymentMethod.code == code))
    if method is None:
        raise UnknownPaymentMethod(f"No payment method {code!r}")
    if not method.is_active:
        raise PaymentMethodInactive(f"{method.name} is switched off")
    if method.kind == "upi" and not via_gateway:
        raise MethodNeedsGateway(f"{method.name} is paid through its QR flow, not recorded directly")
    return method


# ---------------------------------------------------------------------------------------------------------------
# Payments


def resolve_units(order: Order, requested: Iterable[tuple[int, int]]) -> list[tuple[OrderItem, int]]:
    """The order's items and how many unpaid units of each are asked for (repeated ids add up)."""
    wanted: dict[int, int] = {}
    for item_id, quantity in requested:
        wanted[item_id] = wanted.get(item_id, 0) + quantity
    by_id = {item.id: item for item in order.items}
    missing = [item_id for item_id in wanted if item_id not in by_id]
    if missing:
        raise orders.ItemNotInOrder(f"Items {missing[:10]} are not part of order {order.id}")
    units = []
    for item_id, quantity in wanted.items():
        item = by_id[item_id]
        if item.status == "cancelled":
            raise orders.ItemCancelled(f"{item.product_name} (item {item.id}) was cancelled")
        if quantity > item.unpaid_quantity:
            raise orders.ItemAlreadyPaid(
                f"{item.product_name} (item {item.id}): {item.unpaid_quantity} of {item.quantity} left unpaid"
            )
        units.append((item, quantity))
    return units


def _record(
    db: Session,
    order: Order,
    *,
    method: str,
    by: User,
    amount: int | None,
    units: Sequence[tuple[OrderItem, int]],
    tip: int,
    tendered: int | None,
    split_part: str | None,
    reference: str | None,
    via_gateway: bool,
) -> Payment:
    """Record one payment on a loaded, active order the caller may act on."""
    pay_method = _usable_method(db, method, via_gateway=via_gateway)
    # A replayed reference is a duplicate whatever the balance now says (it may be 0 because of this very payment).
    if reference is not None and db.scalar(select(Payment.id).where(Payment.reference == reference)) is not None:
        raise PaymentReferenceTaken(f"Reference {reference!r} is already recorded")
    # Units are priced as the bill prices them (after discounts, with service charge and exclusive tax).
    bill = ledger.breakdown(order)
    unit_amounts = {item.id: ledger.units_amount(bill, item, quantity) for item, quantity in units}
    if units:
        items_total = sum(unit_amounts.values())
        if amount is not None and amount != items_total:
            raise AmountMismatch(f"The items total {items_total}, not {amount}")
        if items_total == 0:
            raise NothingToPay()
        amount = items_total
    if amount is None or amount <= 0:
        raise AmountMismatch("A payment needs a positive amount or items")
    due = ledger.balance(order)
    if amount > due:
        raise PaymentExceedsBalance(f"Order {order.id} has {due} left to pay; this payment is {amount}")
    change_due = 0
    if pay_method.kind == "cash":
        if tendered is not None:
            if tendered < amount + tip:
                raise TenderedTooLow(f"{tendered} handed over for {amount} plus a tip of {tip}")
            change_due = tendered - amount - tip
    elif tendered is not None:
        raise TenderedOnlyForCash(f"{pay_method.name} is not cash")

    payment = Payment(
        order_id=order.id,
        method=pay_method.code,
        amount=amount,
        tip=tip,
        tendered=tendered,
        change_due=change_due,
        reference=reference,
        split_part=split_part,
        created_by_id=by.id,
        items=[
            PaymentItem(order_item_id=item.id, quantity=quantity, amount=unit_amounts[item.id])
            for item, quantity in units
        ],
    )
    # Kept in the loaded order (and its refunds known to be none) so settling and the answer need no reload.
    set_committed_value(payment, "refunds", [])
    order.payments.append(payment)
    for item, quantity in units:
        item.paid_quantity += quantity
    try:
        db.flush()
    except IntegrityError as exc:
        # A second process on the same file recorded the reference first (the unique constraint says so).
        if reference is not None and "reference" in str(exc.orig):
            raise PaymentReferenceTaken(f"Reference {reference!r} is already recorded") from exc
        raise
    return payment


def record_payment(
    db: Session,
    *,
    order_id: int,
    method: str,
    by: User,
    amount: int | None = None,
    items: Sequence[tuple[int, int]] = (),
    tip: int = 0,
    tendered: int | None = None,
    split_part: str | None = None,
    reference: str | None = None,
    via_gateway: bool = False,
) -> PaymentRecorded:
    """Pay item units (their exact total) or an amount of the balance, with a tip; cash may give change.

    `via_gateway` is for a gateway's own flow (UPI), which confirms the money before recording it here.
    """
    order = orders.load_for_ledger(db, order_id)
    orders.ensure_can_act(db, order, by)
    orders.ensure_active(order)
    units = resolve_units(order, items)
    payment = _record(
        db,
        order,
        method=method,
        by=by,
        amount=amount,
        units=units,
        tip=tip,
        tendered=tendered,
        split_part=split_part,
        reference=reference,
        via_gateway=via_gateway,
    )
    detail = _after_payment(db, order, payment, by=by)
    return PaymentRecorded(payment=orders.payment_view(payment), order=detail)


def pay_items(
    db: Session, *, order_id: int, item_ids: Iterable[int], method: str, tip: int = 0, by: User
) -> orders.OrderDetail:
    """The item-based pay of the first API: every unpaid unit of the given items, plus the tip."""
    order = orders.load_for_ledger(db, order_id)
    orders.ensure_can_act(db, order, by)
    orders.ensure_active(order)
    ids = list(dict.fromkeys(item_ids))
    by_id = {item.id: item for item in order.items}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise orders.ItemNotInOrder(f"Items {missing[:10]} are not part of order {order.id}")
    for item_id in ids:
        item = by_id[item_id]
        if item.status == "cancelled":
            raise orders.ItemCancelled(f"{item.product_name} (item {item.id}) was cancelled")
        if item.unpaid_quantity == 0:
            raise orders.ItemAlreadyPaid(f"{item.product_name} (item {item.id}) is already paid")
    units = [(by_id[i], by_id[i].unpaid_quantity) for i in ids]
    payment = _record(
        db,
        order,
        method=method,
        by=by,
        amount=None,
        units=units,
        tip=tip,
        tendered=None,
        split_part=None,
        reference=None,
        via_gateway=False,
    )
    return _after_payment(db, order, payment, by=by)


def _after_payment(db: Session, order: Order, payment: Payment, *, by: User) -> orders.OrderDetail:
    """Settle the order after a payment, audit it and tell the phones.

    `order` is the load the payment was checked against, with the payment in it: the write lock is held since
    that load (BEGIN IMMEDIATE), so nothing else changed it and reloading would only cost a second full read.
    """
    ledger.settle(order)
    db.flush()
    names = {item.id: item.product_name for item in order.items}
    due = ledger.balance(order)
    audit.record(
        db,
        action="order.paid",
        entity_type="payment",
        entity_id=payment.id,
        actor=by,
        order_id=order.id,
        data={
            "payment_id": payment.id,
            "method": payment.method,
            "amount": payment.amount,
            "tip": payment.tip,
            "tendered": payment.tendered,
            "change_due": payment.change_due,
            "reference": payment.reference,
            "split_part": payment.split_part,
            "item_ids": [pi.order_item_id for pi in payment.items],
            "items": [
                {"id": pi.order_item_id, "name": names.get(pi.order_item_id), "quantity": pi.quantity}
                for pi in payment.items
            ],
            "status": order.status,
            "balance": due,
        },
    )
    orders.announce(
        db,
        order,
        "order.paid",
        payment_id=payment.id,
        item_ids=[pi.order_item_id for pi in payment.items],
        amount=payment.amount,
        balance=due,
    )
    return orders.detail_of(db, order)


# ---------------------------------------------------------------------------------------------------------------
# Refunds


def refund_payment(db: Session, *, payment_id: int, amount: int, reason: str, by: User) -> RefundRecorded:
    """Give back part or all of a payment (manager, with a reason), by the payment's method.

    Allowed on a closed order (the guest already left) without reopening it; on an active order the balance
    grows again and the status follows. Units once paid stay paid: what is owed again is paid by amount.
    """
    order_id = db.scalar(select(Payment.order_id).where(Payment.id == payment_id))
    if order_id is None:
        raise PaymentNotFound(f"No payment {payment_id}")
    order = orders.load_for_ledger(db, order_id)
    payment = next(p for p in order.payments if p.id == payment_id)
    rest = payment.amount - ledger.refunded(payment)
    if amount > rest:
        raise RefundExceedsPayment(f"Only {rest} of payment {payment.id} is left to refund")
    refund = Refund(
        payment_id=payment.id,
        order_id=order.id,
        amount=amount,
        reason=reason,
        method=payment.method,
        created_by_id=by.id,
    )
    db.add(refund)
    db.flush()
    order = orders.load_for_ledger(db, order_id)
    ledger.settle(order)
    db.flush()
    audit.record(
        db,
        action="payment.refunded",
        entity_type="refund",
        entity_id=refund.id,
        actor=by,
        order_id=order.id,
        data={
            "refund_id": refund.id,
            "payment_id": payment.id,
            "method": refund.method,
            "amount": amount,
            "reason": reason,
            "status": order.status,
            "balance": ledger.balance(order),
        },
    )
    orders.announce(db, order, "order.refunded", payment_id=payment.id, refund_id=refund.id, amount=amount)
    return RefundRecorded(refund=orders.refund_view(refund), order=orders.detail_of(db, order))
