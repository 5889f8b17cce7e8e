"""The print workers: one asyncio task per active printer drains that printer's queue, oldest job first.

Per connection: connect with a short timeout, ask the status (`DLE EOT 1` and `DLE EOT 4`), mark the waiting jobs
`printing` (durably: a crash from here on reprints them marked REPRINT), send each followed by `GS r 1` and wait for
that answer (the printer processed the whole ticket) before the next, close, mark them printed. The jobs already
waiting share one connection (at most MAX_BATCH): the recommended open-send-close per job would cap a printer at
one connect, two commits and a close per ticket, too slow for a rush, while per-job confirmation keeps the
guarantee per ticket. Socket work runs in worker threads (bounded by a limiter of our own, so printers can never
starve the request thread pool); every job state change is one write of the group commit (`database.writer.run`):
on disk before the worker goes on, never contending with request writes, and never held across network I/O.

Failures are retried after a doubling delay (base, 2x, 4x ..., capped). A printer that says it cannot print
(paper out, cover open) is only asked its status again: nothing is resent, and the repeated polls are not logged
as new attempts. Once a printer has been failing for its failover time, its queue moves to its backup printer
(tickets marked BACKUP, naming the zone); a failed-over job stays on the backup (one hop, no ping-pong). Idle
printers are asked their status every poll interval, so the dashboards show a printer's trouble before a ticket
is stuck behind it.

A commit that queues a job wakes its printer's worker through `wake` (after-commit hook): print latency is the
time to connect and send, not a polling interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy.orm import Session

from local_backend.config import Settings
from local_backend.db import Database
from local_backend.events import Audience
from local_backend.printing import service
from local_backend.printing.escpos import PrinterStatus
from local_backend.printing.service import ClaimedJob, PrinterInfo, PrinterRuntime, QueuedJob
from local_backend.printing.transport import (
    EscposNetworkTransport,
    PrinterError,
    PrinterTransport,
    TransportFactory,
    probe,
    read_status,
    send_and_confirm,
    warm_up,
)
from shared.clock import utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_PRINTER_THREADS = 16
MAX_BATCH = 20
GATHER_SECONDS = 0.02
STOP_TIMEOUT_SECONDS = 5.0

AlertListener = Callable[[int], None]
"""Called on the event loop with a printer id after a commit that raised or cleared alerts of that printer."""


@dataclass
class _Failure:
    job: ClaimedJob
    error: str
    started: datetime
    t0: float
    sent: bool
    unprintable: bool


@dataclass
class _Batch:
    """What one connection did with the jobs it claimed: printed some, maybe failed one, never sent the rest."""

    claimed: list[ClaimedJob]
    started: datetime
    printed: list[service.PrintedJob] = field(default_factory=list)
    failure: _Failure | None = None
    status: PrinterStatus | None = None

    def fail(
        self, job: ClaimedJob, error: str, started: datetime, t0: float, *, sent: bool, unprintable: bool = False
    ) -> None:
        self.failure = _Failure(job, error, started, t0, sent, unprintable)

    def unsent(self) -> list[int]:
        done = {job.id for job in self.printed}
        if self.failure is not None:
            done.add(self.failure.job.id)
        return [job.id for job in self.claimed if job.id not in done]


class PrintManager:
    """Starts, reconfigures and stops the printers' workers; holds what they last saw of each printer."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        transport_factory: TransportFactory | None = None,
        max_threads: int = MAX_PRINTER_THREADS,
    ) -> None:
        self.database = database
        self.settings = settings
        self.transport_factory: TransportFactory = transport_factory or EscposNetworkTransport
        self.max_threads = max_threads
        self.printers: dict[int, PrinterInfo] = {}
        self.runtime: dict[int, PrinterRuntime] = {}
        self._workers: dict[int, PrinterWorker] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._writes: set[asyncio.Future[Any]] = set()
        self._alert_listeners: list[AlertListener] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._limiter: anyio.CapacityLimiter | None = None
        self._reconcile_lock: asyncio.Lock | None = None
        self._key = str(database.engine.url)
        self._stopped = False
        self._warmed = False

    # --- lifecycle (on the event loop) ---

    async def start(self) -> None:
        """Requeue jobs a crash cut off mid-send, then start a worker per active printer (cheap with none)."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._limiter = anyio.CapacityLimiter(self.max_threads)
        self._reconcile_lock = asyncio.Lock()
        self._stopped = False
        recovered = await self.write(service.recover_interrupted)
        if recovered:
            log.warning("%d print job(s) were cut off by a restart: they print again marked REPRINT", recovered)
        for printer_id, at in (await self.read(service.last_successes)).items():
            self.runtime[printer_id] = PrinterRuntime(last_success_at=at)
        service.register_notifier(self._key, self)
        await self.reconcile()

    async def stop(self) -> None:
        self._stopped = True
        service.unregister_notifier(self._key, self)
        tasks = [w.task for w in self._workers.values() if w.task is not None] + list(self._tasks)
        self._workers.clear()
        for task in tasks:
            task.cancel()
        if tasks:
            # A thread blocked on a socket is abandoned, not waited for: its own timeout ends it.
            await asyncio.wait(tasks, timeout=STOP_TIMEOUT_SECONDS)
        if self._writes:
            await asyncio.wait(list(self._writes), timeout=STOP_TIMEOUT_SECONDS)

    # --- notifications, callable from any thread ---

    def wake(self, printer_ids: Iterable[int]) -> None:
        """New jobs for these printers were committed: their workers look at the queue now."""
        self._on_loop(self._wake_now, frozenset(printer_ids))

    def printers_changed(self) -> None:
        """Printers were created, changed or deleted (committed): start, stop and reconfigure workers."""
        self._on_loop(self._spawn_reconcile)

    def add_alert_listener(self, listener: AlertListener) -> None:
        """Hook for the event bus: told (on the loop) whenever a printer's alerts were raised or cleared."""
        self._alert_listeners.append(listener)

    def _on_loop(self, callback: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is None or self._stopped or loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            callback(*args)
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nothing left to wake
                loop.call_soon_threadsafe(callback, *args)

    def _wake_now(self, printer_ids: frozenset[int]) -> None:
        for printer_id in printer_ids:
            worker = self._workers.get(printer_id)
            if worker is not None:
                worker.event.set()

    def _spawn_reconcile(self) -> None:
        if not self._stopped:
            self._spawn(self.reconcile())

    def _spawn(self, coroutine: Any) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("print manager task failed", exc_info=task.exception())

    def alerts_changed(self, printer_id: int) -> None:
        for listener in list(self._alert_listeners):
            try:
                listener(printer_id)
            except Exception:
                log.exception("print alert listener failed")

    # --- workers ---

    async def reconcile(self) -> None:
        """Make the running workers match the printers table; move jobs off printers taken out of service."""
        if self._reconcile_lock is None:
            raise RuntimeError("start the print manager first")
        async with self._reconcile_lock:
            if self._stopped:
                return
            printers = await self.read(service.load_printers)
            before = {printer_id: self._state(printer_id) for printer_id in printers}
            self.printers = printers
            for printer_id, state in before.items():
                if state is not None:  # a new printer's first state comes with its first status poll
                    self._announce_state(printer_id, state)
            leaving = []
            for printer_id in list(self._workers):
                info = printers.get(printer_id)
                if info is None or not info.is_active:
                    leaving.append(self._workers.pop(printer_id))
            # Ask, do not cancel: a worker cut off mid-connection would leave its claimed tickets "printing",
            # and the reroute below would print them again on the backup while its thread still sends them here.
            for worker in leaving:
                worker.request_stop()
            for worker in leaving:
                await worker.finish()
            for printer_id, info in printers.items():
                if info.is_active and printer_id not in self._workers:
                    worker = PrinterWorker(self, printer_id)
                    self._workers[printer_id] = worker
                    worker.start()
            if self._workers and not self._warmed:
                self._warmed = True
                self._spawn(self.io(warm_up))
            for printer_id in list(self.runtime):
                if printer_id not in printers:
                    del self.runtime[printer_id]
            moved_to = await self.write(lambda db: service.reroute_inactive(db, printers))
            for worker in self._workers.values():
                worker.reconfigured()
            self._wake_now(frozenset(moved_to))  # the backups print the moved tickets now, not at their next poll

    # --- helpers the workers share ---

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(session, *args)` on a read session in a worker thread."""

        def run() -> T:
            with self.database.read_session() as session:
                return fn(session, *args)

        return await anyio.to_thread.run_sync(run)

    async def write(self, work: Callable[[Session], T]) -> T:
        """One write of the group commit; returns once it is on disk.

        Shielded: a worker cancelled at shutdown must not abandon a write halfway, which would leave the writer's
        transaction (and SQLite's write lock) open. `stop` waits for these writes to finish.
        """
        # Urgent: the kitchen waits for these, so they go ahead of the requests queued for the writer.
        task = asyncio.ensure_future(self.database.writer.run(work, urgent=True))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)
        return await asyncio.shield(task)

    async def io(self, fn: Callable[..., T], *args: Any) -> T:
        """Blocking printer I/O in a worker thread; abandoned (not awaited) when the worker is cancelled."""
        return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter, abandon_on_cancel=True)

    def seen(self, printer_id: int, **changes: Any) -> None:
        current = self.runtime.get(printer_id) or PrinterRuntime()
        before = self._state(printer_id)
        self.runtime[printer_id] = replace(current, last_checked_at=utcnow(), **changes)
        self._announce_state(printer_id, before)

    def _state(self, printer_id: int) -> str | None:
        info = self.printers.get(printer_id)
        if info is None:
            return None
        return (self.runtime.get(printer_id) or PrinterRuntime()).state(info.is_active)

    def _announce_state(self, printer_id: int, before: str | None) -> None:
        """Tell managers that a printer's state (online, offline, paper out, out of service...) changed."""
        # Polls and jobs that find the printer as it was say nothing. The state lives in memory, not in the
        # database, so there is no commit to wait for: the event goes straight to the bus.
        state = self._state(printer_id)
        if state is not None and state != before:
            self.database.events.publish(
                "printer.status_changed", {"printer_id": printer_id, "state": state}, Audience.waiters([])
            )

    def active_backup(self, info: PrinterInfo) -> PrinterInfo | None:
        if info.backup_printer_id is None:
            return None
        backup = self.printers.get(info.backup_printer_id)
        return backup if backup is not None and backup.is_active else None


class PrinterWorker:
    """Drains one printer's queue in order; see the module docstring."""

    def __init__(self, manager: PrintManager, printer_id: int) -> None:
        self.manager = manager
        self.printer_id = printer_id
        self.event = asyncio.Event()
        self._stop_requested = False
        self.task: asyncio.Task[None] | None = None
        self._head: int | None = None  # the job being retried, and its retry state
        self._failures = 0
        self._retry_at = 0.0
        self._logged_not_ready: str | None = None
        self._down_since: float | None = None  # monotonic; the printer has been failing since then
        self._paper_alert: bool | None = None
        self._prefetched: list[QueuedJob] | None = None  # the queue as the last record_printed saw it

    def start(self) -> None:
        self.task = asyncio.create_task(self.run(), name=f"print-worker-{self.printer_id}")

    def request_stop(self) -> None:
        """Stop after the current attempt (its tickets end printed or back in the queue, never half-claimed)."""
        self._stop_requested = True
        self.event.set()

    async def finish(self) -> None:
        """Wait (bounded: one ticket's connect and confirm) for a requested stop; cancel if it does not come."""
        if self.task is None:
            return
        grace = self.settings.print_connect_timeout_seconds + self.settings.print_confirm_timeout_seconds
        done, _ = await asyncio.wait({self.task}, timeout=grace)
        if not done:
            self.task.cancel()
            await asyncio.wait({self.task}, timeout=STOP_TIMEOUT_SECONDS)

    def reconfigured(self) -> None:
        """The printer's settings may have changed (a corrected address): retry at once."""
        self._retry_at = 0.0
        self.event.set()

    @property
    def settings(self) -> Settings:
        return self.manager.settings

    async def run(self) -> None:
        while not self._stop_requested:
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:
                # A bug or a failed commit must not end the printer's service: log it and carry on.
                log.exception("print worker for printer %s failed; going on", self.printer_id)
                await self._sleep(self.settings.print_retry_max_seconds)

    async def _sleep(self, seconds: float) -> bool:
        """Wait until woken (True) or `seconds` passed (False)."""
        try:
            await asyncio.wait_for(self.event.wait(), max(0.0, seconds))
        except TimeoutError:
            return False
        return True

    def _forget_head(self) -> None:
        self._head = None
        self._failures = 0
        self._retry_at = 0.0
        self._logged_not_ready = None

    async def _step(self) -> None:
        info = self.manager.printers.get(self.printer_id)
        if info is None or not info.is_active:
            await self._sleep(self.settings.print_status_poll_seconds)  # reconcile is about to stop this worker
            return
        jobs, self._prefetched = self._prefetched, None
        if jobs is None:
            if self.event.is_set():
                # Woken by new tickets: let the ones committed in the same instant join them, so a rush costs one
                # connection and two commits per few tickets rather than per ticket (a kitchen never sees 20 ms).
                await asyncio.sleep(GATHER_SECONDS)
            # Cleared before reading the queue: a wake-up that arrives after the read is kept for the next round.
            self.event.clear()
            jobs = await self.manager.read(service.next_jobs, self.printer_id, MAX_BATCH)
        # (The queue the last commit returned is used as it is, the event left set: jobs committed since then
        # wake the next round.)
        if not jobs:
            self._forget_head()
            if not await self._sleep(self.settings.print_status_poll_seconds):
                await self._poll(info)
            return
        if jobs[0].id != self._head:
            self._forget_head()
            self._head = jobs[0].id
        wait = self._retry_at - time.monotonic()
        if wait > 0:
            await self._sleep(wait)
            return
        await self._attempt(info, jobs)

    # --- one attempt: a connection that prints the jobs waiting, in order ---

    def _connect(self, info: PrinterInfo) -> tuple[PrinterTransport, PrinterStatus]:
        transport = self.manager.transport_factory(
            info.ip_address, info.port, self.settings.print_connect_timeout_seconds
        )
        transport.open()
        try:
            return transport, read_status(transport, self.settings.print_connect_timeout_seconds)
        except BaseException:
            transport.close()
            raise

    def _print(
        self, transport: PrinterTransport, info: PrinterInfo, jobs: list[ClaimedJob], started: datetime, t0: float
    ) -> _Batch:
        """Send the jobs one by one, each followed by GS r 1 and confirmed by its answer before the next goes out."""
        batch = _Batch(claimed=jobs, started=started)
        for index, job in enumerate(jobs):
            started, t_job = (batch.started, t0) if index == 0 else (utcnow(), time.monotonic())
            try:
                rendered = service.render_job(
                    job.kind,
                    job.payload,
                    info,
                    reprint=job.reprint,
                    backup_of=job.zone_name if job.on_backup else None,
                    tz=self.settings.tz,
                    now=utcnow(),
                )
            except Exception as exc:
                batch.fail(job, f"cannot render this job: {exc!r}", started, t_job, sent=False, unprintable=True)
                return batch
            try:
                batch.status = send_and_confirm(transport, rendered.data, self.settings.print_confirm_timeout_seconds)
            except PrinterError as exc:
                batch.fail(job, str(exc), started, t_job, sent=True)
                return batch
            batch.printed.append(
                service.PrintedJob(
                    id=job.id,
                    kind=job.kind,
                    order_id=job.order_id,
                    item_ids=job.item_ids,
                    started_at=started,
                    duration_ms=int((time.monotonic() - t_job) * 1000),
                    replaced=rendered.replaced,
                    on_backup=job.on_backup,
                    reprint=job.reprint,
                )
            )
        return batch

    async def _attempt(self, info: PrinterInfo, jobs: list[QueuedJob]) -> None:
        # One connection for the jobs already waiting (up to MAX_BATCH): under a rush a printer drains its queue
        # at the speed of the printer, not of one connect, two commits and a close per ticket. Each job is still
        # confirmed on its own, so a failure marks only that job (REPRINT) and returns the rest to the queue.
        head = jobs[0]
        started = utcnow()
        t0 = time.monotonic()
        try:
            transport, status = await self.manager.io(self._connect, info)
        except PrinterError as exc:
            self.manager.seen(info.id, online=False, paper_out=None, paper_near_end=None, last_error=str(exc))
            await self._failed(info, head, str(exc), started, t0, sent=False)
            return
        if not status.can_print:
            transport.close()
            paper_out = bool(status.paper_out)
            reason = "out of paper" if paper_out else "offline (cover open or printer error)"
            self._saw_status(info, status, error=reason)
            await self._failed(info, head, reason, started, t0, sent=False, not_ready=True, paper_out=paper_out)
            return
        self._saw_status(info, status)
        try:
            ids = [job.id for job in jobs]
            claimed = await self.manager.write(lambda db: service.claim_jobs(db, ids, info.id))
            if not claimed:  # voided or moved meanwhile
                return
            batch = await self.manager.io(self._print, transport, info, claimed, started, t0)
        finally:
            transport.close()
        released = batch.unsent()
        if batch.printed or released:
            clear_paper_alert = self._paper_alert is not False
            queue = await self.manager.write(
                lambda db: service.record_printed(
                    db,
                    printer=info,
                    printed=batch.printed,
                    released=released,
                    clear_paper_alert=clear_paper_alert,
                    next_limit=MAX_BATCH,
                )
            )
            if batch.failure is None:
                self._prefetched = queue
        if batch.printed:
            self._down_since = None
            self._paper_alert = False
            self._forget_head()
            confirmed = batch.status
            self.manager.seen(
                info.id,
                online=True,
                paper_out=bool(confirmed.paper_out) if confirmed else False,
                paper_near_end=confirmed.paper_near_end if confirmed else None,
                last_error=None,
                last_success_at=utcnow(),
            )
            for job in batch.printed:
                if job.replaced:
                    log.info("job %s on %s: transliterated %s", job.id, info.name, "".join(job.replaced))
            self.manager.alerts_changed(info.id)
        failure = batch.failure
        if failure is not None:
            if failure.unprintable:
                log.error("print job %s cannot be rendered: %s", failure.job.id, failure.error)
            else:
                self.manager.seen(info.id, online=False, last_error=failure.error)
            await self._failed(
                info,
                QueuedJob(id=failure.job.id, kind=failure.job.kind),
                failure.error,
                failure.started,
                failure.t0,
                sent=failure.sent,
                unprintable=failure.unprintable,
            )

    def _saw_status(self, info: PrinterInfo, status: PrinterStatus, *, error: str | None = None) -> None:
        self.manager.seen(
            info.id,
            online=status.online,
            paper_out=status.paper_out,
            paper_near_end=status.paper_near_end,
            last_error=error,
        )

    async def _failed(
        self,
        info: PrinterInfo,
        job: QueuedJob,
        error: str,
        started: datetime,
        t0: float,
        *,
        sent: bool,
        not_ready: bool = False,
        paper_out: bool = False,
        unprintable: bool = False,
    ) -> None:
        now = time.monotonic()
        if job.id != self._head:  # a later job of a batch failed: it is now the head to retry
            self._forget_head()
            self._head = job.id
        if self._down_since is None and not unprintable:
            self._down_since = now
        self._failures += 1
        delay = self.settings.print_retry_base_seconds * 2 ** min(self._failures - 1, 30)
        self._retry_at = now + min(delay, self.settings.print_retry_max_seconds)
        # A printer that keeps saying "no paper" is being polled, not retried: log its first answer only.
        log_attempt = not (not_ready and self._logged_not_ready == error)
        self._logged_not_ready = error if not_ready else None
        down_for = now - (self._down_since if self._down_since is not None else now)
        backup = self.manager.active_backup(info)
        fail_over_to = (
            backup if backup is not None and job.kind != "test" and down_for >= info.failover_seconds else None
        )
        give_up = unprintable or (job.kind == "test" and down_for >= info.failover_seconds)
        if not (log_attempt or fail_over_to or give_up):
            return
        duration_ms = int((now - t0) * 1000)
        moved = await self.manager.write(
            lambda db: service.record_failure(
                db,
                job_id=job.id,
                printer=info,
                started_at=started,
                duration_ms=duration_ms,
                error=error,
                sent=sent,
                log_attempt=log_attempt,
                paper_out=paper_out,
                fail_over_to=fail_over_to,
                give_up=give_up,
            )
        )
        if log_attempt:
            log.warning("printer %s, job %s: %s (retry in %.1fs)", info.name, job.id, error, self._retry_at - now)
        if moved and fail_over_to is not None:
            log.warning(
                "printer %s failing for %.0fs: %d job(s) moved to %s",
                info.name,
                down_for,
                len(moved),
                fail_over_to.name,
            )
            self.manager.wake([fail_over_to.id])
        if moved or give_up:
            self._forget_head()
        self.manager.alerts_changed(info.id)

    # --- idle status poll ---

    async def _poll(self, info: PrinterInfo) -> None:
        transport = self.manager.transport_factory(
            info.ip_address, info.port, self.settings.print_connect_timeout_seconds
        )
        try:
            status = await self.manager.io(probe, transport, self.settings.print_connect_timeout_seconds)
        except PrinterError as exc:
            self.manager.seen(info.id, online=False, paper_out=None, paper_near_end=None, last_error=str(exc))
            if self._down_since is None:
                self._down_since = time.monotonic()
            return
        if status.can_print:
            self._down_since = None
            self._saw_status(info, status)
        else:
            if self._down_since is None:
                self._down_since = time.monotonic()
            self._saw_status(info, status, error="out of paper" if status.paper_out else "offline")
        paper_out = bool(status.paper_out)
        if paper_out != self._paper_alert:
            await self.manager.write(lambda db: service.set_paper_alert(db, printer=info, paper_out=paper_out))
            self._paper_alert = paper_out
            self.manager.alerts_changed(info.id)
