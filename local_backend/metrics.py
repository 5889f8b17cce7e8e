"""The appliance's Prometheus figures beyond request latency, computed when Prometheus scrapes, never per request.

Nothing here adds work to taking an order: what lives in memory (license status, printer states, WebSocket
subscribers, the event sequence) is read on the event loop that owns it, and what lives in the database is read
with a handful of index-only queries in a worker thread:

- orders and items: the highest row ids (rows are never reused: cancelled orders and voided items stay), so the
  counters count what was ever written to this database; a restored backup shows as a counter reset;
- open orders by status, print queues and failed jobs per printer, open printer alerts: small indexed counts;
- print attempts by printer and result: only the attempts logged since the previous scrape (a primary-key range),
  added to counters that start when the appliance starts, like any Prometheus counter.

These are read-only counts over other domains' tables; they live here rather than in each domain's service so
that the scrape is one short read transaction.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from local_backend import __version__
from local_backend.backup import service as backups
from local_backend.db import Database
from local_backend.events import EventBus
from local_backend.licensing.decision import LicenseCode, LicenseState, LicenseStatus
from local_backend.licensing.manager import LicenseManager
from local_backend.orders.models import Order, OrderItem
from local_backend.printing import service as printing
from local_backend.printing.models import PrintAlert, PrintAttempt, PrintJob
from local_backend.printing.service import PrinterInfo, PrinterRuntime
from local_backend.printing.worker import PrintManager
from shared.db import sqlite_path

OPEN_ORDER_STATUSES = ("open", "partially_paid", "paid")
PRINTER_STATES = ("online", "offline", "paper_out", "unknown", "inactive")
WEBSOCKET_KINDS = ("staff", "kitchen", "guest", "other")
# Which stream a subscriber belongs to, told by the module that built its event filter (live, kitchen, guest).
_STREAM_OF_MODULE = {
    "local_backend.live.service": "staff",
    "local_backend.kitchen.service": "kitchen",
    "local_backend.guest.router": "guest",
}


@dataclass(frozen=True, slots=True)
class LiveState:
    """What the appliance holds in memory, read in one go on the event loop."""

    uptime_seconds: float
    license: LicenseStatus | None  # None before the license manager loaded (a scrape during startup)
    heartbeat_failures: int
    heartbeat_last_attempt: float | None
    heartbeat_last_success: float | None
    heartbeat_last_failure: str | None
    printers: dict[int, PrinterInfo]
    runtime: dict[int, PrinterRuntime]
    websocket_clients: dict[str, int]
    events_published: int


def websocket_clients(bus: EventBus) -> dict[str, int]:
    """Open event streams by kind: staff phones and dashboards, kitchen screens, guests' phones."""
    counts = dict.fromkeys(WEBSOCKET_KINDS, 0)
    # The bus keeps no kind per subscriber; the filter each stream subscribes with says which stream it is.
    for subscription in bus.subscriptions():
        module = getattr(subscription.accepts, "__module__", "")
        counts[_STREAM_OF_MODULE.get(module, "other")] += 1
    return counts


def _timestamp(moment: object) -> float | None:
    return moment.timestamp() if hasattr(moment, "timestamp") else None


class ApplianceMetrics:
    """Collects the appliance's figures for `GET /metrics` (see the module docstring)."""

    def __init__(self, database: Database, print_manager: PrintManager, license_manager: LicenseManager) -> None:
        self.database = database
        self.print_manager = print_manager
        self.license_manager = license_manager
        self.started_monotonic = time.monotonic()
        self._lock = threading.Lock()
        self._attempts_seen: int | None = None
        self._attempts: Counter[tuple[str, str]] = Counter()

    def start(self) -> None:
        """Count print attempts from now on (blocking; at startup, once the database is migrated)."""
        with self.database.read_session() as db:
            newest = db.scalar(select(func.max(PrintAttempt.id)))
        with self._lock:
            self._attempts_seen = newest or 0
            self._attempts.clear()
        self.started_monotonic = time.monotonic()

    async def collect(self, request: Request) -> list[Metric]:
        """For `metrics_router`: memory on the loop, then the database in a worker thread."""
        live = self.live()
        return await run_in_threadpool(self.families, live)

    def live(self) -> LiveState:
        """The in-memory state (call on the event loop, where the print manager and the license manager live)."""
        manager = self.license_manager
        facts = manager.facts
        status = manager.current() if facts is not None else None
        return LiveState(
            uptime_seconds=time.monotonic() - self.started_monotonic,
            license=status,
            heartbeat_failures=manager.failures,
            heartbeat_last_attempt=_timestamp(manager.last_attempt_at),
            heartbeat_last_success=_timestamp(facts.last_heartbeat_at) if facts else None,
            heartbeat_last_failure=facts.last_failure_code if facts else None,
            printers=dict(self.print_manager.printers),
            runtime=dict(self.print_manager.runtime),
            websocket_clients=websocket_clients(self.database.events),
            events_published=self.database.events.seq,
        )

    def families(self, live: LiveState) -> list[Metric]:
        """Every figure for one scrape (blocking: reads the database)."""
        with self.database.read_session() as db:
            counts = _Counts.read(db)
            attempts = self._new_attempts(db)
        out: list[Metric] = []
        out += self._process(live)
        out += self._orders(counts)
        out += self._printers(live, counts, attempts)
        out += self._license(live)
        out += self._database()
        out += self._backup()
        return out

    # --- the parts ------------------------------------------------------------------------------------------

    def _process(self, live: LiveState) -> Iterable[Metric]:
        build = GaugeMetricFamily(
            "tavolo_build_info", "Versions of the appliance, Python and SQLite.", labels=("version", "python", "sqlite")
        )
        build.add_metric((__version__, sys.version.split()[0], sqlite3.sqlite_version), 1)
        yield build
        yield GaugeMetricFamily("tavolo_uptime_seconds", "Seconds since the appliance started.", live.uptime_seconds)
        clients = GaugeMetricFamily(
            "tavolo_websocket_clients",
            "Open live event streams by kind: staff (phones, dashboards), kitchen (KDS screens), guest (QR phones).",
            labels=("kind",),
        )
        for kind in WEBSOCKET_KINDS:
            clients.add_metric((kind,), live.websocket_clients.get(kind, 0))
        yield clients
        yield CounterMetricFamily(
            "tavolo_events_published", "Live events published since the appliance started.", live.events_published
        )

    def _orders(self, counts: _Counts) -> Iterable[Metric]:
        yield CounterMetricFamily(
            "tavolo_orders_created", "Orders ever opened in this database (highest order id).", counts.orders
        )
        yield CounterMetricFamily(
            "tavolo_order_items_added", "Order lines ever added in this database (highest item id).", counts.items
        )
        open_orders = GaugeMetricFamily("tavolo_orders_open", "Orders not yet closed, by status.", labels=("status",))
        for status in OPEN_ORDER_STATUSES:
            open_orders.add_metric((status,), counts.open_orders.get(status, 0))
        yield open_orders

    def _printers(self, live: LiveState, counts: _Counts, attempts: Counter[tuple[str, str]]) -> Iterable[Metric]:
        names = {printer_id: info.name for printer_id, info in live.printers.items()}
        queue = GaugeMetricFamily(
            "tavolo_print_queue_depth", "Jobs waiting for or being sent to each printer.", labels=("printer",)
        )
        failed = GaugeMetricFamily(
            "tavolo_print_jobs_failed",
            "Jobs a printer gave up on (test pages, unprintable jobs) still on record.",
            labels=("printer",),
        )
        state = GaugeMetricFamily(
            "tavolo_printer_state",
            "Each printer's state as last seen (1 for the current one).",
            labels=("printer", "state"),
        )
        near_end = GaugeMetricFamily(
            "tavolo_printer_paper_near_end", "1 when the printer reports its paper nearly out.", labels=("printer",)
        )
        last_success = GaugeMetricFamily(
            "tavolo_printer_last_success_timestamp_seconds",
            "When each printer last confirmed a ticket (Unix time).",
            labels=("printer",),
        )
        for printer_id, info in sorted(live.printers.items()):
            runtime = live.runtime.get(printer_id) or PrinterRuntime()
            current = runtime.state(info.is_active)
            queue.add_metric((info.name,), counts.queues.get(printer_id, 0))
            failed.add_metric((info.name,), counts.failed_jobs.get(printer_id, 0))
            for candidate in PRINTER_STATES:
                state.add_metric((info.name, candidate), 1 if candidate == current else 0)
            near_end.add_metric((info.name,), 1 if runtime.paper_near_end else 0)
            when = _timestamp(runtime.last_success_at)
            if when is not None:
                last_success.add_metric((info.name,), when)
        yield from (queue, failed, state, near_end, last_success)
        tries = CounterMetricFamily(
            "tavolo_print_attempts",
            "Attempts to print a job since the appliance started, by printer and result.",
            labels=("printer", "result"),
        )
        for (printer_name, result), n in sorted(attempts.items()):
            tries.add_metric((printer_name, result), n)
        yield tries
        alerts = GaugeMetricFamily(
            "tavolo_print_alerts_open",
            "Printer alerts not yet cleared, by printer and kind.",
            labels=("printer", "kind"),
        )
        # By the printer's current name (alerts keep the name it had); one series per label pair.
        open_alerts: Counter[tuple[str, str]] = Counter()
        for (alert_printer, printer_name, kind), n in counts.alerts.items():
            label = names.get(alert_printer, printer_name) if alert_printer is not None else printer_name
            open_alerts[(label, kind)] += n
        for labels, n in sorted(open_alerts.items()):
            alerts.add_metric(labels, n)
        yield alerts

    def _license(self, live: LiveState) -> Iterable[Metric]:
        status = live.license
        if status is None:
            return
        state = GaugeMetricFamily("tavolo_license_state", "The license state (1: the current one).", labels=["state"])
        for candidate in LicenseState:
            state.add_metric((candidate.value,), 1 if candidate is status.state else 0)
        yield state
        code = GaugeMetricFamily("tavolo_license_code", "Why the license is in its state (always 1).", labels=("code",))
        code.add_metric((status.code.value,), 1)
        yield code
        yield GaugeMetricFamily(
            "tavolo_license_allows_orders", "1 while new orders are allowed.", 1 if status.allows_orders else 0
        )
        yield GaugeMetricFamily(
            "tavolo_license_clock_suspect",
            "1 when the clock reads earlier than time the appliance has already seen.",
            1 if status.code is LicenseCode.CLOCK_SUSPECT else 0,
        )
        for name, help_text, moment in (
            ("tavolo_license_paid_through_timestamp_seconds", "The license's paid-through date.", status.paid_through),
            (
                "tavolo_license_lease_expires_timestamp_seconds",
                "When the held lease runs out.",
                status.lease_expires_at,
            ),
        ):
            value = _timestamp(moment)
            if value is not None:
                yield GaugeMetricFamily(name, f"{help_text} (Unix time)", value)
        yield GaugeMetricFamily(
            "tavolo_license_heartbeat_consecutive_failures",
            "Heartbeats to the licensing cloud that failed in a row.",
            live.heartbeat_failures,
        )
        for name, help_text, value in (
            (
                "tavolo_license_heartbeat_last_attempt_timestamp_seconds",
                "The last heartbeat.",
                live.heartbeat_last_attempt,
            ),
            (
                "tavolo_license_heartbeat_last_success_timestamp_seconds",
                "The last accepted one.",
                live.heartbeat_last_success,
            ),
        ):
            if value is not None:
                yield GaugeMetricFamily(name, f"{help_text} (Unix time)", value)
        result = GaugeMetricFamily(
            "tavolo_license_heartbeat_last_result",
            "How the last heartbeat ended: ok, a failure code, or none yet.",
            labels=("result",),
        )
        if live.heartbeat_last_failure is not None:
            result.add_metric((live.heartbeat_last_failure,), 1)
        else:
            result.add_metric(("ok" if live.heartbeat_last_success is not None else "none",), 1)
        yield result

    def _database(self) -> Iterable[Metric]:
        size = GaugeMetricFamily("tavolo_db_size_bytes", "The SQLite database's files.", labels=("file",))
        path = database_file(self.database)
        if path is not None:
            for label, file in (("db", path), ("wal", Path(f"{path}-wal"))):
                try:
                    size.add_metric((label,), file.stat().st_size)
                except FileNotFoundError:
                    size.add_metric((label,), 0)
        yield size

    def _backup(self) -> Iterable[Metric]:
        settings = self.database.settings
        newest = backups.last_backup(settings) if settings.is_sqlite else None
        if newest is None:
            return  # no series: an alert on `absent(tavolo_backup_last_timestamp_seconds)` fires
        taken = newest.taken_at.timestamp()
        yield GaugeMetricFamily(
            "tavolo_backup_last_timestamp_seconds", "When the newest backup in BACKUP_DIR was taken (Unix time).", taken
        )
        yield GaugeMetricFamily(
            "tavolo_backup_last_age_seconds", "Seconds since the newest backup.", max(0.0, time.time() - taken)
        )
        yield GaugeMetricFamily("tavolo_backup_last_size_bytes", "Size of the newest backup.", newest.size_bytes)

    # --- print attempts since the last scrape ---------------------------------------------------------------

    def _new_attempts(self, db: Session) -> Counter[tuple[str, str]]:
        with self._lock:
            seen = self._attempts_seen
            if seen is None:  # scraped before startup finished: start counting here
                self._attempts_seen = db.scalar(select(func.max(PrintAttempt.id))) or 0
                return Counter(self._attempts)
            rows = db.execute(
                select(PrintAttempt.id, PrintAttempt.printer_name, PrintAttempt.ok).where(PrintAttempt.id > seen)
            ).all()
            for attempt_id, printer_name, ok in rows:
                self._attempts[(printer_name, "ok" if ok else "failed")] += 1
                seen = max(seen, attempt_id)
            self._attempts_seen = seen
            return Counter(self._attempts)


def database_file(database: Database) -> Path | None:
    """The SQLite file behind the database (None for another engine or an in-memory one)."""
    settings = database.settings
    path = sqlite_path(settings.database_url) if settings.is_sqlite else None
    return path.resolve() if path is not None else None


@dataclass(frozen=True, slots=True)
class _Counts:
    orders: int
    items: int
    open_orders: dict[str, int]
    queues: dict[int, int]
    failed_jobs: dict[int, int]
    alerts: dict[tuple[int | None, str, str], int]

    @classmethod
    def read(cls, db: Session) -> _Counts:
        open_orders = db.execute(
            select(Order.status, func.count()).where(Order.status.in_(OPEN_ORDER_STATUSES)).group_by(Order.status)
        ).all()
        failed = db.execute(
            select(PrintJob.target_printer_id, func.count())
            .where(PrintJob.status == "failed", PrintJob.target_printer_id.is_not(None))
            .group_by(PrintJob.target_printer_id)
        ).all()
        alerts = db.execute(
            select(PrintAlert.printer_id, PrintAlert.printer_name, PrintAlert.kind, func.count())
            .where(PrintAlert.cleared_at.is_(None))
            .group_by(PrintAlert.printer_id, PrintAlert.printer_name, PrintAlert.kind)
        ).all()
        return cls(
            orders=db.scalar(select(func.max(Order.id))) or 0,
            items=db.scalar(select(func.max(OrderItem.id))) or 0,
            open_orders={status: int(n) for status, n in open_orders},
            queues=printing.queue_lengths(db),
            failed_jobs={int(pid): int(n) for pid, n in failed if pid is not None},
            alerts={(pid, name, kind): int(n) for pid, name, kind, n in alerts},
        )
