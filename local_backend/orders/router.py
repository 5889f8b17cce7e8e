"""/api/orders (open, add items, split, pay, close, cancel, transfer, merge, move items, read), plus the
ledger's other resources: /api/payments/{id}/refunds and /api/payment-methods.

Adding items answers with the new items only (ItemsAddedRead), not the whole order: it is the hot path and
the phone already holds the rest. Every other write answers with the full order (OrderRead), a payment or a
refund with the order after it. `router` bundles the three prefixes so the app registers the domain once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query

from local_backend.audit.schemas import AuditEventRead
from local_backend.auth import approvals
from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.licensing.dependencies import LicenseRequired
from local_backend.licensing.errors import LICENSE_ERRORS
from local_backend.orders import discounts, payments, service, splits
from local_backend.orders.schemas import (
    MAX_ID,
    CourseFire,
    DiscountCreate,
    DiscountRecordedRead,
    ItemsAddedRead,
    ItemsMoveIn,
    MergeIn,
    OrderCreate,
    OrderItemsCreate,
    OrderRead,
    OrderStatus,
    OrderSummaryRead,
    PaymentCreate,
    PaymentIn,
    PaymentMethodCreate,
    PaymentMethodRead,
    PaymentMethodUpdate,
    PaymentRecordedRead,
    ReasonIn,
    ReassignIn,
    RefundCreate,
    RefundRecordedRead,
    SplitByAmounts,
    SplitByItems,
    SplitCreate,
    SplitEven,
    SplitRead,
    TransferIn,
)
from shared.errors import error_responses

orders_router = APIRouter(prefix="/api/orders", tags=["orders"], route_class=TavoloRoute)
payments_router = APIRouter(prefix="/api/payments", tags=["payments"], route_class=TavoloRoute)
methods_router = APIRouter(prefix="/api/payment-methods", tags=["payments"], route_class=TavoloRoute)

OrderId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
PaymentId = Annotated[int, Path(ge=1, le=MAX_ID)]
MethodId = Annotated[int, Path(ge=1, le=MAX_ID)]
DiscountId = Annotated[int, Path(ge=1, le=MAX_ID)]
# A manager's one-time approval for a waiter (POST /api/auth/approvals); a manager's own session needs none.
Approval = Annotated[
    str | None,
    Header(alias=approvals.HEADER, max_length=256, description="Approval token from POST /api/auth/approvals"),
]


@orders_router.get(
    "/",
    response_model=list[OrderSummaryRead],
    responses=error_responses(*AUTH_ERRORS, ManagerRequired),
)
def list_orders(
    _: ManagerUser,
    db: DbSession,
    status: OrderStatus | None = None,
    table: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Table id")] = None,
    waiter: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Waiter (user) id")] = None,
    from_: Annotated[datetime | None, Query(alias="from", description="Opened at or after")] = None,
    to: Annotated[datetime | None, Query(description="Opened before")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Orders with totals, newest first, filtered by status, table, waiter and opening time (manager)."""
    return service.list_orders(
        db, status=status, table_id=table, waiter_id=waiter, since=from_, until=to, limit=limit, offset=offset
    )


@orders_router.get("/my", response_model=list[OrderSummaryRead], responses=error_responses(*AUTH_ERRORS))
def my_orders(user: CurrentUser, db: DbSession) -> Any:
    """The caller's active orders: their own and those of the waiters they assist."""
    return service.my_orders(db, user=user)


@orders_router.post(
    "/",
    status_code=201,
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *LICENSE_ERRORS, *service.OPEN_ERRORS),
)
def open_order(body: OrderCreate, user: CurrentUser, _: LicenseRequired, db: DbSession) -> Any:
    """Open an order on a free table; the caller becomes its waiter (refused while unlicensed: 402/423)."""
    return service.open_order(db, table_id=body.table_id, guests=body.guests, by=user)


@orders_router.get(
    "/{order_id}",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, service.OrderNotFound, service.NotOrderOwner),
)
def get_order(order_id: OrderId, user: CurrentUser, db: DbSession) -> Any:
    """One order with its items, payments and totals (owner, assistant or manager)."""
    return service.get_order_detail(db, order_id=order_id, by=user)


@orders_router.post(
    "/{order_id}/items",
    status_code=201,
    response_model=ItemsAddedRead,
    responses=error_responses(*AUTH_ERRORS, *LICENSE_ERRORS, *service.ADD_ITEMS_ERRORS),
)
def add_items(order_id: OrderId, body: OrderItemsCreate, user: CurrentUser, _: LicenseRequired, db: DbSession) -> Any:
    """Add a round of items; prices are computed and snapshotted by the server (refused while unlicensed)."""
    return service.add_items(db, order_id=order_id, items=body.items, by=user)


@orders_router.post(
    "/{order_id}/fire",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.FIRE_ERRORS),
)
def fire_course(order_id: OrderId, body: CourseFire, user: CurrentUser, db: DbSession) -> Any:
    """Fire a held course: its items print (marked FIRE) and light up on the kitchen screens."""
    return service.fire_course(db, order_id=order_id, course=body.course, by=user)


@orders_router.post(
    "/{order_id}/pay",
    status_code=201,
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *payments.LEGACY_PAY_ERRORS),
)
def pay(order_id: OrderId, body: PaymentCreate, user: CurrentUser, db: DbSession) -> Any:
    """Pay every unpaid unit of the given items (plus an optional tip); the order becomes partially_paid or paid."""
    return payments.pay_items(db, order_id=order_id, item_ids=body.item_ids, method=body.method, tip=body.tip, by=user)


@orders_router.post(
    "/{order_id}/payments",
    status_code=201,
    response_model=PaymentRecordedRead,
    responses=error_responses(*AUTH_ERRORS, *payments.PAYMENT_ERRORS),
)
def record_payment(order_id: OrderId, body: PaymentIn, user: CurrentUser, db: DbSession) -> Any:
    """Pay item units or an amount of the balance, with a tip; cash answers with the change due."""
    return payments.record_payment(
        db,
        order_id=order_id,
        method=body.method,
        amount=body.amount,
        items=[(u.item_id, u.quantity) for u in body.items or []],
        tip=body.tip,
        tendered=body.tendered,
        split_part=body.split_part,
        reference=body.reference,
        by=user,
    )


@orders_router.post(
    "/{order_id}/split",
    response_model=SplitRead,
    responses=error_responses(*AUTH_ERRORS, *splits.SPLIT_ERRORS),
)
def split_bill(order_id: OrderId, body: Annotated[SplitCreate, Body()], user: CurrentUser, db: DbSession) -> Any:
    """The payable parts of the balance by items, seats, N even shares or given amounts (computed, not stored)."""
    return splits.split(
        db,
        order_id=order_id,
        mode=body.mode,
        items=[(u.item_id, u.quantity) for u in body.items] if isinstance(body, SplitByItems) else (),
        parts=body.parts if isinstance(body, SplitEven) else 1,
        amounts=body.amounts if isinstance(body, SplitByAmounts) else (),
        by=user,
    )


@orders_router.post(
    "/{order_id}/transfer",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.TRANSFER_ERRORS),
)
def transfer_order(order_id: OrderId, body: TransferIn, user: CurrentUser, db: DbSession) -> Any:
    """Move the whole order to a free table; the kitchen keeps working on its items."""
    return service.transfer(db, order_id=order_id, table_id=body.table_id, by=user)


@orders_router.post(
    "/{order_id}/reassign",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *service.REASSIGN_ERRORS),
)
def reassign_order(order_id: OrderId, body: ReassignIn, user: ManagerUser, db: DbSession) -> Any:
    """Hand the order to another active waiter (manager); both waiters' phones and the floor update live."""
    return service.reassign(db, order_id=order_id, waiter_id=body.waiter_id, by=user)


@orders_router.post(
    "/{order_id}/take",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.TAKE_ERRORS),
)
def take_order(order_id: OrderId, user: CurrentUser, db: DbSession) -> Any:
    """Take a table that guests opened from its QR code (direct mode): the order becomes the caller's. 409
    ORDER_HAS_WAITER once another waiter has it."""
    return service.take(db, order_id=order_id, by=user)


@orders_router.post(
    "/{order_id}/merge",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.MERGE_ERRORS),
)
def merge_orders(order_id: OrderId, body: MergeIn, user: CurrentUser, db: DbSession) -> Any:
    """Bring another order's items and payments into this one; the other is cancelled and its table free."""
    return service.merge(db, order_id=order_id, other_id=body.order_id, by=user)


@orders_router.post(
    "/{order_id}/items/move",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.MOVE_ERRORS),
)
def move_items(order_id: OrderId, body: ItemsMoveIn, user: CurrentUser, db: DbSession) -> Any:
    """Move unpaid item units to another active order (answers with this order, after the move)."""
    return service.move_items(
        db,
        order_id=order_id,
        items=[(u.item_id, u.quantity) for u in body.items],
        to_order_id=body.to_order_id,
        by=user,
    )


@orders_router.post(
    "/{order_id}/close",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.CLOSE_ERRORS),
)
def close_order(order_id: OrderId, user: CurrentUser, db: DbSession) -> Any:
    """Close a fully paid order and free its table."""
    return service.close_order(db, order_id=order_id, by=user)


@orders_router.delete(
    "/{order_id}/items/{item_id}",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *approvals.GUARD_ERRORS, *service.CANCEL_ITEM_ERRORS),
)
def cancel_item(
    order_id: OrderId, item_id: ItemId, body: ReasonIn, user: CurrentUser, db: DbSession, approval: Approval = None
) -> Any:
    """Void an unpaid item with a reason: a manager, or the order's waiter with a manager's approval ("void")."""
    approver = approvals.approve(db, token=approval, action="void", order_id=order_id, by=user)
    return service.cancel_item(db, order_id=order_id, item_id=item_id, reason=body.reason, by=user, approver=approver)


@orders_router.post(
    "/{order_id}/discounts",
    status_code=201,
    response_model=DiscountRecordedRead,
    responses=error_responses(*AUTH_ERRORS, *approvals.GUARD_ERRORS, *discounts.ADD_ERRORS),
)
def add_discount(
    order_id: OrderId, body: DiscountCreate, user: CurrentUser, db: DbSession, approval: Approval = None
) -> Any:
    """Discount or comp an item or the whole order, with a reason and a manager's approval ("discount")."""
    approver = approvals.approve(db, token=approval, action="discount", order_id=order_id, by=user)
    return discounts.add_discount(
        db,
        order_id=order_id,
        item_id=body.item_id,
        kind=body.kind,
        value=body.value or 0,
        reason=body.reason,
        by=user,
        approver=approver,
    )


@orders_router.delete(
    "/{order_id}/discounts/{discount_id}",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *approvals.GUARD_ERRORS, *discounts.REMOVE_ERRORS),
)
def remove_discount(
    order_id: OrderId, discount_id: DiscountId, user: CurrentUser, db: DbSession, approval: Approval = None
) -> Any:
    """Take a discount back off (manager, or a waiter with approval "remove_discount"); the total grows again."""
    approver = approvals.approve(db, token=approval, action="remove_discount", order_id=order_id, by=user)
    return discounts.remove_discount(db, order_id=order_id, discount_id=discount_id, by=user, approver=approver)


@orders_router.delete(
    "/{order_id}",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *service.CANCEL_ORDER_ERRORS),
)
def cancel_order(order_id: OrderId, body: ReasonIn, user: ManagerUser, db: DbSession) -> Any:
    """Cancel an order that has no payments, with a reason (manager)."""
    return service.cancel_order(db, order_id=order_id, reason=body.reason, by=user)


@orders_router.get(
    "/{order_id}/history",
    response_model=list[AuditEventRead],
    responses=error_responses(*AUTH_ERRORS, service.OrderNotFound, service.NotOrderOwner),
)
def order_history(order_id: OrderId, user: CurrentUser, db: DbSession) -> Any:
    """The order's audit trail, oldest first: who opened, added, paid, cancelled and closed what, and when."""
    return service.order_history(db, order_id=order_id, by=user)


@payments_router.post(
    "/{payment_id}/refunds",
    status_code=201,
    response_model=RefundRecordedRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *payments.REFUND_ERRORS),
)
def refund_payment(payment_id: PaymentId, body: RefundCreate, user: ManagerUser, db: DbSession) -> Any:
    """Give back part or all of a payment with a reason (manager); a closed order stays closed."""
    return payments.refund_payment(db, payment_id=payment_id, amount=body.amount, reason=body.reason, by=user)


@methods_router.get(
    "", response_model=list[PaymentMethodRead], responses=error_responses(*AUTH_ERRORS, ManagerRequired)
)
def list_payment_methods(
    user: CurrentUser, db: DbSession, all: Annotated[bool, Query(description="Include inactive (manager)")] = False
) -> Any:
    """Payment methods in display order; only active ones unless a manager asks for all."""
    if all and not user.is_manager:
        raise ManagerRequired()
    return payments.list_methods(db, include_inactive=all)


@methods_router.post(
    "",
    status_code=201,
    response_model=PaymentMethodRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *payments.METHOD_CREATE_ERRORS),
)
def create_payment_method(body: PaymentMethodCreate, user: ManagerUser, db: DbSession) -> Any:
    """Add a payment method (manager): a code payments record, a name, and its kind for the cash drawer."""
    return payments.create_method(
        db,
        code=body.code,
        name=body.name,
        kind=body.kind,
        sort_order=body.sort_order,
        is_active=body.is_active,
        by=user,
    )


@methods_router.put(
    "/{method_id}",
    response_model=PaymentMethodRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *payments.METHOD_UPDATE_ERRORS),
)
def update_payment_method(method_id: MethodId, body: PaymentMethodUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Rename, reorder or switch a method off and on (manager); methods are never deleted."""
    return payments.update_method(
        db, method_id=method_id, name=body.name, is_active=body.is_active, sort_order=body.sort_order, by=user
    )


router = APIRouter()
for _part in (orders_router, payments_router, methods_router):
    router.include_router(_part)
