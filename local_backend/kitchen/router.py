"""/api/kitchen: screen pairing (manager), tickets, item progress, bump and recall (screen token or staff)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, WebSocket, WebSocketDisconnect
from fastapi.security import HTTPAuthorizationCredentials
from starlette.concurrency import run_in_threadpool

from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser, bearer, current_user
from local_backend.db import Database, DbSession, TavoloRoute
from local_backend.deps import SecretKeyDep
from local_backend.events import Event, EventBus, Resync, parse_since
from local_backend.kitchen import service
from local_backend.kitchen.schemas import (
    ItemStatusIn,
    KitchenItemRead,
    ScreenCreate,
    ScreenCreated,
    ScreenRead,
    TicketRead,
)
from local_backend.orders.schemas import MAX_ID
from shared.errors import error_responses

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/kitchen", tags=["kitchen"], route_class=TavoloRoute)

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


async def kitchen_caller(
    db: DbSession,
    secret_key: SecretKeyDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> service.Caller:
    """A paired screen (its `kds_…` token) or a member of staff (an access token)."""
    if credentials is not None and service.is_screen_token(credentials.credentials):
        screen = await run_in_threadpool(service.authenticate_screen, db, credentials.credentials)
        if screen is None:
            raise service.ScreenTokenInvalid()
        return service.Caller(screen=screen)
    return service.Caller(user=await current_user(db, secret_key, credentials))


KitchenCaller = Annotated[service.Caller, Depends(kitchen_caller)]
CALLER_ERRORS = (*AUTH_ERRORS, service.ScreenTokenInvalid)


@router.post(
    "/screens",
    status_code=201,
    response_model=ScreenCreated,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, *service.CREATE_ERRORS),
)
def create_screen(body: ScreenCreate, user: ManagerUser, db: DbSession) -> Any:
    """Pair a kitchen screen with zones (printers); the answer holds its token, shown only this once."""
    screen, token = service.create_screen(db, name=body.name, zone_ids=body.zone_ids, expo=body.expo, by=user)
    return ScreenCreated(
        id=screen.id,
        name=screen.name,
        zone_ids=list(screen.zone_ids),
        expo=screen.expo,
        created_at=screen.created_at,
        token=token,
    )


@router.get("/screens", response_model=list[ScreenRead], responses=error_responses(*AUTH_ERRORS, ManagerRequired))
def list_screens(_: ManagerUser, db: DbSession) -> Any:
    """The paired screens (tokens are never shown again)."""
    return service.list_screens(db)


@router.delete(
    "/screens/{screen_id}",
    status_code=204,
    responses=error_responses(*AUTH_ERRORS, ManagerRequired, service.ScreenNotFound),
)
def revoke_screen(screen_id: RowId, user: ManagerUser, db: DbSession) -> Response:
    """Unpair a screen: its token stops working at once and its open socket is closed."""
    service.revoke_screen(db, screen_id=screen_id, by=user)
    return Response(status_code=204)


@router.get(
    "/tickets",
    response_model=list[TicketRead],
    responses=error_responses(*CALLER_ERRORS, *service.VIEW_ERRORS),
)
def list_tickets(
    caller: KitchenCaller,
    db: DbSession,
    zone_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="One zone (printer) only")] = None,
    bumped: Annotated[bool, Query(description="The last bumped tickets (for recall) instead of open ones")] = False,
    limit: Annotated[int, Query(ge=1, le=100, description="How many bumped tickets")] = 10,
) -> Any:
    """Open tickets of the caller's zones, oldest first (a screen sees its zones, expo and managers all)."""
    return service.list_tickets(db, caller=caller, zone_id=zone_id, bumped=bumped, limit=limit)


@router.post(
    "/items/{item_id}/status",
    response_model=KitchenItemRead,
    responses=error_responses(*CALLER_ERRORS, *service.ITEM_ERRORS),
)
def set_item_status(item_id: RowId, body: ItemStatusIn, caller: KitchenCaller, db: DbSession) -> Any:
    """Move an item forward: preparing, ready, served (a waiter may mark their own items served)."""
    return service.set_item_status(db, item_id=item_id, status=body.status, caller=caller)


@router.post(
    "/tickets/{ticket_id}/bump",
    response_model=TicketRead,
    responses=error_responses(*CALLER_ERRORS, *service.BUMP_ERRORS),
)
def bump(ticket_id: RowId, caller: KitchenCaller, db: DbSession) -> Any:
    """Every live item of the ticket is ready; the ticket leaves the screen."""
    return service.bump(db, ticket_id=ticket_id, caller=caller)


@router.post(
    "/tickets/{ticket_id}/recall",
    response_model=TicketRead,
    responses=error_responses(*CALLER_ERRORS, *service.RECALL_ERRORS),
)
def recall(ticket_id: RowId, caller: KitchenCaller, db: DbSession) -> Any:
    """Bring a bumped ticket back; its ready items return to preparing."""
    return service.recall(db, ticket_id=ticket_id, caller=caller)


# ---------------------------------------------------------------------------------------------------------------
# WebSocket /ws/kitchen: a snapshot (or `resumed`), then the kitchen events of the screen's zones, in order.
# The same protocol as /ws/events (see local_backend/live/router.py); close code 4401 for a bad or revoked token,
# also sent to an open socket the moment its screen is revoked.

socket_router = APIRouter(tags=["kitchen"])
UNAUTHENTICATED = 4401


def _read(database: Database, fn: Any, **kwargs: Any) -> Any:
    with database.read_session() as db:
        return fn(db, **kwargs)


class _Revoked(Exception):
    pass


@socket_router.websocket("/ws/kitchen")
async def kitchen_events(websocket: WebSocket, token: str | None = None, since: str | None = None) -> None:
    database: Database = websocket.app.state.database
    bus: EventBus = database.events
    await websocket.accept()
    screen: service.ScreenInfo | None = await run_in_threadpool(
        _read, database, service.authenticate_screen, token=token
    )
    if screen is None:
        await websocket.close(code=UNAUTHENTICATED, reason="pair this screen again")
        return
    subscription, resumed = bus.subscribe(service.kitchen_filter(screen), since=parse_since(since, bus.epoch))

    async def snapshot() -> int:
        seq = bus.seq  # events up to here are in what is read next; later ones follow (and carry state)
        data = await run_in_threadpool(_read, database, service.kitchen_snapshot, screen_id=screen.id)
        if data is None:
            raise _Revoked()
        await websocket.send_json({"type": "snapshot", "epoch": bus.epoch, "seq": seq, "data": data})
        return seq

    async def pump() -> None:
        floor = await snapshot() if not resumed else -1
        if resumed and since is not None:
            await websocket.send_json({"type": "resumed", "epoch": bus.epoch, "seq": int(since.partition(":")[2])})
        while True:
            item = await subscription.next()
            if isinstance(item, Resync):
                floor = await snapshot()
            elif isinstance(item, Event) and item.seq > floor:
                if item.type == "kitchen.screen_revoked":
                    raise _Revoked()
                await websocket.send_text(item.text)

    async def until_closed() -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()  # the screen says nothing we need; this notices it leaving

    sender = asyncio.create_task(pump())
    listener = asyncio.create_task(until_closed())
    code = 1000
    try:
        done, _ = await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is sender and not task.cancelled() and task.exception() is not None:
                if isinstance(task.exception(), _Revoked):
                    code = UNAUTHENTICATED
                else:
                    log.info("kitchen socket of screen %s ended: %r", screen.id, task.exception())
    finally:
        subscription.close()
        for task in (sender, listener):
            task.cancel()
        with contextlib.suppress(Exception):
            await websocket.close(code=code, reason="screen revoked" if code == UNAUTHENTICATED else "")
