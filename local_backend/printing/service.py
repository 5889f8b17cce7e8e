"""Printing rules: printers (each one a zone), the durable queue, ticket snapshots, the print log and alerts.

Two sides share this module. The request side runs inside a request's transaction: printer CRUD, queueing kitchen
tickets (called by orders.add_items, one INSERT and no reads in steady state), voids, bills, reprints and reads.
The worker side (local_backend.printing.worker) runs its writes as members of the group commit
(`database.writer.run`): claiming a job, recording an attempt, failing over, raising and clearing alerts. No
function here touches the network, so nobody ever holds the writer while a printer is slow.

A job's `payload` is everything its ticket shows, snapshotted when it is queued; `render_job` turns it into bytes
for whichever printer prints it, at that moment.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol, cast

from PIL import Image
from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload

from local_backend import cache
from local_backend.audit import service as audit
from local_backend.db import after_commit, same_name
from local_backend.events import Audience, publish_after_commit
from local_backend.menu import service as menu
from local_backend.printing.escpos import code_page
from local_backend.printing.models import UNFINISHED_STATUSES, PrintAlert, PrintAttempt, Printer, PrintJob
from local_backend.printing.schemas import PrinterCreate, PrinterUpdate
from local_backend.printing.tickets import (
    Bill,
    BillDiscount,
    BillLine,
    BillPayment,
    BillTax,
    KitchenTicket,
    PrinterProfile,
    RenderedTicket,
    TicketItem,
    TicketMark,
    render_bill,
    render_kitchen_ticket,
    render_test_page,
    tax_name,
)
from local_backend.printing.upi_qr import BillQr
from local_backend.staff.models import User
from local_backend.tables import service as tables
from shared.clock import utcnow
from shared.errors import Conflict, Forbidden, NotFound, Unprocessable

if TYPE_CHECKING:
    from local_backend.config import Settings

log = logging.getLogger(__name__)

PRINT_JOBS = cast(SqlTable, PrintJob.__table__)
PRINT_ALERTS = cast(SqlTable, PrintAlert.__table__)
PRINT_ATTEMPTS = cast(SqlTable, PrintAttempt.__table__)
PRINTER_TABLES = frozenset({"printers"})
TABLE_TABLES = frozenset({"tables"})
ITEM_TICKETS = ("kitchen", "void")


class PrinterNotFound(NotFound):
    code = "PRINTER_NOT_FOUND"
    default_detail = "No such printer"


class PrinterNameTaken(Conflict):
    code = "PRINTER_NAME_TAKEN"
    default_detail = "A printer with that name already exists"


class PrinterInUse(Conflict):
    code = "PRINTER_IN_USE"
    default_detail = "Products, categories, printers or queued jobs still use this printer"


class PrinterInactive(Conflict):
    code = "PRINTER_INACTIVE"
    default_detail = "This printer is not in service"


class UnknownBackupPrinter(Unprocessable):
    code = "UNKNOWN_BACKUP_PRINTER"
    default_detail = "No such backup printer"


class BackupIsSelf(Unprocessable):
    code = "BACKUP_IS_SELF"
    default_detail = "A printer cannot be its own backup"


class PrintJobNotFound(NotFound):
    code = "PRINT_JOB_NOT_FOUND"
    default_detail = "No such print job"


class PrintJobCancelled(Conflict):
    code = "PRINT_JOB_CANCELLED"
    default_detail = "This job was cancelled: nothing is left to print"


class NoPrinterForJob(Conflict):
    code = "NO_PRINTER_FOR_JOB"
    default_detail = "The printer of this job no longer exists"


class PrintAlertNotFound(NotFound):
    code = "PRINT_ALERT_NOT_FOUND"
    default_detail = "No such alert"


class PrintJobsManagerOnly(Forbidden):
    code = "MANAGER_REQUIRED"
    default_detail = "Only a manager may see print jobs that belong to no order of theirs"


# ---------------------------------------------------------------------------------------------------------------
# Waking the workers: the print manager of each database registers here; a commit that queued jobs wakes their
# printers' workers at once instead of leaving them to a polling interval. Keyed by the database URL, like the
# caches, because a service function only holds a session.


class PrintNotifier(Protocol):
    def wake(self, printer_ids: Iterable[int]) -> None: ...

    def printers_changed(self) -> None: ...


_notifiers: dict[str, PrintNotifier] = {}


def register_notifier(database_url: str, notifier: PrintNotifier) -> None:
    _notifiers[database_url] = notifier


def unregister_notifier(database_url: str, notifier: PrintNotifier) -> None:
    if _notifiers.get(database_url) is notifier:
        del _notifiers[database_url]


def _database_key(db: Session) -> str:
    return str(db.get_bind().engine.url)


def _wake_after_commit(db: Session, printer_ids: Iterable[int]) -> None:
    ids = frozenset(printer_ids)
    key = _database_key(db)

    def wake() -> None:
        notifier = _notifiers.get(key)
        if notifier is not None:
            notifier.wake(ids)

    after_commit(db, wake)


def _job_changed(db: Session, *, job_id: int, order_id: int | None, printer_id: int | None, status: str) -> None:
    """A job's status, or the printer printing it, changed: managers' print logs and queue lengths follow."""
    # `printer_id` is the printer that prints the job (its zone's, or the backup after a failover). Published after
    # commit and only an in-memory append: the print path never waits for anyone's socket.
    publish_after_commit(
        db,
        "printer.job_changed",
        {"job_id": job_id, "order_id": order_id, "printer_id": printer_id, "status": status},
        Audience.waiters([]),
    )


def _printers_changed_after_commit(db: Session) -> None:
    key = _database_key(db)

    def changed() -> None:
        notifier = _notifiers.get(key)
        if notifier is not None:
            notifier.printers_changed()

    after_commit(db, changed)


# ---------------------------------------------------------------------------------------------------------------
# Printer snapshots


@dataclass(frozen=True, slots=True)
class PrinterInfo:
    """A printer's configuration, frozen so caches and worker threads can share it."""

    id: int
    name: str
    ip_address: str
    port: int
    code_page: str
    code_page_slot: int
    columns: int
    backup_printer_id: int | None
    is_active: bool
    failover_seconds: int
    kds_warn_minutes: int = 5
    kds_late_minutes: int = 10

    @property
    def profile(self) -> PrinterProfile:
        # Font A is 12 dots wide: 48 columns are 80 mm paper (576 dots), 32 columns 58 mm (384), so a logo or QR
        # sized to the dots fits the paper; more columns mean a narrower font on at most 576 dots.
        dots = min(576, self.columns * 12)
        return PrinterProfile(code_page=self.code_page, slot=self.code_page_slot, columns=self.columns, dots=dots)


def _info(printer: Printer) -> PrinterInfo:
    return PrinterInfo(
        id=printer.id,
        name=printer.name,
        ip_address=printer.ip_address,
        port=printer.port,
        code_page=printer.code_page,
        code_page_slot=printer.code_page_slot,
        columns=printer.columns,
        backup_printer_id=printer.backup_printer_id,
        is_active=printer.is_active,
        failover_seconds=printer.failover_seconds,
        kds_warn_minutes=printer.kds_warn_minutes,
        kds_late_minutes=printer.kds_late_minutes,
    )


def load_printers(db: Session) -> dict[int, PrinterInfo]:
    return {p.id: _info(p) for p in db.scalars(select(Printer).order_by(Printer.id)).all()}


def printers_snapshot(db: Session) -> dict[int, PrinterInfo]:
    """Every printer, from the cache until the printers table changes (the add-items hot path reads this)."""
    printers: dict[int, PrinterInfo] = cache.cached(db, "printing.printers", PRINTER_TABLES, lambda: load_printers(db))
    return printers


def _route(printers: Mapping[int, PrinterInfo], printer: PrinterInfo) -> tuple[int, bool]:
    """Where a job for `printer`'s zone goes: the printer itself, or its active backup while it is out of service."""
    if printer.is_active:
        return printer.id, False
    backup = printers.get(printer.backup_printer_id) if printer.backup_printer_id is not None else None
    if backup is not None and backup.is_active:
        return backup.id, True
    return printer.id, False  # waits for the printer to be put back in service


@dataclass(frozen=True, slots=True)
class PrinterRuntime:
    """What the appliance last saw of a printer; kept in memory by its worker (replaced whole, never mutated)."""

    online: bool | None = None
    paper_out: bool | None = None
    paper_near_end: bool | None = None
    last_error: str | None = None
    last_success_at: datetime | None = None
    last_checked_at: datetime | None = None

    def state(self, is_active: bool) -> str:
        if not is_active:
            return "inactive"
        if self.paper_out:
            return "paper_out"
        if self.online is None:
            return "unknown"
        return "online" if self.online else "offline"


# ---------------------------------------------------------------------------------------------------------------
# Printers: CRUD and views


def list_printers(db: Session) -> Sequence[Printer]:
    return db.scalars(select(Printer).order_by(Printer.name, Printer.id)).all()


def get_printer(db: Session, printer_id: int) -> Printer:
    printer = db.get(Printer, printer_id)
    if printer is None:
        raise PrinterNotFound()
    return printer


def queue_lengths(db: Session) -> dict[int, int]:
    """Unfinished jobs per printer that will print them."""
    stmt = (
        select(PrintJob.target_printer_id, func.count(PrintJob.id))
        .where(PrintJob.status.in_(UNFINISHED_STATUSES), PrintJob.target_printer_id.is_not(None))
        .group_by(PrintJob.target_printer_id)
    )
    return {pid: int(n) for pid, n in db.execute(stmt).all() if pid is not None}


def _status_view(printer: Printer, runtime: PrinterRuntime | None, queue_length: int) -> dict[str, Any]:
    seen = runtime or PrinterRuntime()
    return {
        "printer_id": printer.id,
        "name": printer.name,
        "is_active": printer.is_active,
        "state": seen.state(printer.is_active),
        "online": seen.online,
        "paper_out": seen.paper_out,
        "paper_near_end": seen.paper_near_end,
        "queue_length": queue_length,
        "last_error": seen.last_error,
        "last_success_at": seen.last_success_at,
        "last_checked_at": seen.last_checked_at,
    }


def _printer_view(printer: Printer, runtime: PrinterRuntime | None, queue_length: int) -> dict[str, Any]:
    return {
        "id": printer.id,
        "name": printer.name,
        "ip_address": printer.ip_address,
        "port": printer.port,
        "code_page": printer.code_page,
        "code_page_slot": printer.code_page_slot,
        "columns": printer.columns,
        "backup_printer_id": printer.backup_printer_id,
        "is_active": printer.is_active,
        "failover_seconds": printer.failover_seconds,
        "kds_warn_minutes": printer.kds_warn_minutes,
        "kds_late_minutes": printer.kds_late_minutes,
        "created_at": printer.created_at,
        "updated_at": printer.updated_at,
        "status": _status_view(printer, runtime, queue_length),
    }


def printer_views(db: Session, runtime: Mapping[int, PrinterRuntime]) -> list[dict[str, Any]]:
    """Every printer with its configuration and live status, in two queries."""
    queues = queue_lengths(db)
    return [_printer_view(p, runtime.get(p.id), queues.get(p.id, 0)) for p in list_printers(db)]


def printer_view(db: Session, printer: Printer, runtime: Mapping[int, PrinterRuntime]) -> dict[str, Any]:
    return _printer_view(printer, runtime.get(printer.id), queue_lengths(db).get(printer.id, 0))


def status_views(db: Session, runtime: Mapping[int, PrinterRuntime]) -> list[dict[str, Any]]:
    """Each printer's live status and queue length (any staff: phones show printer trouble)."""
    queues = queue_lengths(db)
    return [_status_view(p, runtime.get(p.id), queues.get(p.id, 0)) for p in list_printers(db)]


def _ensure_name_free(db: Session, name: str, *, except_id: int | None = None) -> None:
    stmt = select(Printer.id).where(same_name(Printer.name, name))
    if except_id is not None:
        stmt = stmt.where(Printer.id != except_id)
    if db.scalar(stmt.limit(1)) is not None:
        raise PrinterNameTaken(f"A printer named {name!r} already exists")


def _ensure_backup(db: Session, backup_id: int | None, *, printer_id: int | None = None) -> None:
    if backup_id is None:
        return
    if backup_id == printer_id:
        raise BackupIsSelf()
    if db.get(Printer, backup_id) is None:
        raise UnknownBackupPrinter(f"No printer with id {backup_id}")


def create_printer(db: Session, *, data: PrinterCreate, by: User) -> Printer:
    """Add a printer (a zone products can be routed to); its worker starts once this commits."""
    _ensure_name_free(db, data.name)
    _ensure_backup(db, data.backup_printer_id)
    fields = data.model_dump()
    if fields["code_page_slot"] is None:
        fields["code_page_slot"] = code_page(data.code_page).slot
    printer = Printer(**fields)
    db.add(printer)
    db.flush()
    audit.record(
        db,
        action="printing.printer_created",
        entity_type="printer",
        entity_id=printer.id,
        actor=by,
        data=dict(fields),
    )
    _printers_changed_after_commit(db)
    return printer


def update_printer(db: Session, *, printer_id: int, data: PrinterUpdate, by: User) -> Printer:
    """Change a printer; only the fields sent change (see PrinterUpdate)."""
    printer = get_printer(db, printer_id)
    fields = data.model_dump(exclude_unset=True)
    if "name" in fields:
        _ensure_name_free(db, fields["name"], except_id=printer.id)
    if fields.get("backup_printer_id") is not None:
        _ensure_backup(db, fields["backup_printer_id"], printer_id=printer.id)
    page = fields.get("code_page", printer.code_page)
    if ("code_page_slot" in fields and fields["code_page_slot"] is None) or (
        "code_page_slot" not in fields and page != printer.code_page
    ):
        fields["code_page_slot"] = code_page(page).slot
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(printer, name)
        if old != value:
            setattr(printer, name, value)
            changes[name] = [old, value]
    if changes:
        db.flush()
        audit.record(
            db,
            action="printing.printer_updated",
            entity_type="printer",
            entity_id=printer.id,
            actor=by,
            data={"name": printer.name, "changes": changes},
        )
        _printers_changed_after_commit(db)
    return printer


def _usage(db: Session, printer_id: int) -> list[str]:
    uses: list[str] = []
    products = [p.name for p in menu.list_products(db, include_unavailable=True) if p.printer_zone_id == printer_id]
    if products:
        uses.append(f"products {', '.join(products[:5])}{' …' if len(products) > 5 else ''}")
    categories = [c.name for c in menu.list_categories(db, include_inactive=True) if c.printer_zone_id == printer_id]
    if categories:
        uses.append(f"categories {', '.join(categories[:5])}{' …' if len(categories) > 5 else ''}")
    backup_for = db.scalars(select(Printer.name).where(Printer.backup_printer_id == printer_id)).all()
    if backup_for:
        uses.append(f"the printers it backs up ({', '.join(backup_for)})")
    queued = db.scalar(
        select(func.count(PrintJob.id)).where(
            or_(PrintJob.printer_id == printer_id, PrintJob.target_printer_id == printer_id),
            PrintJob.status.in_(UNFINISHED_STATUSES),
        )
    )
    if queued:
        uses.append(f"{queued} job(s) still queued")
    return uses


def delete_printer(db: Session, *, printer_id: int, by: User) -> None:
    """Delete a printer nothing routes to any more; its past jobs keep their history (zone name, attempts)."""
    printer = get_printer(db, printer_id)
    uses = _usage(db, printer.id)
    if uses:
        raise PrinterInUse(f"{printer.name} is still used by {'; '.join(uses)}")
    name = printer.name
    db.delete(printer)
    db.flush()
    audit.record(
        db,
        action="printing.printer_deleted",
        entity_type="printer",
        entity_id=printer_id,
        actor=by,
        data={"name": name},
    )
    _printers_changed_after_commit(db)


def unrouted_products(db: Session) -> list[dict[str, Any]]:
    """Products (not archived) whose items print nowhere: no zone, a zone that is no printer, or a printer out of
    service without an active backup."""
    printers = load_printers(db)
    categories = {c.id: c for c in menu.list_categories(db, include_inactive=True)}
    out = []
    for product in menu.list_products(db, include_unavailable=True):
        category = categories.get(product.category_id)
        zone = product.printer_zone_id
        if zone is None and category is not None:
            zone = category.printer_zone_id
        reason: str | None = None
        if zone is None:
            reason = "no_zone"
        elif zone not in printers:
            reason = "unknown_printer"
        elif not printers[zone].is_active and not printers[_route(printers, printers[zone])[0]].is_active:
            reason = "inactive_printer"
        if reason is not None:
            out.append(
                {
                    "id": product.id,
                    "name": product.name,
                    "category_id": product.category_id,
                    "category_name": category.name if category is not None else "",
                    "printer_zone_id": zone,
                    "reason": reason,
                }
            )
    return out


# ---------------------------------------------------------------------------------------------------------------
# Queueing tickets (request side)


def table_label(db: Session, table_id: int) -> str:
    """A table's label, cached until the tables change (ticket headers on the add-items hot path)."""
    return _table_label(db, table_id)


def _table_label(db: Session, table_id: int) -> str:
    def load() -> str:
        return tables.table_labels(db, [table_id]).get(table_id, str(table_id))

    label: str = cache.cached(db, f"printing.table_label.{table_id}", TABLE_TABLES, load)
    return label


def _item_entry(item: Any) -> dict[str, Any]:
    """What a ticket shows of one order item (an ORM object or an INSERT ... RETURNING row)."""
    return {
        "item_id": item.id,
        "quantity": item.quantity,
        "name": item.product_name,
        "options": [o["name"] for o in item.selected_options],
        "removed": [i["name"] for i in item.removed_ingredients],
        "choices": [f"{c['set_name']}: {c['name']}" for c in item.choices],
        "note": item.note,
        "seat": item.seat,
        "course": item.course,
        # Only on guests' items (QR ordering): the ticket then says GUEST ORDER and who asked for what.
        **({"guest": item.guest_nickname} if getattr(item, "guest_nickname", None) else {}),
    }


def _job_row(
    *,
    kind: str,
    printer_id: int,
    target_id: int,
    on_backup: bool,
    order_id: int | None,
    by: User,
    payload: dict[str, Any],
    now: datetime,
    reprint: bool = False,
    reprint_of_id: int | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "status": "pending",
        "printer_id": printer_id,
        "target_printer_id": target_id,
        "on_backup": on_backup,
        "reprint": reprint,
        "reprint_of_id": reprint_of_id,
        "order_id": order_id,
        "created_by_id": by.id,
        "payload": payload,
        "created_at": now,
        "updated_at": now,
        "attempt_count": 0,
        "replaced": [],
    }


def _queue_item_tickets(
    db: Session,
    *,
    kind: str,
    mark: TicketMark,
    order_id: int,
    table_id: int,
    round_no: int | None,
    by_zone: Mapping[int, Sequence[Any]],
    by: User,
) -> None:
    printers = printers_snapshot(db)
    now = utcnow()
    label = _table_label(db, table_id)
    rows = []
    for zone_id, zone_items in sorted(by_zone.items()):
        printer = printers.get(zone_id)
        if printer is None:
            # The menu may point at a zone no printer has (yet): the manager dashboard lists these products.
            log.warning(
                "order %s: %d item(s) routed to printer %s, which does not exist", order_id, len(zone_items), zone_id
            )
            continue
        target, on_backup = _route(printers, printer)
        payload = {
            "zone_name": printer.name,
            "table_label": label,
            "waiter_name": by.display_name,
            "order_id": order_id,
            "round": round_no,
            "mark": mark.value,
            "created_at": now.isoformat(),
            "items": [_item_entry(item) for item in zone_items],
        }
        rows.append(
            _job_row(
                kind=kind,
                printer_id=printer.id,
                target_id=target,
                on_backup=on_backup,
                order_id=order_id,
                by=by,
                payload=payload,
                now=now,
            )
        )
    if rows:
        # One statement for every zone's ticket, in the items' own transaction: they commit (and survive a
        # crash) together, and no ticket exists for items that were never committed.
        # No printer.job_changed here: RETURNING the new ids made this add-items statement about 40 % slower
        # (measured), and the order event of the same commit (items added, course fired, item cancelled) already
        # tells the managers' print log to look again. Every later status change of these jobs is announced.
        db.execute(insert(PRINT_JOBS), rows)
        _wake_after_commit(db, {row["target_printer_id"] for row in rows})


def _by_zone(items: Iterable[Any]) -> dict[int, list[Any]]:
    """Items by the zone (printer) they print in; items without one print nowhere."""
    by_zone: dict[int, list[Any]] = {}
    for item in items:
        if item.printer_zone_id is not None:
            by_zone.setdefault(item.printer_zone_id, []).append(item)
    return by_zone


def enqueue_kitchen_tickets(
    db: Session, *, order_id: int, table_id: int, round_no: int, items: Sequence[Any], by: User
) -> None:
    """Queue one ticket per zone for a round of new items (NEW for the first round, ADDED after); items without a
    zone print nowhere. Runs in the caller's transaction: one INSERT, no reads while the caches are warm."""
    by_zone = _by_zone(items)
    if by_zone:
        mark = TicketMark.NEW if round_no == 1 else TicketMark.ADDED
        _queue_item_tickets(
            db,
            kind="kitchen",
            mark=mark,
            order_id=order_id,
            table_id=table_id,
            round_no=round_no,
            by_zone=by_zone,
            by=by,
        )


def enqueue_fired_items(db: Session, *, order_id: int, table_id: int, items: Sequence[Any], by: User) -> None:
    """Queue a FIRE ticket per zone for the items of a course the waiter just released."""
    by_zone = _by_zone(items)
    if by_zone:
        _queue_item_tickets(
            db,
            kind="kitchen",
            mark=TicketMark.FIRE,
            order_id=order_id,
            table_id=table_id,
            round_no=None,
            by_zone=by_zone,
            by=by,
        )


def void_items(db: Session, *, order_id: int, table_id: int, items: Sequence[Any], by: User) -> None:
    """Tell the kitchen that items were cancelled: items still waiting in the queue are taken off their ticket
    (a ticket left empty is cancelled); items on paper, or on a ticket being printed now, get a VOID ticket."""
    zoned = [item for item in items if item.printer_zone_id is not None]
    if not zoned:
        return
    ids = {item.id for item in zoned}
    in_flight: set[int] = set()
    unfinished = db.scalars(
        select(PrintJob).where(
            PrintJob.order_id == order_id, PrintJob.kind == "kitchen", PrintJob.status.in_(UNFINISHED_STATUSES)
        )
    ).all()
    emptied: list[int] = []
    for job in unfinished:
        entries = list(job.payload.get("items", []))
        hit = [e for e in entries if e.get("item_id") in ids]
        if not hit:
            continue
        if job.status == "printing":
            in_flight.update(e["item_id"] for e in hit)
            continue
        keep = [e for e in entries if e.get("item_id") not in ids]
        job.payload = {**job.payload, "items": keep}
        if not keep:
            job.status = "cancelled"
            emptied.append(job.id)
            _job_changed(db, job_id=job.id, order_id=order_id, printer_id=job.target_printer_id, status="cancelled")
    if emptied:
        _clear_job_alerts(db, emptied, utcnow())
    by_zone = _by_zone(item for item in zoned if item.printed or item.id in in_flight)
    if by_zone:
        _queue_item_tickets(
            db,
            kind="void",
            mark=TicketMark.VOID,
            order_id=order_id,
            table_id=table_id,
            round_no=None,
            by_zone=by_zone,
            by=by,
        )


def _new_job(db: Session, row: dict[str, Any]) -> PrintJob:
    job = PrintJob(**row)
    job.attempts = []
    db.add(job)
    db.flush()
    _job_changed(db, job_id=job.id, order_id=job.order_id, printer_id=job.target_printer_id, status=job.status)
    _wake_after_commit(db, [row["target_printer_id"]])
    return job


def _usable(db: Session, printer_id: int) -> PrinterInfo:
    printer = _info(get_printer(db, printer_id))
    if not printer.is_active:
        raise PrinterInactive(f"{printer.name} is not in service")
    return printer


def queue_test_page(db: Session, *, printer_id: int, by: User) -> PrintJob:
    """Queue a test page (code page, width ruler, Greek sample) on one printer; it never goes to a backup."""
    printer = _usable(db, printer_id)
    job = _new_job(
        db,
        _job_row(
            kind="test",
            printer_id=printer.id,
            target_id=printer.id,
            on_backup=False,
            order_id=None,
            by=by,
            payload={"printer_name": printer.name},
            now=utcnow(),
        ),
    )
    audit.record(
        db,
        action="printing.test_page",
        entity_type="print_job",
        entity_id=job.id,
        actor=by,
        data={"printer": printer.name},
    )
    return job


def _bill_details(item: Any) -> list[str]:
    details = [f"+ {o['name']}" for o in item.selected_options]
    details += [f"NO {i['name']}" for i in item.removed_ingredients]
    details += [f"{c['set_name']}: {c['name']}" for c in item.choices]
    return details


def _open_upi_qrs(db: Session, order_id: int) -> list[dict[str, Any]]:
    """The order's open UPI QRs, so the guest can scan the printed bill."""
    from local_backend.upi import service as upi

    return [{"data": qr.data, "amount": qr.amount, "split_part": qr.split_part} for qr in upi.open_qrs(db, order_id)]


def _bill_discounts(detail: Any) -> list[dict[str, Any]]:
    """One row per discount given, or a single total when caps (a voided or moved line) changed what they took."""
    names = {item.id: item.product_name for item in detail.items}
    active = [d for d in detail.discounts if d.removed_at is None]
    if sum(d.amount for d in active) != detail.totals.discounts:
        return [{"name": "Discount", "amount": detail.totals.discounts}] if detail.totals.discounts else []
    rows = []
    for d in active:
        label = "Comp" if d.kind == "comp" else "Discount" + (f" {d.value / 100:g}%" if d.kind == "percent" else "")
        rows.append({"name": f"{label} {names.get(d.item_id, '')}".strip(), "amount": d.amount})
    return rows


def queue_bill(db: Session, *, printer_id: int, order_id: int, kind: str, by: User, settings: Settings) -> PrintJob:
    """Queue a bill (pre-check) or a receipt of an order, in any state, on a chosen printer (owner or manager).

    The restaurant's name, currency and footer come from the site settings; the totals from the order's ledger.
    """
    from local_backend.orders import service as orders
    from local_backend.settings import logo
    from local_backend.settings import service as site

    printer = _usable(db, printer_id)
    detail = orders.get_order_detail(db, order_id=order_id, by=by)
    cfg = site.current(db)
    totals = detail.totals
    now = utcnow()
    live = [item for item in detail.items if item.status != "cancelled"]
    payload = {
        "restaurant_name": cfg.restaurant_name,
        "footer": cfg.receipt_footer,
        "logo_path": logo.printable_path(cfg.logo_path, settings),
        "table_label": detail.table_label,
        "waiter_name": detail.waiter_name,
        "order_id": detail.id,
        "created_at": now.isoformat(),
        "currency": cfg.currency,
        "lines": [
            {
                "name": item.product_name,
                "quantity": item.quantity,
                "unit_price": item.unit_price,
                "total": item.line_total,
                "details": _bill_details(item),
            }
            for item in live
        ],
        "subtotal": totals.subtotal,
        "discounts": _bill_discounts(detail),
        "service_charge": totals.service_charge,
        "taxes": [
            {"rate_bp": t.rate_bp, "base": t.base, "tax": t.tax, "inclusive": totals.tax_mode == "inclusive"}
            for t in totals.taxes
        ],
        "total": detail.total,
        "due": detail.due,
        "payments": [{"method": p.method.capitalize(), "amount": p.amount, "tip": p.tip} for p in detail.payments],
        "change": sum(p.change_due for p in detail.payments),
    }
    if kind == "bill":
        payload["upi_qrs"] = _open_upi_qrs(db, detail.id)
    job = _new_job(
        db,
        _job_row(
            kind=kind,
            printer_id=printer.id,
            target_id=printer.id,
            on_backup=False,
            order_id=detail.id,
            by=by,
            payload=payload,
            now=now,
        ),
    )
    audit.record(
        db,
        action=f"printing.{kind}",
        entity_type="print_job",
        entity_id=job.id,
        actor=by,
        order_id=detail.id,
        data={"printer": printer.name, "total": detail.total, "due": detail.due},
    )
    return job


# ---------------------------------------------------------------------------------------------------------------
# Jobs: the print log, reprints


def _load_job(db: Session, job_id: int) -> PrintJob:
    job = db.scalars(select(PrintJob).where(PrintJob.id == job_id).options(selectinload(PrintJob.attempts))).first()
    if job is None:
        raise PrintJobNotFound()
    return job


def _ensure_can_see(db: Session, job: PrintJob, user: User) -> None:
    """Managers see every job; others the jobs of orders they may act on."""
    if user.is_manager:
        return
    if job.order_id is None:
        raise PrintJobsManagerOnly()
    from local_backend.orders import service as orders

    orders.get_order_detail(db, order_id=job.order_id, by=user)  # raises NotOrderOwner


def job_view(job: PrintJob) -> dict[str, Any]:
    payload = job.payload or {}
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "mark": payload.get("mark"),
        "reprint": job.reprint,
        "on_backup": job.on_backup,
        "printer_id": job.printer_id,
        "zone_name": payload.get("zone_name") or payload.get("printer_name"),
        "target_printer_id": job.target_printer_id,
        "printed_by_printer_id": job.printed_by_printer_id,
        "reprint_of_id": job.reprint_of_id,
        "order_id": job.order_id,
        "created_by_id": job.created_by_id,
        "item_ids": [e["item_id"] for e in payload.get("items", []) if "item_id" in e],
        "created_at": job.created_at,
        "attempt_count": job.attempt_count,
        "last_error": job.last_error,
        "printed_at": job.printed_at,
        "replaced": list(job.replaced or []),
        "attempts": list(job.attempts),
    }


def get_job(db: Session, *, job_id: int, by: User) -> PrintJob:
    job = _load_job(db, job_id)
    _ensure_can_see(db, job, by)
    return job


def list_jobs(
    db: Session,
    *,
    by: User,
    order_id: int | None = None,
    status: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> Sequence[PrintJob]:
    """One order's jobs oldest first (owner or manager), or every job newest first (manager)."""
    stmt = select(PrintJob).options(selectinload(PrintJob.attempts))
    if order_id is not None:
        from local_backend.orders import service as orders

        orders.get_order_detail(db, order_id=order_id, by=by)  # the order exists and the caller may see it
        stmt = stmt.where(PrintJob.order_id == order_id).order_by(PrintJob.id)
    else:
        if not by.is_manager:
            raise PrintJobsManagerOnly("Only a manager may list every print job; ask for one order's")
        stmt = stmt.order_by(PrintJob.id.desc())
    if status is not None:
        stmt = stmt.where(PrintJob.status == status)
    if before_id is not None:
        stmt = stmt.where(PrintJob.id < before_id)
    return db.scalars(stmt.limit(limit)).all()


def reprint_job(db: Session, *, job_id: int, by: User) -> PrintJob:
    """Queue a copy of a job marked REPRINT, for its zone (or the printer that printed it if the zone is gone)."""
    job = _load_job(db, job_id)
    _ensure_can_see(db, job, by)
    if job.status == "cancelled":
        raise PrintJobCancelled()
    printers = printers_snapshot(db)
    zone = printers.get(job.printer_id) if job.printer_id is not None else None
    if zone is None and job.printed_by_printer_id is not None:
        zone = printers.get(job.printed_by_printer_id)
    if zone is None:
        raise NoPrinterForJob()
    if job.kind == "test":
        target, on_backup = _usable(db, zone.id).id, False
    else:
        target, on_backup = _route(printers, zone)
    copy = _new_job(
        db,
        _job_row(
            kind=job.kind,
            printer_id=zone.id,
            target_id=target,
            on_backup=on_backup,
            order_id=job.order_id,
            by=by,
            payload=dict(job.payload),
            now=utcnow(),
            reprint=True,
            reprint_of_id=job.id,
        ),
    )
    audit.record(
        db,
        action="printing.reprint",
        entity_type="print_job",
        entity_id=copy.id,
        actor=by,
        order_id=job.order_id,
        data={"reprint_of": job.id, "kind": job.kind, "printer": zone.name},
    )
    return copy


# ---------------------------------------------------------------------------------------------------------------
# Alerts (request side). Live push comes with the event bus: PrintManager.add_alert_listener is the hook.


def list_alerts(db: Session, *, by: User, include_cleared: bool = False, limit: int = 200) -> Sequence[PrintAlert]:
    """Newest first; a manager sees every alert, anyone else the alerts of the jobs they sent."""
    stmt = select(PrintAlert).order_by(PrintAlert.id.desc()).limit(limit)
    if not include_cleared:
        stmt = stmt.where(PrintAlert.cleared_at.is_(None))
    if not by.is_manager:
        stmt = stmt.where(PrintAlert.sent_by_id == by.id)
    return db.scalars(stmt).all()


def acknowledge_alert(db: Session, *, alert_id: int, by: User) -> PrintAlert:
    """Record that someone saw an alert; it stays until its cause is gone (acknowledging twice changes nothing)."""
    alert = db.get(PrintAlert, alert_id)
    if alert is None or not (by.is_manager or alert.sent_by_id == by.id):
        raise PrintAlertNotFound()
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by_id = by.id
        db.flush()
        audit.record(
            db,
            action="printing.alert_acknowledged",
            entity_type="print_alert",
            entity_id=alert.id,
            actor=by,
            order_id=alert.order_id,
            data={"kind": alert.kind, "printer": alert.printer_name},
        )
    return alert


# ---------------------------------------------------------------------------------------------------------------
# Rendering: a job's payload as bytes for the printer that prints it


@functools.lru_cache(maxsize=4)
def _load_logo(path: str, mtime_ns: int) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return image.copy()


def _logo(path: str | None) -> Image.Image | None:
    """The logo file a job names (the uploaded logo or RECEIPT_LOGO_PATH), or None; a missing or broken file never
    stops a bill."""
    if not path:
        return None
    try:
        return _load_logo(path, os.stat(path).st_mtime_ns)
    except (OSError, ValueError):
        log.warning("receipt logo %s cannot be read; printing without it", path)
        return None


logo_image = _logo


def render_job(
    kind: str,
    payload: Mapping[str, Any],
    printer: PrinterInfo,
    *,
    reprint: bool,
    backup_of: str | None,
    tz: tzinfo,
    now: datetime,
) -> RenderedTicket:
    profile = printer.profile
    if kind in ITEM_TICKETS:
        entries = payload["items"]
        # Every item is in course 1 unless the waiter said otherwise: a lone "Course 1" header would only be noise.
        single_course = all(e.get("course") in (None, 1) for e in entries)
        ticket = KitchenTicket(
            zone_name=payload["zone_name"],
            table_label=payload["table_label"],
            waiter_name=payload["waiter_name"],
            order_id=payload["order_id"],
            created_at=datetime.fromisoformat(payload["created_at"]),
            mark=TicketMark(payload["mark"]),
            items=[
                TicketItem(
                    quantity=e["quantity"],
                    name=e["name"],
                    options=e.get("options", ()),
                    removed=e.get("removed", ()),
                    choices=e.get("choices", ()),
                    note=e.get("note"),
                    seat=e.get("seat"),
                    course=None if single_course else e.get("course"),
                    guest=e.get("guest"),
                )
                for e in entries
            ],
            guest=any(e.get("guest") for e in entries),
            backup_of=backup_of,
            reprint=reprint,
        )
        return render_kitchen_ticket(ticket, profile=profile, tz=tz)
    if kind in ("bill", "receipt"):
        bill = Bill(
            restaurant_name=payload["restaurant_name"],
            table_label=payload["table_label"],
            waiter_name=payload["waiter_name"],
            order_id=payload["order_id"],
            lines=[
                BillLine(
                    name=line["name"],
                    quantity=line["quantity"],
                    unit_price=line["unit_price"],
                    total=line["total"],
                    details=line.get("details", ()),
                )
                for line in payload["lines"]
            ],
            subtotal=payload["subtotal"],
            total=payload["total"],
            due=payload["due"],
            created_at=datetime.fromisoformat(payload["created_at"]),
            currency=payload.get("currency", "EUR"),
            is_receipt=kind == "receipt",
            payments=[BillPayment(method=p["method"], amount=p["amount"], tip=p["tip"]) for p in payload["payments"]],
            discounts=[BillDiscount(d["name"], d["amount"]) for d in payload.get("discounts", ())],
            service_charge=payload.get("service_charge"),
            taxes=[
                BillTax(tax_name(t["rate_bp"], inclusive=t["inclusive"]), t["tax"]) for t in payload.get("taxes", ())
            ],
            change=payload.get("change", 0),
            footer=payload.get("footer", ""),
            reprint=reprint,
            upi_qrs=[BillQr(**qr) for qr in payload.get("upi_qrs", ())],
        )
        return render_bill(replace(bill, logo=_logo(payload.get("logo_path"))), profile=profile, tz=tz)
    if kind == "test":
        return render_test_page(payload.get("printer_name", printer.name), profile=profile, tz=tz, now=now)
    if kind == "report":
        from local_backend.printing.reports import render_report_job

        return render_report_job(payload, printer, reprint=reprint)
    raise ValueError(f"unknown print job kind {kind!r}")


# ---------------------------------------------------------------------------------------------------------------
# Worker side: each function is one write of the group commit (or one read), never around network I/O.


@dataclass(frozen=True, slots=True)
class QueuedJob:
    id: int
    kind: str


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict[str, Any]
    reprint: bool
    on_backup: bool
    zone_name: str | None
    order_id: int | None = None

    @property
    def item_ids(self) -> list[int]:
        return [e["item_id"] for e in self.payload.get("items", []) if "item_id" in e]


def next_jobs(db: Session, printer_id: int, limit: int) -> list[QueuedJob]:
    """The oldest unfinished jobs of a printer, in order: each printer prints its jobs in the order they came."""
    rows = db.execute(
        select(PrintJob.id, PrintJob.kind)
        .where(PrintJob.target_printer_id == printer_id, PrintJob.status.in_(UNFINISHED_STATUSES))
        .order_by(PrintJob.id)
        .limit(limit)
    ).all()
    return [QueuedJob(id=int(row[0]), kind=str(row[1])) for row in rows]


def claim_jobs(db: Session, job_ids: Sequence[int], printer_id: int) -> list[ClaimedJob]:
    """Mark jobs as being printed, durably, just before their bytes go out; those no longer this printer's (voided,
    moved) are left out. The payloads are read here, after every earlier write committed, so an item voided a
    moment ago is not printed. A job found already `printing` was cut off mid-send: it prints again as REPRINT.
    One UPDATE ... RETURNING, however many jobs."""
    jobs = PRINT_JOBS.c
    rows = db.execute(
        update(PRINT_JOBS)
        .where(jobs.id.in_(job_ids), jobs.target_printer_id == printer_id, jobs.status.in_(UNFINISHED_STATUSES))
        .values(status="printing", reprint=or_(jobs.reprint, jobs.status == "printing"), updated_at=utcnow())
        .returning(jobs.id, jobs.kind, jobs.payload, jobs.reprint, jobs.on_backup, jobs.order_id)
    ).all()
    claimed = []
    for job_id, kind, payload, reprint, on_backup, order_id in sorted(rows, key=lambda row: int(row[0])):
        payload = dict(payload or {})
        claimed.append(
            ClaimedJob(
                id=int(job_id),
                kind=str(kind),
                payload=payload,
                reprint=bool(reprint),
                on_backup=bool(on_backup),
                zone_name=payload.get("zone_name"),
                order_id=order_id,
            )
        )
        _job_changed(db, job_id=int(job_id), order_id=order_id, printer_id=printer_id, status="printing")
    return claimed


def _announce_alerts(db: Session, *, sent_by: Iterable[int | None], printer_id: int | None, change: str) -> None:
    """Alerts changed: the waiters whose tickets they concern (and managers) refresh their alert list."""
    waiters = {waiter for waiter in sent_by if waiter is not None}
    publish_after_commit(
        db, "printer.alerts_changed", {"printer_id": printer_id, "change": change}, Audience.waiters(waiters)
    )


def _clear_job_alerts(db: Session, job_ids: Sequence[int], now: datetime) -> None:
    cleared = db.execute(
        update(PrintAlert)
        .where(PrintAlert.job_id.in_(job_ids), PrintAlert.cleared_at.is_(None))
        .values(cleared_at=now)
        .returning(PrintAlert.printer_id, PrintAlert.sent_by_id)
        .execution_options(synchronize_session=False)
    ).all()
    if cleared:
        _announce_alerts(db, sent_by=[row[1] for row in cleared], printer_id=cleared[0][0], change="cleared")


def _clear_printer_paper_alerts(db: Session, printer_id: int, now: datetime) -> int:
    result = db.execute(
        update(PrintAlert)
        .where(
            PrintAlert.printer_id == printer_id,
            PrintAlert.job_id.is_(None),
            PrintAlert.kind == "paper_out",
            PrintAlert.cleared_at.is_(None),
        )
        .values(cleared_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True, slots=True)
class PrintedJob:
    """A job the printer confirmed (its GS r 1 was answered)."""

    id: int
    kind: str
    item_ids: Sequence[int]
    started_at: datetime
    duration_ms: int
    replaced: Sequence[str]
    on_backup: bool
    reprint: bool
    order_id: int | None = None


def record_printed(
    db: Session,
    *,
    printer: PrinterInfo,
    printed: Sequence[PrintedJob],
    released: Sequence[int],
    clear_paper_alert: bool,
    next_limit: int,
) -> list[QueuedJob]:
    """The printer confirmed these jobs: log each attempt, mark their items printed, clear their alerts. Jobs
    `released` were claimed but never sent (an earlier one in the same connection failed): back to the queue.

    Returns the printer's queue as it is now, so a busy worker goes on without another read. A handful of
    statements whatever the number of jobs: this runs once per connection while the kitchen is busiest.
    """
    from local_backend.orders import service as orders

    now = utcnow()
    jobs = PRINT_JOBS.c
    if printed:
        db.execute(
            update(PRINT_JOBS)
            .where(jobs.id == bindparam("job_id"))
            .values(
                status="printed",
                printed_at=now,
                printed_by_printer_id=printer.id,
                attempt_count=jobs.attempt_count + 1,
                last_error=None,
                replaced=bindparam("transliterated", type_=jobs.replaced.type),
                updated_at=now,
            ),
            [{"job_id": p.id, "transliterated": list(p.replaced)} for p in printed],
        )
        db.execute(
            insert(PRINT_ATTEMPTS),
            [
                {
                    "job_id": p.id,
                    "printer_id": printer.id,
                    "printer_name": printer.name,
                    "started_at": p.started_at,
                    "duration_ms": p.duration_ms,
                    "ok": True,
                    "error": None,
                    "on_backup": p.on_backup,
                    "reprint": p.reprint,
                }
                for p in printed
            ],
        )
        item_ids = [item_id for p in printed if p.kind == "kitchen" for item_id in p.item_ids]
        if item_ids:
            orders.mark_items_printed(db, item_ids)
        _clear_job_alerts(db, [p.id for p in printed], now)
        if clear_paper_alert:
            _clear_printer_paper_alerts(db, printer.id, now)
        for p in printed:
            _job_changed(db, job_id=p.id, order_id=p.order_id, printer_id=printer.id, status="printed")
    if released:
        back = db.execute(
            update(PRINT_JOBS)
            .where(jobs.id.in_(released), jobs.status == "printing")
            .values(status="pending", updated_at=now)
            .returning(jobs.id, jobs.order_id)
        ).all()
        for job_id, order_id in sorted(back):
            _job_changed(db, job_id=job_id, order_id=order_id, printer_id=printer.id, status="pending")
    return next_jobs(db, printer.id, next_limit)


def _raise_alerts(db: Session, *, printer: PrinterInfo, kind: str, message: str, job_ids: Sequence[int] | None) -> int:
    """An open alert of `kind` for each unfinished job of the printer (or the given jobs) that has none yet."""
    now = utcnow()
    open_alert = exists().where(
        PrintAlert.job_id == PrintJob.id, PrintAlert.kind == kind, PrintAlert.cleared_at.is_(None)
    )
    stmt = select(PrintJob.id, PrintJob.order_id, PrintJob.created_by_id).where(~open_alert)
    if job_ids is None:
        stmt = stmt.where(PrintJob.target_printer_id == printer.id, PrintJob.status.in_(UNFINISHED_STATUSES))
    else:
        stmt = stmt.where(PrintJob.id.in_(job_ids))
    rows = [
        {
            "kind": kind,
            "printer_id": printer.id,
            "printer_name": printer.name,
            "job_id": job_id,
            "order_id": order_id,
            "sent_by_id": sent_by,
            "message": message,
            "created_at": now,
        }
        for job_id, order_id, sent_by in db.execute(stmt).all()
    ]
    if rows:
        db.execute(insert(PRINT_ALERTS), rows)
        senders = [row["sent_by_id"] for row in rows]
        _announce_alerts(db, sent_by=cast("list[int | None]", senders), printer_id=printer.id, change="raised")
    return len(rows)


def _fail_over(db: Session, *, printer: PrinterInfo, backup: PrinterInfo, reason: str) -> list[int]:
    """Move a printer's queue (not test pages, not jobs already on a backup) to its backup printer."""
    jobs = db.scalars(
        select(PrintJob)
        .where(
            PrintJob.target_printer_id == printer.id,
            PrintJob.status.in_(UNFINISHED_STATUSES),
            PrintJob.kind != "test",
            PrintJob.on_backup.is_(False),
        )
        .order_by(PrintJob.id)
    ).all()
    for job in jobs:
        job.target_printer_id = backup.id
        job.on_backup = True
        if job.status == "printing":
            job.status = "pending"
            job.reprint = True
    moved = [job.id for job in jobs]
    for job in jobs:
        _job_changed(db, job_id=job.id, order_id=job.order_id, printer_id=backup.id, status=job.status)
    if moved:
        db.flush()
        _raise_alerts(
            db,
            printer=printer,
            kind="failover",
            message=f"{printer.name} is not printing ({reason}): its tickets print on {backup.name}",
            job_ids=moved,
        )
        audit.record(
            db,
            action="printing.failover",
            entity_type="printer",
            entity_id=printer.id,
            data={"printer": printer.name, "backup": backup.name, "job_ids": moved, "reason": reason},
        )
    return moved


def record_failure(
    db: Session,
    *,
    job_id: int,
    printer: PrinterInfo,
    started_at: datetime,
    duration_ms: int,
    error: str,
    sent: bool,
    log_attempt: bool,
    paper_out: bool,
    fail_over_to: PrinterInfo | None,
    give_up: bool,
) -> list[int]:
    """A job did not print: log the attempt, back to the queue (REPRINT if bytes went out), raise alerts, and move
    the printer's queue to the backup when asked. Returns the ids of the jobs moved."""
    job = db.get(PrintJob, job_id)
    if job is None:
        return []
    was = job.status
    if log_attempt:
        job.attempt_count += 1
        db.add(
            PrintAttempt(
                job_id=job.id,
                printer_id=printer.id,
                printer_name=printer.name,
                started_at=started_at,
                duration_ms=duration_ms,
                ok=False,
                error=error,
                on_backup=job.on_backup,
                reprint=job.reprint or sent,
            )
        )
    job.last_error = error
    if sent:
        job.reprint = True  # part of it may be on paper already
    if job.status == "printing":
        job.status = "pending"
    db.flush()
    if give_up:
        # A test page answers "does this printer work" (no backup); an unrenderable job would block the queue.
        job.status = "failed"
        db.flush()
        _job_changed(db, job_id=job.id, order_id=job.order_id, printer_id=printer.id, status=job.status)
        if job.kind == "test":
            kind, message = "test_failed", f"Test page on {printer.name} failed: {error}"
        else:
            kind, message = "printer_failing", f"Job {job.id} cannot be printed: {error}"
        _raise_alerts(db, printer=printer, kind=kind, message=message, job_ids=[job.id])
        return []
    if job.status != was:
        _job_changed(db, job_id=job.id, order_id=job.order_id, printer_id=printer.id, status=job.status)
    if paper_out:
        _raise_alerts(db, printer=printer, kind="paper_out", message=f"{printer.name} is out of paper", job_ids=None)
    else:
        message = f"{printer.name} could not print: {error}"
        _raise_alerts(db, printer=printer, kind="printer_failing", message=message, job_ids=None)
    if fail_over_to is not None:
        return _fail_over(db, printer=printer, backup=fail_over_to, reason=error)
    return []


def set_paper_alert(db: Session, *, printer: PrinterInfo, paper_out: bool) -> None:
    """An idle printer's paper ran out (raise a printer alert, managers see it) or is back (clear it)."""
    now = utcnow()
    if not paper_out:
        if _clear_printer_paper_alerts(db, printer.id, now):
            _announce_alerts(db, sent_by=[], printer_id=printer.id, change="cleared")
        return
    already = db.scalar(
        select(PrintAlert.id)
        .where(
            PrintAlert.printer_id == printer.id,
            PrintAlert.job_id.is_(None),
            PrintAlert.kind == "paper_out",
            PrintAlert.cleared_at.is_(None),
        )
        .limit(1)
    )
    if already is None:
        db.add(
            PrintAlert(
                kind="paper_out",
                printer_id=printer.id,
                printer_name=printer.name,
                message=f"{printer.name} is out of paper",
                created_at=now,
            )
        )
        db.flush()
        _announce_alerts(db, sent_by=[], printer_id=printer.id, change="raised")


def recover_interrupted(db: Session) -> int:
    """At startup: a job left `printing` was cut off mid-send; it goes back to the queue to print as REPRINT."""
    jobs = db.scalars(select(PrintJob).where(PrintJob.status == "printing")).all()
    if not jobs:
        return 0
    names = dict(db.execute(select(Printer.id, Printer.name)).all())
    now = utcnow()
    for job in jobs:
        job.status = "pending"
        job.reprint = True
        job.attempt_count += 1
        job.last_error = "interrupted: the appliance stopped while sending it"
        _job_changed(db, job_id=job.id, order_id=job.order_id, printer_id=job.target_printer_id, status=job.status)
        db.add(
            PrintAttempt(
                job_id=job.id,
                printer_id=job.target_printer_id,
                printer_name=names.get(job.target_printer_id or 0, "?"),
                started_at=now,
                ok=False,
                error=job.last_error,
                on_backup=job.on_backup,
                reprint=True,
            )
        )
    db.flush()
    return len(jobs)


def reroute_inactive(db: Session, printers: Mapping[int, PrinterInfo]) -> set[int]:
    """Jobs waiting for a printer taken out of service move to its active backup; returns the printers to wake.

    Tickets that had failed over to a backup now out of service go back to their own printer when it is in
    service (a failover is one hop, so nothing else would ever print them).
    """
    woken: set[int] = set()
    for printer in printers.values():
        if printer.is_active:
            continue
        stranded = db.scalars(
            select(PrintJob).where(
                PrintJob.target_printer_id == printer.id,
                PrintJob.on_backup.is_(True),
                PrintJob.status == "pending",
            )
        ).all()
        for job in stranded:
            home = printers.get(job.printer_id) if job.printer_id is not None else None
            if home is not None and home.is_active:
                job.target_printer_id = home.id
                job.on_backup = False
                woken.add(home.id)
                _job_changed(db, job_id=job.id, order_id=job.order_id, printer_id=home.id, status=job.status)
        if printer.backup_printer_id is None:
            continue
        backup = printers.get(printer.backup_printer_id)
        if backup is None or not backup.is_active:
            continue
        if _fail_over(db, printer=printer, backup=backup, reason="taken out of service"):
            woken.add(backup.id)
    return woken


def last_successes(db: Session) -> dict[int, datetime]:
    """When each printer last printed a job (its status after a restart)."""
    out = {}
    for printer_id in db.scalars(select(Printer.id)).all():
        at = db.scalar(select(func.max(PrintJob.printed_at)).where(PrintJob.printed_by_printer_id == printer_id))
        if at is not None:
            out[printer_id] = at
    return out
