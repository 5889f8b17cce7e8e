"""/api/inventory (suppliers, stock items, movements, deliveries, counts, waste, adjustments, alerts, forecast) and
/api/products/{id}/recipe: the recipes live under the product they belong to, but their rules are the inventory's.

Everything is for managers: a waiter never needs stock figures (sales deduct by themselves, through the order).
None of it is behind the license: a restaurant can always count and receive its own stock.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.inventory import forecast as forecasting
from local_backend.inventory import service
from local_backend.inventory.schemas import (
    AdjustmentCreate,
    CountCreate,
    CountLineRead,
    DeliveryCreate,
    DeliveryRead,
    ForecastRowRead,
    MovementRead,
    RecipeIn,
    RecipeRead,
    StockItemCreate,
    StockItemRead,
    StockItemUpdate,
    SupplierCreate,
    SupplierRead,
    SupplierUpdate,
    WasteCreate,
)
from local_backend.menu import service as menu
from local_backend.menu.schemas import MAX_ID
from shared.errors import BadRequest, error_responses

inventory_router = APIRouter(prefix="/api/inventory", tags=["inventory"], route_class=TavoloRoute)
recipe_router = APIRouter(prefix="/api/products", tags=["inventory"], route_class=TavoloRoute)

RowIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
MANAGER_ERRORS = (*AUTH_ERRORS, ManagerRequired)
WRITE_ERRORS = (*MANAGER_ERRORS, BadRequest)
IncludeInactive = Annotated[bool, Query(alias="all", description="Include deactivated ones")]
Limit = Annotated[int, Query(ge=1, le=500)]
BeforeId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Page: ids below this one (the last id seen)")]


# Suppliers


@inventory_router.get("/suppliers", response_model=list[SupplierRead], responses=error_responses(*MANAGER_ERRORS))
def list_suppliers(_: ManagerUser, db: DbSession, all_: IncludeInactive = False) -> Any:
    """Suppliers by name."""
    return service.list_suppliers(db, include_inactive=all_)


@inventory_router.post(
    "/suppliers", status_code=201, response_model=SupplierRead, responses=error_responses(*WRITE_ERRORS)
)
def create_supplier(body: SupplierCreate, user: ManagerUser, db: DbSession) -> Any:
    """Add a supplier."""
    return service.create_supplier(db, data=body, by=user)


@inventory_router.patch(
    "/suppliers/{supplier_id}",
    response_model=SupplierRead,
    responses=error_responses(*WRITE_ERRORS, service.SupplierNotFound),
)
def update_supplier(supplier_id: RowIdPath, body: SupplierUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Change a supplier's given fields (deactivate instead of deleting: deliveries keep naming it)."""
    return service.update_supplier(db, supplier_id=supplier_id, data=body, by=user)


# Stock items


@inventory_router.get("/items", response_model=list[StockItemRead], responses=error_responses(*MANAGER_ERRORS))
def list_items(_: ManagerUser, db: DbSession, all_: IncludeInactive = False) -> Any:
    """Stock items by name with what is on hand (base units: g, ml or pc)."""
    return service.list_items(db, include_inactive=all_)


@inventory_router.post(
    "/items",
    status_code=201,
    response_model=StockItemRead,
    responses=error_responses(*WRITE_ERRORS, service.StockItemNameTaken, service.UnknownSupplier),
)
def create_item(body: StockItemCreate, user: ManagerUser, db: DbSession) -> Any:
    """Add a stock item; an opening on_hand is recorded as its first movement."""
    return service.create_item(db, data=body, by=user)


@inventory_router.get(
    "/items/{item_id}",
    response_model=StockItemRead,
    responses=error_responses(*MANAGER_ERRORS, service.StockItemNotFound),
)
def get_item(item_id: RowIdPath, _: ManagerUser, db: DbSession) -> Any:
    """One stock item."""
    return service.get_item(db, item_id)


@inventory_router.patch(
    "/items/{item_id}",
    response_model=StockItemRead,
    responses=error_responses(
        *WRITE_ERRORS,
        service.StockItemNotFound,
        service.StockItemNameTaken,
        service.UnitLocked,
        service.StockItemInRecipe,
        service.UnknownSupplier,
    ),
)
def update_item(item_id: RowIdPath, body: StockItemUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Change a stock item's given fields; stock itself changes through deliveries, counts, waste, adjustments."""
    return service.update_item(db, item_id=item_id, data=body, by=user)


@inventory_router.get(
    "/items/{item_id}/movements",
    response_model=list[MovementRead],
    responses=error_responses(*MANAGER_ERRORS, service.StockItemNotFound),
)
def list_movements(
    item_id: RowIdPath, _: ManagerUser, db: DbSession, limit: Limit = 100, before_id: BeforeId = None
) -> Any:
    """The item's ledger, newest first: every change of on_hand with the figure it left."""
    return service.movements(db, item_id=item_id, limit=limit, before_id=before_id)


@inventory_router.get("/alerts", response_model=list[StockItemRead], responses=error_responses(*MANAGER_ERRORS))
def alerts(_: ManagerUser, db: DbSession) -> Any:
    """Active items at or below their critical level, the furthest below first."""
    return service.alerts(db)


@inventory_router.get("/forecast", response_model=list[ForecastRowRead], responses=error_responses(*MANAGER_ERRORS))
def forecast(
    _: ManagerUser,
    db: DbSession,
    day: Annotated[
        date | None, Query(alias="date", description="Day to forecast, site timezone; default tomorrow")
    ] = None,
) -> Any:
    """Each active item's expected use on the day (mean of the same weekday over the last 4 weeks), its status
    (critical: on_hand < forecast, warning: < 1.5 x forecast, ok) and a suggested order; critical first."""
    return forecasting.forecast(db, day=day)


# Stock in and out


@inventory_router.get("/deliveries", response_model=list[DeliveryRead], responses=error_responses(*MANAGER_ERRORS))
def list_deliveries(_: ManagerUser, db: DbSession, limit: Limit = 50, before_id: BeforeId = None) -> Any:
    """Deliveries newest first with their lines."""
    return service.list_deliveries(db, limit=limit, before_id=before_id)


@inventory_router.post(
    "/deliveries",
    status_code=201,
    response_model=DeliveryRead,
    responses=error_responses(*WRITE_ERRORS, service.UnknownSupplier, service.UnknownStockItem),
)
def receive_delivery(body: DeliveryCreate, user: ManagerUser, db: DbSession) -> Any:
    """Receive goods: stock in per line (a line's unit_cost becomes the item's); products the stock had 86'd and
    that can be made again come back on the menu."""
    return service.receive_delivery(db, data=body, by=user)


@inventory_router.post(
    "/counts",
    status_code=201,
    response_model=list[CountLineRead],
    responses=error_responses(*WRITE_ERRORS, service.UnknownStockItem),
)
def count(body: CountCreate, user: ManagerUser, db: DbSession) -> Any:
    """Record a stock count: each item is set to what was counted, the difference audited with the reason."""
    return service.count(db, data=body, by=user)


@inventory_router.post(
    "/waste",
    status_code=201,
    response_model=StockItemRead,
    responses=error_responses(*WRITE_ERRORS, service.UnknownStockItem),
)
def waste(body: WasteCreate, user: ManagerUser, db: DbSession) -> Any:
    """Record stock thrown away, with the reason (audited)."""
    return service.waste(db, data=body, by=user)


@inventory_router.post(
    "/adjustments",
    status_code=201,
    response_model=StockItemRead,
    responses=error_responses(*WRITE_ERRORS, service.UnknownStockItem),
)
def adjust(body: AdjustmentCreate, user: ManagerUser, db: DbSession) -> Any:
    """Correct an item by a known amount, with the reason (audited)."""
    return service.adjust(db, data=body, by=user)


# Recipes (under the product they belong to)


@recipe_router.get(
    "/{product_id}/recipe",
    response_model=RecipeRead,
    responses=error_responses(*MANAGER_ERRORS, menu.ProductNotFound),
)
def get_recipe(product_id: RowIdPath, _: ManagerUser, db: DbSession) -> Any:
    """What one unit of the product and each of its options uses of stock, and what a unit costs."""
    return service.get_recipe(db, product_id=product_id)


@recipe_router.put(
    "/{product_id}/recipe",
    response_model=RecipeRead,
    responses=error_responses(
        *WRITE_ERRORS,
        menu.ProductNotFound,
        service.InvalidRecipeOption,
        service.UnknownStockItem,
        service.StockItemInactive,
    ),
)
def set_recipe(product_id: RowIdPath, body: RecipeIn, user: ManagerUser, db: DbSession) -> Any:
    """Replace the product's recipe (empty lists remove it); sales deduct it from then on, and the product is 86'd
    at once if the stock cannot make one."""
    return service.set_recipe(db, product_id=product_id, data=body, by=user)


# What the app includes: both prefixes in one router.
router = APIRouter()
router.include_router(inventory_router)
router.include_router(recipe_router)
