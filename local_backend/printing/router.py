"""/api/printers: printers (zones) and their live status, the print log, reprints, bills, test pages, alerts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.deps import SettingsDep
from local_backend.orders import service as orders
from local_backend.printing import service
from local_backend.printing.schemas import (
    MAX_ID,
    BillPrint,
    JobStatus,
    PrintAlertRead,
    PrinterCreate,
    PrinterRead,
    PrinterStatusRead,
    PrinterUpdate,
    PrintJobRead,
    UnroutedProductRead,
)
from local_backend.printing.worker import PrintManager
from shared.errors import error_responses

router = APIRouter(prefix="/api/printers", tags=["printers"], route_class=TavoloRoute)

PrinterId = Annotated[int, Path(ge=1, le=MAX_ID, description="Printer id")]
JobId = Annotated[int, Path(ge=1, le=MAX_ID, description="Print job id")]
AlertId = Annotated[int, Path(ge=1, le=MAX_ID, description="Alert id")]
GUARD = (*AUTH_ERRORS, ManagerRequired)
ORDER_ACCESS = (orders.OrderNotFound, orders.NotOrderOwner)


async def get_print_manager(request: Request) -> PrintManager:
    manager: PrintManager = request.app.state.print_manager
    return manager


PrintManagerDep = Annotated[PrintManager, Depends(get_print_manager)]

# Fixed paths (/status, /alerts, /jobs, /unrouted-products) are declared before /{printer_id}.


@router.get("/", response_model=list[PrinterRead], responses=error_responses(*GUARD))
def list_printers(_: ManagerUser, db: DbSession, manager: PrintManagerDep) -> Any:
    """Every printer with its configuration and live status (manager)."""
    return service.printer_views(db, manager.runtime)


@router.post(
    "/",
    status_code=201,
    response_model=PrinterRead,
    responses=error_responses(*GUARD, service.PrinterNameTaken, service.UnknownBackupPrinter),
)
def create_printer(body: PrinterCreate, by: ManagerUser, db: DbSession, manager: PrintManagerDep) -> Any:
    """Add a printer; products and categories route items to it with `printer_zone_id`."""
    printer = service.create_printer(db, data=body, by=by)
    return service.printer_view(db, printer, manager.runtime)


@router.get("/status", response_model=list[PrinterStatusRead], responses=error_responses(*AUTH_ERRORS))
def printer_status(_: CurrentUser, db: DbSession, manager: PrintManagerDep) -> Any:
    """Each printer's live state and queue length (any staff)."""
    return service.status_views(db, manager.runtime)


@router.get("/unrouted-products", response_model=list[UnroutedProductRead], responses=error_responses(*GUARD))
def unrouted_products(_: ManagerUser, db: DbSession) -> Any:
    """Products whose items would print nowhere: no zone, an unknown printer, or one out of service (manager)."""
    return service.unrouted_products(db)


@router.get("/alerts", response_model=list[PrintAlertRead], responses=error_responses(*AUTH_ERRORS))
def list_alerts(
    user: CurrentUser,
    db: DbSession,
    include_cleared: Annotated[bool, Query(description="Also alerts whose cause is gone (history)")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> Any:
    """Printer alerts, newest first: a manager sees all, a waiter those of the tickets they sent."""
    return service.list_alerts(db, by=user, include_cleared=include_cleared, limit=limit)


@router.post(
    "/alerts/{alert_id}/ack",
    response_model=PrintAlertRead,
    responses=error_responses(*AUTH_ERRORS, service.PrintAlertNotFound),
)
def acknowledge_alert(alert_id: AlertId, user: CurrentUser, db: DbSession) -> Any:
    """Mark an alert as seen; it stays open until its job prints or the paper is back."""
    return service.acknowledge_alert(db, alert_id=alert_id, by=user)


@router.get(
    "/jobs",
    response_model=list[PrintJobRead],
    responses=error_responses(*AUTH_ERRORS, service.PrintJobsManagerOnly, *ORDER_ACCESS),
)
def list_jobs(
    user: CurrentUser,
    db: DbSession,
    order_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="One order's jobs (owner or manager)")] = None,
    status: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Page: jobs older than this id")] = None,
) -> Any:
    """The print log with every attempt: one order's jobs oldest first, or all jobs newest first (manager)."""
    jobs = service.list_jobs(db, by=user, order_id=order_id, status=status, limit=limit, before_id=before_id)
    return [service.job_view(job) for job in jobs]


@router.get(
    "/jobs/{job_id}",
    response_model=PrintJobRead,
    responses=error_responses(*AUTH_ERRORS, service.PrintJobNotFound, service.PrintJobsManagerOnly, *ORDER_ACCESS),
)
def get_job(job_id: JobId, user: CurrentUser, db: DbSession) -> Any:
    """One print job with its attempts: printer, time, duration, error; who printed it and when."""
    return service.job_view(service.get_job(db, job_id=job_id, by=user))


@router.post(
    "/jobs/{job_id}/reprint",
    status_code=201,
    response_model=PrintJobRead,
    responses=error_responses(
        *AUTH_ERRORS,
        service.PrintJobNotFound,
        service.PrintJobsManagerOnly,
        *ORDER_ACCESS,
        service.PrintJobCancelled,
        service.NoPrinterForJob,
        service.PrinterNotFound,
        service.PrinterInactive,
    ),
)
def reprint_job(job_id: JobId, user: CurrentUser, db: DbSession) -> Any:
    """Print a job again as a new job marked REPRINT (owner of its order or manager)."""
    return service.job_view(service.reprint_job(db, job_id=job_id, by=user))


@router.get("/{printer_id}", response_model=PrinterRead, responses=error_responses(*GUARD, service.PrinterNotFound))
def get_printer(printer_id: PrinterId, _: ManagerUser, db: DbSession, manager: PrintManagerDep) -> Any:
    """One printer with its live status (manager)."""
    return service.printer_view(db, service.get_printer(db, printer_id), manager.runtime)


@router.put(
    "/{printer_id}",
    response_model=PrinterRead,
    responses=error_responses(
        *GUARD,
        service.PrinterNotFound,
        service.PrinterNameTaken,
        service.UnknownBackupPrinter,
        service.BackupIsSelf,
    ),
)
def update_printer(
    printer_id: PrinterId, body: PrinterUpdate, by: ManagerUser, db: DbSession, manager: PrintManagerDep
) -> Any:
    """Change a printer; only the fields sent change."""
    printer = service.update_printer(db, printer_id=printer_id, data=body, by=by)
    return service.printer_view(db, printer, manager.runtime)


@router.delete(
    "/{printer_id}",
    status_code=204,
    responses=error_responses(*GUARD, service.PrinterNotFound, service.PrinterInUse),
)
def delete_printer(printer_id: PrinterId, by: ManagerUser, db: DbSession) -> None:
    """Delete a printer that no product, category, printer or queued job uses any more."""
    service.delete_printer(db, printer_id=printer_id, by=by)


@router.post(
    "/{printer_id}/test",
    status_code=201,
    response_model=PrintJobRead,
    responses=error_responses(*GUARD, service.PrinterNotFound, service.PrinterInactive),
)
def print_test_page(printer_id: PrinterId, by: ManagerUser, db: DbSession) -> Any:
    """Queue a test page: code page and slot, width ruler, Greek sample (manager)."""
    return service.job_view(service.queue_test_page(db, printer_id=printer_id, by=by))


@router.post(
    "/{printer_id}/bill",
    status_code=201,
    response_model=PrintJobRead,
    responses=error_responses(*AUTH_ERRORS, service.PrinterNotFound, service.PrinterInactive, *ORDER_ACCESS),
)
def print_bill(printer_id: PrinterId, body: BillPrint, user: CurrentUser, db: DbSession, settings: SettingsDep) -> Any:
    """Queue an order's bill (pre-check) or receipt on this printer, in any order state (owner or manager)."""
    job = service.queue_bill(
        db, printer_id=printer_id, order_id=body.order_id, kind=body.kind, by=user, settings=settings
    )
    return service.job_view(job)
