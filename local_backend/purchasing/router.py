"""/api/inventory/purchase-orders: purchase orders to suppliers (manager), and the lifespan that runs the mailer.

Like the rest of the inventory, none of it is behind the license: a restaurant can always order its own stock.
Emailing only queues: the mailer (mailer.py) sends after the request has committed, so no request ever waits
for the SMTP server or the internet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import Response

from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.config import Settings
from local_backend.db import DbSession, TavoloRoute, after_commit
from local_backend.deps import SettingsDep
from local_backend.menu.schemas import MAX_ID
from local_backend.printing import reports as printed
from local_backend.printing import service as printing
from local_backend.purchasing import service
from local_backend.purchasing.mailer import Mailer
from local_backend.purchasing.schemas import (
    PrintRead,
    PrintRequest,
    PurchaseOrderCreate,
    PurchaseOrderRead,
    PurchaseOrderStatus,
    PurchaseOrderUpdate,
    ReceiveRequest,
    SendRequest,
)
from shared.errors import BadRequest, error_responses

RowIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
MANAGER_ERRORS = (*AUTH_ERRORS, ManagerRequired)
WRITE_ERRORS = (*MANAGER_ERRORS, BadRequest)
PRINT_ERRORS = (printed.NoReportPrinter, printing.PrinterNotFound, printing.PrinterInactive)
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "UTF-8 CSV (with a BOM)"}
}


def get_mailer(request: Request) -> Mailer:
    mailer: Mailer = request.app.state.mailer
    return mailer


MailerDep = Annotated[Mailer, Depends(get_mailer)]

orders_router = APIRouter(prefix="/api/inventory/purchase-orders", tags=["purchasing"], route_class=TavoloRoute)


@orders_router.get("", response_model=list[PurchaseOrderRead], responses=error_responses(*MANAGER_ERRORS))
def list_orders(
    _: ManagerUser,
    db: DbSession,
    status: PurchaseOrderStatus | None = None,
    supplier_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Page: ids below this one")] = None,
) -> Any:
    """Purchase orders newest first, with their lines and latest email; filter by status and supplier."""
    return service.list_orders(db, status=status, supplier_id=supplier_id, limit=limit, before_id=before_id)


@orders_router.post(
    "",
    status_code=201,
    response_model=PurchaseOrderRead,
    responses=error_responses(*WRITE_ERRORS, *service.WRITE_ERRORS),
)
def create_order(body: PurchaseOrderCreate, user: ManagerUser, db: DbSession) -> Any:
    """A draft by hand; a line without unit_cost takes the item's cost now."""
    return service.create(db, data=body, by=user)


@orders_router.post("/suggest", response_model=list[PurchaseOrderRead], responses=error_responses(*WRITE_ERRORS))
def suggest(user: ManagerUser, db: DbSession) -> Any:
    """Put every item that is low (at or below its critical level) or critical in tomorrow's forecast on its
    supplier's draft (one per supplier; items without one on the "no supplier" draft) with the forecast's
    suggested quantity, less what is already on order. Lines are added or raised, never lowered. Returns the
    drafts that changed."""
    return service.suggest(db, by=user)


@orders_router.get(
    "/{order_id}",
    response_model=PurchaseOrderRead,
    responses=error_responses(*MANAGER_ERRORS, service.PurchaseOrderNotFound),
)
def get_order(order_id: RowIdPath, _: ManagerUser, db: DbSession) -> Any:
    """One purchase order."""
    return service.get_order(db, order_id)


@orders_router.patch(
    "/{order_id}",
    response_model=PurchaseOrderRead,
    responses=error_responses(*WRITE_ERRORS, service.PurchaseOrderNotFound, service.NotADraft, *service.WRITE_ERRORS),
)
def update_order(order_id: RowIdPath, body: PurchaseOrderUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Change a draft's supplier, note or lines (`lines` replaces them all)."""
    return service.update_draft(db, order_id=order_id, data=body, by=user)


@orders_router.post(
    "/{order_id}/cancel",
    response_model=PurchaseOrderRead,
    responses=error_responses(*WRITE_ERRORS, service.PurchaseOrderNotFound, service.OrderClosed),
)
def cancel_order(order_id: RowIdPath, user: ManagerUser, db: DbSession) -> Any:
    """Cancel a draft or sent order (an email still queued for it is dropped)."""
    return service.cancel(db, order_id=order_id, by=user)


@orders_router.post(
    "/{order_id}/send",
    response_model=PurchaseOrderRead,
    responses=error_responses(*WRITE_ERRORS, *service.SEND_ERRORS),
)
def send_order(
    order_id: RowIdPath, body: SendRequest, user: ManagerUser, db: DbSession, env: SettingsDep, mailer: MailerDep
) -> Any:
    """Mark the draft sent. With `email: true` the order is also emailed to the supplier, CSV attached: queued now
    and sent as soon as the SMTP server can be reached (`email_status` says where it is). A sent order can be
    emailed again the same way."""
    view = service.send(db, order_id=order_id, email=body.email, by=user, env=env)
    if body.email:
        after_commit(db, mailer.wake)
    return view


@orders_router.post(
    "/{order_id}/receive",
    response_model=PurchaseOrderRead,
    responses=error_responses(
        *WRITE_ERRORS, service.PurchaseOrderNotFound, service.OrderClosed, service.EmptyOrder, *service.WRITE_ERRORS
    ),
)
def receive_order(order_id: RowIdPath, body: ReceiveRequest, user: ManagerUser, db: DbSession) -> Any:
    """The goods came: a delivery (stock in) with the order's lines, or the lines given (what actually came),
    and the order is received."""
    return service.receive(db, order_id=order_id, data=body, by=user)


@orders_router.get(
    "/{order_id}/csv",
    response_class=Response,
    responses={**CSV_RESPONSE, **error_responses(*MANAGER_ERRORS, service.PurchaseOrderNotFound)},
)
def export_order(order_id: RowIdPath, _: ManagerUser, db: DbSession) -> Response:
    """The order's lines as CSV, quantities in kg, l or pieces (as suppliers quote them)."""
    name, text = service.csv_export(db, order_id=order_id)
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@orders_router.post(
    "/{order_id}/print",
    status_code=202,
    response_model=PrintRead,
    responses=error_responses(*WRITE_ERRORS, service.PurchaseOrderNotFound, *PRINT_ERRORS),
)
def print_order(order_id: RowIdPath, body: PrintRequest, user: ManagerUser, db: DbSession) -> Any:
    """Queue the order on the report printer (or the printer given)."""
    return service.print_order(db, order_id=order_id, printer_id=body.printer_id, by=user)


def build_router(settings: Settings) -> APIRouter:
    """The purchase order routes, and the lifespan that runs the mailer (started after the app's own startup)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mailer = Mailer(app.state.database, settings)
        app.state.mailer = mailer
        await mailer.start()
        try:
            yield
        finally:
            await mailer.stop()

    router = APIRouter(lifespan=lifespan)
    router.include_router(orders_router)
    return router
