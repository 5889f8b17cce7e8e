"""Purchase order drafts from low stock: one open draft per supplier, topped up as items reach their critical level.

`draft_for_low_stock` is meant to run in the transaction that moved the stock (the inventory calls it for the items
that just crossed to their critical level or below), so it imports only models and the forecast: the stock module
can import it without a cycle. `suggest` does the same for every item that is low or critical now.

The rules:
- **How much**: the forecast's suggested order (tomorrow's use plus half a day, ending above the critical level),
  and never less than what brings the item back above its critical level (critical_level - on_hand + 1: an item
  with no sales history still gets an order). What is already ordered (on a sent, not yet received order) counts
  against it, so a crossing while the supplier's van is on its way drafts nothing more.
- **Where**: the oldest draft of the item's supplier, created when it has none. Items without a supplier (or
  whose supplier was deactivated) go to the "no supplier" draft (supplier_id null): the manager sees what to
  buy and picks a supplier on the draft before sending it.
- **Topping up**: an item already on the draft keeps the larger of its quantity and the new one. A draft is
  never lowered or emptied by this: what a manager typed there stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from local_backend.audit import service as audit
from local_backend.audit.service import Actor
from local_backend.inventory import forecast as forecasting
from local_backend.inventory.models import StockItem, Supplier
from local_backend.purchasing.models import PurchaseOrder, PurchaseOrderLine


@dataclass(frozen=True, slots=True)
class Want:
    stock_item_id: int
    name: str
    quantity: int
    unit_cost: int | None
    supplier_id: int | None


def next_number(db: Session) -> int:
    """Purchase order numbers run 1, 2, 3 ...: the serialized writer makes max + 1 safe."""
    return int(db.scalar(select(func.coalesce(func.max(PurchaseOrder.number), 0))) or 0) + 1


def open_draft(db: Session, supplier_id: int | None) -> PurchaseOrder | None:
    """The supplier's oldest draft (the "no supplier" draft for None), with its lines."""
    who = PurchaseOrder.supplier_id.is_(None) if supplier_id is None else PurchaseOrder.supplier_id == supplier_id
    draft: PurchaseOrder | None = db.scalars(
        select(PurchaseOrder)
        .where(PurchaseOrder.status == "draft", who)
        .order_by(PurchaseOrder.number)
        .limit(1)
        .options(selectinload(PurchaseOrder.lines))
        .execution_options(populate_existing=True)
    ).first()
    return draft


def on_order(db: Session, stock_item_ids: Iterable[int]) -> dict[int, int]:
    """Base units of each item on sent orders not yet received."""
    ids = sorted(set(stock_item_ids))
    if not ids:
        return {}
    rows = db.execute(
        select(PurchaseOrderLine.stock_item_id, func.sum(PurchaseOrderLine.quantity))
        .join(PurchaseOrder, PurchaseOrderLine.purchase_order_id == PurchaseOrder.id)
        .where(PurchaseOrder.status == "sent", PurchaseOrderLine.stock_item_id.in_(ids))
        .group_by(PurchaseOrderLine.stock_item_id)
    ).all()
    return {int(sid): int(total) for sid, total in rows}


def _wants(db: Session, rows: Sequence[forecasting.ForecastRow]) -> list[Want]:
    """What to order of each forecast row's item, less what is on order; items needing nothing are left out."""
    if not rows:
        return []
    ids = [row.stock_item_id for row in rows]
    facts = {
        int(sid): (unit_cost, supplier_id if supplier_active else None)
        for sid, unit_cost, supplier_id, supplier_active in db.execute(
            select(StockItem.id, StockItem.unit_cost, StockItem.supplier_id, Supplier.is_active)
            .outerjoin(Supplier, StockItem.supplier_id == Supplier.id)
            .where(StockItem.id.in_(ids))
        ).all()
    }
    ordered = on_order(db, ids)
    wants = []
    for row in rows:
        back_above_critical = row.critical_level - row.on_hand + 1
        need = max(row.suggested_order, back_above_critical) - ordered.get(row.stock_item_id, 0)
        if need <= 0 or row.stock_item_id not in facts:
            continue
        unit_cost, supplier_id = facts[row.stock_item_id]
        wants.append(Want(row.stock_item_id, row.name, need, unit_cost, supplier_id))
    return wants


def _put_on_drafts(db: Session, wants: Sequence[Want], *, by: Actor | None, why: str) -> list[int]:
    """Add or raise each wanted line on its supplier's draft; returns the ids of the drafts that changed."""
    by_supplier: dict[int | None, list[Want]] = {}
    for want in wants:
        by_supplier.setdefault(want.supplier_id, []).append(want)
    changed_ids = []
    for supplier_id, group in sorted(by_supplier.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        draft = open_draft(db, supplier_id)
        created = draft is None
        if draft is None:
            draft = PurchaseOrder(
                number=next_number(db),
                supplier_id=supplier_id,
                status="draft",
                created_by_id=getattr(by, "id", None),
                lines=[],
            )
            db.add(draft)
        lines = {line.stock_item_id: line for line in draft.lines}
        changes = []
        for want in group:
            line = lines.get(want.stock_item_id)
            if line is None:
                draft.lines.append(
                    PurchaseOrderLine(
                        stock_item_id=want.stock_item_id, quantity=want.quantity, unit_cost=want.unit_cost
                    )
                )
            elif want.quantity > line.quantity:
                line.quantity = want.quantity
            else:
                continue
            changes.append({"stock_item_id": want.stock_item_id, "name": want.name, "quantity": want.quantity})
        if not changes:
            continue
        db.flush()
        audit.record(
            db,
            action="purchasing.drafted",
            entity_type="purchase_order",
            entity_id=draft.id,
            actor=by,
            data={"number": draft.number, "supplier_id": supplier_id, "created": created, "why": why, "lines": changes},
        )
        changed_ids.append(draft.id)
    return changed_ids


def draft_for_low_stock(db: Session, stock_item_ids: Iterable[int]) -> list[int]:
    """Put the given items that are at or below their critical level on their supplier's draft, with the forecast's
    suggested quantity; returns the ids of the drafts that changed. Nothing is read when no id is given."""
    ids = set(stock_item_ids)
    if not ids:
        return []
    rows = [
        row
        for row in forecasting.forecast(db)
        if row.stock_item_id in ids and row.on_hand <= row.critical_level  # the forecast lists active items only
    ]
    return _put_on_drafts(db, _wants(db, rows), by=None, why="low_stock")


def suggest(db: Session, *, by: Actor) -> list[int]:
    """Drafts for every active item that is low (at or below its critical level) or critical in tomorrow's
    forecast (less on hand than tomorrow's expected use); returns the ids of the drafts that changed."""
    rows = [row for row in forecasting.forecast(db) if row.on_hand <= row.critical_level or row.status == "critical"]
    return _put_on_drafts(db, _wants(db, rows), by=by, why="suggest")
