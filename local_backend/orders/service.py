"""Order rules: open, add items, close, cancel, transfer, merge, move items — and the order figures other domains
read. Payments, refunds and splits live in payments.py and splits.py; the bill's arithmetic in ledger.py.

Writes run one at a time (TavoloRoute holds the app's write lock around a `BEGIN IMMEDIATE` transaction), so a
check followed by a write here cannot race another request in this process; the partial unique index on
orders is the database's own guarantee of one active order per table on top of that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Row, and_, case, func, insert, or_, select, update
from sqlalchemy import Table as SqlTable
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from local_backend.audit import service as audit
from local_backend.audit.models import AuditEvent
from local_backend.events import Audience, publish_after_commit
from local_backend.guest import moves as guest_moves
from local_backend.inventory import stock as inventory
from local_backend.kitchen import service as kitchen
from local_backend.kitchen.models import KitchenTicket
from local_backend.menu import service as menu
from local_backend.orders import ledger, pricing
from local_backend.orders.models import (
    ACTIVE_ORDER_STATUSES,
    PAYMENT_METHODS,
    Order,
    OrderDiscount,
    OrderItem,
    Payment,
    PaymentItem,
    Refund,
)
from local_backend.orders.schemas import OrderItemCreate
from local_backend.printing import service as printing
from local_backend.settings import service as site
from local_backend.staff import service as staff
from local_backend.staff.models import User
from local_backend.tables import service as tables
from local_backend.tables.models import Table
from shared.clock import ensure_utc, utcnow
from shared.errors import Conflict, Forbidden, NotFound, Unprocessable

CLOSED_STATUSES = ("closed", "cancelled")
ORDER_ITEMS = cast(SqlTable, OrderItem.__table__)


class OrderNotFound(NotFound):
    code = "ORDER_NOT_FOUND"
    default_detail = "No such order"


class NotOrderOwner(Forbidden):
    code = "NOT_ORDER_OWNER"
    default_detail = "This order belongs to another waiter"


class TableHasOpenOrder(Conflict):
    code = "TABLE_HAS_OPEN_ORDER"
    default_detail = "This table already has an open order"


class TableInactive(Conflict):
    code = "TABLE_INACTIVE"
    default_detail = "This table is not in service"


class OrderNotOpen(Conflict):
    code = "ORDER_NOT_OPEN"
    default_detail = "This order is closed or cancelled"


class ProductNotFound(NotFound):
    code = "PRODUCT_NOT_FOUND"
    default_detail = "No such product"


class ProductUnavailable(Conflict):
    code = "PRODUCT_UNAVAILABLE"
    default_detail = "This product is not available"


class InvalidOption(Unprocessable):
    code = "INVALID_OPTION"
    default_detail = "Not an option of this product"


class InvalidIngredient(Unprocessable):
    code = "INVALID_INGREDIENT"
    default_detail = "Not a removable ingredient of this product"


class InvalidChoice(Unprocessable):
    code = "INVALID_CHOICE"
    default_detail = "Not a choice of this product"


class ChoiceConflict(Unprocessable):
    code = "CHOICE_CONFLICT"
    default_detail = "Only one choice per preference set"


class ChoiceRequired(Unprocessable):
    code = "CHOICE_REQUIRED"
    default_detail = "A required preference was not answered"


class ItemNotInOrder(Unprocessable):
    code = "ITEM_NOT_IN_ORDER"
    default_detail = "An item is not part of this order"


class ItemNotFound(NotFound):
    code = "ITEM_NOT_FOUND"
    default_detail = "No such item in this order"


class ItemAlreadyPaid(Conflict):
    code = "ITEM_ALREADY_PAID"
    default_detail = "This item is already paid"


class ItemCancelled(Conflict):
    code = "ITEM_CANCELLED"
    default_detail = "This item was cancelled"


class ItemAlreadyCancelled(Conflict):
    code = "ITEM_ALREADY_CANCELLED"
    default_detail = "This item is already cancelled"


class OrderHasBalance(Conflict):
    code = "ORDER_HAS_BALANCE"
    default_detail = "This order still has a balance to pay"


class ItemsCoveredByPayments(Conflict):
    code = "ITEMS_COVERED_BY_PAYMENTS"
    default_detail = "Payments already cover this value: the bill would owe the guest money (refund first)"


class SameOrder(Unprocessable):
    code = "SAME_ORDER"
    default_detail = "An order cannot be merged with or moved into itself"


class NotEnoughUnpaid(Conflict):
    code = "ITEM_ALREADY_PAID"
    default_detail = "Not that many unpaid units of this item"


class OrderHasPayments(Conflict):
    code = "ORDER_HAS_PAYMENTS"
    default_detail = "An order with payments cannot be cancelled"


class ItemHasDiscount(Conflict):
    code = "ITEM_HAS_DISCOUNT"
    default_detail = "This item has a discount: remove it before moving the item"


class WaiterNotFound(NotFound):
    code = "WAITER_NOT_FOUND"
    default_detail = "No such member of staff"


class WaiterInactive(Conflict):
    code = "WAITER_INACTIVE"
    default_detail = "This member of staff is deactivated"


class OrderHasWaiter(Conflict):
    code = "ORDER_HAS_WAITER"
    default_detail = "Another waiter has already taken this table"


class NothingToFire(Conflict):
    code = "NOTHING_TO_FIRE"
    default_detail = "No item of that course is held"


OPEN_ERRORS = (tables.TableNotFound, TableInactive, TableHasOpenOrder)
ADD_ITEMS_ERRORS = (
    OrderNotFound,
    NotOrderOwner,
    OrderNotOpen,
    ProductNotFound,
    ProductUnavailable,
    InvalidOption,
    InvalidIngredient,
    InvalidChoice,
    ChoiceConflict,
    ChoiceRequired,
)
CLOSE_ERRORS = (OrderNotFound, NotOrderOwner, OrderNotOpen, OrderHasBalance)
CANCEL_ITEM_ERRORS = (
    OrderNotFound,
    NotOrderOwner,
    OrderNotOpen,
    ItemNotFound,
    ItemAlreadyPaid,
    ItemAlreadyCancelled,
    ItemsCoveredByPayments,
)
CANCEL_ORDER_ERRORS = (OrderNotFound, OrderNotOpen, OrderHasPayments)
FIRE_ERRORS = (OrderNotFound, NotOrderOwner, OrderNotOpen, NothingToFire)
TRANSFER_ERRORS = (OrderNotFound, NotOrderOwner, OrderNotOpen, tables.TableNotFound, TableInactive, TableHasOpenOrder)
REASSIGN_ERRORS = (OrderNotFound, OrderNotOpen, WaiterNotFound, WaiterInactive)
TAKE_ERRORS = (OrderNotFound, OrderNotOpen, OrderHasWaiter)
MERGE_ERRORS = (OrderNotFound, NotOrderOwner, OrderNotOpen, SameOrder)
MOVE_ERRORS = (
    OrderNotFound,
    NotOrderOwner,
    OrderNotOpen,
    SameOrder,
    ItemNotInOrder,
    ItemCancelled,
    ItemAlreadyPaid,
    ItemsCoveredByPayments,
    ItemHasDiscount,
)


# ---------------------------------------------------------------------------------------------------------------
# Views (what the API returns; pydantic reads them with from_attributes)


@dataclass(frozen=True, slots=True)
class PaymentItemView:
    item_id: int
    quantity: int
    amount: int


@dataclass(frozen=True, slots=True)
class RefundView:
    id: int
    payment_id: int
    order_id: int
    amount: int
    reason: str
    method: str
    created_by_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: int
    order_id: int
    method: str
    amount: int
    tip: int
    tendered: int | None
    change_due: int
    reference: str | None
    split_part: str | None
    created_by_id: int
    created_at: datetime
    item_ids: list[int]
    items: list[PaymentItemView]
    refunds: list[RefundView]
    refunded: int


def refund_view(refund: Refund) -> RefundView:
    return RefundView(
        id=refund.id,
        payment_id=refund.payment_id,
        order_id=refund.order_id,
        amount=refund.amount,
        reason=refund.reason,
        method=refund.method,
        created_by_id=refund.created_by_id,
        created_at=refund.created_at,
    )


def payment_view(payment: Payment) -> PaymentView:
    """A payment whose items and refunds are loaded."""
    return PaymentView(
        id=payment.id,
        order_id=payment.order_id,
        method=payment.method,
        amount=payment.amount,
        tip=payment.tip,
        tendered=payment.tendered,
        change_due=payment.change_due,
        reference=payment.reference,
        split_part=payment.split_part,
        created_by_id=payment.created_by_id,
        created_at=payment.created_at,
        item_ids=[pi.order_item_id for pi in payment.items],
        items=[
            PaymentItemView(item_id=pi.order_item_id, quantity=pi.quantity, amount=pi.amount) for pi in payment.items
        ],
        refunds=[refund_view(r) for r in payment.refunds],
        refunded=ledger.refunded(payment),
    )


@dataclass(frozen=True, slots=True)
class OrderHead:
    """What every view of an order shows: who, where, when, state and money."""

    id: int
    table_id: int
    table_number: int
    table_label: str
    waiter_id: int
    waiter_name: str
    status: str
    guests: int
    rounds: int
    opened_at: datetime
    closed_at: datetime | None
    cancelled_at: datetime | None
    total: int
    paid_total: int
    due: int


@dataclass(frozen=True, slots=True)
class OrderTotals:
    """The bill's breakdown: subtotal - discounts + service charge (+ exclusive tax) = total; paid; balance."""

    tax_mode: str
    service_charge_bp: int
    subtotal: int
    discounts: int
    service_charge: int
    taxes: list[pricing.TaxLine]
    tax_total: int
    total: int
    paid: int
    balance: int
    lines: list[pricing.LineOut]


def totals_of(order: Order) -> OrderTotals:
    """The breakdown of an order loaded with `load_for_ledger`."""
    bill = ledger.breakdown(order)
    paid = ledger.paid_amount(order.payments)
    return OrderTotals(
        tax_mode=bill.tax_mode,
        service_charge_bp=order.service_charge_bp,
        subtotal=bill.subtotal,
        discounts=bill.discounts,
        service_charge=bill.service_charge,
        taxes=bill.taxes,
        tax_total=bill.tax_total,
        total=bill.total,
        paid=paid,
        balance=bill.total - paid,
        lines=bill.lines,
    )


@dataclass(frozen=True, slots=True)
class OrderDetail(OrderHead):
    totals: OrderTotals
    discounts: list[OrderDiscount]
    cancelled_by_id: int | None
    cancel_reason: str | None
    updated_at: datetime
    items: list[OrderItem]
    payments: list[PaymentView]
    tips_total: int
    refunded_total: int
    fired_course: int
    merged_into_id: int | None


@dataclass(frozen=True, slots=True)
class OrderSummary(OrderHead):
    item_count: int


@dataclass(frozen=True, slots=True)
class ItemsAdded:
    order_id: int
    order_status: str
    round: int
    items: list[Row[Any]]  # order_items rows as inserted (INSERT ... RETURNING), read like OrderItem


@dataclass(frozen=True, slots=True)
class ActiveOrderSummary:
    """What the floor view needs about a table's active order."""

    order_id: int
    table_id: int
    status: str
    waiter_id: int
    guests: int
    opened_at: datetime
    total: int
    paid_total: int
    item_count: int


def _is_live() -> ColumnElement[bool]:
    return OrderItem.status != "cancelled"


def _line() -> ColumnElement[int]:
    return OrderItem.unit_price * OrderItem.quantity


def _paid_sql() -> ColumnElement[int]:
    """paid = payments - refunds of the outer query's order, as a correlated scalar (same rule as ledger)."""
    payments = select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.order_id == Order.id)
    refunds = select(func.coalesce(func.sum(Refund.amount), 0)).where(Refund.order_id == Order.id)
    return payments.scalar_subquery() - refunds.scalar_subquery()


def _priced_totals(db: Session, rows: Sequence[tuple[int, str, int]]) -> dict[int, int]:
    """Exact totals of the orders (id, tax_mode, service_charge_bp) whose total is not the sum of their lines.

    The SQL sums gross lines; an order needs the pricing rules only with a discount, a service charge or
    exclusive tax, so the floor view stays one query on an ordinary evening.
    """
    ids = {oid for oid, mode, service in rows if mode == "exclusive" or service}
    all_ids = [row[0] for row in rows]
    if all_ids:
        ids |= set(
            db.scalars(
                select(OrderDiscount.order_id)
                .where(OrderDiscount.order_id.in_(all_ids), OrderDiscount.removed_at.is_(None))
                .distinct()
            ).all()
        )
    if not ids:
        return {}
    loaded = db.scalars(
        select(Order)
        .where(Order.id.in_(sorted(ids)))
        .options(selectinload(Order.items), selectinload(Order.discounts))
        .execution_options(populate_existing=True)
    ).all()
    return {order.id: ledger.order_total(order) for order in loaded}


def active_order_summaries(db: Session) -> dict[int, ActiveOrderSummary]:
    """Active order per table id with running totals, in one query (the floor view calls this)."""
    live = OrderItem.status != "cancelled"
    line = OrderItem.unit_price * OrderItem.quantity
    stmt = (
        select(
            Order.id,
            Order.table_id,
            Order.status,
            Order.waiter_id,
            Order.guests,
            Order.opened_at,
            func.coalesce(func.sum(case((live, line), else_=0)), 0),
            _paid_sql(),
            func.coalesce(func.sum(case((live, OrderItem.quantity), else_=0)), 0),
            Order.tax_mode,
            Order.service_charge_bp,
        )
        .outerjoin(OrderItem, OrderItem.order_id == Order.id)
        .where(Order.status.in_(ACTIVE_ORDER_STATUSES))
        .group_by(Order.id)
    )
    rows = db.execute(stmt).all()
    exact = _priced_totals(db, [(row[0], row[9], row[10]) for row in rows])
    return {
        row[1]: ActiveOrderSummary(
            order_id=row[0],
            table_id=row[1],
            status=row[2],
            waiter_id=row[3],
            guests=row[4],
            opened_at=row[5],
            total=exact.get(row[0], int(row[6])),
            paid_total=int(row[7]),
            item_count=int(row[8]),
        )
        for row in rows
    }


# ---------------------------------------------------------------------------------------------------------------
# Loading and permissions


def utc_bound(value: datetime | None) -> datetime | None:
    """A client-sent period bound in UTC; bounds beyond what a datetime can hold clamp instead of failing."""
    if value is None:
        return None
    try:
        return ensure_utc(value)
    except OverflowError:
        edge = datetime.max if value.year > 1 else datetime.min
        return edge.replace(tzinfo=UTC)


def _get_order(db: Session, order_id: int) -> Order:
    order = db.get(Order, order_id)
    if order is None:
        raise OrderNotFound()
    return order


def _full_options() -> list[Any]:
    return [
        selectinload(Order.items),
        selectinload(Order.discounts),
        selectinload(Order.payments).selectinload(Payment.items),
        selectinload(Order.payments).selectinload(Payment.refunds),
    ]


def _load_full(db: Session, order_id: int) -> Order:
    """The order with its items and payments (their item units and refunds), fresh from the database."""
    order = db.scalars(
        select(Order).where(Order.id == order_id).options(*_full_options()).execution_options(populate_existing=True)
    ).first()
    if order is None:
        raise OrderNotFound()
    return order


def load_for_ledger(db: Session, order_id: int) -> Order:
    """The order loaded for ledger work (payments.py and splits.py use this)."""
    return _load_full(db, order_id)


def can_act_on(db: Session, order: Order, user: User) -> bool:
    """Managers act on every order; a waiter on their own, on those of the waiters they assist, and on orders
    guests opened by QR (direct mode), which belong to no waiter until one takes the table."""
    if user.is_manager or order.waiter_id == user.id:
        return True
    if order.waiter_id in staff.acting_for(db, user):
        return True
    return staff.owned_by_guests(db, order.waiter_id)


def _ensure_can_act(db: Session, order: Order, user: User) -> None:
    if not can_act_on(db, order, user):
        raise NotOrderOwner()


def _ensure_active(order: Order) -> None:
    if order.status in CLOSED_STATUSES:
        raise OrderNotOpen(f"Order {order.id} is {order.status}")


# The ledger modules (payments.py, splits.py) share these rules.
ensure_can_act = _ensure_can_act
ensure_active = _ensure_active


def _detail(db: Session, order: Order, *, table: Table | None = None, waiter_name: str | None = None) -> OrderDetail:
    """The full view of an order whose items and payments (with their units and refunds) are loaded."""
    if table is None:
        table = tables.get_table(db, order.table_id)
    if waiter_name is None:
        waiter_name = staff.display_names(db, [order.waiter_id]).get(order.waiter_id, "")
    totals = totals_of(order)
    total, paid_total = totals.total, totals.paid
    return OrderDetail(
        totals=totals,
        discounts=list(order.discounts),
        id=order.id,
        table_id=order.table_id,
        table_number=table.number,
        table_label=table.label,
        waiter_id=order.waiter_id,
        waiter_name=waiter_name,
        status=order.status,
        guests=order.guests,
        rounds=order.rounds,
        opened_at=order.opened_at,
        closed_at=order.closed_at,
        cancelled_at=order.cancelled_at,
        cancelled_by_id=order.cancelled_by_id,
        cancel_reason=order.cancel_reason,
        updated_at=order.updated_at,
        items=list(order.items),
        payments=[payment_view(p) for p in order.payments],
        total=total,
        paid_total=paid_total,
        due=total - paid_total,
        tips_total=sum(p.tip for p in order.payments),
        refunded_total=sum(ledger.refunded(p) for p in order.payments),
        fired_course=order.fired_course,
        merged_into_id=order.merged_into_id,
    )


def full_detail(db: Session, order_id: int) -> OrderDetail:
    """The order's full view, reloaded from the database."""
    return _detail(db, _load_full(db, order_id))


def detail_of(db: Session, order: Order) -> OrderDetail:
    """The full view of an order already loaded with `load_for_ledger`."""
    return _detail(db, order)


def _settle_loaded(db: Session, order: Order) -> None:
    """Flush pending changes, reload the order's ledger and recompute its status (and settled units)."""
    db.flush()
    ledger.settle(_load_full(db, order.id))
    db.flush()


# ---------------------------------------------------------------------------------------------------------------
# Reads


def get_order_detail(db: Session, *, order_id: int, by: User) -> OrderDetail:
    """One order with items, payments and totals, for its owner, an assistant or a manager."""
    order = _load_full(db, order_id)
    _ensure_can_act(db, order, by)
    return _detail(db, order)


def _summaries(db: Session, where: Sequence[ColumnElement[bool]], *, limit: int, offset: int) -> list[OrderSummary]:
    live = _is_live()
    line = _line()
    stmt = (
        select(
            Order,
            func.coalesce(func.sum(case((live, line), else_=0)), 0),
            _paid_sql(),
            func.coalesce(func.sum(case((live, OrderItem.quantity), else_=0)), 0),
        )
        .outerjoin(OrderItem, OrderItem.order_id == Order.id)
        .where(*where)
        .group_by(Order.id)
        .order_by(Order.opened_at.desc(), Order.id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = db.execute(stmt).all()
    exact = _priced_totals(db, [(row[0].id, row[0].tax_mode, row[0].service_charge_bp) for row in rows])
    names = staff.display_names(db, {row[0].waiter_id for row in rows})
    floor = {tid: tables.get_table(db, tid) for tid in {row[0].table_id for row in rows}}
    out = []
    for order, gross, paid, count in rows:
        total = exact.get(order.id, int(gross))
        table = floor[order.table_id]
        out.append(
            OrderSummary(
                id=order.id,
                table_id=order.table_id,
                table_number=table.number,
                table_label=table.label,
                waiter_id=order.waiter_id,
                waiter_name=names.get(order.waiter_id, ""),
                status=order.status,
                guests=order.guests,
                rounds=order.rounds,
                opened_at=order.opened_at,
                closed_at=order.closed_at,
                cancelled_at=order.cancelled_at,
                total=total,
                paid_total=int(paid),
                due=total - int(paid),
                item_count=int(count),
            )
        )
    return out


def opened_between(db: Session, *, start: datetime, end: datetime, batch: int = 200) -> Iterator[list[Order]]:
    """Orders opened in [start, end), oldest first, in batches loaded for the ledger (CSV exports read these).

    Keyset pages keep each query short however long the period; the caller may expunge a batch once used.
    """
    after: tuple[datetime, int] | None = None
    while True:
        stmt = select(Order).where(Order.opened_at >= start, Order.opened_at < end)
        if after is not None:
            stmt = stmt.where(or_(Order.opened_at > after[0], and_(Order.opened_at == after[0], Order.id > after[1])))
        page = db.scalars(stmt.order_by(Order.opened_at, Order.id).limit(batch).options(*_full_options())).all()
        if not page:
            return
        yield list(page)
        if len(page) < batch:
            return
        after = (page[-1].opened_at, page[-1].id)


def my_orders(db: Session, *, user: User) -> list[OrderSummary]:
    """The active orders of `user` and of the waiters they assist, newest first."""
    waiter_ids = staff.acting_for(db, user)
    where = [Order.waiter_id.in_(waiter_ids), Order.status.in_(ACTIVE_ORDER_STATUSES)]
    return _summaries(db, where, limit=1000, offset=0)


def list_orders(
    db: Session,
    *,
    status: str | None = None,
    table_id: int | None = None,
    waiter_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[OrderSummary]:
    """Orders newest first, filtered by status, table, waiter and opening time [since, until)."""
    where: list[ColumnElement[bool]] = []
    if status is not None:
        where.append(Order.status == status)
    if table_id is not None:
        where.append(Order.table_id == table_id)
    if waiter_id is not None:
        where.append(Order.waiter_id == waiter_id)
    start, end = utc_bound(since), utc_bound(until)
    if start is not None:
        where.append(Order.opened_at >= start)
    if end is not None:
        where.append(Order.opened_at < end)
    return _summaries(db, where, limit=limit, offset=offset)


def order_history(db: Session, *, order_id: int, by: User) -> Sequence[AuditEvent]:
    """Who did what to one order and when, oldest first."""
    order = _get_order(db, order_id)
    _ensure_can_act(db, order, by)
    return audit.order_history(db, order.id)


# ---------------------------------------------------------------------------------------------------------------
# Writes


def active_order_id(db: Session, table_id: int) -> int | None:
    """The id of the table's active (open, partially paid or paid) order, if it has one."""
    return db.scalar(
        select(Order.id).where(Order.table_id == table_id, Order.status.in_(ACTIVE_ORDER_STATUSES)).limit(1)
    )


def _announce(db: Session, order: Order, type_: str, **data: Any) -> None:
    """Tell the order's waiters (and managers) what happened, and everyone that the table changed, after commit."""
    head = {"order_id": order.id, "table_id": order.table_id, "status": order.status}
    publish_after_commit(db, type_, {**head, **data}, staff.serving(db, order.waiter_id))
    publish_after_commit(db, "table.changed", head, Audience.everyone())


announce = _announce


def open_order(db: Session, *, table_id: int, guests: int | None, by: User) -> OrderDetail:
    """Open an order on a free, active table; the opener is its waiter."""
    table = tables.get_table(db, table_id)
    if not table.is_active:
        raise TableInactive(f"Table {table.label} is not in service")
    existing = active_order_id(db, table.id)
    if existing is not None:
        raise TableHasOpenOrder(f"Table {table.label} already has open order {existing}")
    label = table.label  # a failed flush expires every loaded object
    cfg = site.current(db)
    order = Order(
        table_id=table.id,
        waiter_id=by.id,
        status="open",
        guests=guests or 0,
        tax_mode=cfg.tax_mode,
        service_charge_bp=cfg.service_charge_bp,
        items=[],
        payments=[],
        discounts=[],
    )
    db.add(order)
    try:
        db.flush()
    except IntegrityError as exc:
        # Another writer (a second process on the same file) won the race: the partial unique index says so.
        message = str(exc.orig)
        if "uq_orders_active_table" in message or "orders.table_id" in message:
            raise TableHasOpenOrder(f"Table {label} already has an open order") from exc
        raise
    audit.record(
        db,
        action="order.opened",
        entity_type="order",
        entity_id=order.id,
        actor=by,
        order_id=order.id,
        data={"table_id": table.id, "table_label": table.label, "guests": order.guests},
    )
    _announce(db, order, "order.opened", guests=order.guests)
    return _detail(db, order, table=table, waiter_name=by.display_name)


def _price_item(spec: OrderItemCreate, product: menu.PricedProduct | None, *, where: str) -> dict[str, Any]:
    """Validate one requested item against its product and compute its snapshot and unit price."""
    if product is None:
        raise ProductNotFound(f"{where}: no product {spec.product_id}")
    if not product.is_available or product.is_archived:
        raise ProductUnavailable(f"{where}: {product.name} is not available")

    options = {o.id: o for o in product.options}
    price = product.base_price
    selected = []
    for option_id in dict.fromkeys(spec.option_ids):
        option = options.get(option_id)
        if option is None:
            raise InvalidOption(f"{where}: {option_id} is not an option of {product.name}")
        price += option.extra_cost
        selected.append({"id": option.id, "name": option.name, "extra_cost": option.extra_cost})

    ingredients = {i.id: i for i in product.ingredients}
    removed = []
    for ingredient_id in dict.fromkeys(spec.removed_ingredient_ids):
        ingredient = ingredients.get(ingredient_id)
        if ingredient is None:
            raise InvalidIngredient(f"{where}: {ingredient_id} is not a removable ingredient of {product.name}")
        removed.append({"id": ingredient.id, "name": ingredient.name})

    set_of_choice = {c.id: s.id for s in product.preference_sets for c in s.choices}
    picked: dict[int, int] = {}
    for choice_id in dict.fromkeys(spec.choice_ids):
        set_id = set_of_choice.get(choice_id)
        if set_id is None:
            raise InvalidChoice(f"{where}: {choice_id} is not a choice of {product.name}")
        if set_id in picked:
            raise ChoiceConflict(f"{where}: two choices of one preference set of {product.name}")
        picked[set_id] = choice_id
    choices = []
    for pset in product.preference_sets:  # menu order, so tickets list preferences the same way every time
        chosen = picked.get(pset.id)
        if chosen is None:
            if pset.is_required:
                raise ChoiceRequired(f"{where}: {product.name} needs a choice for {pset.name}")
            continue
        choice = next(c for c in pset.choices if c.id == chosen)
        price += choice.price_delta
        choices.append(
            {
                "set_id": pset.id,
                "set_name": pset.name,
                "id": choice.id,
                "name": choice.name,
                "price_delta": choice.price_delta,
            }
        )

    zone = product.printer_zone_id
    return {
        "product_id": product.id,
        "product_name": product.name,
        "quantity": spec.quantity,
        # Negative deltas (half portions) can undercut a cheap base; an item never pays the guest.
        "unit_price": max(0, price),
        "tax_rate_bp": product.tax_rate_bp,
        "selected_options": selected,
        "removed_ingredients": removed,
        "choices": choices,
        "note": spec.note,
        "seat": spec.seat,
        "course": spec.course,
        "printer_zone_id": zone,
    }


def _fire_time(priced: dict[str, Any], fired_course: int, now: datetime) -> datetime | None:
    return now if priced["course"] <= fired_course else None


def add_items(db: Session, *, order_id: int, items: Sequence[OrderItemCreate], by: User) -> ItemsAdded:
    """Price and snapshot new items as one round; the hot path, so a fixed handful of queries whatever the size."""
    order = _get_order(db, order_id)
    _ensure_can_act(db, order, by)
    _ensure_active(order)
    return _add_round(db, order, items, by)


def add_guest_items(
    db: Session,
    *,
    order_id: int,
    items: Sequence[OrderItemCreate],
    nicknames: Sequence[str],
    by: User,
    on_behalf_of_guests: bool = False,
) -> ItemsAdded:
    """Add what guests ordered from the table's code, exactly like a waiter's round, each item marked with the
    guest's nickname. `by` is the accepting waiter (checked like add_items), or the "QR guests" user in direct
    mode (`on_behalf_of_guests`: the table's code is the authority, whoever owns the order)."""
    order = _get_order(db, order_id)
    if not on_behalf_of_guests:
        _ensure_can_act(db, order, by)
    _ensure_active(order)
    return _add_round(db, order, items, by, nicknames=nicknames)


def price_item(spec: OrderItemCreate, product: menu.PricedProduct | None) -> dict[str, Any]:
    """Validate and price one item like add_items does (same errors), without adding it: a guest's cart line."""
    return _price_item(spec, product, where="item")


def _add_round(
    db: Session,
    order: Order,
    items: Sequence[OrderItemCreate],
    by: User,
    *,
    nicknames: Sequence[str] | None = None,
) -> ItemsAdded:
    products = menu.products_for_order(db, {spec.product_id for spec in items})
    priced = [_price_item(spec, products.get(spec.product_id), where=f"items[{pos}]") for pos, spec in enumerate(items)]
    if nicknames is not None:
        for values, nickname in zip(priced, nicknames, strict=True):
            values["guest_nickname"] = nickname

    now = utcnow()
    round_no = order.rounds + 1
    order.rounds = round_no
    if order.status == "paid":
        if sum(v["unit_price"] * v["quantity"] for v in priced):
            order.status = "partially_paid"
        else:  # free extras on a settled bill are settled too
            for v in priced:
                v["paid_quantity"] = v["quantity"]
    # One multi-row INSERT ... RETURNING: the unit of work would INSERT row by row on SQLite (its RETURNING
    # order is not guaranteed, so SQLAlchemy will not batch ORM objects), and ORM bulk insert splits the batch
    # wherever optional fields (note, seat) switch between set and unset. Ids grow in VALUES order, so sorting
    # by id restores the request's order.
    rows = db.execute(
        insert(ORDER_ITEMS).returning(*ORDER_ITEMS.c),
        [
            {
                "order_id": order.id,
                "round": round_no,
                "added_by_id": by.id,
                "added_at": now,
                "updated_at": now,
                "fired_at": _fire_time(v, order.fired_course, now),
                **v,
            }
            for v in priced
        ],
    ).all()
    new_items = sorted(rows, key=lambda row: int(row.id))
    # Their recipes leave the stock in this same transaction (nothing at all while no recipe exists).
    inventory.consume(db, new_items)
    fired = [item for item in new_items if item.fired_at is not None]
    audit.record(
        db,
        action="order.items_added",
        entity_type="order",
        entity_id=order.id,
        actor=by,
        order_id=order.id,
        data={
            "round": round_no,
            "items": [
                {
                    "id": item.id,
                    "product_id": item.product_id,
                    "name": item.product_name,
                    "quantity": item.quantity,
                    "unit_price": item.unit_price,
                    "options": [o["name"] for o in item.selected_options],
                    "removed": [i["name"] for i in item.removed_ingredients],
                    "choices": [c["name"] for c in item.choices],
                    **({} if item.fired_at is not None else {"held_course": item.course}),
                    **({"guest": item.guest_nickname} if item.guest_nickname else {}),
                }
                for item in new_items
            ],
            "amount": sum(item.unit_price * item.quantity for item in new_items),
        },
    )
    # Held courses print when they are fired; the screens show them greyed until then.
    printing.enqueue_kitchen_tickets(
        db, order_id=order.id, table_id=order.table_id, round_no=round_no, items=fired, by=by
    )
    # The kitchen display's tickets: one more multi-row INSERT in the same transaction.
    kitchen.open_tickets(db, order_id=order.id, table_id=order.table_id, round_no=round_no, items=new_items, by=by)
    _announce(db, order, "order.items_added", round=round_no, item_ids=[int(item.id) for item in new_items])
    return ItemsAdded(order_id=order.id, order_status=order.status, round=round_no, items=new_items)


def fire_course(db: Session, *, order_id: int, course: int, by: User) -> OrderDetail:
    """Release a held course (and any earlier one still held): its items print with a FIRE mark and light up on
    the kitchen screens; later items of these courses go straight to the kitchen."""
    order = _get_order(db, order_id)
    _ensure_can_act(db, order, by)
    _ensure_active(order)
    held = db.scalars(
        select(OrderItem)
        .where(
            OrderItem.order_id == order.id,
            OrderItem.fired_at.is_(None),
            OrderItem.course <= course,
            OrderItem.status != "cancelled",
        )
        .order_by(OrderItem.id)
    ).all()
    if not held and course <= order.fired_course:
        raise NothingToFire(f"Nothing of course {course} is held on order {order.id}")
    now = utcnow()
    for item in held:
        item.fired_at = now
    order.fired_course = max(order.fired_course, course)
    db.flush()
    audit.record(
        db,
        action="order.course_fired",
        entity_type="order",
        entity_id=order.id,
        actor=by,
        order_id=order.id,
        data={"course": course, "item_ids": [item.id for item in held]},
    )
    printing.enqueue_fired_items(db, order_id=order.id, table_id=order.table_id, items=held, by=by)
    kitchen.items_fired(db, order_id=order.id, items=held)
    _announce(db, order, "order.course_fired", course=course, item_ids=[item.id for item in held])
    return full_detail(db, order.id)


def close_order(db: Session, *, order_id: int, by: User) -> OrderDetail:
    """Close an order with nothing left to pay (or nothing ordered); the table becomes free."""
    order = _load_full(db, order_id)
    _ensure_can_act(db, order, by)
    _ensure_active(order)
    due = ledger.balance(order)
    if due > 0:
        raise OrderHasBalance(f"Order {order.id} still has {due} (minor units) to pay")
    order.status = "closed"
    order.closed_at = utcnow()
    audit.record(
        db,
        action="order.closed",
        entity_type="order",
        entity_id=order.id,
        actor=by,
        order_id=order.id,
        data={"table_id": order.table_id},
    )
    db.flush()
    _announce(db, order, "order.closed")
    return _detail(db, order)


def cancel_item(
    db: Session, *, order_id: int, item_id: int, reason: str, by: User, approver: User | None = None
) -> OrderDetail:
    """Void one unpaid item: a manager, or a waiter of the order with a manager's approval (`approver`, checked by
    the caller). Its discounts go with it; the audit keeps who asked, who approved and whether it had printed."""
    approver = approver or by
    order = _load_full(db, order_id)
    _ensure_can_act(db, order, by)
    _ensure_active(order)
    item = next((i for i in order.items if i.id == item_id), None)
    if item is None:
        raise ItemNotFound(f"Order {order.id} has no item {item_id}")
    if item.status == "cancelled":
        raise ItemAlreadyCancelled()
    if item.paid_quantity > 0:
        raise ItemAlreadyPaid(f"{item.product_name} is paid; refund it instead")
    paid = ledger.paid_amount(order.payments)
    total_after = ledger.breakdown(order, without={item.id}).total
    if total_after < paid:
        raise ItemsCoveredByPayments(
            f"Payments already cover all but {ledger.balance(order)} of order {order.id}; refund first"
        )
    amount = ledger.order_total(order) - total_after
    inventory.restore(db, [item], user_id=by.id)  # back to stock if the kitchen had not started it
    now = utcnow()
    item.status = "cancelled"
    item.cancelled_by_id = by.id
    item.cancelled_at = now
    item.cancel_reason = reason
    item.cancel_approved_by_id = approver.id
    for discount in order.discounts:
        if discount.item_id == item.id and discount.removed_at is None:
            discount.removed_at = now
            discount.removed_by_id = by.id
            discount.removed_approved_by_id = approver.id
            discount.removed_reason = "item voided"
    ledger.settle(order)
    db.flush()
    audit.record(
        db,
        action="order.item_cancelled",
        entity_type="order_item",
        entity_id=item.id,
        actor=by,
        order_id=order.id,
        data={
            "item_id": item.id,
            "name": item.product_name,
            "quantity": item.quantity,
            "unit_price": item.unit_price,
            "amount": item.line_total,
            "bill_reduced_by": amount,
            "reason": reason,
            "was_printed": item.printed,
            "requested_by_id": by.id,
            "approved_by_id": approver.id,
            "approved_by_name": approver.display_name,
            "status": order.status,
        },
    )
    printing.void_items(db, order_id=order.id, table_id=order.table_id, items=[item], by=by)
    kitchen.items_voided(db, order_id=order.id, items=[item])
    db.flush()
    _announce(db, order, "order.item_cancelled", item_id=item.id)
    return full_detail(db, order.id)


def cancel_order(db: Session, *, order_id: int, reason: str, by: User) -> OrderDetail:
    """Cancel a whole unpaid order (manager); its live items are cancelled with it, at the same instant."""
    order = _get_order(db, order_id)
    _ensure_active(order)
    payments = db.scalar(select(func.count(Payment.id)).where(Payment.order_id == order.id)) or 0
    if payments:
        raise OrderHasPayments(f"Order {order.id} has {payments} payment(s)")
    live = and_(OrderItem.order_id == order.id, _is_live())
    count, amount = db.execute(
        select(func.coalesce(func.sum(OrderItem.quantity), 0), func.coalesce(func.sum(_line()), 0)).where(live)
    ).one()
    # The kitchen hears about it: items on paper get VOID tickets, queued ones leave their ticket.
    voided = db.scalars(select(OrderItem).where(live)).all()
    inventory.restore(db, voided, user_id=by.id)  # what the kitchen had not started goes back to stock
    printing.void_items(db, order_id=order.id, table_id=order.table_id, items=voided, by=by)
    kitchen.items_voided(db, order_id=order.id, items=voided)
    now = utcnow()
    # Same instant as the order's cancelled_at: that is how reports tell these from earlier single voids.
    db.execute(
        update(OrderItem)
        .where(live)
        .values(status="cancelled", cancelled_by_id=by.id, cancelled_at=now, cancel_reason=reason, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    order.status = "cancelled"
    order.cancelled_at = now
    order.cancelled_by_id = by.id
    order.cancel_reason = reason
    audit.record(
        db,
        action="order.cancelled",
        entity_type="order",
        entity_id=order.id,
        actor=by,
        order_id=order.id,
        data={"reason": reason, "items": int(count), "amount": int(amount), "table_id": order.table_id},
    )
    db.flush()
    _announce(db, order, "order.cancelled")
    return full_detail(db, order.id)


# ---------------------------------------------------------------------------------------------------------------
# Moving bills around: transfer to another table, merge two orders, move item units between orders
#
# Kitchen tickets are found from their items by (order, round, zone). When items change order or table, their
# tickets follow them in the same transaction (kitchen.relabel_order, merge_tickets; a move copies them here), and
# the screens get each changed ticket whole (kitchen.ticket_updated): the KDS must not lose a dish, or show the
# old table, because the bill moved.


def transfer(db: Session, *, order_id: int, table_id: int, by: User) -> OrderDetail:
    """Move the whole order to a free table in service; items keep their ids, so tickets and the KDS carry on."""
    order = _load_full(db, order_id)
    _ensure_can_act(db, order, by)
    _ensure_active(order)
    table = tables.get_table(db, table_id)
    if not table.is_active:
        raise TableInactive(f"Table {table.label} is not in service")
    existing = active_order_id(db, table.id)
    if existing is not None:
        raise TableHasOpenOrder(f"Table {table.label} already has open order {existing}")
    old_table_id = order.table_id
    order.table_id = table.id
    try:
        db.flush()
    except IntegrityError as exc:
        raise TableHasOpenOrder(f"Table {table.label} already has an open order") from exc
    kitchen.relabel_order(db, order_id=order.id, table_label=table.label)
    guest_moves.follow_order(db, order_id=order.id, from_table_id=old_table_id, to_table_id=table.id)
    audit.record(
        db,
        action="order.transferred",
        entity_type="order",
        entity_id=order.id,
        actor=by,
        order_id=order.id,
        data={"from_table_id": old_table_id, "to_table_id": table.id, "to_table_label": table.label},
    )
    _announce(db, order, "order.transferred", from_table_id=old_table_id)
    publish_after_commit(
        db, "table.changed", {"order_id": None, "table_id": old_table_id, "status": None}, Audience.everyone()
    )
    return _detail(db, order, table=table)


def reassign(db: Session, *, order_id: int, waiter_id: int, by: User) -> OrderDetail:
    """Hand an active order to another active member of staff (manager): the old waiter's phone drops it, the
    new one's picks it up, and the floor shows the new name."""
    order = _load_full(db, order_id)
    _ensure_active(order)
    waiter = staff.find_user(db, waiter_id)
    if waiter is None:
        raise WaiterNotFound(f"No member of staff with id {waiter_id}")
    if not waiter.is_active:
        raise WaiterInactive(f"{waiter.display_name} is deactivated")
    if order.waiter_id != waiter.id:
        _hand_over(db, order, waiter, by=by, action="order.reassigned")
    return _detail(db, order, waiter_name=waiter.display_name)


def take(db: Session, *, order_id: int, by: User) -> OrderDetail:
    """A waiter takes a table that guests opened by QR (direct mode): the order becomes theirs, their phone gets
    its events and reports count its sales as theirs. Taking one's own order again changes nothing."""
    order = _load_full(db, order_id)
    _ensure_active(order)
    if order.waiter_id != by.id:
        if not staff.owned_by_guests(db, order.waiter_id):
            name = staff.display_names(db, [order.waiter_id]).get(order.waiter_id, "another waiter")
            raise OrderHasWaiter(f"{name} has already taken this table")
        _hand_over(db, order, by, by=by, action="order.taken")
    return _detail(db, order, waiter_name=by.display_name)


def _hand_over(db: Session, order: Order, waiter: User, *, by: User, action: str) -> None:
    old_waiter_id = order.waiter_id
    # Both sets of phones must hear it: the old waiter's to drop the order, the new one's to pick it up.
    old, new = staff.serving(db, old_waiter_id), staff.serving(db, waiter.id)
    audience = (
        Audience.everyone()
        if old.waiter_ids is None or new.waiter_ids is None
        else Audience.waiters(old.waiter_ids | new.waiter_ids)
    )
    old_name = staff.display_names(db, [old_waiter_id]).get(old_waiter_id, "")
    order.waiter_id = waiter.id
    db.flush()
    audit.record(
        db,
        action=action,
        entity_type="order",
        entity_id=order.id,
        actor=by,
        order_id=order.id,
        data={
            "from_waiter_id": old_waiter_id,
            "from_waiter_name": old_name,
            "to_waiter_id": waiter.id,
            "to_waiter_name": waiter.display_name,
        },
    )
    head = {"order_id": order.id, "table_id": order.table_id, "status": order.status}
    publish_after_commit(
        db, "order.reassigned", {**head, "from_waiter_id": old_waiter_id, "waiter_id": waiter.id}, audience
    )
    publish_after_commit(db, "table.changed", head, Audience.everyone())


def _two_active(db: Session, order_id: int, other_id: int, by: User) -> tuple[Order, Order]:
    if order_id == other_id:
        raise SameOrder()
    first, second = _load_full(db, order_id), _load_full(db, other_id)
    for order in (first, second):
        _ensure_can_act(db, order, by)
        _ensure_active(order)
    return first, second


def merge(db: Session, *, order_id: int, other_id: int, by: User) -> OrderDetail:
    """Bring another order's items and payments into this one; the other is cancelled as "merged into #id"
    (with merged_into_id set, so reports do not count it as a void) and its table is free."""
    target, source = _two_active(db, order_id, other_id, by)
    offset = target.rounds
    item_ids = [item.id for item in source.items]
    payment_ids = [p.id for p in source.payments]
    # Rounds are renumbered after the target's own, so (order, round, zone) stays unique for their tickets.
    db.execute(
        update(OrderItem)
        .where(OrderItem.order_id == source.id)
        .values(order_id=target.id, round=OrderItem.round + offset)
        .execution_options(synchronize_session=False)
    )
    kitchen.merge_tickets(
        db,
        from_order_id=source.id,
        into_order_id=target.id,
        round_offset=offset,
        table_label=table_label_of(db, target.table_id),
    )
    for model in (Payment, Refund, OrderDiscount):
        db.execute(
            update(model)
            .where(model.order_id == source.id)
            .values(order_id=target.id)
            .execution_options(synchronize_session=False)
        )
    target.rounds += source.rounds
    target.fired_course = max(target.fired_course, source.fired_course)
    target.guests += source.guests
    now = utcnow()
    source.status = "cancelled"
    source.cancelled_at = now
    source.cancelled_by_id = by.id
    source.cancel_reason = f"merged into #{target.id}"
    source.merged_into_id = target.id
    db.flush()
    db.expire(source, ["items", "payments", "discounts"])
    target = _load_full(db, target.id)
    ledger.settle(target)
    db.flush()
    audit.record(
        db,
        action="order.merged",
        entity_type="order",
        entity_id=target.id,
        actor=by,
        order_id=target.id,
        data={
            "from_order_id": source.id,
            "from_table_id": source.table_id,
            "item_ids": item_ids,
            "payment_ids": payment_ids,
        },
    )
    audit.record(
        db,
        action="order.merged_into",
        entity_type="order",
        entity_id=source.id,
        actor=by,
        order_id=source.id,
        data={"into_order_id": target.id, "into_table_id": target.table_id, "item_ids": item_ids},
    )
    _announce(db, source, "order.merged_into", into_order_id=target.id)
    _announce(db, target, "order.merged", from_order_id=source.id, item_ids=item_ids)
    return _detail(db, target)


def move_items(
    db: Session, *, order_id: int, items: Sequence[tuple[int, int]], to_order_id: int, by: User
) -> OrderDetail:
    """Move unpaid item units to another active order; part of a line splits it, the new line a copy of the old
    one (price snapshot, kitchen progress, printed mark) so nothing reprints and the kitchen keeps its place."""
    source, target = _two_active(db, order_id, to_order_id, by)
    wanted: dict[int, int] = {}
    for item_id, quantity in items:
        wanted[item_id] = wanted.get(item_id, 0) + quantity
    by_id = {item.id: item for item in source.items}
    missing = [item_id for item_id in wanted if item_id not in by_id]
    if missing:
        raise ItemNotInOrder(f"Items {missing[:10]} are not part of order {source.id}")
    for item_id, quantity in wanted.items():
        item = by_id[item_id]
        if item.status == "cancelled":
            raise ItemCancelled(f"{item.product_name} (item {item.id}) was cancelled")
        if quantity > item.unpaid_quantity:
            raise NotEnoughUnpaid(
                f"{item.product_name} (item {item.id}): {item.unpaid_quantity} of {item.quantity} left unpaid"
            )
    discounted = sorted(
        {d.item_id for d in source.discounts if d.removed_at is None and d.item_id in wanted and d.item_id is not None}
    )
    if discounted:
        raise ItemHasDiscount(f"Items {discounted[:10]} have discounts on order {source.id}; remove them first")
    remaining = {item_id: by_id[item_id].quantity - quantity for item_id, quantity in wanted.items()}
    total_after = ledger.breakdown(source, quantities=remaining).total
    value = ledger.order_total(source) - total_after
    if total_after < ledger.paid_amount(source.payments):
        raise ItemsCoveredByPayments(
            f"Payments already cover all but {ledger.balance(source)} of order {source.id}; refund first"
        )

    # The moved units arrive as one new round of the target; their tickets are copied to it per zone.
    round_no = target.rounds + 1
    target.rounds = round_no
    tickets: dict[tuple[int, int | None], KitchenTicket] = {
        (t.round, t.zone_id): t
        for t in db.scalars(select(KitchenTicket).where(KitchenTicket.order_id == source.id)).all()
    }
    label = table_label_of(db, target.table_id)
    new_tickets: dict[int, KitchenTicket] = {}
    old_ticket_ids: set[int] = set()
    moved: list[dict[str, Any]] = []
    skip = {"id", "order_id", "quantity", "paid_quantity", "round"}
    for item_id, quantity in wanted.items():
        item = by_id[item_id]
        ticket = tickets.get((item.round, item.printer_zone_id))
        if ticket is not None:
            old_ticket_ids.add(ticket.id)
        if ticket is not None and ticket.zone_id not in new_tickets:
            new_tickets[ticket.zone_id] = KitchenTicket(
                order_id=target.id,
                round=round_no,
                zone_id=ticket.zone_id,
                table_label=label,
                waiter_name=ticket.waiter_name,
                sent_at=ticket.sent_at,
                bumped_at=ticket.bumped_at,
            )
        if quantity == item.quantity:
            moved.append({"id": item.id, "from_id": item.id, "quantity": quantity})
            item.order_id = target.id
            item.round = round_no
        else:
            copy = OrderItem(
                **{c.key: getattr(item, c.key) for c in ORDER_ITEMS.columns if c.key not in skip},
                order_id=target.id,
                quantity=quantity,
                paid_quantity=0,
                round=round_no,
            )
            item.quantity -= quantity
            db.add(copy)
            db.flush()
            moved.append({"id": copy.id, "from_id": item.id, "quantity": quantity})
    db.add_all(new_tickets.values())
    db.flush()
    # The screens show the moved units under the target's ticket and no longer under their old one.
    kitchen.tickets_changed(db, ticket_ids=[*old_ticket_ids, *(t.id for t in new_tickets.values())])
    db.expire(source, ["items"])
    db.expire(target, ["items"])
    source = _load_full(db, source.id)
    ledger.settle(source)
    target = _load_full(db, target.id)
    ledger.settle(target)
    db.flush()
    for order, other_id, action in (
        (source, target.id, "order.items_moved_out"),
        (target, source.id, "order.items_moved_in"),
    ):
        audit.record(
            db,
            action=action,
            entity_type="order",
            entity_id=order.id,
            actor=by,
            order_id=order.id,
            data={"other_order_id": other_id, "items": moved, "amount": value, "round": round_no},
        )
    _announce(db, source, "order.items_moved", to_order_id=target.id, item_ids=[m["from_id"] for m in moved])
    _announce(db, target, "order.items_moved", from_order_id=source.id, item_ids=[m["id"] for m in moved])
    return _detail(db, source)


def table_label_of(db: Session, table_id: int) -> str:
    return tables.get_table(db, table_id).label


def mark_items_printed(db: Session, item_ids: Iterable[int]) -> None:
    """The printer confirmed these items' kitchen ticket (called by the print worker)."""
    ids = sorted(set(item_ids))
    if ids:
        rows = db.execute(
            update(OrderItem)
            .where(OrderItem.id.in_(ids))
            .values(printed=True)
            .returning(OrderItem.order_id, OrderItem.id)
            .execution_options(synchronize_session=False)
        ).all()
        printed: defaultdict[int, list[int]] = defaultdict(list)
        for order_id, item_id in rows:
            printed[int(order_id)].append(int(item_id))
        # The waiter's phone shows the printed mark as soon as the kitchen has the ticket.
        for order in db.scalars(select(Order).where(Order.id.in_(printed))):
            head = {"order_id": order.id, "table_id": order.table_id, "status": order.status}
            publish_after_commit(
                db, "order.items_printed", {**head, "item_ids": printed[order.id]}, staff.serving(db, order.waiter_id)
            )


# ---------------------------------------------------------------------------------------------------------------
# Period figures (reports read these; the SQL stays with the tables it reads)


@dataclass(frozen=True, slots=True)
class MethodTotal:
    method: str
    payments: int
    amount: int
    tips: int


@dataclass(frozen=True, slots=True)
class WaiterTotal:
    waiter_id: int
    orders: int
    revenue: int
    tips: int


@dataclass(frozen=True, slots=True)
class CancellationRow:
    kind: str  # "item" or "order"
    order_id: int
    item_id: int | None
    table_id: int
    product_name: str | None
    quantity: int
    amount: int
    reason: str | None
    by_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    orders_opened: int
    orders_closed: int
    orders_cancelled: int
    paid_orders: int
    items_sold: int
    by_method: list[MethodTotal] = field(default_factory=list)
    by_waiter: list[WaiterTotal] = field(default_factory=list)
    cancellations: list[CancellationRow] = field(default_factory=list)


def period_figures(db: Session, *, start: datetime, end: datetime) -> PeriodFigures:
    """Order and payment figures for [start, end), aggregated by the database in a handful of queries."""

    def within(column: Any) -> ColumnElement[bool]:
        return and_(column >= start, column < end)

    paid_in_period = within(Payment.created_at)
    # A merged order is cancelled only as bookkeeping: its items and payments live on in the other order.
    not_merged = Order.merged_into_id.is_(None)
    counts = db.execute(
        select(
            select(func.count(Order.id)).where(within(Order.opened_at)).scalar_subquery(),
            select(func.count(Order.id)).where(within(Order.closed_at)).scalar_subquery(),
            select(func.count(Order.id)).where(within(Order.cancelled_at), not_merged).scalar_subquery(),
            select(func.count(func.distinct(Payment.order_id))).where(paid_in_period).scalar_subquery(),
            # Units paid item by item; a payment by amount or share names no items.
            select(func.coalesce(func.sum(PaymentItem.quantity), 0))
            .join(Payment, PaymentItem.payment_id == Payment.id)
            .where(paid_in_period)
            .scalar_subquery(),
        )
    ).one()

    taken = {
        m: MethodTotal(method=m, payments=int(n), amount=int(a), tips=int(t))
        for m, n, a, t in db.execute(
            select(Payment.method, func.count(Payment.id), func.sum(Payment.amount), func.sum(Payment.tip))
            .where(paid_in_period)
            .group_by(Payment.method)
        ).all()
    }
    # Every method is listed, with zeros when unused, so a report always has the same lines.
    methods = [*PAYMENT_METHODS, *sorted(set(taken) - set(PAYMENT_METHODS))]
    by_method = [taken.get(m, MethodTotal(method=m, payments=0, amount=0, tips=0)) for m in methods]

    opened = {
        w: int(n)
        for w, n in db.execute(
            select(Order.waiter_id, func.count(Order.id)).where(within(Order.opened_at)).group_by(Order.waiter_id)
        ).all()
    }
    takings = {
        w: (int(a), int(t))
        for w, a, t in db.execute(
            select(Order.waiter_id, func.sum(Payment.amount), func.sum(Payment.tip))
            .join(Order, Payment.order_id == Order.id)
            .where(paid_in_period)
            .group_by(Order.waiter_id)
        ).all()
    }
    by_waiter = [
        WaiterTotal(
            waiter_id=w,
            orders=int(opened.get(w, 0)),
            revenue=takings.get(w, (0, 0))[0],
            tips=takings.get(w, (0, 0))[1],
        )
        for w in sorted(set(opened) | set(takings))
    ]

    # Items cancelled together with their order are reported once, as the order's cancellation.
    item_rows = db.execute(
        select(
            OrderItem.id,
            OrderItem.order_id,
            Order.table_id,
            OrderItem.product_name,
            OrderItem.quantity,
            OrderItem.unit_price,
            OrderItem.cancel_reason,
            OrderItem.cancelled_by_id,
            OrderItem.cancelled_at,
        )
        .join(Order, OrderItem.order_id == Order.id)
        .where(
            OrderItem.status == "cancelled",
            within(OrderItem.cancelled_at),
            or_(Order.cancelled_at.is_(None), OrderItem.cancelled_at < Order.cancelled_at),
        )
    ).all()
    order_rows = db.execute(
        select(
            Order.id,
            Order.table_id,
            Order.cancel_reason,
            Order.cancelled_by_id,
            Order.cancelled_at,
            func.coalesce(func.sum(OrderItem.quantity), 0),
            func.coalesce(func.sum(_line()), 0),
        )
        .outerjoin(OrderItem, and_(OrderItem.order_id == Order.id, OrderItem.cancelled_at >= Order.cancelled_at))
        .where(Order.status == "cancelled", within(Order.cancelled_at), not_merged)
        .group_by(Order.id)
    ).all()
    cancellations = [
        CancellationRow(
            kind="item",
            order_id=oid,
            item_id=iid,
            table_id=tid,
            product_name=name,
            quantity=qty,
            amount=qty * price,
            reason=reason,
            by_id=by_id,
            at=at,
        )
        for iid, oid, tid, name, qty, price, reason, by_id, at in item_rows
        if at is not None
    ] + [
        CancellationRow(
            kind="order",
            order_id=oid,
            item_id=None,
            table_id=tid,
            product_name=None,
            quantity=int(qty),
            amount=int(amount),
            reason=reason,
            by_id=by_id,
            at=at,
        )
        for oid, tid, reason, by_id, at, qty, amount in order_rows
        if at is not None
    ]
    cancellations.sort(key=lambda c: (c.at, c.order_id, c.item_id or 0))

    return PeriodFigures(
        orders_opened=int(counts[0]),
        orders_closed=int(counts[1]),
        orders_cancelled=int(counts[2]),
        paid_orders=int(counts[3]),
        items_sold=int(counts[4]),
        by_method=by_method,
        by_waiter=by_waiter,
        cancellations=cancellations,
    )


@dataclass(frozen=True, slots=True)
class PeriodTax:
    tax_mode: str
    rate_bp: int
    base: int
    net: int
    tax: int


def period_taxes(db: Session, *, start: datetime, end: datetime) -> list[PeriodTax]:
    """Tax per (mode, rate) of the orders closed in [start, end): a bill's tax is due when the bill is settled.

    Each order is priced by its own snapshotted rules (pricing.py), the same figures its bill printed.
    """
    closed = db.scalars(
        select(Order)
        .where(Order.status == "closed", Order.closed_at >= start, Order.closed_at < end)
        .options(selectinload(Order.items), selectinload(Order.discounts))
    ).all()
    sums: dict[tuple[str, int], list[int]] = {}
    for order in closed:
        for line in ledger.breakdown(order).taxes:
            acc = sums.setdefault((order.tax_mode, line.rate_bp), [0, 0, 0])
            acc[0] += line.base
            acc[1] += line.net
            acc[2] += line.tax
    return [
        PeriodTax(tax_mode=mode, rate_bp=rate, base=base, net=net, tax=tax)
        for (mode, rate), (base, net, tax) in sorted(sums.items())
    ]
