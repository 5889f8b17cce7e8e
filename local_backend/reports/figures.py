"""Money figures of a period, aggregated by the database: payments, refunds, tips, voids, waiters, cash.

These read the bill ledger's tables (`payments`, `refunds`, `payment_methods`, `order_items`, `order_discounts`)
directly: reports
aggregate across domains in SQL, which the orders service's per-order functions cannot do. The cash shift and the
X/Z reports are built on them; nothing here writes.

Money counts when it moves: a payment in the period it was taken, a refund in the period it was given back (even
for a payment of an earlier day), a void when the item was cancelled, a discount when it was given (unless it was
taken back within the period). Periods are [start, end) in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, and_, cast, exists, func, or_, select
from sqlalchemy.orm import Session

from local_backend.orders.models import Order, OrderDiscount, OrderItem, Payment, PaymentMethod, Refund
from local_backend.shifts.models import CashMovement, Shift
from local_backend.staff import service as staff

# The built-in cash method counts as cash even on a database whose method list says nothing about it.
BUILT_IN_CASH = "cash"


def _within(col: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(col >= start, col < end)


def is_cash(method: Any) -> ColumnElement[bool]:
    """A payment or refund method column is cash (its kind in the method list, or the built-in code)."""
    cash_codes = select(PaymentMethod.code).where(PaymentMethod.kind == "cash")
    return or_(method == BUILT_IN_CASH, method.in_(cash_codes))


@dataclass(frozen=True, slots=True)
class MethodLine:
    method: str
    name: str
    kind: str
    payments: int
    amount: int
    tips: int
    refunds: int

    @property
    def net(self) -> int:
        """What this method brought in: payments and their tips, less refunds."""
        return self.amount + self.tips - self.refunds


@dataclass(frozen=True, slots=True)
class Totals:
    payments: int
    sales: int
    tips: int
    refunds: int

    @property
    def net_sales(self) -> int:
        return self.sales - self.refunds

    @property
    def collected(self) -> int:
        return self.sales + self.tips - self.refunds


@dataclass(frozen=True, slots=True)
class VoidLine:
    user_id: int | None
    user_name: str | None
    count: int
    quantity: int
    amount: int


@dataclass(frozen=True, slots=True)
class Voids:
    count: int
    quantity: int
    amount: int
    by_user: list[VoidLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DiscountKindLine:
    kind: str
    count: int
    amount: int


@dataclass(frozen=True, slots=True)
class Discounts:
    count: int
    amount: int
    by_kind: list[DiscountKindLine] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class WaiterLine:
    waiter_id: int
    waiter_name: str
    orders: int
    sales: int
    refunds: int
    tips: int


@dataclass(frozen=True, slots=True)
class CashFlows:
    payments: int
    tips: int
    refunds: int
    pay_ins: int
    pay_outs: int

    @property
    def net(self) -> int:
        """Cash that came into the drawer in the period (the float not included)."""
        return self.payments + self.tips - self.refunds + self.pay_ins - self.pay_outs


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    by_method: list[MethodLine]
    totals: Totals
    voids: Voids
    discounts: Discounts
    by_waiter: list[WaiterLine]
    cash: CashFlows


def method_list(db: Session) -> list[tuple[str, str, str, bool]]:
    """(code, name, kind, is_active) of every method the manager defined, in their order."""
    rows = db.execute(
        select(PaymentMethod.code, PaymentMethod.name, PaymentMethod.kind, PaymentMethod.is_active).order_by(
            PaymentMethod.sort_order, PaymentMethod.code
        )
    ).all()
    return [(str(code), str(name), str(kind), bool(active)) for code, name, kind, active in rows]


def by_method(db: Session, start: datetime, end: datetime) -> list[MethodLine]:
    """Every active method (zeros when unused, so a report always has the same lines) and any other method used."""
    taken = {
        str(m): (int(n), int(a), int(t))
        for m, n, a, t in db.execute(
            select(Payment.method, func.count(Payment.id), func.sum(Payment.amount), func.sum(Payment.tip))
            .where(_within(Payment.created_at, start, end))
            .group_by(Payment.method)
        ).all()
    }
    refunded = {
        str(m): int(a)
        for m, a in db.execute(
            select(Refund.method, func.sum(Refund.amount))
            .where(_within(Refund.created_at, start, end))
            .group_by(Refund.method)
        ).all()
    }
    known = method_list(db)
    all_methods = {code: (name, kind) for code, name, kind, _ in known}
    listed = [code for code, _, _, active in known if active]
    extra = sorted((set(taken) | set(refunded)) - set(listed))
    lines = []
    for code in [*listed, *extra]:
        name, kind = all_methods.get(code, (code.replace("_", " ").capitalize(), _guess_kind(code)))
        n, amount, tips = taken.get(code, (0, 0, 0))
        lines.append(
            MethodLine(
                method=code,
                name=str(name),
                kind=str(kind),
                payments=n,
                amount=amount,
                tips=tips,
                refunds=refunded.get(code, 0),
            )
        )
    return lines


def _guess_kind(code: str) -> str:
    return "cash" if code == BUILT_IN_CASH else "card" if code == "card" else "other"


def voids(db: Session, start: datetime, end: datetime) -> Voids:
    """Items cancelled in the period (single voids and the items of cancelled orders), by who cancelled them."""
    rows = db.execute(
        select(
            OrderItem.cancelled_by_id,
            func.count(OrderItem.id),
            func.sum(OrderItem.quantity),
            func.sum(OrderItem.quantity * OrderItem.unit_price),
        )
        .where(OrderItem.status == "cancelled", _within(OrderItem.cancelled_at, start, end))
        .group_by(OrderItem.cancelled_by_id)
        .order_by(OrderItem.cancelled_by_id)
    ).all()
    names = staff.display_names(db, {int(r[0]) for r in rows if r[0] is not None})
    by_user = [
        VoidLine(
            user_id=int(uid) if uid is not None else None,
            user_name=names.get(int(uid)) if uid is not None else None,
            count=int(n),
            quantity=int(q),
            amount=int(a),
        )
        for uid, n, q, a in rows
    ]
    return Voids(
        count=sum(v.count for v in by_user),
        quantity=sum(v.quantity for v in by_user),
        amount=sum(v.amount for v in by_user),
        by_user=by_user,
    )


def _kept_discount(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Given in the period and not taken back before its end."""
    return and_(
        _within(OrderDiscount.created_at, start, end),
        or_(OrderDiscount.removed_at.is_(None), OrderDiscount.removed_at >= end),
    )


def discounts(db: Session, start: datetime, end: datetime) -> Discounts:
    """Discounts and comps given in the period (amounts as given), by kind: percent, amount, comp."""
    rows = db.execute(
        select(OrderDiscount.kind, func.count(OrderDiscount.id), func.sum(OrderDiscount.amount))
        .where(_kept_discount(start, end))
        .group_by(OrderDiscount.kind)
        .order_by(OrderDiscount.kind)
    ).all()
    by_kind = [DiscountKindLine(kind=str(k), count=int(n), amount=int(a)) for k, n, a in rows]
    return Discounts(count=sum(k.count for k in by_kind), amount=sum(k.amount for k in by_kind), by_kind=by_kind)


@dataclass(frozen=True, slots=True)
class ExceptionRow:
    kind: str  # discount, comp, void, refund
    at: datetime
    order_id: int
    table_id: int
    waiter_id: int
    item_id: int | None
    item_name: str | None
    quantity: int | None
    amount: int
    reason: str | None
    requested_by_id: int | None
    approved_by_id: int | None
    detail: str | None = None
    removed_at: datetime | None = None


def exceptions(db: Session, start: datetime, end: datetime) -> list[ExceptionRow]:
    """Every discount, comp, void and refund made in the period, oldest first."""
    out: list[ExceptionRow] = []
    for d, table_id, waiter_id, item_name in db.execute(
        select(OrderDiscount, Order.table_id, Order.waiter_id, OrderItem.product_name)
        .join(Order, OrderDiscount.order_id == Order.id)
        .outerjoin(OrderItem, OrderDiscount.item_id == OrderItem.id)
        .where(_within(OrderDiscount.created_at, start, end))
    ).all():
        out.append(
            ExceptionRow(
                kind="comp" if d.kind == "comp" else "discount",
                at=d.created_at,
                order_id=d.order_id,
                table_id=int(table_id),
                waiter_id=int(waiter_id),
                item_id=d.item_id,
                item_name=item_name,
                quantity=None,
                amount=d.amount,
                reason=d.reason,
                requested_by_id=d.created_by_id,
                approved_by_id=d.approved_by_id,
                detail=f"{d.value / 100:g}%" if d.kind == "percent" else None,
                removed_at=d.removed_at,
            )
        )
    for item, table_id, waiter_id in db.execute(
        select(OrderItem, Order.table_id, Order.waiter_id)
        .join(Order, OrderItem.order_id == Order.id)
        .where(OrderItem.status == "cancelled", _within(OrderItem.cancelled_at, start, end))
    ).all():
        out.append(
            ExceptionRow(
                kind="void",
                at=item.cancelled_at or item.updated_at,
                order_id=item.order_id,
                table_id=int(table_id),
                waiter_id=int(waiter_id),
                item_id=item.id,
                item_name=item.product_name,
                quantity=item.quantity,
                amount=item.quantity * item.unit_price,
                reason=item.cancel_reason,
                requested_by_id=item.cancelled_by_id,
                # Voids before approvals existed, and whole-order cancellations, were a manager's own act.
                approved_by_id=item.cancel_approved_by_id or item.cancelled_by_id,
                detail="printed" if item.printed else None,
            )
        )
    for refund, table_id, waiter_id in db.execute(
        select(Refund, Order.table_id, Order.waiter_id)
        .join(Order, Refund.order_id == Order.id)
        .where(_within(Refund.created_at, start, end))
    ).all():
        out.append(
            ExceptionRow(
                kind="refund",
                at=refund.created_at,
                order_id=refund.order_id,
                table_id=int(table_id),
                waiter_id=int(waiter_id),
                item_id=None,
                item_name=None,
                quantity=None,
                amount=refund.amount,
                reason=refund.reason,
                requested_by_id=refund.created_by_id,
                approved_by_id=refund.created_by_id,  # refunds are a manager's own act
                detail=refund.method,
            )
        )
    out.sort(key=lambda r: (r.at, r.kind, r.order_id, r.item_id or 0))
    return out


def by_waiter(db: Session, start: datetime, end: datetime) -> list[WaiterLine]:
    """Per waiter owning the orders: orders paid on in the period, their payments and tips, refunds given."""
    taken = {
        int(w): (int(n), int(a), int(t))
        for w, n, a, t in db.execute(
            select(
                Order.waiter_id,
                func.count(func.distinct(Payment.order_id)),
                func.sum(Payment.amount),
                func.sum(Payment.tip),
            )
            .join(Order, Payment.order_id == Order.id)
            .where(_within(Payment.created_at, start, end))
            .group_by(Order.waiter_id)
        ).all()
    }
    refunded = {
        int(w): int(a)
        for w, a in db.execute(
            select(Order.waiter_id, func.sum(Refund.amount))
            .join(Order, Refund.order_id == Order.id)
            .where(_within(Refund.created_at, start, end))
            .group_by(Order.waiter_id)
        ).all()
    }
    ids = sorted(set(taken) | set(refunded))
    names = staff.display_names(db, ids)
    return [
        WaiterLine(
            waiter_id=w,
            waiter_name=names.get(w, ""),
            orders=taken.get(w, (0, 0, 0))[0],
            sales=taken.get(w, (0, 0, 0))[1],
            refunds=refunded.get(w, 0),
            tips=taken.get(w, (0, 0, 0))[2],
        )
        for w in ids
    ]


def cash_flows(db: Session, start: datetime, end: datetime) -> CashFlows:
    """Cash in and out of the drawer in the period: cash payments with their tips (change given is already netted
    out: amount + tip is what stays), cash refunds, pay-ins and pay-outs."""
    paid, tips = db.execute(
        select(func.coalesce(func.sum(Payment.amount), 0), func.coalesce(func.sum(Payment.tip), 0)).where(
            _within(Payment.created_at, start, end), is_cash(Payment.method)
        )
    ).one()
    refunded = db.scalar(
        select(func.coalesce(func.sum(Refund.amount), 0)).where(
            _within(Refund.created_at, start, end), is_cash(Refund.method)
        )
    )
    moved = dict(
        db.execute(
            select(CashMovement.kind, func.sum(CashMovement.amount))
            .where(_within(CashMovement.created_at, start, end))
            .group_by(CashMovement.kind)
        ).all()
    )
    return CashFlows(
        payments=int(paid),
        tips=int(tips),
        refunds=int(refunded or 0),
        pay_ins=int(moved.get("pay_in", 0)),
        pay_outs=int(moved.get("pay_out", 0)),
    )


def period(db: Session, start: datetime, end: datetime) -> PeriodFigures:
    """Everything the X and Z reports total, for [start, end)."""
    methods = by_method(db, start, end)
    return PeriodFigures(
        by_method=methods,
        totals=Totals(
            payments=sum(m.payments for m in methods),
            sales=sum(m.amount for m in methods),
            tips=sum(m.tips for m in methods),
            refunds=sum(m.refunds for m in methods),
        ),
        voids=voids(db, start, end),
        discounts=discounts(db, start, end),
        by_waiter=by_waiter(db, start, end),
        cash=cash_flows(db, start, end),
    )


@dataclass(frozen=True, slots=True)
class HourLine:
    hour: int
    orders: int
    revenue: int


# Every UTC offset in use is a whole number of quarter hours, so a quarter hour of UTC lies within one local hour.
_SLOT_MINUTES = 15


def _slot(col: Any) -> ColumnElement[str]:
    """The UTC quarter hour of a timestamp as text, "YYYY-MM-DD HH:q" (q = 0..3); SQLite stores naive UTC."""
    quarter = cast(func.strftime("%M", col), Integer) / _SLOT_MINUTES
    return func.strftime("%Y-%m-%d %H:", col).concat(cast(quarter, Integer))


def _local_hour(slot: str, tz: ZoneInfo) -> int:
    day_hour, _, quarter = slot.rpartition(":")
    start = datetime.strptime(day_hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return (start + timedelta(minutes=int(quarter) * _SLOT_MINUTES)).astimezone(tz).hour


def by_hour(db: Session, start: datetime, end: datetime, tz: ZoneInfo) -> list[HourLine]:
    """All 24 local hours (site timezone) of the day, zeros included: orders opened and net sales (payments less
    refunds, tips excluded, the same money as `Totals.net_sales`) in each. A period longer than a day (or a day
    with a repeated DST hour) adds up what falls in the same hour of the clock.

    The database groups by UTC quarter hour (at most 96 rows a day); Python maps each to its local hour."""
    orders: dict[int, int] = dict.fromkeys(range(24), 0)
    revenue: dict[int, int] = dict.fromkeys(range(24), 0)
    opened = _slot(Order.opened_at)
    for slot, n in db.execute(
        select(opened, func.count(Order.id)).where(_within(Order.opened_at, start, end)).group_by(opened)
    ).all():
        orders[_local_hour(str(slot), tz)] += int(n)
    paid = _slot(Payment.created_at)
    for slot, amount in db.execute(
        select(paid, func.sum(Payment.amount)).where(_within(Payment.created_at, start, end)).group_by(paid)
    ).all():
        revenue[_local_hour(str(slot), tz)] += int(amount)
    refunded = _slot(Refund.created_at)
    for slot, amount in db.execute(
        select(refunded, func.sum(Refund.amount)).where(_within(Refund.created_at, start, end)).group_by(refunded)
    ).all():
        revenue[_local_hour(str(slot), tz)] -= int(amount)
    return [HourLine(hour=h, orders=orders[h], revenue=revenue[h]) for h in range(24)]


@dataclass(frozen=True, slots=True)
class Activity:
    payments: int
    amount: int
    tips: int


def outside_shifts(db: Session, start: datetime, end: datetime) -> Activity:
    """Payments of the period taken while no shift was open (allowed: a bill is never blocked by the drawer)."""
    covered = exists().where(
        Shift.opened_at <= Payment.created_at, or_(Shift.closed_at.is_(None), Shift.closed_at > Payment.created_at)
    )
    n, amount, tips = db.execute(
        select(
            func.count(Payment.id), func.coalesce(func.sum(Payment.amount), 0), func.coalesce(func.sum(Payment.tip), 0)
        ).where(_within(Payment.created_at, start, end), ~covered)
    ).one()
    return Activity(payments=int(n), amount=int(amount), tips=int(tips))


def payments_between(db: Session, start: datetime, end: datetime) -> Activity:
    n, amount, tips = db.execute(
        select(
            func.count(Payment.id), func.coalesce(func.sum(Payment.amount), 0), func.coalesce(func.sum(Payment.tip), 0)
        ).where(_within(Payment.created_at, start, end))
    ).one()
    return Activity(payments=int(n), amount=int(amount), tips=int(tips))


def refunds_between(db: Session, start: datetime, end: datetime) -> tuple[int, int]:
    n, amount = db.execute(
        select(func.count(Refund.id), func.coalesce(func.sum(Refund.amount), 0)).where(
            _within(Refund.created_at, start, end)
        )
    ).one()
    return int(n), int(amount)
