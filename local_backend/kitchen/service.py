"""Kitchen display rules: screen pairing, tickets per (order, round, zone), item progress, bump and recall.

The items' progress is stored on order_items (status and its *_at times), so the kitchen queries read and update
that table directly: the KDS is the kitchen's view of order items, and going through the orders service would
make the two domains import each other (orders calls this module when items are added or voided).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table as SqlTable
from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.events import Audience, EventFilter, publish_after_commit
from local_backend.kitchen.models import KitchenScreen, KitchenTicket
from local_backend.kitchen.schemas import TicketRead
from local_backend.orders.models import ACTIVE_ORDER_STATUSES, Order, OrderItem
from local_backend.printing import service as printing
from local_backend.staff import service as staff
from local_backend.staff.models import User
from shared.clock import utcnow
from shared.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable

TOKEN_PREFIX = "kds_"
KITCHEN_TICKETS = cast(SqlTable, KitchenTicket.__table__)
STATUS_RANK = {"pending": 0, "preparing": 1, "ready": 2, "served": 3}
OPEN_ITEM_STATUSES = ("pending", "preparing", "ready")
# A closed order's dishes stay on the screens until bumped (a café takes the money before it cooks), so a screen that
# reconnects shows what the connected ones show; after this long they are history, not work.
CLOSED_ORDER_TICKET_HOURS = 12


class ScreenTokenInvalid(Unauthorized):
    code = "SCREEN_TOKEN_INVALID"
    default_detail = "This screen is not paired (or was revoked)"


class ScreenNotFound(NotFound):
    code = "SCREEN_NOT_FOUND"
    default_detail = "No such kitchen screen"


class UnknownZone(Unprocessable):
    code = "UNKNOWN_ZONE"
    default_detail = "A zone is not a printer"


class NoZones(Unprocessable):
    code = "NO_ZONES"
    default_detail = "A screen that is not expo needs at least one zone"


class ZoneNotAllowed(Forbidden):
    code = "ZONE_NOT_ALLOWED"
    default_detail = "This screen does not show that zone"


class KitchenAccessDenied(Forbidden):
    code = "KITCHEN_ACCESS_DENIED"
    default_detail = "Only a kitchen screen or a manager may do this"


class WaiterMayOnlyServe(Forbidden):
    code = "WAITER_MAY_ONLY_SERVE"
    default_detail = "A waiter may only mark their own items served"


class KitchenItemNotFound(NotFound):
    code = "KITCHEN_ITEM_NOT_FOUND"
    default_detail = "No such order item"


class TicketNotFound(NotFound):
    code = "TICKET_NOT_FOUND"
    default_detail = "No such kitchen ticket"


class ItemCancelled(Conflict):
    code = "ITEM_CANCELLED"
    default_detail = "This item was cancelled"


class StatusNotForward(Conflict):
    code = "STATUS_NOT_FORWARD"
    default_detail = "An item only moves forward: pending, preparing, ready, served"


class ItemHeld(Conflict):
    code = "ITEM_HELD"
    default_detail = "This item's course has not been fired yet"


class TicketAlreadyBumped(Conflict):
    code = "TICKET_ALREADY_BUMPED"
    default_detail = "This ticket is already bumped"


class TicketNotBumped(Conflict):
    code = "TICKET_NOT_BUMPED"
    default_detail = "Only a bumped ticket can be recalled"


CREATE_ERRORS = (UnknownZone, NoZones)
VIEW_ERRORS = (ScreenTokenInvalid, KitchenAccessDenied, ZoneNotAllowed)
ITEM_ERRORS = (
    *VIEW_ERRORS,
    WaiterMayOnlyServe,
    KitchenItemNotFound,
    ItemCancelled,
    ItemHeld,
    StatusNotForward,
)
BUMP_ERRORS = (*VIEW_ERRORS, TicketNotFound, TicketAlreadyBumped)
RECALL_ERRORS = (*VIEW_ERRORS, TicketNotFound, TicketNotBumped)


@dataclass(frozen=True, slots=True)
class ScreenInfo:
    id: int
    name: str
    zone_ids: frozenset[int]
    expo: bool

    def sees(self, zone_id: int | None) -> bool:
        return self.expo or (zone_id is not None and zone_id in self.zone_ids)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls a kitchen route: a paired screen or a member of staff (exactly one is set)."""

    screen: ScreenInfo | None = None
    user: User | None = None


# ---------------------------------------------------------------------------------------------------------------
# Screens


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _screen_info(screen: KitchenScreen) -> ScreenInfo:
    return ScreenInfo(id=screen.id, name=screen.name, zone_ids=frozenset(screen.zone_ids), expo=screen.expo)


def create_screen(
    db: Session, *, name: str, zone_ids: Sequence[int], expo: bool, by: User
) -> tuple[KitchenScreen, str]:
    """Pair a screen with zones; the token is returned once and only its hash is kept."""
    zones = sorted(set(zone_ids))
    printers = printing.load_printers(db)
    unknown = [z for z in zones if z not in printers]
    if unknown:
        raise UnknownZone(f"No printer with id {unknown[0]}")
    if not zones and not expo:
        raise NoZones()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    screen = KitchenScreen(name=name, zone_ids=zones, expo=expo, token_hash=_hash(token), created_by_id=by.id)
    db.add(screen)
    db.flush()
    audit.record(
        db,
        action="kitchen.screen_paired",
        entity_type="kitchen_screen",
        entity_id=screen.id,
        actor=by,
        data={"name": name, "zone_ids": zones, "expo": expo},
    )
    _screens_changed(db, screen.id, "paired")
    return screen, token


def _screens_changed(db: Session, screen_id: int, change: str) -> None:
    """Managers' lists of screens follow a pairing or an unpairing made on another tablet or by the screen itself."""
    publish_after_commit(
        db, "kitchen.screens_changed", {"screen_id": screen_id, "change": change}, Audience.waiters([])
    )


def list_screens(db: Session) -> Sequence[KitchenScreen]:
    return db.scalars(select(KitchenScreen).where(KitchenScreen.revoked_at.is_(None)).order_by(KitchenScreen.id)).all()


def revoke_screen(db: Session, *, screen_id: int, by: User) -> None:
    """Unpair a screen at once: its token stops working and an open socket of it is closed."""
    screen = db.get(KitchenScreen, screen_id)
    if screen is None or screen.revoked_at is not None:
        raise ScreenNotFound()
    screen.revoked_at = utcnow()
    db.flush()
    audit.record(
        db,
        action="kitchen.screen_revoked",
        entity_type="kitchen_screen",
        entity_id=screen.id,
        actor=by,
        data={"name": screen.name},
    )
    publish_after_commit(db, "kitchen.screen_revoked", {"screen_id": screen.id}, Audience(staff=False))
    _screens_changed(db, screen.id, "revoked")


def unpair_self(db: Session, *, caller: Caller) -> None:
    """A screen gives up its own token (its "Unpair" button), so it does not linger in the managers' list."""
    if caller.screen is None:
        raise KitchenAccessDenied("Only a paired screen unpairs itself; a manager removes a screen by its id")
    screen = db.get_one(KitchenScreen, caller.screen.id)
    screen.revoked_at = utcnow()
    db.flush()
    audit.record(
        db,
        action="kitchen.screen_unpaired",
        entity_type="kitchen_screen",
        entity_id=screen.id,
        data={"name": screen.name, "by": "the screen itself"},
    )
    publish_after_commit(db, "kitchen.screen_revoked", {"screen_id": screen.id}, Audience(staff=False))
    _screens_changed(db, screen.id, "unpaired")


def authenticate_screen(db: Session, token: str | None) -> ScreenInfo | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    screen = db.scalar(
        select(KitchenScreen).where(KitchenScreen.token_hash == _hash(token), KitchenScreen.revoked_at.is_(None))
    )
    return _screen_info(screen) if screen is not None else None


def is_screen_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX)


def kitchen_filter(screen: ScreenInfo) -> EventFilter:
    """Kitchen events of the screen's zones (expo: every zone), and the screen's own revocation."""
    zones = screen.zone_ids

    def accepts(event: Any) -> bool:
        # Staff events are never a screen's, even under a kitchen name (kitchen.screens_changed, for managers).
        if event.audience.staff or not event.type.startswith("kitchen."):
            return False
        if event.type == "kitchen.screen_revoked":
            return bool(event.data.get("screen_id") == screen.id)
        return screen.expo or bool(event.audience.zone_ids & zones)

    return accepts


# ---------------------------------------------------------------------------------------------------------------
# Views


def _zone_view(printers: Mapping[int, printing.PrinterInfo], zone_id: int) -> dict[str, Any] | None:
    printer = printers.get(zone_id)
    if printer is None:
        return None
    return {
        "id": printer.id,
        "name": printer.name,
        "kds_warn_minutes": printer.kds_warn_minutes,
        "kds_late_minutes": printer.kds_late_minutes,
    }


def _item_view(item: Any) -> dict[str, Any]:
    """What a screen shows of one order item (an ORM object or an INSERT ... RETURNING row)."""
    return {
        "id": item.id,
        "product_name": item.product_name,
        "quantity": item.quantity,
        "options": [o["name"] for o in item.selected_options],
        "removed": [i["name"] for i in item.removed_ingredients],
        "choices": [f"{c['set_name']}: {c['name']}" for c in item.choices],
        "note": item.note,
        "seat": item.seat,
        "course": item.course,
        "status": item.status,
        "held": item.fired_at is None and item.status != "cancelled",
        "fired_at": item.fired_at,
        "preparing_at": item.preparing_at,
        "ready_at": item.ready_at,
        "served_at": item.served_at,
        "guest_nickname": item.guest_nickname,
    }


def _ticket_view(ticket: Any, items: Sequence[Any], printers: Mapping[int, printing.PrinterInfo]) -> dict[str, Any]:
    fired = [item.fired_at for item in items if item.fired_at is not None and item.status != "cancelled"]
    return {
        "id": ticket.id,
        "order_id": ticket.order_id,
        "table_label": ticket.table_label,
        "waiter_name": ticket.waiter_name,
        "round": ticket.round,
        "zone_id": ticket.zone_id,
        "zone": _zone_view(printers, ticket.zone_id),
        "sent_at": ticket.sent_at,
        "fired_at": max(fired, default=ticket.sent_at),
        "bumped_at": ticket.bumped_at,
        "items": [_item_view(item) for item in items],
    }


def _wire(view: dict[str, Any]) -> dict[str, Any]:
    return TicketRead.model_validate(view).model_dump(mode="json")


def screen_view(db: Session, screen: ScreenInfo) -> dict[str, Any]:
    printers = printing.printers_snapshot(db)
    zone_ids = sorted(printers) if screen.expo else sorted(screen.zone_ids)
    return {
        "id": screen.id,
        "name": screen.name,
        "zone_ids": sorted(screen.zone_ids),
        "expo": screen.expo,
        "zones": [z for z in (_zone_view(printers, zid) for zid in zone_ids) if z is not None],
    }


# ---------------------------------------------------------------------------------------------------------------
# Tickets (the add-items hook and reads)


def _audience(zone_id: int) -> Audience:
    return Audience(staff=False, zone_ids=frozenset({zone_id}))


def open_tickets(db: Session, *, order_id: int, table_id: int, round_no: int, items: Sequence[Any], by: User) -> None:
    """One ticket per zone for a round of new items, in the items' transaction: one multi-row INSERT, no reads
    while the caches are warm; each screen of the zone hears of it after commit."""
    by_zone: dict[int, list[Any]] = {}
    for item in items:
        if item.printer_zone_id is not None:
            by_zone.setdefault(item.printer_zone_id, []).append(item)
    if not by_zone:
        return
    now = utcnow()
    label = printing.table_label(db, table_id)
    rows = db.execute(
        insert(KITCHEN_TICKETS).returning(KITCHEN_TICKETS.c.id, KITCHEN_TICKETS.c.zone_id),
        [
            {
                "order_id": order_id,
                "round": round_no,
                "zone_id": zone_id,
                "table_label": label,
                "waiter_name": by.display_name,
                "sent_at": now,
            }
            for zone_id in sorted(by_zone)
        ],
    ).all()
    printers = printing.printers_snapshot(db)
    for ticket_id, zone_id in rows:
        ticket = KitchenTicket(
            id=ticket_id,
            order_id=order_id,
            round=round_no,
            zone_id=zone_id,
            table_label=label,
            waiter_name=by.display_name,
            sent_at=now,
            bumped_at=None,
        )
        view = _ticket_view(ticket, by_zone[zone_id], printers)
        publish_after_commit(db, "kitchen.ticket_new", _wire(view), _audience(zone_id))


def _ticket_items(db: Session, ticket_ids: Sequence[int]) -> dict[int, list[OrderItem]]:
    out: dict[int, list[OrderItem]] = defaultdict(list)
    if not ticket_ids:
        return out
    stmt = (
        select(OrderItem, KitchenTicket.id)
        .join(
            KitchenTicket,
            and_(
                KitchenTicket.order_id == OrderItem.order_id,
                KitchenTicket.round == OrderItem.round,
                KitchenTicket.zone_id == OrderItem.printer_zone_id,
            ),
        )
        .where(KitchenTicket.id.in_(ticket_ids))
        .order_by(OrderItem.id)
    )
    for item, ticket_id in db.execute(stmt).all():
        out[ticket_id].append(item)
    return out


def _views(db: Session, tickets: Sequence[KitchenTicket]) -> list[dict[str, Any]]:
    items = _ticket_items(db, [t.id for t in tickets])
    printers = printing.printers_snapshot(db)
    return [_ticket_view(t, items.get(t.id, []), printers) for t in tickets]


def _zones_for(caller: Caller, zone_id: int | None) -> frozenset[int] | None:
    """The zones a caller reads (None: every zone)."""
    if caller.screen is not None:
        if zone_id is not None:
            if not caller.screen.sees(zone_id):
                raise ZoneNotAllowed()
            return frozenset({zone_id})
        return None if caller.screen.expo else caller.screen.zone_ids
    if caller.user is None or not caller.user.is_manager:
        raise KitchenAccessDenied()
    return frozenset({zone_id}) if zone_id is not None else None


def list_tickets(
    db: Session, *, caller: Caller, zone_id: int | None = None, bumped: bool = False, limit: int = 10
) -> list[dict[str, Any]]:
    """Open tickets oldest first (not bumped, with an item still to prepare or serve, of an active order or of one
    closed with its ticket sent within CLOSED_ORDER_TICKET_HOURS); with `bumped`, the last `limit` bumped ones,
    newest first, for recall."""
    zones = _zones_for(caller, zone_id)
    stmt = select(KitchenTicket)
    if zones is not None:
        stmt = stmt.where(KitchenTicket.zone_id.in_(sorted(zones)))
    if bumped:
        stmt = (
            stmt.where(KitchenTicket.bumped_at.is_not(None))
            .order_by(KitchenTicket.bumped_at.desc(), KitchenTicket.id.desc())
            .limit(limit)
        )
    else:
        unfinished = exists().where(
            OrderItem.order_id == KitchenTicket.order_id,
            OrderItem.round == KitchenTicket.round,
            OrderItem.printer_zone_id == KitchenTicket.zone_id,
            OrderItem.status.in_(OPEN_ITEM_STATUSES),
        )
        recent = KitchenTicket.sent_at >= utcnow() - timedelta(hours=CLOSED_ORDER_TICKET_HOURS)
        order_open = or_(Order.status.in_(ACTIVE_ORDER_STATUSES), and_(Order.status == "closed", recent))
        stmt = (
            stmt.join(Order, Order.id == KitchenTicket.order_id)
            .where(KitchenTicket.bumped_at.is_(None), order_open, unfinished)
            .order_by(KitchenTicket.sent_at, KitchenTicket.id)
        )
    return _views(db, db.scalars(stmt).all())


def kitchen_snapshot(db: Session, *, screen_id: int) -> dict[str, Any] | None:
    """What a screen starts from (None when it was revoked meanwhile)."""
    row = db.get(KitchenScreen, screen_id)
    if row is None or row.revoked_at is not None:
        return None
    screen = _screen_info(row)
    tickets = list_tickets(db, caller=Caller(screen=screen))
    return {"screen": screen_view(db, screen), "tickets": [_wire(t) for t in tickets]}


# ---------------------------------------------------------------------------------------------------------------
# Progress: item status, bump, recall


def _ticket_of(db: Session, item: OrderItem) -> KitchenTicket | None:
    if item.printer_zone_id is None:
        return None
    return db.scalar(
        select(KitchenTicket).where(
            KitchenTicket.order_id == item.order_id,
            KitchenTicket.round == item.round,
            KitchenTicket.zone_id == item.printer_zone_id,
        )
    )


def _waiters(db: Session, order: Order) -> Audience:
    return staff.serving(db, order.waiter_id)


def _head(order: Order) -> dict[str, Any]:
    return {"order_id": order.id, "table_id": order.table_id, "status": order.status}


def _times(item: OrderItem) -> dict[str, Any]:
    return {
        "preparing_at": item.preparing_at.isoformat() if item.preparing_at else None,
        "ready_at": item.ready_at.isoformat() if item.ready_at else None,
        "served_at": item.served_at.isoformat() if item.served_at else None,
    }


def _announce_item(db: Session, order: Order, item: OrderItem, ticket: KitchenTicket | None) -> None:
    data = {"item_id": item.id, "ticket_id": ticket.id if ticket else None, "status": item.status, **_times(item)}
    if ticket is not None:
        publish_after_commit(
            db,
            "kitchen.item_status",
            {**data, "order_id": order.id, "zone_id": ticket.zone_id},
            _audience(ticket.zone_id),
        )
    publish_after_commit(
        db,
        "order.item_status",
        {**_head(order), "item_id": item.id, "item_status": item.status, **_times(item)},
        _waiters(db, order),
    )


def _announce_ready(db: Session, order: Order, ticket: KitchenTicket, items: Sequence[OrderItem]) -> None:
    """Tell the order's waiters the ticket is ready to run, once every live item of it is ready (or served)."""
    live = [i for i in items if i.status != "cancelled" and i.fired_at is not None]
    if live and all(i.status in ("ready", "served") for i in live) and any(i.status == "ready" for i in live):
        zone = printing.printers_snapshot(db).get(ticket.zone_id)
        publish_after_commit(
            db,
            "order.items_ready",
            {
                **_head(order),
                "ticket_id": ticket.id,
                "zone_id": ticket.zone_id,
                "zone_name": zone.name if zone is not None else "",
                "table_label": ticket.table_label,
                "item_ids": [i.id for i in live if i.status == "ready"],
            },
            _waiters(db, order),
        )


def _authorize_item(db: Session, caller: Caller, order: Order, item: OrderItem, status: str) -> None:
    if caller.screen is not None:
        if not caller.screen.sees(item.printer_zone_id):
            raise ZoneNotAllowed()
        return
    user = caller.user
    if user is None:
        raise KitchenAccessDenied()
    if user.is_manager:
        return
    owns = order.waiter_id == user.id or order.waiter_id in staff.acting_for(db, user)
    if status != "served" or not owns:
        raise WaiterMayOnlyServe()


def set_item_status(db: Session, *, item_id: int, status: str, caller: Caller) -> dict[str, Any]:
    """Move an item forward (pending → preparing → ready → served), stamping the time it happened."""
    item = db.get(OrderItem, item_id)
    if item is None:
        raise KitchenItemNotFound()
    order = db.get_one(Order, item.order_id)
    _authorize_item(db, caller, order, item, status)
    if item.status == "cancelled":
        raise ItemCancelled(f"{item.product_name} (item {item.id}) was cancelled")
    if item.fired_at is None:
        raise ItemHeld(f"Course {item.course} of order {order.id} is held; the waiter fires it")
    if STATUS_RANK[status] <= STATUS_RANK[item.status]:
        raise StatusNotForward(f"Item {item.id} is {item.status}; it cannot become {status}")
    now = utcnow()
    item.status = status
    setattr(item, f"{status}_at", now)
    db.flush()
    ticket = _ticket_of(db, item)
    _announce_item(db, order, item, ticket)
    if ticket is not None and status == "ready":
        _announce_ready(db, order, ticket, _ticket_items(db, [ticket.id]).get(ticket.id, []))
    return _item_view(item)


def _load_ticket(db: Session, caller: Caller, ticket_id: int) -> KitchenTicket:
    ticket = db.get(KitchenTicket, ticket_id)
    if ticket is None:
        raise TicketNotFound()
    if caller.screen is not None:
        if not caller.screen.sees(ticket.zone_id):
            raise ZoneNotAllowed()
    elif caller.user is None or not caller.user.is_manager:
        raise KitchenAccessDenied()
    return ticket


def bump(db: Session, *, ticket_id: int, caller: Caller) -> dict[str, Any]:
    """The whole ticket is ready: every fired item still pending or preparing becomes ready (held items stay
    held; firing their course brings the ticket back)."""
    ticket = _load_ticket(db, caller, ticket_id)
    if ticket.bumped_at is not None:
        raise TicketAlreadyBumped()
    now = utcnow()
    items = _ticket_items(db, [ticket.id]).get(ticket.id, [])
    for item in items:
        if item.status in ("pending", "preparing") and item.fired_at is not None:
            item.status = "ready"
            item.ready_at = now
    ticket.bumped_at = now
    db.flush()
    order = db.get_one(Order, ticket.order_id)
    view = _ticket_view(ticket, items, printing.printers_snapshot(db))
    publish_after_commit(db, "kitchen.ticket_bumped", _wire(view), _audience(ticket.zone_id))
    _announce_ready(db, order, ticket, items)
    return view


def recall(db: Session, *, ticket_id: int, caller: Caller) -> dict[str, Any]:
    """Bring a bumped ticket back: its ready items return to preparing."""
    ticket = _load_ticket(db, caller, ticket_id)
    if ticket.bumped_at is None:
        raise TicketNotBumped()
    items = _ticket_items(db, [ticket.id]).get(ticket.id, [])
    changed = []
    for item in items:
        if item.status == "ready":
            item.status = "preparing"
            item.ready_at = None
            changed.append(item)
    ticket.bumped_at = None
    db.flush()
    order = db.get_one(Order, ticket.order_id)
    view = _ticket_view(ticket, items, printing.printers_snapshot(db))
    publish_after_commit(db, "kitchen.ticket_recalled", _wire(view), _audience(ticket.zone_id))
    waiters = _waiters(db, order)
    for item in changed:
        publish_after_commit(
            db,
            "order.item_status",
            {**_head(order), "item_id": item.id, "item_status": item.status, **_times(item)},
            waiters,
        )
    return view


def items_voided(db: Session, *, order_id: int, items: Sequence[Any]) -> None:
    """Tell the screens that items of their tickets were cancelled (called by orders when voiding)."""
    zoned = [item for item in items if item.printer_zone_id is not None]
    if not zoned:
        return
    tickets = {
        (t.round, t.zone_id): t.id
        for t in db.scalars(select(KitchenTicket).where(KitchenTicket.order_id == order_id)).all()
    }
    for item in zoned:
        ticket_id = tickets.get((item.round, item.printer_zone_id))
        if ticket_id is None:
            continue
        publish_after_commit(
            db,
            "kitchen.item_voided",
            {
                "item_id": item.id,
                "ticket_id": ticket_id,
                "order_id": order_id,
                "zone_id": item.printer_zone_id,
                "status": "cancelled",
            },
            _audience(item.printer_zone_id),
        )


def items_fired(db: Session, *, order_id: int, items: Sequence[OrderItem]) -> None:
    """A held course was fired (called by orders): each ticket holding its items comes back to its screens whole,
    with the items lit and its timer restarted."""
    keys = {(item.round, item.printer_zone_id) for item in items if item.printer_zone_id is not None}
    if not keys:
        return
    tickets = [
        t
        for t in db.scalars(select(KitchenTicket).where(KitchenTicket.order_id == order_id)).all()
        if (t.round, t.zone_id) in keys
    ]
    for ticket in tickets:
        ticket.bumped_at = None  # bumped while only its held items were left: they are work again
    db.flush()
    views = _views(db, tickets)
    for ticket, view in zip(tickets, views, strict=True):
        publish_after_commit(db, "kitchen.ticket_fired", _wire(view), _audience(ticket.zone_id))


def tickets_changed(db: Session, *, ticket_ids: Sequence[int]) -> None:
    """Tickets whose table, order or items changed (a transfer, merge or move of items): after commit, each
    screen of their zone gets the ticket as it is now, to put in place of the one it shows."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return
    db.flush()
    tickets = db.scalars(select(KitchenTicket).where(KitchenTicket.id.in_(ids)).order_by(KitchenTicket.id)).all()
    for ticket, view in zip(tickets, _views(db, tickets), strict=True):
        publish_after_commit(db, "kitchen.ticket_updated", _wire(view), _audience(ticket.zone_id))


def relabel_order(db: Session, *, order_id: int, table_label: str) -> None:
    """The order moved to another table: its tickets (as the screens and the waiters' "ready" notices show them)
    now name that table. Bumped ones too, so a recalled ticket is right as well."""
    ids = db.scalars(
        update(KitchenTicket)
        .where(KitchenTicket.order_id == order_id, KitchenTicket.table_label != table_label)
        .values(table_label=table_label)
        .returning(KitchenTicket.id)
        .execution_options(synchronize_session="fetch")
    ).all()
    tickets_changed(db, ticket_ids=ids)


def merge_tickets(db: Session, *, from_order_id: int, into_order_id: int, round_offset: int, table_label: str) -> None:
    """An order merged into another (called by orders once the items moved, their rounds renumbered after the
    target's own by `round_offset`): its tickets follow the items, so (order, round, zone) still finds them."""
    ids = db.scalars(
        update(KitchenTicket)
        .where(KitchenTicket.order_id == from_order_id)
        .values(order_id=into_order_id, round=KitchenTicket.round + round_offset, table_label=table_label)
        .returning(KitchenTicket.id)
        .execution_options(synchronize_session="fetch")
    ).all()
    tickets_changed(db, ticket_ids=ids)


# ---------------------------------------------------------------------------------------------------------------
# Prep times (the kitchen report reads this)


@dataclass(frozen=True, slots=True)
class PrepTime:
    key: int | None
    name: str
    items: int
    avg_seconds: float
    p90_seconds: float


def _p90(values: Sequence[float]) -> float:
    """Nearest-rank 90th percentile: the smallest value with at least 90% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _line(key: int | None, name: str, values: Sequence[float]) -> PrepTime:
    return PrepTime(
        key=key,
        name=name,
        items=len(values),
        avg_seconds=round(sum(values) / len(values), 1),
        p90_seconds=round(_p90(values), 1),
    )


def prep_times(db: Session, *, start: datetime, end: datetime) -> tuple[list[PrepTime], list[PrepTime]]:
    """Fired → ready seconds (a held course counts from its firing) of items sent in [start, end) that became
    ready, by product and by zone.

    SQLite has no percentile function: SQL selects the durations' ends, Python computes average and p90."""
    rows = db.execute(
        select(
            OrderItem.product_id,
            OrderItem.product_name,
            OrderItem.printer_zone_id,
            func.coalesce(OrderItem.fired_at, OrderItem.added_at),
            OrderItem.ready_at,
        ).where(OrderItem.added_at >= start, OrderItem.added_at < end, OrderItem.ready_at.is_not(None))
    ).all()
    by_product: dict[tuple[int | None, str], list[float]] = defaultdict(list)
    by_zone: dict[int | None, list[float]] = defaultdict(list)
    for product_id, name, zone_id, added_at, ready_at in rows:
        if ready_at is None:  # excluded by the query; keeps the types honest
            continue
        seconds = max(0.0, (ready_at - added_at).total_seconds())
        by_product[(product_id, name)].append(seconds)
        by_zone[zone_id].append(seconds)
    printers = printing.load_printers(db)
    products = [_line(pid, name, values) for (pid, name), values in by_product.items()]
    zones = [
        _line(zid, printers[zid].name if zid is not None and zid in printers else "", values)
        for zid, values in by_zone.items()
    ]
    products.sort(key=lambda line: (line.name, line.key or 0))
    zones.sort(key=lambda line: (line.name, line.key or 0))
    return products, zones
