"""Purchase order rules: drafts (by hand, or from low stock in drafts.py), sending (and emailing), receiving,
cancelling, and the order as CSV, email and printed ticket.

A purchase order goes draft -> sent -> received, or to cancelled from draft or sent. Only a draft's lines, note and
supplier change. Receiving goes through the inventory's own delivery (stock in, costs, menu coming back): this
module never moves stock itself. Every step is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from local_backend.audit import service as audit
from local_backend.config import Settings
from local_backend.inventory import costs
from local_backend.inventory import service as inventory
from local_backend.inventory.models import StockItem, Supplier
from local_backend.inventory.schemas import DeliveryCreate, DeliveryLineIn
from local_backend.printing import reports as printed
from local_backend.purchasing import documents, drafts
from local_backend.purchasing.models import EmailOutbox, PurchaseOrder, PurchaseOrderLine
from local_backend.purchasing.schemas import (
    PrintRead,
    PurchaseOrderCreate,
    PurchaseOrderLineIn,
    PurchaseOrderUpdate,
    ReceiveRequest,
)
from local_backend.settings import service as site
from local_backend.staff.models import User
from shared.clock import utcnow
from shared.errors import Conflict, NotFound


class PurchaseOrderNotFound(NotFound):
    code = "PURCHASE_ORDER_NOT_FOUND"
    default_detail = "No such purchase order"


class NotADraft(Conflict):
    code = "PURCHASE_ORDER_NOT_DRAFT"
    default_detail = "Only a draft purchase order can be changed"


class AlreadySent(Conflict):
    code = "PURCHASE_ORDER_ALREADY_SENT"
    default_detail = "This purchase order was sent already; ask for the email to send it again"


class OrderClosed(Conflict):
    code = "PURCHASE_ORDER_CLOSED"
    default_detail = "This purchase order was received or cancelled"


class EmptyOrder(Conflict):
    code = "PURCHASE_ORDER_EMPTY"
    default_detail = "A purchase order without lines cannot be sent"


class NoSupplier(Conflict):
    code = "PURCHASE_ORDER_HAS_NO_SUPPLIER"
    default_detail = "Pick the supplier on the draft before sending it"


class SupplierHasNoEmail(Conflict):
    code = "SUPPLIER_HAS_NO_EMAIL"
    default_detail = "The supplier has no email address"


class SmtpNotConfigured(Conflict):
    code = "SMTP_NOT_CONFIGURED"
    default_detail = "Email is not set up on this appliance (SMTP_HOST and SMTP_FROM)"


WRITE_ERRORS = (inventory.UnknownSupplier, inventory.UnknownStockItem)
SEND_ERRORS = (
    PurchaseOrderNotFound,
    AlreadySent,
    OrderClosed,
    EmptyOrder,
    NoSupplier,
    SupplierHasNoEmail,
    SmtpNotConfigured,
)

OPEN = ("draft", "sent")


# ---------------------------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True, slots=True)
class LineView:
    stock_item_id: int
    name: str
    unit: str
    quantity: int
    unit_cost: int | None
    cost: int | None


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    number: int
    supplier_id: int | None
    supplier_name: str | None
    supplier_email: str | None
    supplier_phone: str | None
    status: str
    note: str | None
    created_by_id: int | None
    created_at: datetime
    sent_at: datetime | None
    received_at: datetime | None
    cancelled_at: datetime | None
    received_delivery_id: int | None
    email_status: str | None
    email: EmailOutbox | None
    lines: list[LineView]
    total_cost: int | None


def _views(db: Session, orders: Sequence[PurchaseOrder]) -> list[OrderView]:
    """The orders with their lines' items, suppliers and latest emails: three queries whatever their number."""
    item_ids = {line.stock_item_id for po in orders for line in po.lines}
    items = {
        int(sid): (name, unit)
        for sid, name, unit in db.execute(
            select(StockItem.id, StockItem.name, StockItem.unit).where(StockItem.id.in_(item_ids))
        ).all()
    }
    supplier_ids = {po.supplier_id for po in orders if po.supplier_id is not None}
    suppliers = {s.id: s for s in db.scalars(select(Supplier).where(Supplier.id.in_(supplier_ids))).all()}
    latest = (
        select(func.max(EmailOutbox.id))
        .where(EmailOutbox.purchase_order_id.in_([po.id for po in orders]))
        .group_by(EmailOutbox.purchase_order_id)
    )
    emails = {
        e.purchase_order_id: e
        for e in db.scalars(
            select(EmailOutbox).where(EmailOutbox.id.in_(latest)).execution_options(populate_existing=True)
        ).all()
    }
    out = []
    for po in orders:
        lines = []
        for line in po.lines:
            name, unit = items[line.stock_item_id]
            cost = costs.cost_of([(line.quantity, unit, line.unit_cost)])
            lines.append(LineView(line.stock_item_id, name, unit, line.quantity, line.unit_cost, cost))
        supplier = suppliers.get(po.supplier_id) if po.supplier_id is not None else None
        known = [line.cost for line in lines]
        out.append(
            OrderView(
                id=po.id,
                number=po.number,
                supplier_id=po.supplier_id,
                supplier_name=supplier.name if supplier else None,
                supplier_email=supplier.email if supplier else None,
                supplier_phone=supplier.phone if supplier else None,
                status=po.status,
                note=po.note,
                created_by_id=po.created_by_id,
                created_at=po.created_at,
                sent_at=po.sent_at,
                received_at=po.received_at,
                cancelled_at=po.cancelled_at,
                received_delivery_id=po.received_delivery_id,
                email_status=po.email_status,
                email=emails.get(po.id),
                lines=lines,
                total_cost=None if any(c is None for c in known) else sum(c for c in known if c is not None),
            )
        )
    return out


def _load(db: Session, order_id: int) -> PurchaseOrder:
    po: PurchaseOrder | None = db.scalars(
        select(PurchaseOrder)
        .where(PurchaseOrder.id == order_id)
        .options(selectinload(PurchaseOrder.lines))
        .execution_options(populate_existing=True)
    ).first()
    if po is None:
        raise PurchaseOrderNotFound()
    return po


def get_order(db: Session, order_id: int) -> OrderView:
    return _views(db, [_load(db, order_id)])[0]


def list_orders(
    db: Session,
    *,
    status: str | None = None,
    supplier_id: int | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[OrderView]:
    """Newest first, filtered by status and supplier; page with `before_id`."""
    stmt = select(PurchaseOrder).options(selectinload(PurchaseOrder.lines))
    if status is not None:
        stmt = stmt.where(PurchaseOrder.status == status)
    if supplier_id is not None:
        stmt = stmt.where(PurchaseOrder.supplier_id == supplier_id)
    if before_id is not None:
        stmt = stmt.where(PurchaseOrder.id < before_id)
    stmt = stmt.order_by(PurchaseOrder.id.desc()).limit(limit).execution_options(populate_existing=True)
    return _views(db, db.scalars(stmt).all())


def list_views(db: Session, order_ids: Sequence[int]) -> list[OrderView]:
    if not order_ids:
        return []
    stmt = (
        select(PurchaseOrder)
        .where(PurchaseOrder.id.in_(order_ids))
        .options(selectinload(PurchaseOrder.lines))
        .order_by(PurchaseOrder.number)
        .execution_options(populate_existing=True)
    )
    return _views(db, db.scalars(stmt).all())


# ---------------------------------------------------------------------------------------------------------------
# Drafts by hand


def _ensure_supplier(db: Session, supplier_id: int | None) -> None:
    if supplier_id is not None and db.get(Supplier, supplier_id) is None:
        raise inventory.UnknownSupplier(f"No supplier with id {supplier_id}")


def _lines(db: Session, lines: Sequence[PurchaseOrderLineIn]) -> list[PurchaseOrderLine]:
    """Order lines; an omitted unit cost is the item's cost now (the snapshot the order is placed at)."""
    wanted = sorted({line.stock_item_id for line in lines})
    found = {
        int(sid): unit_cost
        for sid, unit_cost in db.execute(
            select(StockItem.id, StockItem.unit_cost).where(StockItem.id.in_(wanted))
        ).all()
    }
    missing = [sid for sid in wanted if sid not in found]
    if missing:
        raise inventory.UnknownStockItem(f"No stock item with id {missing[0]}")
    return [
        PurchaseOrderLine(
            stock_item_id=line.stock_item_id,
            quantity=line.quantity,
            unit_cost=line.unit_cost if line.unit_cost is not None else found[line.stock_item_id],
        )
        for line in lines
    ]


def _lines_data(lines: Sequence[PurchaseOrderLine]) -> list[dict[str, int | None]]:
    return [{"stock_item_id": x.stock_item_id, "quantity": x.quantity, "unit_cost": x.unit_cost} for x in lines]


def create(db: Session, *, data: PurchaseOrderCreate, by: User) -> OrderView:
    _ensure_supplier(db, data.supplier_id)
    po = PurchaseOrder(
        number=drafts.next_number(db),
        supplier_id=data.supplier_id,
        status="draft",
        note=data.note,
        created_by_id=by.id,
        lines=_lines(db, data.lines),
    )
    db.add(po)
    db.flush()
    audit.record(
        db,
        action="purchasing.created",
        entity_type="purchase_order",
        entity_id=po.id,
        actor=by,
        data={"number": po.number, "supplier_id": po.supplier_id, "lines": _lines_data(po.lines)},
    )
    return get_order(db, po.id)


def _draft(db: Session, order_id: int) -> PurchaseOrder:
    po = _load(db, order_id)
    if po.status != "draft":
        raise NotADraft(f"Purchase order #{po.number} is {po.status}")
    return po


def update_draft(db: Session, *, order_id: int, data: PurchaseOrderUpdate, by: User) -> OrderView:
    po = _draft(db, order_id)
    fields = data.model_dump(exclude_unset=True, exclude={"lines"})
    changes: dict[str, object] = {}
    if "supplier_id" in fields:
        _ensure_supplier(db, fields["supplier_id"])
    for name, value in fields.items():
        if getattr(po, name) != value:
            changes[name] = [getattr(po, name), value]
            setattr(po, name, value)
    if data.lines is not None:
        before = _lines_data(po.lines)
        po.lines.clear()
        db.flush()  # the old lines go before the new ones take their (order, item) pairs
        po.lines.extend(_lines(db, data.lines))
        after = _lines_data(po.lines)
        if after != before:
            changes["lines"] = [before, after]
    if changes:
        db.flush()
        audit.record(
            db,
            action="purchasing.updated",
            entity_type="purchase_order",
            entity_id=po.id,
            actor=by,
            data={"number": po.number, "changes": changes},
        )
    return get_order(db, po.id)


def _cancel_queued_emails(db: Session, order_id: int) -> int:
    result = db.execute(
        update(EmailOutbox)
        .where(EmailOutbox.purchase_order_id == order_id, EmailOutbox.status == "queued")
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def cancel(db: Session, *, order_id: int, by: User) -> OrderView:
    """Cancel a draft or sent order; an email still waiting in the outbox is not sent any more."""
    po = _load(db, order_id)
    if po.status not in OPEN:
        raise OrderClosed(f"Purchase order #{po.number} is {po.status}")
    previous = po.status
    po.status = "cancelled"
    po.cancelled_at = utcnow()
    if _cancel_queued_emails(db, po.id) and po.email_status == "queued":
        po.email_status = "cancelled"
    db.flush()
    audit.record(
        db,
        action="purchasing.cancelled",
        entity_type="purchase_order",
        entity_id=po.id,
        actor=by,
        data={"number": po.number, "previous_status": previous},
    )
    return get_order(db, po.id)


# ---------------------------------------------------------------------------------------------------------------
# Sending


def document(db: Session, view: OrderView) -> documents.OrderDocument:
    cfg = site.current(db)
    return documents.OrderDocument(
        number=view.number,
        restaurant_name=cfg.restaurant_name,
        currency=cfg.currency,
        timezone=cfg.timezone,
        created_at=view.created_at,
        supplier_name=view.supplier_name,
        supplier_email=view.supplier_email,
        supplier_phone=view.supplier_phone,
        note=view.note,
        lines=[
            documents.DocumentLine(x.stock_item_id, x.name, x.unit, x.quantity, x.unit_cost, x.cost) for x in view.lines
        ],
        total_cost=view.total_cost,
    )


def send(db: Session, *, order_id: int, email: bool, by: User, env: Settings) -> OrderView:
    """Mark a draft sent; with `email`, queue the email to the supplier in this same transaction (the mailer sends
    it once this commits, or later if the server cannot be reached). A sent order can be emailed again."""
    po = _load(db, order_id)
    if po.status not in OPEN:
        raise OrderClosed(f"Purchase order #{po.number} is {po.status}")
    if po.status == "sent" and not email:
        raise AlreadySent(f"Purchase order #{po.number} was sent already")
    if not po.lines:
        raise EmptyOrder()
    if po.supplier_id is None:
        raise NoSupplier()
    view = get_order(db, po.id)
    if email:
        if not env.smtp_configured:
            raise SmtpNotConfigured()
        if not view.supplier_email:
            raise SupplierHasNoEmail(f"{view.supplier_name} has no email address: add one, or print the order")
    first = po.status == "draft"
    if first:
        po.status = "sent"
        po.sent_at = utcnow()
    queued = None
    if email:
        doc = document(db, view)
        assert view.supplier_email is not None  # noqa: S101 - checked above
        queued = EmailOutbox(
            purchase_order_id=po.id,
            to_address=view.supplier_email,
            subject=documents.email_subject(doc),
            body=documents.email_body(doc),
            attachment_name=documents.filename(doc),
            attachment_csv=documents.csv_text(doc),
            status="queued",
            next_attempt_at=utcnow(),
            created_by_id=by.id,
        )
        db.add(queued)
        po.email_status = "queued"
    db.flush()
    audit.record(
        db,
        action="purchasing.sent" if first else "purchasing.resent",
        entity_type="purchase_order",
        entity_id=po.id,
        actor=by,
        data={
            "number": po.number,
            "supplier_id": po.supplier_id,
            "email_to": queued.to_address if queued is not None else None,
            "email_id": queued.id if queued is not None else None,
        },
    )
    return get_order(db, po.id)


# ---------------------------------------------------------------------------------------------------------------
# Receiving


def receive(db: Session, *, order_id: int, data: ReceiveRequest, by: User) -> OrderView:
    """Stock in through the inventory's delivery: the order's lines, or what the body says actually came; a line's
    cost is the one given, else the order's. The order is then received, pointing at its delivery."""
    po = _load(db, order_id)
    if po.status not in OPEN:
        raise OrderClosed(f"Purchase order #{po.number} is {po.status}")
    ordered_cost = {line.stock_item_id: line.unit_cost for line in po.lines}
    if data.lines is not None:
        lines = [
            DeliveryLineIn(
                stock_item_id=line.stock_item_id,
                quantity=line.quantity,
                unit_cost=line.unit_cost if line.unit_cost is not None else ordered_cost.get(line.stock_item_id),
            )
            for line in data.lines
        ]
    else:
        if not po.lines:
            raise EmptyOrder("A purchase order without lines has nothing to receive: give the lines that came")
        lines = [
            DeliveryLineIn(stock_item_id=line.stock_item_id, quantity=line.quantity, unit_cost=line.unit_cost)
            for line in po.lines
        ]
    note = f"Purchase order #{po.number}" + (f": {data.note}" if data.note else "")
    delivery = inventory.receive_delivery(
        db, data=DeliveryCreate(supplier_id=po.supplier_id, note=note[:2000], lines=lines), by=by
    )
    previous = po.status
    po.status = "received"
    po.received_at = utcnow()
    po.received_delivery_id = delivery.id
    if _cancel_queued_emails(db, po.id) and po.email_status == "queued":
        po.email_status = "cancelled"  # the goods are here: the order need not go out any more
    db.flush()
    audit.record(
        db,
        action="purchasing.received",
        entity_type="purchase_order",
        entity_id=po.id,
        actor=by,
        data={
            "number": po.number,
            "previous_status": previous,
            "delivery_id": delivery.id,
            "lines": [
                {"stock_item_id": x.stock_item_id, "quantity": x.quantity, "unit_cost": x.unit_cost} for x in lines
            ],
        },
    )
    return get_order(db, po.id)


# ---------------------------------------------------------------------------------------------------------------
# CSV and printing


def csv_export(db: Session, *, order_id: int) -> tuple[str, str]:
    """(file name, CSV text) of one order."""
    doc = document(db, get_order(db, order_id))
    return documents.filename(doc), documents.csv_text(doc)


def print_order(db: Session, *, order_id: int, printer_id: int | None, by: User) -> PrintRead:
    """Queue the order on the report printer (or the printer given), laid out like an X/Z report ticket."""
    doc = document(db, get_order(db, order_id))
    printer = printed.report_printer(db, requested=printer_id, configured=site.current(db).report_printer_id)
    job = printed.queue_report(db, printer=printer, report=documents.ticket(doc, now=utcnow()), by=by)
    return PrintRead(job_id=job.id, printer_id=printer.id, printer_name=printer.name)


def suggest(db: Session, *, by: User) -> list[OrderView]:
    """(Re)build the drafts from the forecast for every low or critical item; returns the drafts that changed."""
    return list_views(db, drafts.suggest(db, by=by))
