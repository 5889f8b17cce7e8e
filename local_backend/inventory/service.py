"""Inventory rules: suppliers, stock items, recipes, deliveries, counts, waste, adjustments and low-stock alerts.

Every change of stock goes through stock.apply (one ledger line per change, the figure it left) and then lets the
menu follow the stock (stock.settle_availability): a delivery brings back what the stock had taken off. Counts,
waste and adjustments are in the audit trail with their reason, next to who did them.

Rows are read with `populate_existing`: a write request shares its session with the others of its group commit,
and on_hand moves under ORM objects through set-based UPDATEs (stock.apply), so an identity-map copy may be old.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session, selectinload

from local_backend.audit import service as audit
from local_backend.db import same_name
from local_backend.events import publish_after_commit
from local_backend.inventory import costs, stock
from local_backend.inventory.models import (
    Delivery,
    DeliveryLine,
    RecipeLine,
    StockItem,
    StockMovement,
    Supplier,
)
from local_backend.inventory.schemas import (
    AdjustmentCreate,
    CountCreate,
    DeliveryCreate,
    RecipeIn,
    StockItemCreate,
    StockItemUpdate,
    SupplierCreate,
    SupplierUpdate,
    WasteCreate,
)
from local_backend.menu import service as menu
from local_backend.staff.models import User
from shared.errors import Conflict, NotFound, Unprocessable


class SupplierNotFound(NotFound):
    code = "SUPPLIER_NOT_FOUND"
    default_detail = "No such supplier"


class UnknownSupplier(Unprocessable):
    code = "SUPPLIER_UNKNOWN"
    default_detail = "No supplier with this id"


class StockItemNotFound(NotFound):
    code = "STOCK_ITEM_NOT_FOUND"
    default_detail = "No such stock item"


class UnknownStockItem(Unprocessable):
    code = "STOCK_ITEM_UNKNOWN"
    default_detail = "No stock item with this id"


class StockItemInactive(Unprocessable):
    code = "STOCK_ITEM_INACTIVE"
    default_detail = "This stock item is deactivated"


class StockItemNameTaken(Conflict):
    code = "STOCK_ITEM_NAME_TAKEN"
    default_detail = "Another stock item has this name"


class UnitLocked(Conflict):
    code = "STOCK_UNIT_LOCKED"
    default_detail = "The unit cannot change once the item has movements or is in a recipe"


class StockItemInRecipe(Conflict):
    code = "STOCK_ITEM_IN_RECIPE"
    default_detail = "A stock item used by a recipe cannot be deactivated: take it out of the recipes first"


class InvalidRecipeOption(Unprocessable):
    code = "INVALID_OPTION"
    default_detail = "Not an option of this product"


SUPPLIER_WRITE_ERRORS = (UnknownSupplier,)
ITEM_REFERENCE_ERRORS = (UnknownStockItem,)


# ---------------------------------------------------------------------------------------------------------------
# Suppliers


def list_suppliers(db: Session, *, include_inactive: bool = False) -> Sequence[Supplier]:
    stmt = select(Supplier).order_by(Supplier.name, Supplier.id)
    if not include_inactive:
        stmt = stmt.where(Supplier.is_active.is_(True))
    return db.scalars(stmt).all()


def get_supplier(db: Session, supplier_id: int) -> Supplier:
    supplier = db.get(Supplier, supplier_id, populate_existing=True)
    if supplier is None:
        raise SupplierNotFound()
    return supplier


def _ensure_supplier(db: Session, supplier_id: int | None) -> None:
    if supplier_id is not None and db.get(Supplier, supplier_id) is None:
        raise UnknownSupplier(f"No supplier with id {supplier_id}")


def create_supplier(db: Session, *, data: SupplierCreate, by: User) -> Supplier:
    supplier = Supplier(**data.model_dump())
    db.add(supplier)
    db.flush()
    audit.record(
        db,
        action="inventory.supplier_created",
        entity_type="supplier",
        entity_id=supplier.id,
        actor=by,
        data={"name": supplier.name},
    )
    return supplier


def update_supplier(db: Session, *, supplier_id: int, data: SupplierUpdate, by: User) -> Supplier:
    supplier = get_supplier(db, supplier_id)
    changes = _assign(supplier, data.model_dump(exclude_unset=True))
    if changes:
        db.flush()
        audit.record(
            db,
            action="inventory.supplier_updated",
            entity_type="supplier",
            entity_id=supplier.id,
            actor=by,
            data={"name": supplier.name, "changes": changes},
        )
    return supplier


def _assign(obj: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields; returns {field: [old, new]} for those that really changed (for the audit trail)."""
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            setattr(obj, name, value)
            changes[name] = [old, value]
    return changes


# ---------------------------------------------------------------------------------------------------------------
# Stock items


@dataclass(frozen=True, slots=True)
class StockItemView:
    id: int
    name: str
    unit: str
    on_hand: int
    critical_level: int
    unit_cost: int | None
    supplier_id: int | None
    is_active: bool
    is_low: bool
    created_at: datetime


def view(item: StockItem) -> StockItemView:
    return StockItemView(
        id=item.id,
        name=item.name,
        unit=item.unit,
        on_hand=item.on_hand,
        critical_level=item.critical_level,
        unit_cost=item.unit_cost,
        supplier_id=item.supplier_id,
        is_active=item.is_active,
        is_low=item.on_hand <= item.critical_level,
        created_at=item.created_at,
    )


def list_items(db: Session, *, include_inactive: bool = False) -> list[StockItemView]:
    stmt = select(StockItem).order_by(StockItem.name, StockItem.id).execution_options(populate_existing=True)
    if not include_inactive:
        stmt = stmt.where(StockItem.is_active.is_(True))
    return [view(item) for item in db.scalars(stmt).all()]


def _get_item(db: Session, item_id: int) -> StockItem:
    item = db.get(StockItem, item_id, populate_existing=True)
    if item is None:
        raise StockItemNotFound()
    return item


def get_item(db: Session, item_id: int) -> StockItemView:
    return view(_get_item(db, item_id))


def _ensure_name_free(db: Session, name: str, *, other_than: int | None = None) -> None:
    stmt = select(StockItem.id).where(same_name(StockItem.name, name))
    if other_than is not None:
        stmt = stmt.where(StockItem.id != other_than)
    if db.scalar(stmt.limit(1)) is not None:
        raise StockItemNameTaken(f"A stock item is already called {name!r}")


def create_item(db: Session, *, data: StockItemCreate, by: User) -> StockItemView:
    """A new stock item; an opening stock is recorded as the item's first (`opening`) movement."""
    _ensure_name_free(db, data.name)
    _ensure_supplier(db, data.supplier_id)
    item = StockItem(**data.model_dump(exclude={"on_hand"}), on_hand=0)
    db.add(item)
    db.flush()
    if data.on_hand:
        stock.apply(db, [stock.Change(stock_item_id=item.id, kind="opening", delta=data.on_hand, user_id=by.id)])
    audit.record(
        db,
        action="inventory.item_created",
        entity_type="stock_item",
        entity_id=item.id,
        actor=by,
        data={"name": item.name, "unit": item.unit, "on_hand": data.on_hand, "critical_level": item.critical_level},
    )
    return get_item(db, item.id)


def _has_movements(db: Session, item_id: int) -> bool:
    return bool(db.scalar(select(exists().where(StockMovement.stock_item_id == item_id))))


def _in_recipes(db: Session, item_id: int) -> bool:
    return bool(db.scalar(select(exists().where(RecipeLine.stock_item_id == item_id))))


def update_item(db: Session, *, item_id: int, data: StockItemUpdate, by: User) -> StockItemView:
    item = _get_item(db, item_id)
    fields = data.model_dump(exclude_unset=True)
    if "name" in fields and fields["name"] != item.name:
        _ensure_name_free(db, fields["name"], other_than=item.id)
    if fields.get("unit", item.unit) != item.unit and (_has_movements(db, item.id) or _in_recipes(db, item.id)):
        raise UnitLocked(f"{item.name} is counted in {item.unit}: it has movements or is in a recipe")
    if "supplier_id" in fields:
        _ensure_supplier(db, fields["supplier_id"])
    if fields.get("is_active") is False and item.is_active and _in_recipes(db, item.id):
        raise StockItemInRecipe(f"{item.name} is used by a recipe")
    was_low = item.on_hand <= item.critical_level
    changes = _assign(item, fields)
    if changes:
        db.flush()
        audit.record(
            db,
            action="inventory.item_updated",
            entity_type="stock_item",
            entity_id=item.id,
            actor=by,
            data={"name": item.name, "changes": changes},
        )
        if not was_low and item.on_hand <= item.critical_level and item.is_active:
            # A raised critical level is a crossing too: the manager hears it like one a sale caused.
            publish_after_commit(
                db,
                "inventory.low_stock",
                {
                    "stock_item_id": item.id,
                    "name": item.name,
                    "unit": item.unit,
                    "on_hand": item.on_hand,
                    "critical_level": item.critical_level,
                },
                stock.MANAGERS,
            )
    return view(item)


def movements(db: Session, *, item_id: int, limit: int = 100, before_id: int | None = None) -> Sequence[StockMovement]:
    """The item's ledger, newest first; page with `before_id` (the last id of the previous page)."""
    _get_item(db, item_id)
    stmt = select(StockMovement).where(StockMovement.stock_item_id == item_id)
    if before_id is not None:
        stmt = stmt.where(StockMovement.id < before_id)
    return db.scalars(stmt.order_by(StockMovement.id.desc()).limit(limit)).all()


def alerts(db: Session) -> list[StockItemView]:
    """Active items at or below their critical level, the furthest below first."""
    stmt = (
        select(StockItem)
        .where(StockItem.is_active.is_(True), StockItem.on_hand <= StockItem.critical_level)
        .order_by((StockItem.on_hand - StockItem.critical_level), StockItem.name)
        .execution_options(populate_existing=True)
    )
    return [view(item) for item in db.scalars(stmt).all()]


def _items_by_id(db: Session, ids: Sequence[int]) -> dict[int, StockItem]:
    """The items, refusing the request (422) if one of them does not exist."""
    wanted = sorted(set(ids))
    found = {
        item.id: item
        for item in db.scalars(
            select(StockItem).where(StockItem.id.in_(wanted)).execution_options(populate_existing=True)
        ).all()
    }
    missing = [i for i in wanted if i not in found]
    if missing:
        raise UnknownStockItem(f"No stock item with id {missing[0]}")
    return found


# ---------------------------------------------------------------------------------------------------------------
# Recipes


@dataclass(frozen=True, slots=True)
class RecipeLineView:
    stock_item_id: int
    name: str
    unit: str
    quantity: int
    unit_cost: int | None


@dataclass(frozen=True, slots=True)
class RecipeOptionView:
    option_id: int
    name: str
    lines: list[RecipeLineView]


@dataclass(frozen=True, slots=True)
class RecipeView:
    product_id: int
    lines: list[RecipeLineView]
    options: list[RecipeOptionView]
    cost: int | None


def get_recipe(db: Session, *, product_id: int) -> RecipeView:
    """The product's recipe with each line's stock item, and what one unit costs."""
    product = menu.get_product(db, product_id)
    rows = db.execute(
        select(
            RecipeLine.option_id, StockItem.id, StockItem.name, StockItem.unit, RecipeLine.quantity, StockItem.unit_cost
        )
        .join(StockItem, RecipeLine.stock_item_id == StockItem.id)
        .where(RecipeLine.product_id == product.id)
        .order_by(RecipeLine.id)
    ).all()
    grouped: dict[int | None, list[RecipeLineView]] = {}
    for option_id, sid, name, unit, quantity, unit_cost in rows:
        grouped.setdefault(option_id, []).append(RecipeLineView(sid, name, unit, quantity, unit_cost))
    options = [
        RecipeOptionView(option_id=o.id, name=o.name, lines=grouped[o.id]) for o in product.options if o.id in grouped
    ]
    base = grouped.get(None, [])
    return RecipeView(
        product_id=product.id,
        lines=base,
        options=options,
        cost=costs.cost_of([(line.quantity, line.unit, line.unit_cost) for line in base]) if base else None,
    )


def set_recipe(db: Session, *, product_id: int, data: RecipeIn, by: User) -> RecipeView:
    """Replace the product's recipe; the product is 86'd or brought back at once to match the stock."""
    product = menu.get_product(db, product_id)
    option_ids = {o.id for o in product.options}
    strangers = [o.option_id for o in data.options if o.option_id not in option_ids]
    if strangers:
        raise InvalidRecipeOption(f"{strangers[0]} is not an option of {product.name}")
    groups: list[tuple[int | None, Any]] = [(None, data.lines), *((o.option_id, o.lines) for o in data.options)]
    items = _items_by_id(db, [line.stock_item_id for _, lines in groups for line in lines])
    inactive = sorted(item.name for item in items.values() if not item.is_active)
    if inactive:
        raise StockItemInactive(f"{inactive[0]} is deactivated")
    db.execute(delete(RecipeLine).where(RecipeLine.product_id == product.id))
    db.add_all(
        RecipeLine(product_id=product.id, option_id=option_id, stock_item_id=line.stock_item_id, quantity=line.quantity)
        for option_id, lines in groups
        for line in lines
    )
    db.flush()
    audit.record(
        db,
        action="inventory.recipe_set",
        entity_type="product",
        entity_id=product.id,
        actor=by,
        data={
            "name": product.name,
            "lines": [{"stock_item_id": line.stock_item_id, "quantity": line.quantity} for line in data.lines],
            "options": [
                {
                    "option_id": o.option_id,
                    "lines": [{"stock_item_id": line.stock_item_id, "quantity": line.quantity} for line in o.lines],
                }
                for o in data.options
                if o.lines
            ],
        },
    )
    stock.settle_products(db, [product.id])
    return get_recipe(db, product_id=product.id)


# ---------------------------------------------------------------------------------------------------------------
# Stock in and out


def _delivery_options() -> Any:
    return selectinload(Delivery.lines)


def list_deliveries(db: Session, *, limit: int = 50, before_id: int | None = None) -> Sequence[Delivery]:
    """Deliveries newest first with their lines; page with `before_id`."""
    stmt = select(Delivery).options(_delivery_options())
    if before_id is not None:
        stmt = stmt.where(Delivery.id < before_id)
    return db.scalars(stmt.order_by(Delivery.id.desc()).limit(limit)).all()


def receive_delivery(db: Session, *, data: DeliveryCreate, by: User) -> Delivery:
    """Stock in: each line a `delivery` movement; a line's unit_cost becomes the item's cost."""
    _ensure_supplier(db, data.supplier_id)
    items = _items_by_id(db, [line.stock_item_id for line in data.lines])
    delivery = Delivery(
        supplier_id=data.supplier_id,
        note=data.note,
        received_by_id=by.id,
        lines=[
            DeliveryLine(stock_item_id=line.stock_item_id, quantity=line.quantity, unit_cost=line.unit_cost)
            for line in data.lines
        ],
    )
    db.add(delivery)
    for line in data.lines:
        if line.unit_cost is not None:
            items[line.stock_item_id].unit_cost = line.unit_cost
    db.flush()
    levels = stock.apply(
        db,
        [
            stock.Change(
                stock_item_id=line.stock_item_id,
                kind="delivery",
                delta=line.quantity,
                delivery_id=delivery.id,
                user_id=by.id,
            )
            for line in data.lines
        ],
    )
    audit.record(
        db,
        action="inventory.delivery_received",
        entity_type="delivery",
        entity_id=delivery.id,
        actor=by,
        data={
            "supplier_id": data.supplier_id,
            "note": data.note,
            "lines": [
                {
                    "stock_item_id": line.stock_item_id,
                    "name": items[line.stock_item_id].name,
                    "quantity": line.quantity,
                    "unit_cost": line.unit_cost,
                    "on_hand": levels[line.stock_item_id].on_hand,
                }
                for line in data.lines
            ],
        },
    )
    stock.settle_availability(db, levels)
    loaded: Delivery = db.scalars(
        select(Delivery)
        .where(Delivery.id == delivery.id)
        .options(_delivery_options())
        .execution_options(populate_existing=True)
    ).one()
    return loaded


@dataclass(frozen=True, slots=True)
class CountLineView:
    stock_item_id: int
    name: str
    previous: int
    counted: int
    delta: int


def count(db: Session, *, data: CountCreate, by: User) -> list[CountLineView]:
    """Set items to what was counted: each line a `count` movement of the difference and an audit event with the
    reason (a line that matches is recorded too: the figure was checked)."""
    items = _items_by_id(db, [line.stock_item_id for line in data.lines])
    changes = [
        stock.Change(
            stock_item_id=line.stock_item_id,
            kind="count",
            delta=line.counted - items[line.stock_item_id].on_hand,
            reason=data.reason,
            user_id=by.id,
        )
        for line in data.lines
    ]
    levels = stock.apply(db, changes)
    result = []
    for line, change in zip(data.lines, changes, strict=True):
        item = items[line.stock_item_id]
        result.append(
            CountLineView(
                stock_item_id=item.id,
                name=item.name,
                previous=levels[item.id].before,
                counted=line.counted,
                delta=change.delta,
            )
        )
        audit.record(
            db,
            action="inventory.counted",
            entity_type="stock_item",
            entity_id=item.id,
            actor=by,
            data={
                "name": item.name,
                "unit": item.unit,
                "previous": levels[item.id].before,
                "counted": line.counted,
                "delta": change.delta,
                "reason": data.reason,
            },
        )
    stock.settle_availability(db, levels)
    return result


def _single(db: Session, *, item_id: int, kind: str, delta: int, reason: str, by: User) -> StockItemView:
    items = _items_by_id(db, [item_id])
    levels = stock.apply(
        db, [stock.Change(stock_item_id=item_id, kind=kind, delta=delta, reason=reason, user_id=by.id)]
    )
    level = levels[item_id]
    audit.record(
        db,
        action=f"inventory.{kind}",
        entity_type="stock_item",
        entity_id=item_id,
        actor=by,
        data={
            "name": items[item_id].name,
            "unit": level.unit,
            "delta": delta,
            "previous": level.before,
            "on_hand": level.on_hand,
            "reason": reason,
        },
    )
    stock.settle_availability(db, levels)
    return get_item(db, item_id)


def waste(db: Session, *, data: WasteCreate, by: User) -> StockItemView:
    """Stock thrown away (dropped, spoiled): a `waste` movement, audited with its reason."""
    return _single(db, item_id=data.stock_item_id, kind="waste", delta=-data.quantity, reason=data.reason, by=by)


def adjust(db: Session, *, data: AdjustmentCreate, by: User) -> StockItemView:
    """A correction by a known amount (a case found, a transfer to the other branch): audited with its reason."""
    return _single(db, item_id=data.stock_item_id, kind="adjustment", delta=data.delta, reason=data.reason, by=by)
