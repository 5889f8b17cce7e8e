"""UpiManager: creates QRs at the gateway and polls it while any is open, holding no transaction while it waits.

Why this shape:
- **No gateway call under the writer.** A write request holds the app's single writer for its whole run, so
  creating a QR (up to RAZORPAY_TIMEOUT_SECONDS at Razorpay) would stall every order behind it. Creation reads and
  checks on a read session, calls the gateway in a worker thread holding nothing, then writes through the group
  writer, checking again. A QR created for a write that then fails is closed at the gateway.
- **Polling, not webhooks.** The appliance sits behind NAT. One asyncio task on the app's loop wakes every
  UPI_POLL_SECONDS while a request is open (sleeping otherwise), asks the gateway about each open QR in a worker
  thread, and records a credit in one write. Network errors back off per request (poll interval doubling up to a
  minute) and keep trying; the requests live in the database, so a restart picks them up.
- **Ending a QR twice-checked.** An expired or cancelled QR is closed at the gateway, then its payments are read
  once more: money sent in the same second as the close is still recorded. If the gateway cannot confirm this
  within FINAL_GRACE after the QR's close_by, the request is `failed`, for the manager to check Razorpay.
- **Availability.** `status()` says whether the method can be offered: configured, and the last gateway call did
  not fail. While it is failing the poller probes the gateway now and then, so the method comes back by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

import anyio.from_thread
from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from local_backend.config import Settings
from local_backend.db import Database, after_commit
from local_backend.staff.models import User
from local_backend.upi import service
from local_backend.upi.gateway import Credit, FakeUpiGateway, GatewayUnavailable, UpiGateway, build_gateway
from local_backend.upi.models import UpiRequest
from local_backend.upi.schemas import UpiAvailabilityRead, UpiRequestRead
from shared.clock import utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_BACKOFF_SECONDS = 60.0
PROBE_SECONDS = 30.0
IDLE_SECONDS = 60.0
FINAL_GRACE = timedelta(hours=24)


@dataclass
class _Backoff:
    failures: int = 0
    next_at: float = 0.0


@dataclass
class Availability:
    ok: bool = True
    error: str | None = None
    since: datetime | None = None
    last_probe: float = field(default=0.0)


class UpiManager:
    def __init__(self, database: Database, settings: Settings, gateway: UpiGateway | None = None) -> None:
        self.database = database
        self.settings = settings
        self.gateway = gateway if gateway is not None else build_gateway(settings)
        self.availability = Availability()
        self._backoff: dict[int, _Backoff] = {}
        self._next_poll: dict[int, float] = {}
        self._extra_alerted: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._force = False
        self._tick_lock = asyncio.Lock()
        self._spawned: set[asyncio.Task[None]] = set()

    @property
    def poll_seconds(self) -> float:
        return self.settings.upi_poll_seconds

    # -- availability ---------------------------------------------------------------------------------------

    def status(self) -> UpiAvailabilityRead:
        if self.gateway is None:
            return UpiAvailabilityRead(
                available=False,
                gateway=None,
                code=service.UpiNotConfigured.code,
                reason=service.UpiNotConfigured.default_detail,
            )
        name = "fake" if isinstance(self.gateway, FakeUpiGateway) else "razorpay"
        if not self.availability.ok:
            return UpiAvailabilityRead(
                available=False, gateway=name, code=service.UpiUnavailable.code, reason=self.availability.error
            )
        return UpiAvailabilityRead(available=True, gateway=name, code=None, reason=None)

    def _gateway_ok(self) -> None:
        if not self.availability.ok:
            log.info("UPI gateway reachable again")
        self.availability = Availability()

    def _gateway_failed(self, exc: GatewayUnavailable) -> None:
        if self.availability.ok:
            log.warning("UPI gateway failing: %s", exc)
            self.availability = Availability(ok=False, error=str(exc), since=utcnow(), last_probe=time.monotonic())
        else:
            self.availability.error = str(exc)

    async def _call(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """A gateway call in a worker thread; its outcome decides whether UPI is offered."""
        try:
            result = await run_in_threadpool(fn, *args, **kwargs)
        except GatewayUnavailable as exc:
            self._gateway_failed(exc)
            raise
        self._gateway_ok()
        return result

    # -- the database -----------------------------------------------------------------------------------------

    def _read(self, work: Callable[[Session], T]) -> T:
        with self.database.read_session() as db:
            return work(db)

    async def _write(self, work: Callable[[Session], T]) -> T:
        return await self.database.writer.run(work)

    # -- creating and cancelling ------------------------------------------------------------------------------

    def _require_gateway(self, currency: str | None = None) -> UpiGateway:
        if self.gateway is None:
            raise service.UpiNotConfigured()
        if currency is not None and currency != "INR" and not isinstance(self.gateway, FakeUpiGateway):
            raise service.UpiNotConfigured(f"Razorpay UPI takes INR; this restaurant's currency is {currency}")
        return self.gateway

    async def create(
        self,
        request: Request,
        *,
        order_id: int,
        amount: int | None,
        split_part: str | None,
        by: User,
        guest: bool = False,
        view: Callable[[UpiRequest], object] = UpiRequestRead.model_validate,
    ) -> Response:
        """Create a QR for the bill (or a part) and store it as a pending request; answers 201 with `view` of it.

        An Idempotency-Key replay answers the first response without calling the gateway again. `guest`: asked
        from the table's code by the guests themselves (`by` is then the QR guests' user).
        """
        self._require_gateway()
        idempotency = request.app.state.idempotency
        with self.database.read_session() as db:
            replay: Response | None = await idempotency.replay(request, db)
        if replay is not None:
            return replay
        plan = await run_in_threadpool(
            self._read, lambda db: service.plan_request(db, order_id=order_id, amount=amount, by=by, guest=guest)
        )
        gateway = self._require_gateway(plan.currency)
        reference = service.new_reference()
        closes_at = utcnow().replace(microsecond=0) + timedelta(minutes=self.settings.upi_qr_ttl_minutes)
        notes = {"order_id": str(order_id), "upi_request_id": reference, "split_part": split_part or ""}
        description = f"{plan.restaurant_name} - table {plan.table_label} - bill #{order_id}"
        try:
            qr = await self._call(
                gateway.create_qr, amount=plan.amount, description=description, notes=notes, close_by=closes_at
            )
        except GatewayUnavailable as exc:
            raise service.UpiUnavailable(f"{exc}; take cash or card") from exc

        def work(db: Session) -> tuple[Response, int]:
            row = service.record_request(
                db,
                reference=reference,
                order_id=order_id,
                amount=plan.amount,
                split_part=split_part,
                qr=qr,
                gateway=gateway.name,
                closes_at=closes_at,
                by=by,
                guest=guest,
            )
            body = jsonable_encoder(view(row))
            response = JSONResponse(body, status_code=201)
            # The idempotency record commits with the request it describes (it is async only by signature).
            anyio.from_thread.run(idempotency.store, request, db, response)
            return response, row.id

        try:
            response, request_id = await self._write(work)
        except BaseException as exc:
            # Nobody will ever see this QR: close it so it cannot take money.
            self._spawn(self._close_quietly(qr.qr_id))
            if isinstance(exc, IntegrityError):
                # The same Idempotency-Key raced us: answer what the winner stored.
                with self.database.read_session() as db:
                    replay = await idempotency.replay(request, db)
                if replay is not None:
                    return replay
            raise
        # The guest needs a moment to scan: the first look at the gateway is one poll interval away.
        self._next_poll[request_id] = time.monotonic() + self.poll_seconds
        self.wake()
        return response

    async def _close_quietly(self, qr_id: str) -> None:
        if self.gateway is None:
            return
        try:
            await self._call(self.gateway.close_qr, qr_id)
        except GatewayUnavailable:
            log.warning("could not close unused UPI QR %s; it closes by itself at its close_by", qr_id)

    async def cancel(self, db: Session, *, request_id: int, by: User) -> None:
        """Mark cancelled (in the caller's write); the poller closes the QR and checks it once more.

        Woken only once the cancel is committed: woken before, it could find the request still pending and leave
        the QR open at the gateway until its next turn, long enough for a guest to pay a cancelled QR."""
        service.cancel(db, request_id=request_id, by=by)
        after_commit(db, lambda: self.wake(force=True))

    # -- polling ----------------------------------------------------------------------------------------------

    def wake(self, *, force: bool = False) -> None:
        """Look again now (force: poll every watched request now, not at its next turn). Safe from any thread:
        sync routes run in a worker thread, and an asyncio.Event may only be set on its own loop."""
        loop = self._loop
        if loop is not None and not _running_on(loop):
            loop.call_soon_threadsafe(self._wake_now, force)
            return
        self._wake_now(force)

    def _wake_now(self, force: bool) -> None:
        self._force = self._force or force
        self._wake.set()

    async def start(self) -> None:
        if self.gateway is None:
            log.info("UPI not configured (no RAZORPAY_KEY_ID/RAZORPAY_KEY_SECRET): the method is not offered")
            return
        if isinstance(self.gateway, FakeUpiGateway):
            # The fake forgets everything on restart: re-learn the QRs still open, so the demo can still pay them.
            for w in await run_in_threadpool(self._read, service.watched):
                self.gateway.adopt(w.qr_id, amount=w.amount, close_by=w.closes_at)
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="upi-poller")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            try:
                delay = await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("UPI poll failed")
                delay = self.poll_seconds
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(delay, 0.01))
            self._wake.clear()

    async def tick(self, *, force: bool = False, now: datetime | None = None) -> float:
        """One round: poll every watched request whose turn it is; returns the seconds until the next round."""
        async with self._tick_lock:
            force = force or self._force
            self._force = False
            gateway = self.gateway
            if gateway is None:
                return IDLE_SECONDS
            items = await run_in_threadpool(self._read, service.watched)
            if not items:
                if not self.availability.ok and time.monotonic() - self.availability.last_probe >= PROBE_SECONDS:
                    self.availability.last_probe = time.monotonic()
                    with contextlib.suppress(GatewayUnavailable):
                        await self._call(gateway.probe)
                return IDLE_SECONDS if self.availability.ok else PROBE_SECONDS
            moment = now or utcnow()
            mono = time.monotonic()
            for item in items:
                backoff = self._backoff.get(item.id)
                if not force:
                    if backoff is not None and backoff.next_at > mono:
                        continue
                    if self._next_poll.get(item.id, 0.0) > mono:
                        continue
                try:
                    await self._poll(gateway, item, moment)
                except GatewayUnavailable as exc:
                    await self._note_failure(item, exc, moment)
                else:
                    self._backoff.pop(item.id, None)
                    self._next_poll[item.id] = time.monotonic() + self.poll_seconds
            live = {item.id for item in items}
            for table in (self._backoff, self._next_poll):
                for key in [k for k in table if k not in live]:
                    del table[key]
            return self.poll_seconds

    async def _note_failure(self, item: service.Watched, exc: GatewayUnavailable, now: datetime) -> None:
        backoff = self._backoff.setdefault(item.id, _Backoff())
        backoff.failures += 1
        delay = min(self.poll_seconds * 2 ** min(backoff.failures, 10), MAX_BACKOFF_SECONDS)
        backoff.next_at = time.monotonic() + delay
        log.warning("UPI request %s: gateway failed (%s); next try in %.0f s", item.id, exc, delay)
        if now >= item.closes_at + FINAL_GRACE:
            await self._write(lambda db: service.mark_failed(db, request_id=item.id, error=str(exc)))

    async def _poll(self, gateway: UpiGateway, item: service.Watched, now: datetime) -> None:
        if item.status == "pending":
            credited = await self._credits(gateway, item)
            if credited:
                await self._apply(item, credited)
                return
            if now < item.closes_at:
                fits = await run_in_threadpool(self._read, lambda db: service.bill_can_take(db, request_id=item.id))
                # Paid another way or closed meanwhile: stop the QR before a guest pays money the bill cannot take.
                if not fits and await self._write(lambda db: service.cancel_stale(db, request_id=item.id)):
                    self.wake(force=True)
                return
        # Ended here (paid, cancelled) or at its close_by: close it there, then look one last time.
        await self._call(gateway.close_qr, item.qr_id)
        credited = await self._credits(gateway, item)
        if credited:
            await self._apply(item, credited)
        outcome = await self._write(lambda db: service.mark_gateway_closed(db, request_id=item.id))
        log.info("UPI request %s closed at the gateway (%s)", item.id, outcome)

    async def _credits(self, gateway: UpiGateway, item: service.Watched) -> list[Credit]:
        payments = await self._call(gateway.payments_for, item.qr_id)
        return [p for p in payments if p.credited]

    async def _apply(self, item: service.Watched, credited: list[Credit]) -> None:
        for credit in credited:
            if credit.payment_id in self._extra_alerted:
                continue
            outcome = await self._write(
                lambda db, credit=credit: service.apply_credit(db, request_id=item.id, credit=credit)  # type: ignore[misc]
            )
            if outcome.status == "overpaid":
                log.warning(
                    "UPI request %s: %s credited %s but the bill could not take it (kept as overpaid)",
                    item.id,
                    credit.payment_id,
                    credit.amount,
                )
            elif outcome.status == "paid":
                log.info("UPI request %s paid by %s (%s)", item.id, credit.payment_id, credit.amount)
            elif outcome.status == "extra":
                # A credit beyond the request's own: alerted once per process, never applied.
                self._extra_alerted.add(credit.payment_id)

    # -- background work --------------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[object, object, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._spawned.add(task)
        task.add_done_callback(self._spawned.discard)


def _running_on(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
