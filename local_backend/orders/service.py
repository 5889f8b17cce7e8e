"""Order rules: open, add items, pay, close, cancel — and the order figures other domains read.

Writes run one at a time (TavoloRoute holds the app's write lock around a `BEGIN IMMEDIATE` transaction), so a
check followed by a write here cannot race another request in this process; the partial unique index on
orders is the database's own guarantee of one active order per table on top of that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
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
from local_backend.kitchen import service as kitchen
from local_backend.menu import service as menu
from local_backend.orders.models import ACTIVE_ORDER_STATUSES, PAYMENT_METHODS, Order, OrderItem, Payment
from local_backend.orders.schemas import OrderItemCreate
from local_backend.printing import service as printing
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


class OrderHasUnpaidItems(Conflict):
    code = "ORDER_HAS_UNPAID_ITEMS"
    default_detail = "Items of this order are not paid yet"


class OrderHasPayments(Conflict):
    code = "ORDER_HAS_PAYMENTS"
    default_detail = "An order with payments cannot be cancelled"


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
PAY_ERRORS = (OrderNotFound, NotOrderOwner, OrderNotOpen, ItemNotInOrder, ItemAlreadyPaid, ItemCancelled)
CLOSE_ERRORS = (OrderNotFound, NotOrderOwner, OrderNotOpen, OrderHasUnpaidItems)
CANCEL_ITEM_ERRORS = (OrderNotFound, OrderNotOpen, ItemNotFound, ItemAlreadyPaid, ItemAlreadyCancelled)
CANCEL_ORDER_ERRORS = (OrderNotFound, OrderNotOpen, OrderHasPayments)
FIRE_ERRORS = (OrderNotFound, NotOrderOwner, OrderNotOpen, NothingToFire)


# ---------------------------------------------------------------------------------------------------------------
# Views (what the API returns; pydantic reads them with from_attributes)


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: int
    order_id: int
    method: str
    amount: int
    tip: int
    created_by_id: int
    created_at: datetime
    item_ids: list[int]


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
class OrderDetail(OrderHead):
    cancelled_by_id: int | None
    cancel_reason: str | None
    updated_at: datetime
    items: list[OrderItem]
    payments: list[PaymentView]
    tips_total: int
    fired_course: int


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
            func.coalesce(func.sum(case((live & OrderItem.payment_id.is_not(None), line), else_=0)), 0),
            func.coalesce(func.sum(case((live, OrderItem.quantity), else_=0)), 0),
        )
        .outerjoin(OrderItem, OrderItem.order_id == Order.id)
        .where(Order.status.in_(ACTIVE_ORDER_STATUSES))
        .group_by(Order.id)
    )
    return {
        row[1]: ActiveOrderSummary(
            order_id=row[0],
            table_id=row[1],
            status=row[2],
            waiter_id=row[3],
            guests=row[4],
            opened_at=row[5],
            total=int(row[6]),
            paid_total=int(row[7]),
            item_count=int(row[8]),
        )
        for row in db.execute(stmt).all()
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


def _load_full(db: Session, order_id: int) -> Order:
    order = db.scalars(
        select(Order)
        .where(Order.id == order_id)
        .options(selectinload(Order.items), selectinload(Order.payments))
        .execution_options(populate_existing=True)
    ).first()
    if order is None:
        raise OrderNotFound()
    return order


def can_act_on(db: Session, order: Order, user: User) -> bool:
    """Managers act on every order; a waiter on their own and on those of the waiters they assist."""
    if user.is_manager or order.waiter_id == user.id:
        return True
    return order.waiter_id in staff.acting_for(db, user)


def _ensure_can_act(db: Session, order: Order, user: User) -> None:
    if not can_act_on(db, order, user):
        raise NotOrderOwner()


def _ensure_active(order: Order) -> None:
    if order.status in CLOSED_STATUSES:
        raise OrderNotOpen(f"Order {order.id} is {order.status}")


def _detail(db: Session, order: Order, *, table: Table | None = None, waiter_name: str | None = None) -> OrderDetail:
    """The full view of an order whose items and payments are loaded."""
    if table is None:
        table = tables.get_table(db, order.table_id)
    if waiter_name is None:
        waiter_name = staff.display_names(db, [order.waiter_id]).get(order.waiter_id, "")
    paid_items: defaultdict[int, list[int]] = defaultdict(list)
    total = 0
    for item in order.items:
        if item.status != "cancelled":
            total += item.line_total
        if item.payment_id is not None:
            paid_items[item.payment_id].append(item.id)
    payments = [
        PaymentView(
            id=p.id,
            order_id=p.order_id,
            method=p.method,
            amount=p.amount,
            tip=p.tip,
            created_by_id=p.created_by_id,
            created_at=p.created_at,
            item_ids=paid_items.get(p.id, []),
        )
        for p in order.payments
    ]
    paid_total = sum(p.amount for p in order.payments)
    return OrderDetail(
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
        payments=payments,
        total=total,
        paid_total=paid_total,
        due=total - paid_total,
        tips_total=sum(p.tip for p in order.payments),
        fired_course=order.fired_course,
    )


def _full_detail(db: Session, order_id: int) -> OrderDetail:
    return _detail(db, _load_full(db, order_id))


def _unpaid_and_payments(db: Session, order_id: int) -> tuple[int, int]:
    """How many live items are unpaid and how many payments exist, in one query."""
    unpaid = (
        select(func.count(OrderItem.id))
        .where(OrderItem.order_id == order_id, _is_live(), OrderItem.payment_id.is_(None))
        .scalar_subquery()
    )
    payments = select(func.count(Payment.id)).where(Payment.order_id == order_id).scalar_subquery()
    row = db.execute(select(unpaid, payments)).one()
    return int(row[0]), int(row[1])


def _unpaid_loaded(order: Order) -> int:
    """Live unpaid items of an order whose items are loaded (and current) in the session."""
    return sum(1 for item in order.items if item.status != "cancelled" and item.payment_id is None)


def _status_from_loaded(order: Order) -> None:
    """_refresh_status for an order whose items and payments are loaded (and current) in the session."""
    if not order.payments:
        order.status = "open"
    elif _unpaid_loaded(order) == 0:
        order.status = "paid"
    else:
        order.status = "partially_paid"


def _refresh_status(db: Session, order: Order) -> None:
    """open until the first payment; then paid when every live item is paid, else partially_paid."""
    unpaid, payments = _unpaid_and_payments(db, order.id)
    if payments == 0:
        order.status = "open"
    elif unpaid == 0:
        order.status = "paid"
    else:
        order.status = "partially_paid"


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
            func.coalesce(func.sum(case((live & OrderItem.payment_id.is_not(None), line), else_=0)), 0),
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
    names = staff.display_names(db, {row[0].waiter_id for row in rows})
    floor = {tid: tables.get_table(db, tid) for tid in {row[0].table_id for row in rows}}
    out = []
    for order, total, paid, count in rows:
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
                total=int(total),
                paid_total=int(paid),
                due=int(total) - int(paid),
                item_count=int(count),
            )
        )
    return out


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
    waiters = [order.waiter_id, *staff.assistants_of(db, order.waiter_id)]
    head = {"order_id": order.id, "table_id": order.table_id, "status": order.status}
    publish_after_commit(db, type_, {**head, **data}, Audience.waiters(waiters))
    publish_after_commit(db, "table.changed", head, Audience.everyone())


def open_order(db: Session, *, table_id: int, guests: int | None, by: User) -> OrderDetail:
    """Open an order on a free, active table; the opener is its waiter."""
    table = tables.get_table(db, table_id)
    if not table.is_active:
        raise TableInactive(f"Table {table.label} is not in service")
    existing = active_order_id(db, table.id)
    if existing is not None:
        raise TableHasOpenOrder(f"Table {table.label} already has open order {existing}")
    label = table.label  # a failed flush expires every loaded object
    order = Order(table_id=table.id, waiter_id=by.id, status="open", guests=guests or 0, items=[], payments=[])
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


def _price_item(pos: int, spec: OrderItemCreate, product: menu.PricedProduct | None) -> dict[str, Any]:
    """Validate one requested item against its product and compute its snapshot and unit price."""
    where = f"items[{pos}]"
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
    products = menu.products_for_order(db, {spec.product_id for spec in items})
    priced = [_price_item(pos, spec, products.get(spec.product_id)) for pos, spec in enumerate(items)]

    now = utcnow()
    round_no = order.rounds + 1
    order.rounds = round_no
    if order.status == "paid":
        order.status = "partially_paid"
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
    return _full_detail(db, order.id)


def pay(db: Session, *, order_id: int, item_ids: Iterable[int], method: str, tip: int = 0, by: User) -> OrderDetail:
    """Pay exactly the given items (split bills pay some of them); the payment is their total plus the tip."""
    # One load of the whole order; the view returned at the end is built from it, not reloaded.
    order = _load_full(db, order_id)
    _ensure_can_act(db, order, by)
    _ensure_active(order)
    ids = list(dict.fromkeys(item_ids))
    wanted = set(ids)
    found = {item.id: item for item in order.items if item.id in wanted}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ItemNotInOrder(f"Items {missing[:10]} are not part of order {order.id}")
    items = [found[i] for i in ids]
    for item in items:
        if item.status == "cancelled":
            raise ItemCancelled(f"{item.product_name} (item {item.id}) was cancelled")
        if item.payment_id is not None:
            raise ItemAlreadyPaid(f"{item.product_name} (item {item.id}) is already paid")

    amount = sum(item.line_total for item in items)
    payment = Payment(order_id=order.id, method=method, amount=amount, tip=tip, created_by_id=by.id)
    order.payments.append(payment)
    db.flush()
    for item in items:
        item.payment_id = payment.id
    _status_from_loaded(order)
    audit.record(
        db,
        action="order.paid",
        entity_type="payment",
        entity_id=payment.id,
        actor=by,
        order_id=order.id,
        data={
            "payment_id": payment.id,
            "method": method,
            "amount": amount,
            "tip": tip,
            "item_ids": ids,
            "items": [{"id": i.id, "name": i.product_name, "quantity": i.quantity} for i in items],
            "status": order.status,
        },
    )
    db.flush()
    _announce(db, order, "order.paid", payment_id=payment.id, item_ids=ids)
    return _detail(db, order)


def close_order(db: Session, *, order_id: int, by: User) -> OrderDetail:
    """Close a fully paid order; the table becomes free."""
    order = _load_full(db, order_id)
    _ensure_can_act(db, order, by)
    _ensure_active(order)
    unpaid = _unpaid_loaded(order)
    if unpaid:
        raise OrderHasUnpaidItems(f"{unpaid} item(s) of order {order.id} are not paid")
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


def cancel_item(db: Session, *, order_id: int, item_id: int, reason: str, by: User) -> OrderDetail:
    """Void one unpaid item (manager); the audit keeps whether the kitchen already had it on a ticket."""
    order = _get_order(db, order_id)
    _ensure_active(order)
    item = db.get(OrderItem, item_id)
    if item is None or item.order_id != order.id:
        raise ItemNotFound(f"Order {order.id} has no item {item_id}")
    if item.status == "cancelled":
        raise ItemAlreadyCancelled()
    if item.payment_id is not None:
        raise ItemAlreadyPaid(f"{item.product_name} is paid; refund it instead")
    now = utcnow()
    item.status = "cancelled"
    item.cancelled_by_id = by.id
    item.cancelled_at = now
    item.cancel_reason = reason
    db.flush()
    _refresh_status(db, order)
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
            "reason": reason,
            "was_printed": item.printed,
            "status": order.status,
        },
    )
    printing.void_items(db, order_id=order.id, table_id=order.table_id, items=[item], by=by)
    kitchen.items_voided(db, order_id=order.id, items=[item])
    db.flush()
    _announce(db, order, "order.item_cancelled", item_id=item.id)
    return _full_detail(db, order.id)


def cancel_order(db: Session, *, order_id: int, reason: str, by: User) -> OrderDetail:
    """Cancel a whole unpaid order (manager); its live items are cancelled with it, at the same instant."""
    order = _get_order(db, order_id)
    _ensure_active(order)
    _, payments = _unpaid_and_payments(db, order.id)
    if payments:
        raise OrderHasPayments(f"Order {order.id} has {payments} payment(s)")
    live = and_(OrderItem.order_id == order.id, _is_live())
    count, amount = db.execute(
        select(func.coalesce(func.sum(OrderItem.quantity), 0), func.coalesce(func.sum(_line()), 0)).where(live)
    ).one()
    # The kitchen hears about it: items on paper get VOID tickets, queued ones leave their ticket.
    voided = db.scalars(select(OrderItem).where(live)).all()
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
    return _full_detail(db, order.id)


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
            waiters = [order.waiter_id, *staff.assistants_of(db, order.waiter_id)]
            head = {"order_id": order.id, "table_id": order.table_id, "status": order.status}
            publish_after_commit(
                db, "order.items_printed", {**head, "item_ids": printed[order.id]}, Audience.waiters(waiters)
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
    counts = db.execute(
        select(
            select(func.count(Order.id)).where(within(Order.opened_at)).scalar_subquery(),
            select(func.count(Order.id)).where(within(Order.closed_at)).scalar_subquery(),
            select(func.count(Order.id)).where(within(Order.cancelled_at)).scalar_subquery(),
            select(func.count(func.distinct(Payment.order_id))).where(paid_in_period).scalar_subquery(),
            select(func.coalesce(func.sum(OrderItem.quantity), 0))
            .join(Payment, OrderItem.payment_id == Payment.id)
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
        .where(Order.status == "cancelled", within(Order.cancelled_at))
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
