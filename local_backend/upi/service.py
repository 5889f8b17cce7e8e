"""UPI requests in the database: plan and record a QR, apply a credit through the bill's ledger, end requests.

Nothing here talks to the gateway (manager.py does, holding no transaction). Each function is one write or read
the caller runs in its own transaction. A credit is applied with `orders.payments.record_payment(via_gateway=True)`,
method 'upi', reference = the Razorpay payment id: the ledger's unique reference makes a duplicate or replayed
credit a no-op, and a credit the bill cannot take (settled meanwhile, closed, less left than the QR asked) is
kept on the request as `overpaid` with an alert for the manager, never applied.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.events import Audience, publish_after_commit
from local_backend.orders import ledger, payments
from local_backend.orders import service as orders
from local_backend.orders.models import Order
from local_backend.settings import service as site_settings
from local_backend.staff import service as staff
from local_backend.staff.models import User
from local_backend.upi.gateway import Credit, QrCreated
from local_backend.upi.models import UpiRequest
from shared.clock import ensure_utc, utcnow
from shared.errors import AppError, Conflict, NotFound

METHOD = "upi"
ATTENTION_STATUSES = ("overpaid", "failed")


class UpiNotConfigured(Conflict):
    code = "UPI_NOT_CONFIGURED"
    default_detail = "UPI is not set up on this appliance (Razorpay keys are missing)"


class UpiUnavailable(AppError):
    status_code = 503
    code = "UPI_UNAVAILABLE"
    default_detail = "Razorpay cannot be reached right now; take cash or card"


class UpiRequestNotFound(NotFound):
    code = "UPI_REQUEST_NOT_FOUND"
    default_detail = "No such UPI request"


class UpiNotPending(Conflict):
    code = "UPI_NOT_PENDING"
    default_detail = "This UPI request is no longer open"


class UpiNothingDue(Conflict):
    code = "UPI_NOTHING_DUE"
    default_detail = "Nothing is left to pay that is not already asked for by an open UPI QR"


class UpiNothingToAcknowledge(Conflict):
    code = "UPI_NOTHING_TO_ACKNOWLEDGE"
    default_detail = "This UPI request needs no attention"


CREATE_ERRORS = (
    orders.OrderNotFound,
    orders.NotOrderOwner,
    orders.OrderNotOpen,
    payments.PaymentExceedsBalance,
    UpiNothingDue,
    UpiNotConfigured,
    UpiUnavailable,
)
READ_ERRORS = (UpiRequestNotFound, orders.NotOrderOwner)
CANCEL_ERRORS = (UpiRequestNotFound, orders.NotOrderOwner, UpiNotPending)
ACK_ERRORS = (UpiRequestNotFound, UpiNothingToAcknowledge)
# What keeps a credit off the bill: the money is then held on the request as overpaid.
UNAPPLIABLE = (
    orders.OrderNotFound,
    orders.OrderNotOpen,
    orders.NotOrderOwner,
    payments.PaymentExceedsBalance,
    payments.AmountMismatch,
    payments.UnknownPaymentMethod,
    payments.PaymentMethodInactive,
    payments.MethodNeedsGateway,
)


def new_reference() -> str:
    return f"upi_{secrets.token_hex(12)}"


def _pending_total(db: Session, order_id: int, *, excluding: int | None = None) -> int:
    stmt = select(func.coalesce(func.sum(UpiRequest.amount), 0)).where(
        UpiRequest.order_id == order_id, UpiRequest.status == "pending"
    )
    if excluding is not None:
        stmt = stmt.where(UpiRequest.id != excluding)
    return int(db.scalar(stmt) or 0)


@dataclass(frozen=True, slots=True)
class Plan:
    order_id: int
    amount: int
    table_label: str
    restaurant_name: str
    currency: str


def open_for(db: Session, order: Order) -> int:
    """What is left to ask for by UPI: the balance less what open QRs already ask for."""
    return ledger.balance(order) - _pending_total(db, order.id)


def plan_request(db: Session, *, order_id: int, amount: int | None, by: User, guest: bool = False) -> Plan:
    """Check a QR may be asked for: the caller acts on the active order, and the amount fits what is left.

    What is left excludes what open QRs already ask for, so two guests scanning at once can never pay the same
    part twice; the default is all of it. `guest`: asked from the table's code (the code stands for the table,
    so who serves the order does not matter).
    """
    order = orders.load_for_ledger(db, order_id)
    if not guest:
        orders.ensure_can_act(db, order, by)
    orders.ensure_active(order)
    due = ledger.balance(order)
    left = open_for(db, order)
    if left <= 0:
        raise UpiNothingDue(f"Order {order.id} has {max(due, 0)} left to pay, all asked for by open UPI QRs")
    if amount is None:
        amount = left
    elif amount > left:
        raise payments.PaymentExceedsBalance(
            f"Order {order.id} has {left} left to ask for by UPI; this QR would ask {amount}"
        )
    site = site_settings.current(db)
    return Plan(
        order_id=order.id,
        amount=amount,
        table_label=orders.table_label_of(db, order.table_id),
        restaurant_name=site.restaurant_name,
        currency=site.currency,
    )


def record_request(
    db: Session,
    *,
    reference: str,
    order_id: int,
    amount: int,
    split_part: str | None,
    qr: QrCreated,
    gateway: str,
    closes_at: datetime,
    by: User,
    guest: bool = False,
) -> UpiRequest:
    """Store the QR the gateway created, after checking again (the bill may have moved during the gateway call)."""
    plan_request(db, order_id=order_id, amount=amount, by=by, guest=guest)
    row = UpiRequest(
        reference=reference,
        order_id=order_id,
        amount=amount,
        split_part=split_part,
        gateway=gateway,
        qr_id=qr.qr_id,
        image_url=qr.image_url,
        payload=qr.payload,
        status="pending",
        created_by_id=by.id,
        closes_at=closes_at,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        action="upi.requested",
        entity_type="upi_request",
        entity_id=row.id,
        actor=by,
        order_id=order_id,
        data={
            "amount": amount,
            "split_part": split_part,
            "gateway": gateway,
            "qr_id": qr.qr_id,
            "reference": reference,
            "closes_at": closes_at.isoformat(),
            "guest": guest,
        },
    )
    _announce(db, row, "upi.requested")
    return row


def _order_of(db: Session, order_id: int) -> Order | None:
    try:
        return orders.load_for_ledger(db, order_id)
    except orders.OrderNotFound:
        return None


def _announce(db: Session, row: UpiRequest, type_: str, **data: Any) -> None:
    """Tell the order's waiters and the managers about the request (state, not a delta)."""
    body = {
        "upi_request_id": row.id,
        "order_id": row.order_id,
        "status": row.status,
        "amount": row.amount,
        "split_part": row.split_part,
        **data,
    }
    found = db.execute(select(Order.waiter_id, Order.table_id).where(Order.id == row.order_id)).first()
    audience = Audience.waiters([]) if found is None else staff.serving(db, found.waiter_id)
    # The table lets the guests' live view (guest/router.py) see its own QRs move.
    body["table_id"] = None if found is None else found.table_id
    publish_after_commit(db, type_, body, audience)


def _get(db: Session, request_id: int) -> UpiRequest:
    row = db.get(UpiRequest, request_id, populate_existing=True)
    if row is None:
        raise UpiRequestNotFound()
    return row


def get_request(db: Session, *, request_id: int, by: User) -> UpiRequest:
    """One request, for whoever may act on its order."""
    row = _get(db, request_id)
    order = _order_of(db, row.order_id)
    if order is not None:
        orders.ensure_can_act(db, order, by)
    elif not by.is_manager:
        raise orders.NotOrderOwner()
    return row


def list_requests(
    db: Session, *, order_id: int | None, attention: bool, by: User, limit: int = 100
) -> Sequence[UpiRequest]:
    """An order's requests (who may act on it), or, for a manager, every request, or those needing attention."""
    stmt = select(UpiRequest).order_by(UpiRequest.id.desc()).limit(limit)
    if order_id is not None:
        order = _order_of(db, order_id)
        if order is None:
            raise orders.OrderNotFound()
        orders.ensure_can_act(db, order, by)
        stmt = stmt.where(UpiRequest.order_id == order_id)
    elif not by.is_manager:
        raise orders.NotOrderOwner("Only a manager lists every UPI request")
    if attention:
        stmt = stmt.where(UpiRequest.status.in_(ATTENTION_STATUSES), UpiRequest.acknowledged_at.is_(None))
    return db.scalars(stmt).all()


def cancel(db: Session, *, request_id: int, by: User) -> UpiRequest:
    """Stop waiting for a QR (the guest pays another way); the poller closes it at the gateway and checks once
    more, so money sent in the same moment is still recorded."""
    row = get_request(db, request_id=request_id, by=by)
    if row.status != "pending":
        raise UpiNotPending(f"UPI request {row.id} is {row.status}")
    end(db, row, "cancelled", actor=by, cancelled_by=by)
    return row


def end(
    db: Session,
    row: UpiRequest,
    status: str,
    *,
    actor: User | None,
    cancelled_by: User | None = None,
    reason: str | None = None,
) -> None:
    row.status = status
    row.ended_at = utcnow()
    if cancelled_by is not None:
        row.cancelled_by_id = cancelled_by.id
    db.flush()
    audit.record(
        db,
        action=f"upi.{status}",
        entity_type="upi_request",
        entity_id=row.id,
        actor=actor,
        order_id=row.order_id,
        data={"qr_id": row.qr_id, "amount": row.amount, "reason": reason},
    )
    _announce(db, row, f"upi.{status}", reason=reason)


def acknowledge(db: Session, *, request_id: int, by: User) -> UpiRequest:
    """A manager dealt with an overpaid or failed request (refunded or applied it by hand): the alert goes away."""
    row = _get(db, request_id)
    if row.status not in ATTENTION_STATUSES or row.acknowledged_at is not None:
        raise UpiNothingToAcknowledge(f"UPI request {row.id} is {row.status}")
    row.acknowledged_at = utcnow()
    row.acknowledged_by_id = by.id
    db.flush()
    audit.record(
        db,
        action="upi.acknowledged",
        entity_type="upi_request",
        entity_id=row.id,
        actor=by,
        order_id=row.order_id,
        data={"status": row.status, "razorpay_payment_id": row.razorpay_payment_id},
    )
    return row


# ---------------------------------------------------------------------------------------------------------------
# The poller's side


@dataclass(frozen=True, slots=True)
class Watched:
    """A request the poller still has business with at the gateway, as plain values (safe across threads)."""

    id: int
    order_id: int
    qr_id: str
    amount: int
    status: str
    closes_at: datetime
    gateway: str


def watched(db: Session) -> list[Watched]:
    """Open QRs, and ended ones not yet closed at the gateway (a cancel or expiry still to confirm there)."""
    rows = db.scalars(
        select(UpiRequest)
        .where(or_(UpiRequest.status == "pending", UpiRequest.gateway_closed.is_(False)))
        .order_by(UpiRequest.id)
    ).all()
    return [
        Watched(
            id=r.id,
            order_id=r.order_id,
            qr_id=r.qr_id,
            amount=r.amount,
            status=r.status,
            closes_at=ensure_utc(r.closes_at),
            gateway=r.gateway,
        )
        for r in rows
    ]


def bill_can_take(db: Session, *, request_id: int) -> bool:
    """Whether a credit of the request's amount would still fit its order's bill (active, enough left)."""
    row = _get(db, request_id)
    order = _order_of(db, row.order_id)
    if order is None or order.status in orders.CLOSED_STATUSES:
        return False
    return ledger.balance(order) - _pending_total(db, order.id, excluding=row.id) >= row.amount


def cancel_stale(db: Session, *, request_id: int) -> bool:
    """End a pending request the bill can no longer take (paid another way, closed): True if it was ended."""
    row = _get(db, request_id)
    if row.status != "pending":
        return False
    end(db, row, "cancelled", actor=None, reason="the bill changed: it can no longer take this amount")
    return True


@dataclass(frozen=True, slots=True)
class CreditOutcome:
    status: str
    """paid, overpaid, duplicate (this credit was already recorded) or extra (a second credit on one QR)."""
    payment_id: int | None = None


def _payer(db: Session, row: UpiRequest, order: Order) -> User:
    """Who the payment is recorded by: the waiter who showed the QR, or the order's waiter if they no longer may."""
    creator = staff.get_user(db, row.created_by_id)
    if orders.can_act_on(db, order, creator):
        return creator
    return staff.get_user(db, order.waiter_id)


def apply_credit(db: Session, *, request_id: int, credit: Credit) -> CreditOutcome:
    """Record a credited gateway payment on the request's bill, once; keep it off the bill if the bill cannot take it.

    Runs in one write transaction: the ledger payment, the request's new state, the audit and the events commit
    together. A second credit on the same request (a single-use QR cannot take one, but money must never vanish)
    is audited and alerted without touching the request.
    """
    row = _get(db, request_id)
    if row.razorpay_payment_id == credit.payment_id:
        return CreditOutcome("duplicate", row.payment_id)
    if row.razorpay_payment_id is not None:
        _alert_extra_credit(db, row, credit)
        return CreditOutcome("extra")
    order = _order_of(db, row.order_id)
    outcome: CreditOutcome
    reason: str | None = None
    try:
        if order is None:
            raise orders.OrderNotFound(f"Order {row.order_id} no longer exists")
        payer = _payer(db, row, order)
        with db.begin_nested():
            recorded = payments.record_payment(
                db,
                order_id=row.order_id,
                method=METHOD,
                by=payer,
                amount=credit.amount,
                split_part=row.split_part,
                reference=credit.payment_id,
                via_gateway=True,
            )
        outcome = CreditOutcome("paid", recorded.payment.id)
    except payments.PaymentReferenceTaken:
        # Recorded already (this request seen by an earlier poll, or another request naming the same payment).
        return CreditOutcome("duplicate")
    except UNAPPLIABLE as exc:
        reason = exc.code
        outcome = CreditOutcome("overpaid")
    row.razorpay_payment_id = credit.payment_id
    row.credited_amount = credit.amount
    row.payment_id = outcome.payment_id
    row.unapplied_reason = reason
    row.paid_at = utcnow()
    if row.ended_at is None:
        row.ended_at = row.paid_at
    previous = row.status
    row.status = outcome.status
    db.flush()
    audit.record(
        db,
        action=f"upi.{outcome.status}",
        entity_type="upi_request",
        entity_id=row.id,
        actor=None,
        order_id=row.order_id,
        data={
            "qr_id": row.qr_id,
            "razorpay_payment_id": credit.payment_id,
            "amount": credit.amount,
            "payment_id": outcome.payment_id,
            "was": previous,
            "unapplied_reason": reason,
        },
    )
    if outcome.status == "paid":
        _announce(db, row, "upi.paid", payment_id=outcome.payment_id, razorpay_payment_id=credit.payment_id)
    else:
        _announce(db, row, "upi.unapplied", razorpay_payment_id=credit.payment_id, reason=reason)
    return outcome


def _alert_extra_credit(db: Session, row: UpiRequest, credit: Credit) -> None:
    audit.record(
        db,
        action="upi.extra_credit",
        entity_type="upi_request",
        entity_id=row.id,
        actor=None,
        order_id=row.order_id,
        data={"qr_id": row.qr_id, "razorpay_payment_id": credit.payment_id, "amount": credit.amount},
    )
    _announce(db, row, "upi.unapplied", razorpay_payment_id=credit.payment_id, reason="EXTRA_CREDIT")


def mark_gateway_closed(db: Session, *, request_id: int) -> str:
    """The QR is closed at the gateway and its last check found no (new) credit: a pending one has expired."""
    row = _get(db, request_id)
    row.gateway_closed = True
    if row.status == "pending":
        end(db, row, "expired", actor=None)
    else:
        db.flush()
    return row.status


def mark_failed(db: Session, *, request_id: int, error: str) -> None:
    """The gateway could not confirm the QR's end in time: the manager must check Razorpay's dashboard."""
    row = _get(db, request_id)
    row.gateway_closed = True
    row.last_error = error[:500]
    if row.status in ("pending", "cancelled", "expired"):
        end(db, row, "failed", actor=None, reason=error[:200])
    else:
        db.flush()


# ---------------------------------------------------------------------------------------------------------------
# Printing


@dataclass(frozen=True, slots=True)
class OpenQr:
    data: str
    """What the printed QR encodes: the upi:// string, or else the gateway's QR link."""
    amount: int
    split_part: str | None


def open_qrs(db: Session, order_id: int) -> list[OpenQr]:
    """The order's open UPI QRs, for the printed bill."""
    rows = db.scalars(
        select(UpiRequest)
        .where(UpiRequest.order_id == order_id, UpiRequest.status == "pending", UpiRequest.closes_at > utcnow())
        .order_by(UpiRequest.id)
    ).all()
    return [
        OpenQr(data=str(r.payload or r.image_url), amount=r.amount, split_part=r.split_part)
        for r in rows
        if r.payload or r.image_url
    ]
