"""Guests paying their share of the table's bill by UPI from the table's code.

A guest's payment is an ordinary UPI request (upi/): the same QR at the gateway, the same poller, the same ledger
payment once the money arrives, so the waiter's phone and the reports see it like any other. What is the guests'
own is choosing the share, computed here from the live bill so a phone never sends an amount it made up:
- `mine`: the unpaid value of the items ordered under the guest's nickname (with service charge and exclusive
  tax, as the bill prices them),
- `even`: one of N equal shares of the bill's total (exact shares, the largest first),
- `rest`: everything no open QR already asks for,
- `amount`: a sum the guest types.
A share larger than what is left to ask for is cut to it (someone paid meanwhile); nothing left is a 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from local_backend.guest.schemas import GuestPayCreate
from local_backend.orders import ledger
from local_backend.orders import service as orders
from local_backend.orders.models import ACTIVE_ORDER_STATUSES, Order
from local_backend.settings import service as site
from local_backend.staff import service as staff
from local_backend.tables.models import Table
from local_backend.upi import service as upi
from local_backend.upi.models import UpiRequest
from local_backend.upi.schemas import UpiAvailabilityRead
from shared.clock import ensure_utc, utcnow
from shared.errors import Conflict, Forbidden, NotFound

# How long after its bill closed a guest may still look at a payment (the "thank you" on their phone).
AFTER_CLOSE = timedelta(minutes=30)
SHOWN_STATUSES = ("pending", "paid")
SHARE_LABELS = {"mine": "my items", "rest": "the rest", "amount": "an amount"}


class GuestPaymentsOff(Forbidden):
    code = "GUEST_PAYMENTS_OFF"
    default_detail = "Paying from the table is not offered here; please ask the staff"


class NoBillYet(Conflict):
    code = "GUEST_NO_BILL"
    default_detail = "This table has no bill to pay yet"


class NothingOfYours(Conflict):
    code = "GUEST_NOTHING_OF_YOURS"
    default_detail = "No unpaid items were ordered under this name"


class GuestPaymentNotFound(NotFound):
    code = "GUEST_PAYMENT_NOT_FOUND"
    default_detail = "No such payment at this table"


PAY_ERRORS = (GuestPaymentsOff, NoBillYet, NothingOfYours, upi.UpiNothingDue, upi.UpiUnavailable)


@dataclass(frozen=True, slots=True)
class Availability:
    available: bool
    reason: str | None


def availability(db: Session, status: UpiAvailabilityRead) -> Availability:
    """Whether guests may pay from the table now, and why not (for the guest, in plain words)."""
    if not site.current(db).guest_payments:
        return Availability(False, GuestPaymentsOff.default_detail)
    if not status.available:
        return Availability(False, "Paying by UPI is not possible right now; please ask the staff")
    return Availability(True, None)


def ensure_available(db: Session, status: UpiAvailabilityRead) -> None:
    found = availability(db, status)
    if not found.available:
        if status.code == upi.UpiUnavailable.code:
            raise upi.UpiUnavailable(found.reason)
        raise GuestPaymentsOff(found.reason)


@dataclass(frozen=True, slots=True)
class GuestPlan:
    order_id: int
    amount: int
    split_part: str


def _mine(db: Session, order: Order, nickname: str) -> int:
    """The unpaid value of the guest's items, less what their own "my items" QRs already ask for or paid.

    A UPI credit pays an amount, not item units, so the items stay unpaid on the bill after it: without the
    subtraction a second "my items" would ask for them again.
    """
    bill = ledger.breakdown(order)
    key = nickname.casefold()
    items = sum(
        ledger.units_amount(bill, item, item.unpaid_quantity)
        for item in ledger.live_items(order)
        if item.guest_nickname is not None and item.guest_nickname.casefold() == key and item.unpaid_quantity > 0
    )
    asked = db.scalars(
        select(UpiRequest).where(
            UpiRequest.order_id == order.id,
            UpiRequest.status.in_(SHOWN_STATUSES),
            UpiRequest.created_by_id == staff.guest_user_id(db),
        )
    ).all()
    mine = f"{SHARE_LABELS['mine']}"
    # "Nickname: label", split at the last ": " (a nickname may hold one, a label never does).
    already = sum(
        row.amount
        for row in asked
        if (row.split_part or "").rpartition(": ")[2] == mine
        and (row.split_part or "").rpartition(": ")[0].casefold() == key
    )
    return max(0, items - already)


def plan(db: Session, *, table: Table, data: GuestPayCreate) -> GuestPlan:
    """The amount of the share asked for, from the bill as it is now (checked again when the QR is stored)."""
    order_id = orders.active_order_id(db, table.id)
    if order_id is None:
        raise NoBillYet()
    order = orders.load_for_ledger(db, order_id)
    left = upi.open_for(db, order)
    if left <= 0:
        raise upi.UpiNothingDue("Everything on this bill is paid or being paid")
    if data.share == "mine":
        amount = _mine(db, order, data.nickname)
        if amount <= 0:
            raise NothingOfYours(f"No unpaid items were ordered as {data.nickname!r}")
        label = SHARE_LABELS["mine"]
    elif data.share == "even":
        parts = data.parts or 2
        amount = ledger.allocate(ledger.order_total(order), [1] * parts)[0]
        label = f"1/{parts}"
    elif data.share == "amount":
        amount = data.amount or 0
        label = SHARE_LABELS["amount"]
    else:
        amount = left
        label = SHARE_LABELS["rest"]
    split_part = f"{data.nickname}: {label}"[:40]
    return GuestPlan(order_id=order.id, amount=min(amount, left), split_part=split_part)


def request_view(row: UpiRequest, guest_user_id: int | None) -> dict[str, Any]:
    """GuestPaymentRead: what a guest's phone needs of a QR (no staff, no gateway internals)."""
    by_guest = row.created_by_id == guest_user_id
    nickname, _, share = (row.split_part or "").rpartition(": ") if by_guest else ("", "", row.split_part or "")
    return {
        "id": row.id,
        "amount": row.amount,
        "status": row.status,
        "by_guest": by_guest,
        "nickname": nickname or None,
        "share": share or None,
        "payload": row.payload,
        "image_url": row.image_url,
        "closes_at": row.closes_at,
        "paid_at": row.paid_at,
    }


def for_table(db: Session, *, table: Table, request_id: int) -> UpiRequest:
    """A payment asked for from this table's code, while its bill is open or shortly after it closed."""
    row = db.get(UpiRequest, request_id)
    if row is None:
        raise GuestPaymentNotFound()
    order = db.execute(select(Order.table_id, Order.status, Order.closed_at).where(Order.id == row.order_id)).first()
    if order is None or order.table_id != table.id or row.created_by_id != staff.guest_user_id(db):
        raise GuestPaymentNotFound()
    if order.status not in ACTIVE_ORDER_STATUSES and (
        order.closed_at is None or ensure_utc(order.closed_at) < utcnow() - AFTER_CLOSE
    ):
        raise GuestPaymentNotFound()
    return row


def bill_payments(db: Session, order: Order) -> dict[str, Any]:
    """The order's open and paid QRs, and what is left to ask for, for every phone at the table."""
    rows = db.scalars(
        select(UpiRequest)
        .where(UpiRequest.order_id == order.id, UpiRequest.status.in_(SHOWN_STATUSES))
        .order_by(UpiRequest.id)
    ).all()
    guest_user_id = staff.guest_user_id(db)
    return {
        "open_for": max(upi.open_for(db, order), 0),
        "requests": [request_view(row, guest_user_id) for row in rows],
    }


def cancel(db: Session, *, table: Table, request_id: int) -> UpiRequest:
    """A guest stops a QR asked for from their table; money sent in the same moment is still recorded."""
    row = for_table(db, table=table, request_id=request_id)
    if row.status != "pending":
        raise upi.UpiNotPending(f"This payment is {row.status}")
    guest = staff.guest_user(db)
    upi.end(db, row, "cancelled", actor=guest, cancelled_by=guest)
    return row
