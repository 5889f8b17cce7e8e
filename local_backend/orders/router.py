"""/api/orders: open, add items, pay, close, cancel, and read orders.

Adding items answers with the new items only (ItemsAddedRead), not the whole order: it is the hot path and
the phone already holds the rest. Every other write answers with the full order (OrderRead).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from local_backend.audit.schemas import AuditEventRead
from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.licensing.dependencies import LicenseRequired
from local_backend.licensing.errors import LICENSE_ERRORS
from local_backend.orders import service
from local_backend.orders.schemas import (
    MAX_ID,
    CourseFire,
    ItemsAddedRead,
    OrderCreate,
    OrderItemsCreate,
    OrderRead,
    OrderStatus,
    OrderSummaryRead,
    PaymentCreate,
    ReasonIn,
)
from shared.errors import error_responses

router = APIRouter(prefix="/api/orders", tags=["orders"], route_class=TavoloRoute)

OrderId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get(
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


@router.get("/my", response_model=list[OrderSummaryRead], responses=error_responses(*AUTH_ERRORS))
def my_orders(user: CurrentUser, db: DbSession) -> Any:
    """The caller's active orders: their own and those of the waiters they assist."""
    return service.my_orders(db, user=user)


@router.post(
    "/",
    status_code=201,
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *LICENSE_ERRORS, *service.OPEN_ERRORS),
)
def open_order(body: OrderCreate, user: CurrentUser, _: LicenseRequired, db: DbSession) -> Any:
    """Open an order on a free table; the caller becomes its waiter (refused while unlicensed: 402/423)."""
    return service.open_order(db, table_id=body.table_id, guests=body.guests, by=user)


@router.get(
    "/{order_id}",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, service.OrderNotFound, service.NotOrderOwner),
)
def get_order(order_id: OrderId, user: CurrentUser, db: DbSession) -> Any:
    """One order with its items, payments and totals (owner, assistant or manager)."""
    return service.get_order_detail(db, order_id=order_id, by=user)


@router.post(
    "/{order_id}/items",
    status_code=201,
    response_model=ItemsAddedRead,
    responses=error_responses(*AUTH_ERRORS, *LICENSE_ERRORS, *service.ADD_ITEMS_ERRORS),
)
def add_items(order_id: OrderId, body: OrderItemsCreate, user: CurrentUser, _: LicenseRequired, db: DbSession) -> Any:
    """Add a round of items; prices are computed and snapshotted by the server (refused while unlicensed)."""
    return service.add_items(db, order_id=order_id, items=body.items, by=user)


@router.post(
    "/{order_id}/fire",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.FIRE_ERRORS),
)
def fire_course(order_id: OrderId, body: CourseFire, user: CurrentUser, db: DbSession) -> Any:
    """Fire a held course: its items print (marked FIRE) and light up on the kitchen screens."""
    return service.fire_course(db, order_id=order_id, course=body.course, by=user)


@router.post(
    "/{order_id}/pay",
    status_code=201,
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.PAY_ERRORS),
)
def pay(order_id: OrderId, body: PaymentCreate, user: CurrentUser, db: DbSession) -> Any:
    """Pay the given items (their exact total plus an optional tip); the order becomes partially_paid or paid."""
    return service.pay(db, order_id=order_id, item_ids=body.item_ids, method=body.method, tip=body.tip, by=user)


@router.post(
    "/{order_id}/close",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *service.CLOSE_ERRORS),
)
def close_order(order_id: OrderId, user: CurrentUser, db: DbSession) -> Any:
    """Close a fully paid order and free its table."""
    return service.close_order(db, order_id=order_id, by=user)


@router.delete(
    "/{order_id}/items/{item_id}",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *service.CANCEL_ITEM_ERRORS),
)
def cancel_item(order_id: OrderId, item_id: ItemId, body: ReasonIn, user: ManagerUser, db: DbSession) -> Any:
    """Cancel an unpaid item with a reason (manager)."""
    return service.cancel_item(db, order_id=order_id, item_id=item_id, reason=body.reason, by=user)


@router.delete(
    "/{order_id}",
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *service.CANCEL_ORDER_ERRORS),
)
def cancel_order(order_id: OrderId, body: ReasonIn, user: ManagerUser, db: DbSession) -> Any:
    """Cancel an order that has no payments, with a reason (manager)."""
    return service.cancel_order(db, order_id=order_id, reason=body.reason, by=user)


@router.get(
    "/{order_id}/history",
    response_model=list[AuditEventRead],
    responses=error_responses(*AUTH_ERRORS, service.OrderNotFound, service.NotOrderOwner),
)
def order_history(order_id: OrderId, user: CurrentUser, db: DbSession) -> Any:
    """The order's audit trail, oldest first: who opened, added, paid, cancelled and closed what, and when."""
    return service.order_history(db, order_id=order_id, by=user)
