"""/api/guest/{token} (guests' phones, no login: the table's QR code is the credential), /api/guest-submissions
(staff decide on what guests sent) and the guests' live view, WebSocket /ws/guest/{token}.

The guest socket speaks live/stream.py's protocol but never forwards an event: every event about its table is
only a cue to recompute the guest's own views (cart, order), which hold no staff data. Close codes: 4404 unknown
or replaced code, 4410 table out of service.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, WebSocket
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser
from local_backend.db import DbSession, TavoloRoute, after_commit, get_database
from local_backend.events import Event, EventFilter
from local_backend.guest import payments, service
from local_backend.guest.schemas import (
    MAX_ID,
    GuestCallCreate,
    GuestCallRead,
    GuestCartLineCreate,
    GuestCartLineUpdate,
    GuestCartRead,
    GuestMenuRead,
    GuestOrderRead,
    GuestPayCreate,
    GuestPaymentRead,
    GuestRejectIn,
    GuestSubmissionRead,
    GuestSubmissionStaffRead,
    GuestSubmit,
    GuestTableRead,
    SubmissionStatus,
)
from local_backend.licensing.dependencies import LicenseRequired, get_license
from local_backend.licensing.errors import LICENSE_ERRORS
from local_backend.live import stream
from local_backend.orders.schemas import OrderRead
from local_backend.staff import service as staff
from local_backend.staff.models import User
from local_backend.tables import service as tables
from local_backend.upi import service as upi_service
from local_backend.upi.manager import UpiManager
from local_backend.upi.router import UpiDep
from local_backend.upi.schemas import UpiAvailabilityRead
from shared.errors import error_responses

router = APIRouter(prefix="/api/guest", tags=["guest"], route_class=TavoloRoute)
# Asking the gateway for a QR takes a while: not a TavoloRoute, which would hold the app's writer meanwhile.
pay_router = APIRouter(prefix="/api/guest", tags=["guest"])
staff_router = APIRouter(prefix="/api/guest-submissions", tags=["guest"], route_class=TavoloRoute)
socket_router = APIRouter(tags=["guest"])

Token = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="The table's code")]
LineId = Annotated[int, Path(ge=1, le=MAX_ID)]
SubmissionId = Annotated[int, Path(ge=1, le=MAX_ID)]
PaymentId = Annotated[int, Path(ge=1, le=MAX_ID)]
PAYS_PER_MINUTE = 6
PAY_ERRORS = (*payments.PAY_ERRORS, *upi_service.CREATE_ERRORS)

GONE = 4410
INVALID = 4404


def get_limits(request: Request) -> service.GuestLimits:
    limits: service.GuestLimits = request.app.state.guest_limits
    return limits


Limits = Annotated[service.GuestLimits, Depends(get_limits)]


@router.get("/{token}", response_model=GuestTableRead, responses=error_responses(*service.TOKEN_ERRORS))
def guest_table(token: Token, request: Request, db: DbSession) -> Any:
    """The table behind a code: its label, the restaurant, and whether orders are taken now."""
    table = service.table_for_token(db, token)
    status = get_license(request).current()
    reason = None if status.allows_orders else "The restaurant cannot take orders from the table right now"
    return service.table_view(db, table=table, license_reason=reason)


@router.get("/{token}/menu", response_model=GuestMenuRead, responses=error_responses(*service.TOKEN_ERRORS))
def guest_menu(token: Token, db: DbSession) -> Any:
    """What guests can order: available products of active categories, with options and preferences."""
    service.table_for_token(db, token)
    return service.menu_view(db)


@router.get("/{token}/cart", response_model=GuestCartRead, responses=error_responses(*service.TOKEN_ERRORS))
def guest_cart(token: Token, db: DbSession) -> Any:
    """The table's shared cart and its version."""
    table = service.table_for_token(db, token)
    return service.cart_view(db, table.id)


@router.post(
    "/{token}/cart/lines",
    status_code=201,
    response_model=GuestCartRead,
    responses=error_responses(*service.ADD_LINE_ERRORS),
)
def add_cart_line(token: Token, body: GuestCartLineCreate, db: DbSession, limits: Limits) -> Any:
    """Add a line to the shared cart (validated and priced like a waiter's item); answers with the cart."""
    table = service.table_for_token(db, token)
    return service.add_line(db, table=table, data=body, limits=limits)


@router.patch(
    "/{token}/cart/lines/{line_id}",
    response_model=GuestCartRead,
    responses=error_responses(*service.CHANGE_LINE_ERRORS),
)
def change_cart_line(token: Token, line_id: LineId, body: GuestCartLineUpdate, db: DbSession, limits: Limits) -> Any:
    """Set a line's quantity, or add `delta` to it (taps on + and -); answers with the cart."""
    table = service.table_for_token(db, token)
    return service.change_line(
        db, table=table, line_id=line_id, quantity=body.quantity, delta=body.delta, limits=limits
    )


@router.delete(
    "/{token}/cart/lines/{line_id}",
    response_model=GuestCartRead,
    responses=error_responses(*service.CHANGE_LINE_ERRORS),
)
def remove_cart_line(token: Token, line_id: LineId, db: DbSession, limits: Limits) -> Any:
    """Remove a line from the cart; answers with the cart."""
    table = service.table_for_token(db, token)
    return service.remove_line(db, table=table, line_id=line_id, limits=limits)


@router.post(
    "/{token}/submit",
    status_code=201,
    response_model=GuestSubmissionRead,
    responses=error_responses(*LICENSE_ERRORS, *service.SUBMIT_ERRORS),
)
def submit_cart(token: Token, body: GuestSubmit, _: LicenseRequired, db: DbSession, limits: Limits) -> Any:
    """Send the cart as seen at `cart_version` to the staff (or straight to the kitchen in direct mode)."""
    table = service.table_for_token(db, token)
    return service.submit(db, table=table, nickname=body.nickname, cart_version=body.cart_version, limits=limits)


@router.get("/{token}/order", response_model=GuestOrderRead, responses=error_responses(*service.TOKEN_ERRORS))
def guest_order(token: Token, db: DbSession, upi: UpiDep) -> Any:
    """The table's open order as guests may see it (items, kitchen states, money, UPI payments) and this party's
    sends."""
    table = service.table_for_token(db, token)
    return service.order_view(db, table.id, payments.availability(db, upi.status()))


@pay_router.post(
    "/{token}/payments",
    status_code=201,
    response_model=GuestPaymentRead,
    responses=error_responses(*service.TOKEN_ERRORS, service.GuestRateLimited, *PAY_ERRORS),
)
async def pay_share(token: Token, body: GuestPayCreate, request: Request, limits: Limits, upi: UpiDep) -> Any:
    """A UPI QR for this guest's share of the bill (their items, 1 of N, the rest or an amount); it is recorded on
    the bill once the money arrives, like a waiter's UPI QR. Idempotency-Key makes a retry safe."""
    database = get_database(request)

    def prepare() -> tuple[payments.GuestPlan, User | None]:
        with database.read_session() as db:
            table = service.table_for_token(db, token)
            payments.ensure_available(db, upi.status())
            limits.check(("pay", table.id), PAYS_PER_MINUTE, what="payment requests")
            plan = payments.plan(db, table=table, data=body)
            guest_id = staff.guest_user_id(db)
            return plan, None if guest_id is None else staff.get_user(db, guest_id)

    # A retry answers what the first attempt got, before the share is priced again (it is then already asked for).
    with database.read_session() as db:
        replay = await request.app.state.idempotency.replay(request, db)
    if replay is not None:
        return replay
    plan, by = await run_in_threadpool(prepare)
    if by is None:
        # Guests who only pay (a waiter took their order) may be the first to need the QR guests' user.
        by = await database.writer.run(staff.guest_user)
    guest_id = by.id
    return await upi.create(
        request,
        order_id=plan.order_id,
        amount=plan.amount,
        split_part=plan.split_part,
        by=by,
        guest=True,
        view=lambda row: GuestPaymentRead.model_validate(payments.request_view(row, guest_id)),
    )


@router.get(
    "/{token}/payments/{payment_id}",
    response_model=GuestPaymentRead,
    responses=error_responses(*service.TOKEN_ERRORS, payments.GuestPaymentNotFound),
)
def guest_payment(token: Token, payment_id: PaymentId, db: DbSession) -> Any:
    """One payment asked for from this table (while its bill is open, and for a while after it closed)."""
    table = service.table_for_token(db, token)
    row = payments.for_table(db, table=table, request_id=payment_id)
    return payments.request_view(row, staff.guest_user_id(db))


@router.post(
    "/{token}/payments/{payment_id}/cancel",
    response_model=GuestPaymentRead,
    responses=error_responses(*service.TOKEN_ERRORS, payments.GuestPaymentNotFound, upi_service.UpiNotPending),
)
def cancel_payment(token: Token, payment_id: PaymentId, db: DbSession, upi: UpiDep) -> Any:
    """Stop a QR asked for from this table (the guest chose another share, or pays otherwise)."""
    table = service.table_for_token(db, token)
    row = payments.cancel(db, table=table, request_id=payment_id)
    # Only once committed: the poller then closes the QR at the gateway and checks it one last time.
    after_commit(db, lambda: upi.wake(force=True))
    return payments.request_view(row, staff.guest_user_id(db))


@router.post(
    "/{token}/call", status_code=202, response_model=GuestCallRead, responses=error_responses(*service.CALL_ERRORS)
)
def call_staff(token: Token, body: GuestCallCreate, db: DbSession, limits: Limits) -> Any:
    """Call the waiter or ask for the bill (once per kind a minute per table)."""
    table = service.table_for_token(db, token)
    service.call(db, table=table, kind=body.kind, limits=limits)
    return {"ok": True}


@staff_router.get("", response_model=list[GuestSubmissionStaffRead], responses=error_responses(*AUTH_ERRORS))
def list_submissions(
    user: CurrentUser,
    db: DbSession,
    status: Annotated[SubmissionStatus | None, Query(description="Only these; default: the last 24 hours'")] = None,
) -> Any:
    """What guests sent from their tables: a waiter sees their own, assisted and free tables'; a manager all."""
    return service.list_submissions(db, user=user, status=status)


@staff_router.post(
    "/{submission_id}/accept",
    status_code=201,
    response_model=OrderRead,
    responses=error_responses(*AUTH_ERRORS, *LICENSE_ERRORS, *service.ACCEPT_ERRORS),
)
def accept_submission(submission_id: SubmissionId, user: CurrentUser, _: LicenseRequired, db: DbSession) -> Any:
    """Accept a guest submission: its items are added to the table's order (opened for you if there is none)."""
    return service.accept(db, submission_id=submission_id, by=user)


@staff_router.post(
    "/{submission_id}/reject",
    response_model=GuestSubmissionStaffRead,
    responses=error_responses(*AUTH_ERRORS, *service.REJECT_ERRORS),
)
def reject_submission(submission_id: SubmissionId, body: GuestRejectIn, user: CurrentUser, db: DbSession) -> Any:
    """Turn a guest submission down with a reason the guests see."""
    return service.reject(db, submission_id=submission_id, reason=body.reason, by=user)


# --- the guests' live view ----------------------------------------------------------------------------------


def _socket_table(db: Session, *, token: str) -> tuple[int | None, int]:
    """(table id, 0) for a usable code; (None, close code) otherwise."""
    try:
        return service.table_for_token(db, token).id, 0
    except tables.TableTokenInvalid:
        return None, INVALID
    except service.TableGone:
        return None, GONE


def guest_filter(table_id: int) -> EventFilter:
    """Guest events of this table, and staff events about its order (only as cues: they are never forwarded)."""

    def accepts(event: Event) -> bool:
        audience = event.audience
        if table_id in audience.guest_table_ids:
            return True
        if audience.staff and event.type == "menu.changed":
            return True
        return (
            audience.staff
            and event.data.get("table_id") == table_id
            and (event.type.startswith(("order.", "upi.")) or event.type == "table.changed")
        )

    return accepts


def _views(
    db: Session, *, table_id: int, cart: bool, order: bool, upi: UpiAvailabilityRead | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if cart:
        out["cart"] = GuestCartRead.model_validate(service.cart_view(db, table_id)).model_dump(mode="json")
    if order:
        pay = payments.availability(db, upi) if upi is not None else None
        view = service.order_view(db, table_id, pay)
        out["order"] = GuestOrderRead.model_validate(view).model_dump(mode="json")
    return out


@socket_router.websocket("/ws/guest/{token}")
async def guest_socket(websocket: WebSocket, token: str) -> None:
    database = websocket.app.state.database
    await websocket.accept()
    table_id, code = await stream.read_async(database, _socket_table, token=token[:64])
    if table_id is None:
        await websocket.close(code=code, reason="table code not valid" if code == INVALID else "table not in service")
        return

    upi: UpiManager = websocket.app.state.upi

    async def snapshot() -> dict[str, Any]:
        data: dict[str, Any] = await stream.read_async(
            database, _views, table_id=table_id, cart=True, order=True, upi=upi.status()
        )
        return data

    async def render(events: list[Event]) -> list[str]:
        # A menu edit (an 86 above all) is only a cue: the phones read the guest menu again.
        menu = any(e.type == "menu.changed" for e in events)
        events = [e for e in events if e.type != "menu.changed"]
        cart = any(
            e.type == "guest.cart" or (e.audience.staff and e.data.get("status") in (None, "closed", "cancelled"))
            for e in events
        )
        order = any(e.type != "guest.cart" for e in events)
        frames = []
        if cart or order:
            views = await stream.read_async(
                database, _views, table_id=table_id, cart=cart, order=order, upi=upi.status()
            )
            frames = [json.dumps({"type": kind, "data": data}) for kind, data in views.items()]
        if menu:
            frames.append(json.dumps({"type": "menu"}))
        return frames

    def ends(event: Event) -> stream.StreamClosed | None:
        if event.type == "guest.closed":
            closing = int(event.data.get("code", INVALID))
            return stream.StreamClosed(closing, "table not in service" if closing == GONE else "table code replaced")
        return None

    await stream.serve(
        websocket,
        accepts=guest_filter(table_id),
        since=None,
        snapshot=snapshot,
        ends=ends,
        render=render,
        who=f"guests of table {table_id}",
    )
