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

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.events import Event, EventFilter
from local_backend.guest import service
from local_backend.guest.schemas import (
    MAX_ID,
    GuestCallCreate,
    GuestCallRead,
    GuestCartLineCreate,
    GuestCartLineUpdate,
    GuestCartRead,
    GuestMenuRead,
    GuestOrderRead,
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
from local_backend.tables import service as tables
from shared.errors import error_responses

router = APIRouter(prefix="/api/guest", tags=["guest"], route_class=TavoloRoute)
staff_router = APIRouter(prefix="/api/guest-submissions", tags=["guest"], route_class=TavoloRoute)
socket_router = APIRouter(tags=["guest"])

Token = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="The table's code")]
LineId = Annotated[int, Path(ge=1, le=MAX_ID)]
SubmissionId = Annotated[int, Path(ge=1, le=MAX_ID)]

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
    """Change a line's quantity; answers with the cart."""
    table = service.table_for_token(db, token)
    return service.change_line(db, table=table, line_id=line_id, quantity=body.quantity, limits=limits)


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
def guest_order(token: Token, db: DbSession) -> Any:
    """The table's open order as guests may see it (items and their kitchen state, money) and this party's sends."""
    table = service.table_for_token(db, token)
    return service.order_view(db, table.id)


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
            and (event.type.startswith("order.") or event.type == "table.changed")
        )

    return accepts


def _views(db: Session, *, table_id: int, cart: bool, order: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if cart:
        out["cart"] = GuestCartRead.model_validate(service.cart_view(db, table_id)).model_dump(mode="json")
    if order:
        out["order"] = GuestOrderRead.model_validate(service.order_view(db, table_id)).model_dump(mode="json")
    return out


@socket_router.websocket("/ws/guest/{token}")
async def guest_socket(websocket: WebSocket, token: str) -> None:
    database = websocket.app.state.database
    await websocket.accept()
    table_id, code = await stream.read_async(database, _socket_table, token=token[:64])
    if table_id is None:
        await websocket.close(code=code, reason="table code not valid" if code == INVALID else "table not in service")
        return

    async def snapshot() -> dict[str, Any]:
        data: dict[str, Any] = await stream.read_async(database, _views, table_id=table_id, cart=True, order=True)
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
            views = await stream.read_async(database, _views, table_id=table_id, cart=cart, order=order)
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
