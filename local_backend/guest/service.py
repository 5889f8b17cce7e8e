"""Guest QR ordering rules: the table behind a code, the shared cart, submissions, and what guests may see.

- **Sessions.** A table's cart and submissions belong to its running guest session (models.py). A session is
  over once an order of its table ended (closed or cancelled) after it started and it has no active order of its
  own, or after SESSION_IDLE without an order: the next party then starts with an empty cart. Reads only *look*
  at staleness (they cannot write); the next cart write ends the stale session and starts a new one.
- **Versions.** Every cart write bumps the session's version in its own transaction (writes are serialized in
  process, see db.py), so versions strictly increase; a new session continues from the old one's version.
- **Limits.** Sends per minute are counted from the submissions themselves, so they hold across a restart, and a
  table can have at most MAX_PENDING submissions waiting for a waiter. Cart writes and calls are limited in memory
  (one appliance process serves the restaurant): a misbehaving phone is throttled without a write per request.
- **Expiry.** A submission still pending when its party's session is over can no longer be accepted: its guests
  have left, and accepting it would open an order for the next party.
- **Guests never see staff data**: their views are built here from the order, never from staff events.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.events import Audience, publish_after_commit
from local_backend.guest import payments
from local_backend.guest.models import GuestCartLine, GuestSession, GuestSubmission
from local_backend.guest.schemas import MAX_CART_LINES, MAX_LINE_QUANTITY, GuestCartLineCreate
from local_backend.menu import service as menu
from local_backend.menu.models import Category, Product
from local_backend.menu.schemas import image_url
from local_backend.orders import ledger
from local_backend.orders import service as orders
from local_backend.orders.models import ACTIVE_ORDER_STATUSES, Order
from local_backend.orders.schemas import OrderItemCreate
from local_backend.settings import service as site
from local_backend.staff import service as staff
from local_backend.staff.models import User
from local_backend.tables import service as tables
from local_backend.tables.models import Table
from shared.clock import ensure_utc, utcnow
from shared.errors import AppError, Conflict, Forbidden, NotFound, TooManyRequests, Unprocessable

SESSION_IDLE = timedelta(hours=6)
MAX_PENDING = 5
SEND_WINDOW = timedelta(minutes=1)
CART_WRITES_PER_MINUTE = 60
CALL_INTERVAL_SECONDS = 60.0
ITEM_STATES = {"pending": "received", "preparing": "preparing", "ready": "ready", "served": "served"}


class TableGone(AppError):
    status_code = 410
    code = "TABLE_INACTIVE"
    default_detail = "This table is not in service at the moment; please ask the staff"


class GuestOrderingOff(Forbidden):
    code = "GUEST_ORDERING_OFF"
    default_detail = "Ordering from the table is switched off; please ask the staff"


class GuestRateLimited(TooManyRequests):
    code = "GUEST_RATE_LIMITED"
    default_detail = "Too many requests from this table; wait a moment"


class CartLineNotFound(NotFound):
    code = "CART_LINE_NOT_FOUND"
    default_detail = "That line is no longer in the cart"


class CartFull(Conflict):
    code = "CART_FULL"
    default_detail = f"The cart is full ({MAX_CART_LINES} lines); send it or remove something"


class CartEmpty(Conflict):
    code = "CART_EMPTY"
    default_detail = "The cart is empty"


class CartChanged(Conflict):
    code = "CART_CHANGED"
    default_detail = "Someone at the table changed the cart; review it and send again"


class TooManyItems(Unprocessable):
    code = "TOO_MANY_ITEMS"
    default_detail = "Too many items in one order; send part of them first"


class SubmissionNotFound(NotFound):
    code = "SUBMISSION_NOT_FOUND"
    default_detail = "No such guest submission"


class SubmissionExpired(Conflict):
    code = "SUBMISSION_EXPIRED"
    default_detail = "The guests who sent this have left the table (their bill is closed)"


class OrdersWaiting(Conflict):
    code = "GUEST_ORDERS_WAITING"
    default_detail = f"{MAX_PENDING} orders from this table are waiting for the waiter; wait until they are confirmed"


class SubmissionDecided(Conflict):
    code = "SUBMISSION_DECIDED"
    default_detail = "This submission was already accepted or rejected"


class NotTableWaiter(Forbidden):
    code = "NOT_TABLE_WAITER"
    default_detail = "Another waiter serves this table"


TOKEN_ERRORS = (tables.TableTokenInvalid, TableGone)
LINE_ERRORS = (
    orders.ProductNotFound,
    orders.ProductUnavailable,
    orders.InvalidOption,
    orders.InvalidIngredient,
    orders.InvalidChoice,
    orders.ChoiceConflict,
    orders.ChoiceRequired,
)
CART_WRITE_ERRORS = (*TOKEN_ERRORS, GuestOrderingOff, GuestRateLimited)
ADD_LINE_ERRORS = (*CART_WRITE_ERRORS, CartFull, *LINE_ERRORS)
CHANGE_LINE_ERRORS = (*CART_WRITE_ERRORS, CartLineNotFound)
SUBMIT_ERRORS = (
    *CART_WRITE_ERRORS,
    CartEmpty,
    CartChanged,
    TooManyItems,
    OrdersWaiting,
    *orders.ADD_ITEMS_ERRORS,
)
CALL_ERRORS = (*TOKEN_ERRORS, GuestRateLimited)
ACCEPT_ERRORS = (
    SubmissionNotFound,
    SubmissionDecided,
    SubmissionExpired,
    NotTableWaiter,
    orders.TableInactive,
    *orders.ADD_ITEMS_ERRORS,
)
REJECT_ERRORS = (SubmissionNotFound, SubmissionDecided, NotTableWaiter)
# Rejecting an expired submission is allowed: it only clears it off the waiter's list.


# ---------------------------------------------------------------------------------------------------------------
# Rate limits (in memory, per app)


class GuestLimits:
    """Sliding one-minute windows per key (table and action); thread-safe, bounded by the number of tables."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[tuple[Any, ...], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: tuple[Any, ...], limit: int, *, window: float = 60.0, what: str = "requests") -> None:
        """Count one hit for `key`, or raise GuestRateLimited (with Retry-After) when `limit` are in the window."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                retry = max(1, math.ceil(hits[0] + window - now))
                raise GuestRateLimited(
                    f"Too many {what} from this table; try again in {retry} s", headers={"Retry-After": str(retry)}
                )
            hits.append(now)

    def forget(self, key: tuple[Any, ...]) -> None:
        """Give back the newest hit (the request it counted failed)."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()


# ---------------------------------------------------------------------------------------------------------------
# The table behind a code, and its session


def table_for_token(db: Session, token: str) -> Table:
    """The active table of a QR token: 404 TABLE_TOKEN_INVALID, 410 TABLE_INACTIVE."""
    table = tables.table_for_token(db, token)
    if not table.is_active:
        raise TableGone(f"Table {table.label} is not in service at the moment; please ask the staff")
    return table


def _running_session(db: Session, table_id: int) -> GuestSession | None:
    return db.scalars(
        select(GuestSession).where(GuestSession.table_id == table_id, GuestSession.ended_at.is_(None))
    ).first()


def _is_stale(db: Session, session: GuestSession) -> bool:
    if session.order_id is not None:
        status = db.scalar(select(Order.status).where(Order.id == session.order_id))
        if status in ACTIVE_ORDER_STATUSES:
            return False
    elif ensure_utc(session.updated_at) < utcnow() - SESSION_IDLE:
        return True
    ended = db.scalar(
        select(func.max(func.coalesce(Order.closed_at, Order.cancelled_at))).where(
            Order.table_id == session.table_id, Order.status.in_(("closed", "cancelled"))
        )
    )
    if ended is not None and ensure_utc(ended) >= ensure_utc(session.started_at):
        return True
    # Its own order ended (e.g. merged away) without a newer one on this table: over as well.
    return session.order_id is not None


@dataclass(frozen=True, slots=True)
class SessionState:
    """The session a guest sees: the running one, or None with the version a fresh one would start from."""

    session: GuestSession | None
    version: int


def current_state(db: Session, table_id: int) -> SessionState:
    """What the table's guests see now (read-only: a stale session shows as a fresh, empty one)."""
    session = _running_session(db, table_id)
    if session is None:
        return SessionState(None, _last_version(db, table_id))
    if _is_stale(db, session):
        return SessionState(None, session.version + 1)
    return SessionState(session, session.version)


def _last_version(db: Session, table_id: int) -> int:
    last = db.scalar(select(func.max(GuestSession.version)).where(GuestSession.table_id == table_id))
    return int(last) + 1 if last is not None else 0


def _session_for_write(db: Session, table: Table) -> GuestSession:
    """The running session, after ending a stale one; a new session if there is none."""
    session = _running_session(db, table.id)
    version = _last_version(db, table.id)
    if session is not None:
        if not _is_stale(db, session):
            return session
        session.ended_at = utcnow()
        version = session.version + 1
        db.flush()
    session = GuestSession(table_id=table.id, version=version, order_id=orders.active_order_id(db, table.id))
    db.add(session)
    db.flush()
    return session


def _bump(db: Session, session: GuestSession) -> None:
    # An UPDATE ... SET version = version + 1, not read-modify-write: correct even for a second process.
    db.execute(
        update(GuestSession)
        .where(GuestSession.id == session.id)
        .values(version=GuestSession.version + 1, updated_at=utcnow())
    )
    db.refresh(session, ["version", "updated_at"])


# ---------------------------------------------------------------------------------------------------------------
# Views


def _line_view(line: GuestCartLine | dict[str, Any]) -> dict[str, Any]:
    """A cart line (row, or the dict a submission stored) as GuestCartLine."""
    values: dict[str, Any] = line if isinstance(line, dict) else line.__dict__
    get = values.get
    quantity = int(values["quantity"])
    unit_price = int(values["unit_price"])
    return {
        "id": get("id"),
        "product_id": get("product_id"),
        "product_name": get("product_name"),
        "product_name_en": get("product_name_en"),
        "quantity": quantity,
        "options": list(get("options") or []),
        "removed": list(get("removed") or []),
        "choices": list(get("choices") or []),
        "note": get("note"),
        "nickname": get("nickname"),
        "unit_price": unit_price,
        "line_total": unit_price * quantity,
        "added_at": get("added_at"),
    }


def _lines(db: Session, session_id: int) -> Sequence[GuestCartLine]:
    return db.scalars(
        select(GuestCartLine).where(GuestCartLine.session_id == session_id).order_by(GuestCartLine.id)
    ).all()


def _orderable(db: Session, product_ids: Sequence[int]) -> set[int]:
    """Which of these products guests may still order (available, not archived, in an active category)."""
    if not product_ids:
        return set()
    return set(
        db.scalars(
            select(Product.id)
            .join(Category, Category.id == Product.category_id)
            .where(
                Product.id.in_(sorted(set(product_ids))),
                Product.is_available.is_(True),
                Product.is_archived.is_(False),
                Category.is_active.is_(True),
            )
        )
    )


def cart_view(db: Session, table_id: int) -> dict[str, Any]:
    """GuestCartRead of the table's running session; a line 86'd since it was added shows as unavailable."""
    state = current_state(db, table_id)
    rows = [] if state.session is None else list(_lines(db, state.session.id))
    orderable = _orderable(db, [row.product_id for row in rows])
    lines = [{**_line_view(row), "available": row.product_id in orderable} for row in rows]
    return {"version": state.version, "lines": lines, "total": sum(line["line_total"] for line in lines)}


def _submission_view(sub: GuestSubmission) -> dict[str, Any]:
    lines = [_line_view(line) for line in sub.lines]
    return {
        "id": sub.id,
        "status": sub.status,
        "lines": lines,
        "total": sub.total,
        "nickname": sub.nickname,
        "created_at": sub.created_at,
        "reason": sub.reason,
    }


def order_view(db: Session, table_id: int, pay: payments.Availability | None = None) -> dict[str, Any]:
    """GuestOrderRead: the table's active order (items, states, money, UPI payments) and this party's submissions.

    `pay`: whether guests may pay from the table now (the caller knows the UPI gateway's state)."""
    state = current_state(db, table_id)
    submissions: list[dict[str, Any]] = []
    if state.session is not None:
        subs = db.scalars(
            select(GuestSubmission).where(GuestSubmission.session_id == state.session.id).order_by(GuestSubmission.id)
        ).all()
        submissions = [_submission_view(sub) for sub in subs]
    pay = pay or payments.Availability(False, None)
    payment_view: dict[str, Any] = {"available": pay.available, "reason": pay.reason, "open_for": 0, "requests": []}
    order_id = orders.active_order_id(db, table_id)
    if order_id is None:
        empty = {"total": 0, "paid": 0, "due": 0, "payments": payment_view}
        return {"order_id": None, "items": [], "submissions": submissions, **empty}
    order = orders.load_for_ledger(db, order_id)
    detail = orders.detail_of(db, order)
    bill = ledger.breakdown(order)
    nicknames = {item.id: item.guest_nickname for item in order.items}
    names_en = _names_en(db, [item.product_id for item in detail.items if item.product_id is not None])
    items = []
    for item in detail.items:
        line = bill.line(item.id) if item.status != "cancelled" else None
        items.append(
            {
                "id": item.id,
                "product_name": item.product_name,
                "product_name_en": names_en.get(item.product_id) if item.product_id is not None else None,
                "quantity": item.quantity,
                "state": ITEM_STATES.get(item.status, "cancelled"),
                "guest": nicknames.get(item.id) is not None,
                "nickname": nicknames.get(item.id),
                "amount": line.units(0, item.quantity) if line is not None else 0,
                "paid_quantity": item.paid_quantity,
            }
        )
    payment_view.update(payments.bill_payments(db, order))
    return {
        "order_id": order_id,
        "items": items,
        "submissions": submissions,
        "total": detail.total,
        "paid": detail.paid_total,
        "due": detail.due,
        "payments": payment_view,
    }


def _names_en(db: Session, product_ids: Sequence[int]) -> dict[int, str | None]:
    if not product_ids:
        return {}
    return dict(db.execute(select(Product.id, Product.name_en).where(Product.id.in_(sorted(set(product_ids))))).all())


def table_view(db: Session, *, table: Table, license_reason: str | None) -> dict[str, Any]:
    """GuestTableRead: what the guest's page header and its "can I order?" state need."""
    cfg = site.current(db)
    reason = license_reason
    if cfg.guest_ordering == "off":
        reason = GuestOrderingOff.default_detail
    return {
        "table_label": table.label,
        "restaurant_name": cfg.restaurant_name,
        "currency": cfg.currency,
        "ordering": cfg.guest_ordering,
        "accepting_orders": reason is None,
        "reason": reason,
    }


def menu_view(db: Session) -> dict[str, Any]:
    """GuestMenuRead: available products of active categories, with what a guest may change about them."""
    products = menu.list_products(db)
    used = {p.category_id for p in products}
    categories = [c for c in menu.list_categories(db) if c.id in used]
    return {
        "categories": [{"id": c.id, "name": c.name, "name_en": c.name_en, "color": c.color} for c in categories],
        "products": [
            {
                "id": p.id,
                "category_id": p.category_id,
                "name": p.name,
                "name_en": p.name_en,
                "description": p.description,
                "base_price": p.base_price,
                "image_url": image_url(p.id, p.image_path),
                "options": [
                    {"id": o.id, "name": o.name, "name_en": o.name_en, "extra_cost": o.extra_cost} for o in p.options
                ],
                "ingredients": [{"id": i.id, "name": i.name, "name_en": i.name_en} for i in p.ingredients],
                "allergens": p.allergens,
                "preference_sets": [
                    {
                        "id": s.id,
                        "name": s.name,
                        "name_en": s.name_en,
                        "required": s.is_required,
                        "choices": [
                            {"id": c.id, "name": c.name, "name_en": c.name_en, "price_delta": c.price_delta}
                            for c in s.choices
                        ],
                    }
                    for s in p.preference_sets
                ],
            }
            for p in products
        ],
    }


# ---------------------------------------------------------------------------------------------------------------
# Guest writes


def _ensure_ordering_on(db: Session) -> site.SiteConfig:
    cfg = site.current(db)
    if cfg.guest_ordering == "off":
        raise GuestOrderingOff()
    return cfg


def _cart_changed(db: Session, table_id: int) -> None:
    publish_after_commit(db, "guest.cart", {"table_id": table_id}, Audience.guests(table_id))


def _order_changed(db: Session, table_id: int) -> None:
    publish_after_commit(db, "guest.order", {"table_id": table_id}, Audience.guests(table_id))


def add_line(db: Session, *, table: Table, data: GuestCartLineCreate, limits: GuestLimits) -> dict[str, Any]:
    """Put one line in the table's cart, validated and priced like a waiter's item."""
    _ensure_ordering_on(db)
    spec = OrderItemCreate(
        product_id=data.product_id,
        quantity=data.quantity,
        option_ids=data.option_ids,
        removed_ingredient_ids=data.removed_ingredient_ids,
        choice_ids=data.choice_ids,
        note=data.note,
    )
    product = menu.products_for_order(db, [data.product_id]).get(data.product_id)
    priced = orders.price_item(spec, product)
    name_en, category_active = db.execute(
        select(Product.name_en, Category.is_active)
        .join(Category, Category.id == Product.category_id)
        .where(Product.id == data.product_id)
    ).one()
    if not category_active:
        raise orders.ProductUnavailable(f"item: {priced['product_name']} is not available")
    # Counted once the line is valid: a phone sending rubbish must not lock the rest of the table out.
    limits.check(("cart", table.id), CART_WRITES_PER_MINUTE, what="cart changes")
    session = _session_for_write(db, table)
    count = int(db.scalar(select(func.count(GuestCartLine.id)).where(GuestCartLine.session_id == session.id)) or 0)
    if count >= MAX_CART_LINES:
        raise CartFull()
    db.add(
        GuestCartLine(
            session_id=session.id,
            product_id=data.product_id,
            product_name=priced["product_name"],
            product_name_en=name_en,
            quantity=data.quantity,
            unit_price=priced["unit_price"],
            option_ids=[o["id"] for o in priced["selected_options"]],
            removed_ingredient_ids=[i["id"] for i in priced["removed_ingredients"]],
            choice_ids=[c["id"] for c in priced["choices"]],
            options=[o["name"] for o in priced["selected_options"]],
            removed=[i["name"] for i in priced["removed_ingredients"]],
            choices=[c["name"] for c in priced["choices"]],
            note=priced["note"],
            nickname=data.nickname,
            added_at=utcnow(),
        )
    )
    db.flush()
    _bump(db, session)
    _cart_changed(db, table.id)
    return cart_view(db, table.id)


def _line_of(db: Session, table: Table, line_id: int) -> tuple[GuestSession, GuestCartLine]:
    state = current_state(db, table.id)
    line = db.get(GuestCartLine, line_id) if state.session is not None else None
    if state.session is None or line is None or line.session_id != state.session.id:
        raise CartLineNotFound()
    return state.session, line


def change_line(
    db: Session,
    *,
    table: Table,
    line_id: int,
    quantity: int | None = None,
    delta: int | None = None,
    limits: GuestLimits,
) -> dict[str, Any]:
    """Set a cart line's quantity, or add `delta` to it within 1..MAX_LINE_QUANTITY. The addition happens in SQL,
    so two phones tapping + at once both count."""
    _ensure_ordering_on(db)
    limits.check(("cart", table.id), CART_WRITES_PER_MINUTE, what="cart changes")
    session, line = _line_of(db, table, line_id)
    if delta is not None:
        bounded = func.min(MAX_LINE_QUANTITY, func.max(1, GuestCartLine.quantity + delta))
        db.execute(update(GuestCartLine).where(GuestCartLine.id == line.id).values(quantity=bounded))
        db.refresh(line, ["quantity"])
    elif quantity is not None:
        line.quantity = quantity
    db.flush()
    _bump(db, session)
    _cart_changed(db, table.id)
    return cart_view(db, table.id)


def remove_line(db: Session, *, table: Table, line_id: int, limits: GuestLimits) -> dict[str, Any]:
    """Take a line out of the cart."""
    _ensure_ordering_on(db)
    limits.check(("cart", table.id), CART_WRITES_PER_MINUTE, what="cart changes")
    session, line = _line_of(db, table, line_id)
    db.delete(line)
    db.flush()
    _bump(db, session)
    _cart_changed(db, table.id)
    return cart_view(db, table.id)


def submit(db: Session, *, table: Table, nickname: str, cart_version: int, limits: GuestLimits) -> dict[str, Any]:
    """Send the whole cart to the staff (confirm mode) or straight to the kitchen (direct mode); the cart empties."""
    cfg = _ensure_ordering_on(db)
    state = current_state(db, table.id)
    if state.version != cart_version:
        raise CartChanged()
    session = state.session
    lines = [] if session is None else list(_lines(db, session.id))
    if session is None or not lines:
        raise CartEmpty()
    # Checked now, not only when a waiter accepts: a sold-out dish must not reach the waiter and fail the round.
    orderable = _orderable(db, [line.product_id for line in lines])
    gone = sorted({line.product_name for line in lines if line.product_id not in orderable})
    if gone:
        raise orders.ProductUnavailable(f"{', '.join(gone)}: no longer available; remove it from the cart")
    quantity = sum(line.quantity for line in lines)
    if quantity > cfg.guest_max_items_per_send:
        raise TooManyItems(
            f"{quantity} items in one order; at most {cfg.guest_max_items_per_send} — send part of them first"
        )
    _check_sends(db, table_id=table.id, session_id=session.id, per_minute=cfg.guest_max_sends_per_minute)
    snapshot = [
        {
            **_line_view(line),
            "added_at": line.added_at.isoformat(),
            "option_ids": list(line.option_ids),
            "removed_ingredient_ids": list(line.removed_ingredient_ids),
            "choice_ids": list(line.choice_ids),
        }
        for line in lines
    ]
    submission = GuestSubmission(
        session_id=session.id,
        table_id=table.id,
        status="pending",
        nickname=nickname,
        lines=snapshot,
        total=sum(line["line_total"] for line in snapshot),
        created_at=utcnow(),
    )
    db.add(submission)
    db.execute(delete(GuestCartLine).where(GuestCartLine.session_id == session.id))
    db.flush()
    _bump(db, session)
    audit.record(
        db,
        action="guest.submitted",
        entity_type="guest_submission",
        entity_id=submission.id,
        data={
            "table_id": table.id,
            "table_label": table.label,
            "nickname": nickname,
            "mode": cfg.guest_ordering,
            "items": [
                {"name": line["product_name"], "quantity": line["quantity"], "guest": line["nickname"]}
                for line in snapshot
            ],
            "total": submission.total,
        },
    )
    _cart_changed(db, table.id)
    _order_changed(db, table.id)
    if cfg.guest_ordering == "direct":
        _accept(db, submission=submission, table=table, by=staff.guest_user(db), on_behalf_of_guests=True)
    else:
        publish_after_commit(
            db,
            "guest.submitted",
            {"submission_id": submission.id, "table_id": table.id, "table_label": table.label},
            _table_audience(db, table.id),
        )
    return _submission_view(submission)


def _check_sends(db: Session, *, table_id: int, session_id: int, per_minute: int) -> None:
    """At most `per_minute` sends from a table in any minute, and MAX_PENDING of its party's waiting at once."""
    now = utcnow()
    recent = db.scalars(
        select(GuestSubmission.created_at)
        .where(GuestSubmission.table_id == table_id, GuestSubmission.created_at > now - SEND_WINDOW)
        .order_by(GuestSubmission.created_at)
    ).all()
    if len(recent) >= per_minute:
        retry = max(1, math.ceil((ensure_utc(recent[-per_minute]) + SEND_WINDOW - now).total_seconds()))
        raise GuestRateLimited(
            f"Too many orders from this table; try again in {retry} s", headers={"Retry-After": str(retry)}
        )
    pending = db.scalar(
        select(func.count(GuestSubmission.id)).where(
            GuestSubmission.session_id == session_id, GuestSubmission.status == "pending"
        )
    )
    if int(pending or 0) >= MAX_PENDING:
        raise OrdersWaiting()


def call(db: Session, *, table: Table, kind: str, limits: GuestLimits) -> None:
    """Ask for the waiter or the bill; once per kind per table a minute."""
    limits.check(("call", table.id, kind), 1, window=CALL_INTERVAL_SECONDS, what="calls")
    publish_after_commit(
        db,
        "guest.call",
        {"table_id": table.id, "table_label": table.label, "kind": kind},
        _table_audience(db, table.id),
    )


# ---------------------------------------------------------------------------------------------------------------
# Staff side


def _table_waiter(db: Session, table_id: int) -> int | None:
    """The waiter of the table's active order; None while the table is free or its order belongs to QR guests."""
    order_id = orders.active_order_id(db, table_id)
    if order_id is None:
        return None
    waiter_id = db.scalar(select(Order.waiter_id).where(Order.id == order_id))
    return None if waiter_id is None or staff.owned_by_guests(db, waiter_id) else waiter_id


def _table_audience(db: Session, table_id: int) -> Audience:
    """The table's waiter and their assistants (and managers); every waiter while no waiter serves the table."""
    waiter_id = _table_waiter(db, table_id)
    return Audience.everyone() if waiter_id is None else staff.serving(db, waiter_id)


def _may_handle(db: Session, user: User, table_id: int) -> bool:
    if user.is_manager:
        return True
    waiter_id = _table_waiter(db, table_id)
    return waiter_id is None or waiter_id in staff.acting_for(db, user)


def _staff_view(
    db: Session, sub: GuestSubmission, *, label: str | None = None, decider: str | None = None
) -> dict[str, Any]:
    if label is None:
        label = tables.table_labels(db, [sub.table_id]).get(sub.table_id, "")
    if decider is None and sub.decided_by_id is not None:
        decider = staff.display_names(db, [sub.decided_by_id]).get(sub.decided_by_id)
    return {
        **_submission_view(sub),
        "table_id": sub.table_id,
        "table_label": label,
        "order_id": sub.order_id,
        "decided_by": decider,
    }


def list_submissions(db: Session, *, user: User, status: str | None, limit: int = 500) -> list[dict[str, Any]]:
    """Submissions the user may handle (a waiter: their tables, their assisted waiters' and free ones), oldest first.

    Pending ones are only those of parties still at their table (MAX_PENDING each), so the list stays short."""
    stmt = select(GuestSubmission).order_by(GuestSubmission.id)
    if status is not None:
        stmt = stmt.where(GuestSubmission.status == status)
    else:
        stmt = stmt.where(GuestSubmission.created_at >= utcnow() - timedelta(hours=24))
    if status == "pending":
        running = select(GuestSession.id).where(GuestSession.ended_at.is_(None))
        stmt = stmt.where(GuestSubmission.session_id.in_(running))
    subs = list(db.scalars(stmt.limit(limit)).all())
    if status == "pending":
        current = {table_id: current_state(db, table_id).session for table_id in {s.table_id for s in subs}}
        subs = [s for s in subs if (session := current[s.table_id]) is not None and session.id == s.session_id]
    if not user.is_manager:
        active = orders.active_order_summaries(db)
        mine = {user.id, *staff.acting_for(db, user)}
        guests = staff.guest_user_id(db)
        subs = [
            s
            for s in subs
            if s.table_id not in active
            or active[s.table_id].waiter_id in mine
            or active[s.table_id].waiter_id == guests
        ]
    labels = tables.table_labels(db, [s.table_id for s in subs])
    names = staff.display_names(db, [s.decided_by_id for s in subs if s.decided_by_id is not None])
    return [
        _staff_view(
            db, s, label=labels.get(s.table_id, ""), decider=names.get(s.decided_by_id) if s.decided_by_id else None
        )
        for s in subs
    ]


def _pending(db: Session, submission_id: int, user: User) -> GuestSubmission:
    sub = db.get(GuestSubmission, submission_id)
    if sub is None:
        raise SubmissionNotFound()
    if not _may_handle(db, user, sub.table_id):
        raise NotTableWaiter()
    if sub.status != "pending":
        raise SubmissionDecided(f"Submission {sub.id} was already {sub.status}")
    return sub


def _expired(db: Session, sub: GuestSubmission) -> bool:
    state = current_state(db, sub.table_id)
    return state.session is None or state.session.id != sub.session_id


def _accept(
    db: Session, *, submission: GuestSubmission, table: Table, by: User, on_behalf_of_guests: bool = False
) -> int:
    """Add the submission's lines to the table's order (opened for `by` when there is none); returns the order id."""
    order_id = orders.active_order_id(db, table.id)
    if order_id is None:
        order_id = orders.open_order(db, table_id=table.id, guests=None, by=by).id
    elif not on_behalf_of_guests and staff.owned_by_guests(
        db, db.scalar(select(Order.waiter_id).where(Order.id == order_id))
    ):
        # Like opening it: the waiter who accepts a round at a table the guests opened serves that table now.
        orders.take(db, order_id=order_id, by=by)
    lines = submission.lines
    items = [
        OrderItemCreate(
            product_id=line["product_id"],
            quantity=line["quantity"],
            option_ids=line.get("option_ids", []),
            removed_ingredient_ids=line.get("removed_ingredient_ids", []),
            choice_ids=line.get("choice_ids", []),
            note=line.get("note"),
        )
        for line in lines
    ]
    orders.add_guest_items(
        db,
        order_id=order_id,
        items=items,
        nicknames=[line["nickname"] for line in lines],
        by=by,
        on_behalf_of_guests=on_behalf_of_guests,
    )
    submission.status = "accepted"
    submission.decided_at = utcnow()
    submission.decided_by_id = by.id
    submission.order_id = order_id
    db.execute(update(GuestSession).where(GuestSession.id == submission.session_id).values(order_id=order_id))
    db.flush()
    audit.record(
        db,
        action="guest.submission_accepted",
        entity_type="guest_submission",
        entity_id=submission.id,
        actor=by,
        order_id=order_id,
        data={
            "table_id": table.id,
            "table_label": table.label,
            "nickname": submission.nickname,
            "guests": sorted({line["nickname"] for line in lines}),
            "direct": on_behalf_of_guests,
            "total": submission.total,
        },
    )
    _submission_changed(db, submission)
    return order_id


def _submission_changed(db: Session, sub: GuestSubmission) -> None:
    publish_after_commit(
        db,
        "guest.submission_changed",
        {"submission_id": sub.id, "table_id": sub.table_id, "status": sub.status},
        # Every waiter who was told of the submission must hear it was decided; by now the table may belong to
        # someone else (accepting gives it to the accepting waiter), so tell all staff: it is rare and tiny.
        Audience.everyone(),
    )
    _order_changed(db, sub.table_id)


def accept(db: Session, *, submission_id: int, by: User) -> orders.OrderDetail:
    """Accept a pending submission: its items go to the table's order exactly as a waiter's round."""
    sub = _pending(db, submission_id, by)
    if _expired(db, sub):
        raise SubmissionExpired()
    table = tables.get_table(db, sub.table_id)
    if not table.is_active:
        raise orders.TableInactive(f"Table {table.label} is not in service")
    order_id = _accept(db, submission=sub, table=table, by=by)
    return orders.full_detail(db, order_id)


def reject(db: Session, *, submission_id: int, reason: str, by: User) -> dict[str, Any]:
    """Turn a pending submission down with a reason the guests see."""
    sub = _pending(db, submission_id, by)
    sub.status = "rejected"
    sub.reason = reason
    sub.decided_at = utcnow()
    sub.decided_by_id = by.id
    db.flush()
    audit.record(
        db,
        action="guest.submission_rejected",
        entity_type="guest_submission",
        entity_id=sub.id,
        actor=by,
        data={"table_id": sub.table_id, "nickname": sub.nickname, "reason": reason, "total": sub.total},
    )
    _submission_changed(db, sub)
    return _staff_view(db, sub, decider=by.display_name)
