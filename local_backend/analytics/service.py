"""Analytics of any period of business days (site timezone), compared with the period just before it.

Like `reports.figures`, these queries read the order and ledger tables directly and aggregate in the database:
a year of a busy restaurant is hundreds of thousands of rows, and only their sums may reach Python.

What counts, and when (one definition everywhere, so every chart adds up to the same totals):

- Revenue is net sales exactly as the Z report counts them: payments (tips excluded) in the period they were
  taken, less refunds in the period they were given. Any day's revenue here is that day's Z `net_sales`. The
  timestamp is the payment's, not the order's close: a bill paid at 23:58 and closed at 00:05 is the day's sale.
- An order counts once (orders, items = its units not cancelled, covers, tables) where and when its first
  payment was taken: in that payment's hour, day and period, for its waiter. So time and waiter rows add up to
  the totals, and consecutive periods never count an order twice; a later payment or a refund moves money only.
- By product or category, each order's net money in the period is shared among its live lines in proportion to
  what they cost after their own item discounts (order discounts, service charge and tax then fall on the lines
  pro rata, as on the bill), and the rows are rounded (largest remainder) to add up to the revenue exactly. An
  order with two dishes counts in both rows (and once in the totals).
- Hours, weekdays and days are the site's clock: SQLite has no time zones, so each query adds the site's UTC
  offset with a CASE over the offset changes (DST) inside the period, computed here from the zone database (the
  reports' by_hour maps quarter hours in Python instead, which a year of rows makes too slow).
- Discounts, comps and voids count as on the Z report (`figures.discounts`, `figures.voids`): when given, unless
  taken back within the period; voids when cancelled. Prep times (like `reports/kitchen`) are of the items added
  in the period that became ready, from when the kitchen was told (fired, else added) to ready. Table turnover
  is opened -> closed of the orders closed in the period.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    and_,
    case,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session, aliased

from local_backend.analytics import schemas
from local_backend.analytics.models import ROLLUP_STATE_KEY, SalesRollup
from local_backend.inventory.costs import product_costs
from local_backend.menu.models import Category, Product
from local_backend.orders.models import Order, OrderDiscount, OrderItem, Payment, Refund
from local_backend.printing import service as printing
from local_backend.reports import figures
from local_backend.reports.export import MAX_DAYS
from local_backend.reports.schemas import ExceptionKindTotalRead, ExceptionUserTotalRead
from local_backend.reports.service import InvalidPeriod, business_date, day_bounds
from local_backend.settings import service as site
from local_backend.staff import service as staff
from local_backend.system.models import SystemState
from local_backend.tables import service as tables
from shared.clock import utcnow
from shared.errors import Unprocessable


class PeriodTooLong(Unprocessable):
    code = "PERIOD_TOO_LONG"
    default_detail = f"A period is at most {MAX_DAYS} days"


PERIOD_ERRORS = (InvalidPeriod, PeriodTooLong)

WEEKDAYS = schemas.WEEKDAYS
NO_PRODUCT = "Other"  # money on orders with no live line, or lines of a product no longer in the menu
NO_ZONE = "No zone"
ALL_TABLES = "All tables"


# --- periods ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """Business days `first`..`last` (both included) of the site's timezone."""

    first: date
    last: date
    tz: ZoneInfo

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def previous(self) -> Period:
        """The same number of days immediately before `first`."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1), self.tz)

    @property
    def start(self) -> datetime:
        return day_bounds(self.first, self.tz)[0]

    @property
    def end(self) -> datetime:
        return day_bounds(self.last, self.tz)[1]


def _named_period(name: str, day: date) -> tuple[date, date]:
    if name == "day":
        return day, day
    if name == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if name == "month":
        first = day.replace(day=1)
    elif name == "quarter":
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    else:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    months = 1 if name == "month" else 3
    after = date(first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def resolve_period(
    db: Session,
    *,
    from_day: date | None,
    to_day: date | None,
    period: str | None,
    day: date | None,
    now: datetime | None = None,
) -> Period:
    """`from` and `to`, or `period` around `date` (default today), or today alone; refused when reversed, half
    given, mixed, or longer than MAX_DAYS."""
    tz = site.current(db).tz
    if period is not None:
        if from_day is not None or to_day is not None:
            raise InvalidPeriod("Give either from and to, or period (with date), not both")
        try:
            from_day, to_day = _named_period(period, day or business_date(now or utcnow(), tz))
        except (OverflowError, ValueError) as exc:  # the month or quarter after year 9999
            raise InvalidPeriod("The period is outside the calendar") from exc
    elif day is not None:
        raise InvalidPeriod("date goes with period (day, week, month, quarter or year)")
    elif from_day is None and to_day is None:
        from_day = to_day = business_date(now or utcnow(), tz)
    if from_day is None or to_day is None:
        raise InvalidPeriod("Give both from and to")
    if to_day < from_day:
        raise InvalidPeriod(f"to ({to_day.isoformat()}) is before from ({from_day.isoformat()})")
    days = (to_day - from_day).days + 1
    if days > MAX_DAYS:
        raise PeriodTooLong(f"{days} days asked; a period is at most {MAX_DAYS} days")
    resolved = Period(from_day, to_day, tz)
    try:  # the previous period and both periods' bounds must exist on the calendar
        _ = resolved.previous.start, resolved.end
    except (OverflowError, ValueError) as exc:
        raise InvalidPeriod("The period is outside the calendar") from exc
    return resolved


# --- the site's clock in SQL ----------------------------------------------------------------------------------------

EPOCH = date(1970, 1, 1)  # a Thursday: weekday 3, Monday being 0


def _offset(moment: datetime, tz: ZoneInfo) -> int:
    offset = moment.astimezone(tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def offset_changes(start: datetime, end: datetime, tz: ZoneInfo) -> list[tuple[datetime, int]]:
    """[(from, UTC offset in seconds)] for each stretch of [start, end) on one offset, in order.

    Sampled daily (zones change offset at most a few times a year, never twice a day), each change then found to
    the second by bisection."""
    changes = [(start, _offset(start, tz))]
    moment = start
    while moment < end:
        step = min(moment + timedelta(days=1), end)
        if _offset(step, tz) != changes[-1][1]:
            low, high = moment, step
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(middle, tz) == changes[-1][1]:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            if high < end:
                changes.append((high, _offset(high, tz)))
        moment = step
    return changes


def local_seconds(at: ColumnElement[Any], changes: Sequence[tuple[datetime, int]]) -> ColumnElement[int]:
    """Seconds since 1970-01-01 00:00 on the site's wall clock: UTC seconds plus the offset then in force."""
    epoch = sql_cast(func.strftime("%s", at), Integer)
    if len(changes) == 1:
        return epoch + changes[0][1]
    whens = [(at < since, offset) for (_, offset), (since, _) in itertools.pairwise(changes)]
    return epoch + case(*whens, else_=changes[-1][1])


# Keys of a local hour slot (whole hours since 1970-01-01 00:00 on the site's clock).
SLOT_KEYS: dict[str, Callable[[Any], ColumnElement[int]]] = {
    "hour": lambda slot: slot % 24,
    "weekday": lambda slot: (slot // 24 + 3) % 7,
    "day": lambda slot: slot // 24,
    "cell": lambda slot: ((slot // 24 + 3) % 7) * 24 + slot % 24,
    "total": lambda slot: slot * 0,  # one group (a bare 0 would name the first column)
}


# --- sales facts ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A period and the one just before it, as UTC bounds: both are read in one pass."""

    previous_start: datetime
    start: datetime
    end: datetime
    tz: ZoneInfo

    @staticmethod
    def of(period: Period, *, previous: bool = True) -> Span:
        return Span(period.previous.start if previous else period.start, period.start, period.end, period.tz)


@dataclass(frozen=True, slots=True)
class Facts:
    orders: int = 0
    items: int = 0
    revenue: int = 0
    tips: int = 0
    covers: int = 0
    tables: int = 0


EMPTY = Facts()
# Fact rows are keyed (current, key): current is 1 for the period asked, 0 for the previous one.
Keyed = dict[tuple[int, Any], Facts]


def _within(col: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(col >= start, col < end)


def _events(span: Span, *, first: bool, slots: bool = False) -> Any:
    """Payments (+amount, tip) and refunds (-amount) of the span as one row set; with `first`, whether a payment is
    its order's first (the moment the order counts); with `slots`, the local hour slot of each (whole hours since
    1970-01-01 00:00 on the site's clock)."""
    is_first: ColumnElement[Any] = literal(0)
    if first:
        earlier = aliased(Payment)
        is_first = case(
            (
                # The "<=" lets ix_payments_order_id_created_at answer from the index alone.
                exists().where(
                    earlier.order_id == Payment.order_id,
                    earlier.created_at <= Payment.created_at,
                    or_(earlier.created_at < Payment.created_at, earlier.id < Payment.id),
                ),
                0,
            ),
            else_=1,
        )
    changes = offset_changes(span.previous_start, span.end, span.tz) if slots else []

    def slot_of(at: Any) -> ColumnElement[Any]:
        return local_seconds(at, changes) // 3600 if slots else literal(0)

    return union_all(
        select(
            Payment.order_id.label("order_id"),
            Payment.created_at.label("at"),
            Payment.amount.label("amount"),
            Payment.tip.label("tip"),
            is_first.label("first"),
            slot_of(Payment.created_at).label("slot"),
        ).where(_within(Payment.created_at, span.previous_start, span.end)),
        select(
            Refund.order_id, Refund.created_at, -Refund.amount, literal(0), literal(0), slot_of(Refund.created_at)
        ).where(_within(Refund.created_at, span.previous_start, span.end)),
    ).subquery("events")


def _units(order_id: Any) -> Any:
    """Units not cancelled on the order (a correlated lookup in the order's items)."""
    item = aliased(OrderItem)  # never correlated with an outer query's items
    return (
        select(func.coalesce(func.sum(item.quantity), 0))
        .where(item.order_id == order_id, item.status != "cancelled")
        .scalar_subquery()
    )


def _current(at: Any, span: Span) -> ColumnElement[int]:
    return case((at >= span.start, 1), else_=0)


def time_facts(db: Session, span: Span, key: str, *, covers: bool = False) -> Keyed:
    """Sales facts per local hour, weekday, day (days since 1970-01-01), heat map cell or in total.

    Money events arrive in time order, so grouping them first by local hour slot is cheap (the rows are nearly
    sorted already) and leaves a few thousand slots to regroup by the key."""
    events = _events(span, first=True, slots=True)
    counted = events.c.first == 1
    guests = select(Order.guests).where(Order.id == events.c.order_id).scalar_subquery()
    slots = (
        select(
            events.c.slot,
            _current(events.c.at, span).label("current"),
            func.sum(events.c.first).label("orders"),
            func.sum(case((counted, _units(events.c.order_id)), else_=0)).label("units"),
            func.sum(events.c.amount).label("revenue"),
            func.sum(events.c.tip).label("tips"),
            func.sum(case((counted, guests), else_=0)).label("covers") if covers else literal(0).label("covers"),
        )
        .group_by(events.c.slot, "current")
        .subquery("slots")
    )
    current = slots.c.current
    keyed = SLOT_KEYS[key](slots.c.slot).label("k")
    stmt = select(
        current,
        keyed,
        func.sum(slots.c.orders),
        func.sum(slots.c.units),
        func.sum(slots.c.revenue),
        func.sum(slots.c.tips),
        func.sum(slots.c.covers),
    ).group_by(current, keyed)
    out: Keyed = {}
    for cur, k, orders, items, revenue, tips, covers_ in db.execute(stmt).all():
        value = (EPOCH + timedelta(days=int(k))).isoformat() if key == "day" else int(k)
        out[(int(cur), value)] = Facts(
            orders=int(orders or 0),
            items=int(items or 0),
            revenue=int(revenue or 0),
            tips=int(tips or 0),
            covers=int(covers_ or 0),
        )
    return out


def totals(db: Session, span: Span) -> tuple[Facts, Facts]:
    """(the period's, the previous period's) facts."""
    both = time_facts(db, span, "total", covers=True)
    return both.get((1, 0), EMPTY), both.get((0, 0), EMPTY)


def waiter_facts(db: Session, span: Span) -> Keyed:
    """Sales facts per waiter owning the orders, with the distinct tables of the orders counted.

    Each payment's order and units are looked up first, in time order (neighbouring orders, so the lookups stay
    in cache); only then are the rows sorted by waiter."""
    events = _events(span, first=True)
    counted = events.c.first == 1
    per_payment = (
        select(
            _current(events.c.at, span).label("current"),
            Order.waiter_id,
            Order.table_id,
            events.c.first,
            case((counted, _units(events.c.order_id)), else_=0).label("units"),
            events.c.amount,
            events.c.tip,
            case((counted, Order.guests), else_=0).label("guests"),
        )
        .join(Order, Order.id == events.c.order_id)
        .cte("per_payment")
        .prefix_with("MATERIALIZED")
    )
    p = per_payment.c
    stmt = select(
        p.current,
        p.waiter_id,
        func.sum(p.first),
        func.sum(p.units),
        func.sum(p.amount),
        func.sum(p.tip),
        func.sum(p.guests),
        func.count(func.distinct(case((p.first == 1, p.table_id)))),
    ).group_by(p.current, p.waiter_id)
    return {
        (int(cur), int(w)): Facts(
            orders=int(n or 0),
            items=int(items or 0),
            revenue=int(revenue or 0),
            tips=int(tips or 0),
            covers=int(covers or 0),
            tables=int(tables_ or 0),
        )
        for cur, w, n, items, revenue, tips, covers, tables_ in db.execute(stmt).all()
    }


# --- revenue shared among products ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shares:
    """Per product or category, for (current, previous): orders counted with it, its units on them and its share
    of their money (a float, see `apportion`); per period the net money, the part of it on orders with no live
    line (not shared) and the orders counted."""

    by_key: dict[int | None, tuple[tuple[Facts, float], tuple[Facts, float]]]
    net: tuple[int, int]
    unshared: tuple[int, int]
    orders: tuple[int, int]


def live_shares(db: Session, span: Span, *, by_category: bool, few_orders: bool = False) -> Shares:
    """Each order's net money of each period shared among its live lines (see the module docstring).

    First, order by order (in order id order, so the lookups stay local): its net money in each period, whether
    it counts in each (its first payment is in it) and its weight (the live lines' value less their item
    discounts). Then the products (by id, or along their category index) drive a loop over their items along
    ix_order_items_product_sales, so rows arrive grouped and nothing is sorted; each item finds its order in
    the small materialised table. Item discounts are few: their share is taken off in a separate small pass
    rather than looked up for every item."""
    periods = (1, 0) if span.previous_start < span.start else (1,)
    events = _events(span, first=False)
    now = events.c.at >= span.start
    money = (
        select(
            events.c.order_id,
            func.coalesce(func.sum(case((now, events.c.amount))), 0).label("net1"),
            func.coalesce(func.sum(case((~now, events.c.amount))), 0).label("net0"),
        )
        .group_by(events.c.order_id)
        .subquery("money")
    )
    # The part of each discounted live line its item discounts take off (at most the line's value).
    item_off = (
        select(
            OrderDiscount.item_id,
            OrderDiscount.order_id,
            func.min(func.sum(OrderDiscount.amount), func.max(OrderItem.quantity * OrderItem.unit_price)).label("off"),
        )
        .join(OrderItem, OrderItem.id == OrderDiscount.item_id)
        .where(OrderDiscount.removed_at.is_(None), OrderItem.status != "cancelled")
        .group_by(OrderDiscount.item_id)
        .cte("item_off")
        .prefix_with("MATERIALIZED")
    )
    off_by_order = (
        select(item_off.c.order_id, func.sum(item_off.c.off).label("off"))
        .group_by(item_off.c.order_id)
        .subquery("off_by_order")
    )
    line = aliased(OrderItem)
    gross = (
        select(func.sum(line.quantity * line.unit_price))
        .where(line.order_id == money.c.order_id, line.status != "cancelled")
        .scalar_subquery()
    )
    # The period (1 now, 0 before) of the order's first payment, -1 for neither (one lookup: the CASE is inside).
    first_paid = func.min(Payment.created_at)
    counted_in = (
        select(
            case(
                (first_paid >= span.end, -1),
                (first_paid >= span.start, 1),
                (first_paid >= span.previous_start, 0),
                else_=-1,
            )
        )
        .where(Payment.order_id == money.c.order_id)
        .scalar_subquery()
    )
    # `w` is NULL for an order with no live line (its money is not shared) and 0 when every line is free (then it
    # is shared by units).
    orders_ = (
        select(
            money.c.order_id,
            money.c.net1,
            money.c.net0,
            counted_in.label("counted_in"),
            (gross - func.coalesce(off_by_order.c.off, 0)).label("w"),
        )
        .select_from(money)
        .outerjoin(off_by_order, off_by_order.c.order_id == money.c.order_id)
        .cte("orders_")
        .prefix_with("MATERIALIZED")
    )
    o = orders_.c
    nets = {1: o.net1, 0: o.net0}
    by_value = sql_cast(OrderItem.quantity * OrderItem.unit_price, Float) / o.w
    by_units = sql_cast(OrderItem.quantity, Float) / _units(o.order_id)
    share = case((o.w > 0, by_value), else_=by_units)
    columns: list[Any] = []
    for cur in periods:
        kept = o.counted_in == cur
        columns += [
            func.count(func.distinct(case((kept, OrderItem.order_id)))),
            func.coalesce(func.sum(case((kept, OrderItem.quantity), else_=0)), 0),
            func.coalesce(func.sum(nets[cur] * share), 0.0),
        ]

    def items_of(stmt: Any) -> Any:
        # "+ 0": an item finds its order's figures, never the other way round (the items stay in index order).
        return stmt.join(orders_, o.order_id == OrderItem.order_id + 0).where(OrderItem.status != "cancelled")

    key = Product.category_id if by_category else Product.id
    if few_orders:
        # A day or so (a rollup): its orders drive the loop and find their lines by order; sorting a few hundred
        # rows by key beats walking every product's lines of all time. ("+ 0": never orders_ by item.)
        known = (
            select(literal(0).label("kind"), key.label("k"), *columns)
            .select_from(orders_)
            .join(OrderItem, OrderItem.order_id == o.order_id + 0)
            .join(Product, Product.id == OrderItem.product_id)
            .where(OrderItem.status != "cancelled")
            .group_by(key)
        )
    else:
        # "+ 0" on the product id: the products are the outer loop (by category index, or by id).
        known = items_of(
            select(literal(0).label("kind"), key.label("k"), *columns)
            .select_from(Product)
            .join(OrderItem, OrderItem.product_id == Product.id + 0)
        ).group_by(key)
    # Lines whose product is gone (never in practice: products are archived, not deleted) keep their share.
    unknown = items_of(
        select(literal(0), literal(None), *columns).select_from(OrderItem).where(OrderItem.product_id.is_(None))
    )
    # What item discounts take off the discounted lines' shares (kind 2).
    taken: list[Any] = [literal(2), key]
    for cur in periods:
        taken += [
            literal(0),
            literal(0),
            func.coalesce(func.sum(nets[cur] * sql_cast(item_off.c.off, Float) / o.w), 0.0),
        ]
    discounted = (
        select(*taken)
        .select_from(item_off)
        .join(OrderItem, OrderItem.id == item_off.c.item_id)
        .join(orders_, o.order_id == item_off.c.order_id)
        .outerjoin(Product, Product.id == OrderItem.product_id)
        .where(o.w > 0)
        .group_by(key)
    )
    # Each period's orders counted, net money, and the part of it on orders with no live line (kind 1).
    rest: list[Any] = [literal(1), literal(None)]
    for cur in periods:
        rest += [
            func.coalesce(func.sum(case((o.counted_in == cur, 1), else_=0)), 0),
            func.coalesce(func.sum(nets[cur]), 0),
            func.coalesce(func.sum(case((o.w.is_(None), nets[cur]), else_=0)), 0),
        ]
    rows: dict[int | None, list[list[float]]] = {}
    totals_row = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    for kind, k, *figures_ in db.execute(union_all(known, unknown, discounted, select(*rest))).all():
        per_period = [[float(x or 0) for x in figures_[3 * n : 3 * n + 3]] for n in range(len(periods))]
        per_period += [[0.0, 0.0, 0.0]] * (2 - len(periods))
        if kind == 1:
            totals_row = per_period
            continue
        key_value = int(k) if k is not None else None
        acc = rows.setdefault(key_value, [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        sign = -1.0 if kind == 2 else 1.0
        for n in range(2):
            acc[n] = [acc[n][0] + per_period[n][0], acc[n][1] + per_period[n][1], acc[n][2] + sign * per_period[n][2]]
    by_key = {
        k: (
            (Facts(orders=int(v[0][0]), items=int(v[0][1])), v[0][2]),
            (Facts(orders=int(v[1][0]), items=int(v[1][1])), v[1][2]),
        )
        for k, v in rows.items()
        if any(v[0]) or any(v[1])
    }
    (orders_now, net_now, unshared_now), (orders_before, net_before, unshared_before) = (
        [int(x) for x in totals_row[0]],
        [int(x) for x in totals_row[1]],
    )
    return Shares(
        by_key=by_key,
        net=(net_now, net_before),
        unshared=(unshared_now, unshared_before),
        orders=(orders_now, orders_before),
    )


def rolled_through(db: Session, tz: ZoneInfo, *, by_category: bool) -> datetime | None:
    """The end (UTC) of the last business day summed in sales_rollups, if they were made for this timezone (and,
    for categories, the products' current categories)."""
    state = rollup_state(db)
    if state is None or state.get("through") is None or state.get("timezone") != tz.key:
        return None
    if by_category and state.get("signature") != category_signature(db):
        return None
    return day_bounds(date.fromisoformat(state["through"]), tz)[1]


def rollup_state(db: Session) -> dict[str, Any] | None:
    raw = db.scalar(select(SystemState.value).where(SystemState.key == ROLLUP_STATE_KEY))
    return json.loads(raw) if raw else None


def category_signature(db: Session) -> str:
    """Changes whenever a product moves to another category (category rollups then no longer hold)."""
    pairs = db.execute(select(Product.id, Product.category_id).order_by(Product.id)).all()
    return hashlib.sha256(",".join(f"{p}:{c}" for p, c in pairs).encode()).hexdigest()[:32]


def _shares(db: Session, span: Span, *, by_category: bool) -> Shares:
    """live_shares, with the finished business days read from their rollups (analytics.rollups keeps them): the
    same figures, as every finished day's money and lines can no longer change."""
    through = rolled_through(db, span.tz, by_category=by_category)
    if through is None or through <= span.previous_start:
        return live_shares(db, span, by_category=by_category)
    cutoff = min(through, span.end)
    kind = "category" if by_category else "product"
    r = SalesRollup
    current = case((r.day_start >= span.start, 1), else_=0).label("current")
    stmt = (
        select(
            current,
            r.kind,
            r.key,
            func.sum(r.orders),
            func.sum(r.items),
            func.sum(r.revenue),
            func.sum(r.unshared),
        )
        .where(r.kind.in_((kind, "total")), r.day_start >= span.previous_start, r.day_start < cutoff)
        .group_by(current, r.kind, r.key)
    )
    by_key: dict[int | None, list[list[float]]] = {}
    net, unshared, orders = [0, 0], [0, 0], [0, 0]
    for cur, row_kind, k, n_orders, n_items, revenue, off in db.execute(stmt).all():
        index = 0 if cur == 1 else 1
        if row_kind == "total":
            orders[index] += int(n_orders)
            net[index] += round(revenue)
            unshared[index] += int(off)
            continue
        acc = by_key.setdefault(k, [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        acc[index] = [acc[index][0] + n_orders, acc[index][1] + n_items, acc[index][2] + revenue]
    if cutoff < span.end:
        rest = Span(max(span.previous_start, cutoff), max(span.start, cutoff), span.end, span.tz)
        live = live_shares(db, rest, by_category=by_category)
        for k, pair in live.by_key.items():
            acc = by_key.setdefault(k, [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
            for index, (facts, revenue) in enumerate(pair):
                acc[index] = [acc[index][0] + facts.orders, acc[index][1] + facts.items, acc[index][2] + revenue]
        for index in range(2):
            net[index] += live.net[index]
            unshared[index] += live.unshared[index]
            orders[index] += live.orders[index]
    return Shares(
        by_key={
            k: tuple((Facts(orders=int(v[0]), items=int(v[1])), v[2]) for v in pair)  # type: ignore[misc]
            for k, pair in by_key.items()
            if any(pair[0]) or any(pair[1])
        },
        net=(net[0], net[1]),
        unshared=(unshared[0], unshared[1]),
        orders=(orders[0], orders[1]),
    )


def apportion(values: Sequence[float], total: int) -> list[int]:
    """Round `values` (which add up to `total` but for float error) to integers that add up to it exactly."""
    floors = [math.floor(v) for v in values]
    left = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    if 0 <= left <= len(values):
        for i in order[:left]:
            floors[i] += 1
    elif values:  # cannot happen short of a float disaster: keep the total exact anyway
        floors[order[0]] += left
    return floors


def shared_facts(db: Session, span: Span, *, by_category: bool) -> tuple[Keyed, tuple[Facts, Facts]]:
    """Sales facts per product or category (key None: money on orders with no line left, or lines of a product
    no longer known), revenue rounded to add up to the period's net sales exactly; and the periods' totals."""
    shares = _shares(db, span, by_category=by_category)
    out: Keyed = {}
    totals_: list[Facts] = []
    for cur, index in ((1, 0), (0, 1)):
        keys = [k for k, rows in shares.by_key.items() if rows[index][0].orders or rows[index][1]]
        shared = shares.net[index] - shares.unshared[index]
        rounded = apportion([shares.by_key[k][index][1] for k in keys], shared) if keys else []
        for k, revenue in zip(keys, rounded, strict=True):
            f = shares.by_key[k][index][0]
            out[(cur, k)] = Facts(orders=f.orders, items=f.items, revenue=revenue)
        left = shares.unshared[index] + (shared if not keys else 0)
        if left:
            base = out.get((cur, None), EMPTY)
            out[(cur, None)] = Facts(orders=base.orders, items=base.items, revenue=base.revenue + left)
        items = sum(f.items for (c, _), f in out.items() if c == cur)
        totals_.append(Facts(orders=shares.orders[index], items=items, revenue=shares.net[index]))
    return out, (totals_[0], totals_[1])


# --- /api/reports/sales ---------------------------------------------------------------------------------------------


def _time_rows(period: Period, group_by: str) -> list[tuple[Any, str]]:
    """Every key of a time grouping, zeros included, with its label."""
    if group_by == "hour":
        return [(h, f"{h:02d}:00") for h in range(24)]
    if group_by == "weekday":
        return list(enumerate(WEEKDAYS))
    days = [period.first + timedelta(days=n) for n in range(period.days)]
    return [(d.isoformat(), f"{WEEKDAYS[d.weekday()][:3]} {d.isoformat()}") for d in days]


def _sum(facts: Iterable[Facts]) -> Facts:
    rows = list(facts)
    return Facts(
        orders=sum(f.orders for f in rows),
        items=sum(f.items for f in rows),
        revenue=sum(f.revenue for f in rows),
        tips=sum(f.tips for f in rows),
        covers=sum(f.covers for f in rows),
    )


def moved(db: Session, start: datetime, end: datetime) -> bool:
    """Whether any money moved in [start, end) (two index probes)."""
    return any(
        db.scalar(select(exists().where(_within(col, start, end)))) for col in (Payment.created_at, Refund.created_at)
    )


def _grouped(db: Session, span: Span, group_by: str) -> tuple[Keyed, tuple[Facts, Facts]]:
    """Facts per key and the periods' totals. An order counts once (at its first payment, for its one waiter), so
    time and waiter rows add up to the totals; an order with two dishes is in both dishes' rows, so product and
    category totals come from the same pass."""
    if group_by in ("product", "category"):
        if span.previous_start < span.start and not moved(db, span.previous_start, span.start):
            # Nothing to compare with (a first year): half the work, the same answer.
            span = Span(span.start, span.start, span.end, span.tz)
        return shared_facts(db, span, by_category=group_by == "category")
    grouped = waiter_facts(db, span) if group_by == "waiter" else time_facts(db, span, group_by)
    return grouped, (
        _sum(f for (cur, _), f in grouped.items() if cur == 1),
        _sum(f for (cur, _), f in grouped.items() if cur == 0),
    )


def _entity_labels(db: Session, group_by: str, ids: Iterable[Any]) -> dict[Any, str]:
    known = sorted({i for i in ids if i is not None})
    if group_by == "waiter":
        return dict(staff.display_names(db, known))
    model = Product if group_by == "product" else Category
    return {int(i): str(n) for i, n in db.execute(select(model.id, model.name).where(model.id.in_(known))).all()}


def sales(db: Session, period: Period, group_by: str) -> schemas.SalesReportRead:
    """Orders, items and revenue per hour, weekday, day, product, category or waiter, with the previous period's."""
    grouped, (now_totals, before_totals) = _grouped(db, Span.of(period), group_by)
    now = {k: f for (cur, k), f in grouped.items() if cur == 1}
    before = {k: f for (cur, k), f in grouped.items() if cur == 0}
    if group_by in ("hour", "weekday", "day"):
        keyed = _time_rows(period, group_by)
        # Day n of the period is compared with day n of the previous one.
        shift = timedelta(days=period.days)
        previous_key: Callable[[Any], Any] = (
            (lambda k: (date.fromisoformat(k) - shift).isoformat()) if group_by == "day" else (lambda k: k)
        )
        pairs = [(k, label, now.get(k, EMPTY), before.get(previous_key(k), EMPTY)) for k, label in keyed]
    else:
        keys = set(now) | set(before)
        labels = _entity_labels(db, group_by, keys)
        pairs = [
            (k, labels.get(k, NO_PRODUCT if k is None else f"#{k}"), now.get(k, EMPTY), before.get(k, EMPTY))
            for k in keys
        ]
        pairs.sort(key=lambda p: (-p[2].revenue, -p[3].revenue, p[1], p[0] is None, p[0] or 0))

    def figures_of(current: Facts, earlier: Facts) -> dict[str, int]:
        return {
            "orders": current.orders,
            "items": current.items,
            "revenue": current.revenue,
            "previous_orders": earlier.orders,
            "previous_items": earlier.items,
            "previous_revenue": earlier.revenue,
        }

    return schemas.SalesReportRead(
        **_compared(db, period),
        group_by=cast(Any, group_by),
        rows=[schemas.SalesRowRead(key=k, label=label, **figures_of(c, e)) for k, label, c, e in pairs],
        totals=schemas.SalesFigures(**figures_of(now_totals, before_totals)),
    )


def _plain(db: Session, period: Period) -> dict[str, Any]:
    cfg = site.current(db)
    return {"from_": period.first, "to": period.last, "timezone": cfg.timezone, "currency": cfg.currency}


def _compared(db: Session, period: Period) -> dict[str, Any]:
    previous = period.previous
    return {**_plain(db, period), "previous_from": previous.first, "previous_to": previous.last}


# --- /api/analytics/summary -----------------------------------------------------------------------------------------


def _per(amount: int, count: int) -> int:
    # Integer half-up rounding keeps money in minor units (as the shift report's average ticket).
    return (2 * amount + count) // (2 * count) if count > 0 else 0


def _metric(value: int, previous: int) -> schemas.MetricRead:
    change = value - previous
    percent = round(100.0 * change / abs(previous), 1) if previous else None
    return schemas.MetricRead(value=value, previous=previous, change=change, change_percent=percent)


@dataclass(frozen=True, slots=True)
class _Exceptions:
    discounts: int
    discounts_count: int
    comps: int
    comps_count: int
    voids: int
    voids_count: int


def _exception_totals(db: Session, period: Period) -> _Exceptions:
    start, end = period.start, period.end
    given = figures.discounts(db, start, end)
    comps = [k for k in given.by_kind if k.kind == "comp"]
    voided = figures.voids(db, start, end)
    return _Exceptions(
        discounts=given.amount - sum(k.amount for k in comps),
        discounts_count=given.count - sum(k.count for k in comps),
        comps=sum(k.amount for k in comps),
        comps_count=sum(k.count for k in comps),
        voids=voided.amount,
        voids_count=voided.count,
    )


def summary(db: Session, period: Period) -> schemas.SummaryRead:
    """The period's headline figures, each with the previous period's and the change."""
    a, b = totals(db, Span.of(period))
    now, before = _exception_totals(db, period), _exception_totals(db, period.previous)
    return schemas.SummaryRead(
        **_compared(db, period),
        revenue=_metric(a.revenue, b.revenue),
        orders=_metric(a.orders, b.orders),
        items=_metric(a.items, b.items),
        average_ticket=_metric(_per(a.revenue, a.orders), _per(b.revenue, b.orders)),
        covers=_metric(a.covers, b.covers),
        average_per_cover=_metric(_per(a.revenue, a.covers), _per(b.revenue, b.covers)),
        tips=_metric(a.tips, b.tips),
        discounts=_metric(now.discounts, before.discounts),
        discounts_count=_metric(now.discounts_count, before.discounts_count),
        comps=_metric(now.comps, before.comps),
        comps_count=_metric(now.comps_count, before.comps_count),
        voids=_metric(now.voids, before.voids),
        voids_count=_metric(now.voids_count, before.voids_count),
    )


# --- /api/analytics/heatmap -----------------------------------------------------------------------------------------


def heatmap(db: Session, period: Period) -> schemas.HeatmapRead:
    """Orders and revenue per weekday and hour of the site's clock (peak hours)."""
    cells = time_facts(db, Span.of(period, previous=False), "cell")
    return schemas.HeatmapRead(
        **_plain(db, period),
        cells=[
            schemas.HeatCellRead(
                weekday=w,
                hour=h,
                orders=cells.get((1, w * 24 + h), EMPTY).orders,
                revenue=cells.get((1, w * 24 + h), EMPTY).revenue,
            )
            for w in range(7)
            for h in range(24)
        ],
    )


# --- /api/analytics/products ----------------------------------------------------------------------------------------


def products(db: Session, period: Period) -> schemas.ProductsRead:
    """Quantity, revenue, cost and margin per product, highest revenue first; unsold menu products at zero."""
    span = Span.of(period, previous=False)
    sold = {k: f for (cur, k), f in shared_facts(db, span, by_category=False)[0].items() if cur == 1}
    ids = {k for k in sold if k is not None}
    menu = db.execute(
        select(Product.id, Product.name, Product.category_id, Category.name)
        .join(Category, Category.id == Product.category_id)
        .where(or_(Product.is_archived.is_(False), Product.id.in_(sorted(ids))))
    ).all()
    costs = product_costs(db)
    known = {int(pid): (str(name), int(cid), str(cname)) for pid, name, cid, cname in menu}
    lines = []
    for pid in [*known, *([None] if None in sold else [])]:
        line = sold.get(pid, EMPTY)
        name, category_id, category = known[pid] if pid is not None else (NO_PRODUCT, None, "")
        unit_cost = costs.get(pid) if pid is not None else None
        cost = unit_cost * line.items if unit_cost is not None else None
        lines.append(
            schemas.ProductLineRead(
                product_id=pid,
                name=name,
                category_id=category_id,
                category=category,
                quantity=line.items,
                orders=line.orders,
                revenue=line.revenue,
                cost=cost,
                margin=line.revenue - cost if cost is not None else None,
            )
        )
    lines.sort(key=lambda p: (-p.revenue, -p.quantity, p.name, p.product_id is None, p.product_id or 0))
    return schemas.ProductsRead(**_plain(db, period), products=lines, revenue=sum(f.revenue for f in sold.values()))


# --- /api/analytics/waiters -----------------------------------------------------------------------------------------


def waiters(db: Session, period: Period) -> schemas.WaitersRead:
    """Per waiter owning the orders: orders, distinct tables, revenue, average ticket, tips and covers."""
    per = {w: f for (cur, w), f in waiter_facts(db, Span.of(period, previous=False)).items() if cur == 1}
    names = staff.display_names(db, per)
    lines = [
        schemas.WaiterLineRead(
            waiter_id=w,
            name=names.get(w, f"#{w}"),
            orders=f.orders,
            tables=f.tables,
            revenue=f.revenue,
            average_ticket=_per(f.revenue, f.orders),
            tips=f.tips,
            covers=f.covers,
        )
        for w, f in per.items()
    ]
    lines.sort(key=lambda line: (-line.revenue, line.name, line.waiter_id))
    return schemas.WaitersRead(**_plain(db, period), waiters=lines)


# --- durations: average, median and p90 without sorting a year of rows ----------------------------------------------
#
# SQLite has no percentile aggregate, and sorting hundreds of thousands of rows takes seconds on a small box. So
# counts and averages come from one pass along an index that has the key first (grouping needs no sort), and each
# key's order statistic is picked by ORDER BY ... LIMIT/OFFSET over that key's rows alone: SQLite keeps only
# LIMIT + OFFSET rows in the sorter, so asking from the nearer end keeps it small.


@dataclass(frozen=True, slots=True)
class Stat:
    count: int
    average: float
    picked: float  # the median or the p90


def _counts(
    db: Session, value: ColumnElement[Any], keys: Sequence[ColumnElement[Any]], where: Sequence[ColumnElement[bool]]
) -> list[tuple[Any, ...]]:
    """(*keys, count, sum of `value`) per combination of `keys` (one row over everything without keys)."""
    return [
        tuple(row)
        for row in db.execute(select(*keys, func.count(), func.sum(value)).where(*where).group_by(*keys)).all()
    ]


def _order_statistics(
    db: Session,
    value: ColumnElement[Any],
    key: ColumnElement[Any] | None,
    where: Sequence[ColumnElement[bool]],
    counts: dict[Any, tuple[int, float]],
    pick: Callable[[int], tuple[int, int, bool]],
) -> dict[Any, Stat]:
    """Count, average and an order statistic of `value` per `key` (None: over all rows, under the key None), from
    each key's (count, sum).

    `pick(n)` gives (offset, limit, descending): the statistic is the average of the `limit` values found
    `offset` rows from the low (or high) end. One statement asks every key."""
    keys = [(k, n, total) for k, (n, total) in counts.items() if n]
    out: dict[Any, Stat] = {}
    for chunk in range(0, len(keys), 400):  # SQLite allows 500 terms in one compound SELECT
        parts = []
        for i, (k, n, _) in enumerate(keys[chunk : chunk + 400]):
            offset, limit, descending = pick(n)
            mine = [*where] if key is None else [*where, key.is_(None) if k is None else key == k]
            # Ordered by the column's name: SQLite computes the value once a row, not again for the sort.
            rows = (
                select(value.label("v"))
                .where(*mine)
                .order_by(literal_column("v").desc() if descending else literal_column("v"))
                .limit(limit)
                .offset(offset)
                .subquery()
            )
            parts.append(select(literal(chunk + i), select(func.avg(rows.c.v)).scalar_subquery()))
        for i, picked in db.execute(union_all(*parts)).all():
            k, n, total = keys[int(i)]
            out[k] = Stat(count=n, average=total / n, picked=float(picked or 0.0))
    return out


def _median(n: int) -> tuple[int, int, bool]:
    """The middle value, or the two middle values (averaged), from the low end."""
    return (n - 1) // 2, 2 - n % 2, False


def _p90(n: int) -> tuple[int, int, bool]:
    """Nearest rank: the ceil(0.9 n)-th smallest, i.e. n - ceil(0.9 n) values from the top."""
    return n - (9 * n + 9) // 10, 1, True


# --- /api/analytics/turnover ----------------------------------------------------------------------------------------


def turnover(db: Session, period: Period) -> schemas.TurnoverRead:
    """Opened -> closed minutes of the orders closed in the period, per table and over all tables (read along
    ix_orders_table_turnover)."""
    minutes = func.max(0.0, (func.julianday(Order.closed_at) - func.julianday(Order.opened_at)) * 1440.0)
    closed = _within(Order.closed_at, period.start, period.end)
    # Over all tables, `status || ''` keeps the planner off ix_orders_status_opened_at (row lookups and a sort):
    # it reads ix_orders_table_turnover whole instead, already grouped by table.
    scan = [Order.status.concat("") == "closed", closed]
    table = Order.table_id.expression
    counts = {row[0]: (int(row[1]), float(row[2])) for row in _counts(db, minutes, [table], scan)}
    per_table = _order_statistics(db, minutes, table, [Order.status == "closed", closed], counts, _median)
    n, total = sum(c for c, _ in counts.values()), sum(t for _, t in counts.values())
    overall = _order_statistics(db, minutes, None, scan, {None: (n, total)}, _median).get(None)
    labels = tables.table_labels(db, per_table)

    def line(table_id: int | None, label: str, s: Stat | None) -> schemas.TurnoverLineRead:
        return schemas.TurnoverLineRead(
            table_id=table_id,
            label=label,
            orders=s.count if s else 0,
            average_minutes=round(s.average, 1) if s else 0.0,
            median_minutes=round(s.picked, 1) if s else 0.0,
        )

    lines = [line(int(t), labels.get(t, f"#{t}"), s) for t, s in per_table.items()]
    lines.sort(key=lambda line: (line.label, line.table_id or 0))
    return schemas.TurnoverRead(**_plain(db, period), overall=line(None, ALL_TABLES, overall), tables=lines)


# --- /api/analytics/kitchen -----------------------------------------------------------------------------------------


def kitchen(db: Session, period: Period) -> schemas.KitchenRead:
    """Prep seconds (fired, else added -> ready) of the items added in the period, by zone and by product (read
    along ix_order_items_prep_by_zone and ix_order_items_product_sales)."""
    told = func.coalesce(OrderItem.fired_at, OrderItem.added_at)
    seconds = func.max(0.0, (func.julianday(OrderItem.ready_at) - func.julianday(told)) * 86400.0)
    where = [OrderItem.ready_at.is_not(None), _within(OrderItem.added_at, period.start, period.end)]
    zone, product = OrderItem.printer_zone_id.expression, OrderItem.product_id.expression
    # One pass product by product (zones within a product are few) gives both groupings' counts and sums.
    per_zone: dict[Any, tuple[int, float]] = {}
    per_product: dict[Any, tuple[int, float]] = {}
    for p, z, n, total in _counts(db, seconds, [product, zone], where):
        for counts, k in ((per_zone, z), (per_product, p)):
            before = counts.get(k, (0, 0.0))
            counts[k] = (before[0] + int(n), before[1] + float(total))
    zones = _order_statistics(db, seconds, zone, where, per_zone, _p90)
    dishes = _order_statistics(db, seconds, product, where, per_product, _p90)
    printers = printing.load_printers(db)
    names = _entity_labels(db, "product", dishes)

    def line(key: Any, name: str, s: Stat) -> schemas.PrepLineRead:
        return schemas.PrepLineRead(
            key=key, name=name, items=s.count, average_seconds=round(s.average, 1), p90_seconds=round(s.picked, 1)
        )

    by_zone = [line(z, printers[z].name if z is not None and z in printers else NO_ZONE, s) for z, s in zones.items()]
    by_product = [line(k, names.get(k, NO_PRODUCT), s) for k, s in dishes.items()]
    for lines in (by_zone, by_product):
        lines.sort(key=lambda line: (line.name, line.key or 0))
    return schemas.KitchenRead(**_plain(db, period), by_zone=by_zone, by_product=by_product)


# --- /api/analytics/exceptions ---------------------------------------------------------------------------------------


def _kept(start: datetime, end: datetime) -> ColumnElement[bool]:
    """A discount given in the period and not taken back before its end (as `figures.discounts` counts it)."""
    return and_(
        _within(OrderDiscount.created_at, start, end),
        (OrderDiscount.removed_at.is_(None)) | (OrderDiscount.removed_at >= end),
    )


def _exception_groups(db: Session, start: datetime, end: datetime, by_user: bool) -> list[tuple[str, Any, int, int]]:
    """(kind, reason or user id, count, amount) of discounts, comps, voids and refunds of the period."""
    discount_kind = case((OrderDiscount.kind == "comp", "comp"), else_="discount")
    d_key = OrderDiscount.created_by_id if by_user else func.coalesce(OrderDiscount.reason, "")
    v_key = OrderItem.cancelled_by_id if by_user else func.coalesce(OrderItem.cancel_reason, "")
    r_key = Refund.created_by_id if by_user else func.coalesce(Refund.reason, "")
    parts = [
        select(discount_kind, d_key, func.count(OrderDiscount.id), func.sum(OrderDiscount.amount))
        .where(_kept(start, end))
        .group_by(discount_kind, d_key),
        select(literal("void"), v_key, func.count(OrderItem.id), func.sum(OrderItem.quantity * OrderItem.unit_price))
        .where(OrderItem.status == "cancelled", _within(OrderItem.cancelled_at, start, end))
        .group_by(v_key),
        select(literal("refund"), r_key, func.count(Refund.id), func.sum(Refund.amount))
        .where(_within(Refund.created_at, start, end))
        .group_by(r_key),
    ]
    return [(str(kind), k, int(n), int(a)) for part in parts for kind, k, n, a in db.execute(part).all()]


EXCEPTION_KINDS = ("discount", "comp", "void", "refund")


def exceptions(db: Session, period: Period) -> schemas.ExceptionsRead:
    """Discounts, comps, voids and refunds by kind, by reason and by the person who asked."""
    start, end = period.start, period.end
    by_reason = _exception_groups(db, start, end, by_user=False)
    by_user = _exception_groups(db, start, end, by_user=True)

    def kinds(rows: Sequence[tuple[str, Any, int, int]]) -> list[ExceptionKindTotalRead]:
        return [
            ExceptionKindTotalRead(
                kind=cast(Any, kind),
                count=sum(r[2] for r in rows if r[0] == kind),
                amount=sum(r[3] for r in rows if r[0] == kind),
            )
            for kind in EXCEPTION_KINDS
        ]

    users: dict[int | None, list[tuple[str, Any, int, int]]] = {}
    for row in by_user:
        users.setdefault(int(row[1]) if row[1] is not None else None, []).append(row)
    names = staff.display_names(db, {u for u in users if u is not None})
    people = [
        ExceptionUserTotalRead(
            user_id=u,
            user_name=names.get(u) if u is not None else None,
            count=sum(r[2] for r in rows),
            amount=sum(r[3] for r in rows),
            by_kind=[k for k in kinds(rows) if k.count],
        )
        for u, rows in users.items()
    ]
    people.sort(key=lambda p: (-p.amount, p.user_name or "", p.user_id or 0))
    reasons = [
        schemas.ReasonLineRead(kind=cast(Any, kind), reason=str(reason), count=n, amount=a)
        for kind, reason, n, a in by_reason
    ]
    reasons.sort(key=lambda r: (-r.amount, r.kind, r.reason))
    return schemas.ExceptionsRead(**_plain(db, period), by_kind=kinds(by_user), by_reason=reasons, by_waiter=people)
