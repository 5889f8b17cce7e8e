"""/api/kitchen: screen pairing (manager), tickets, item progress, bump and recall (screen token or staff)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, WebSocket
from fastapi.security import HTTPAuthorizationCredentials
from starlette.concurrency import run_in_threadpool

from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser, bearer, current_user
from local_backend.db import Database, DbSession, TavoloRoute
from local_backend.deps import SecretKeyDep
from local_backend.events import Event
from local_backend.kitchen import service
from local_backend.kitchen.schemas import (
    ItemStatusIn,
    KitchenItemRead,
    ScreenCreate,
    ScreenCreated,
    ScreenRead,
    TicketRead,
)
from local_backend.live import stream
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
    "/screens/me",
    status_code=204,
    responses=error_responses(*CALLER_ERRORS, service.KitchenAccessDenied),
)
def unpair_self(caller: KitchenCaller, db: DbSession) -> Response:
    """A paired screen unpairs itself (its own token, sent as the bearer, stops working at once)."""
    service.unpair_self(db, caller=caller)
    return Response(status_code=204)


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
# WebSocket /ws/kitchen: live/stream.py's protocol with the kitchen events of the screen's zones. Close code 4401 for
# a bad or revoked token, also sent to an open socket the moment its screen is revoked.

socket_router = APIRouter(tags=["kitchen"])


@socket_router.websocket("/ws/kitchen")
async def kitchen_events(websocket: WebSocket, token: str | None = None, since: str | None = None) -> None:
    database: Database = websocket.app.state.database
    await websocket.accept()
    screen: service.ScreenInfo | None = await stream.read_async(database, service.authenticate_screen, token=token)
    if screen is None:
        await websocket.close(code=stream.UNAUTHENTICATED, reason="pair this screen again")
        return
    revoked = stream.StreamClosed(stream.UNAUTHENTICATED, "screen revoked")

    async def snapshot() -> dict[str, Any]:
        data: dict[str, Any] | None = await stream.read_async(database, service.kitchen_snapshot, screen_id=screen.id)
        if data is None:
            raise revoked
        return data

    def ends(event: Event) -> stream.StreamClosed | None:
        return revoked if event.type == "kitchen.screen_revoked" else None

    await stream.serve(
        websocket,
        accepts=service.kitchen_filter(screen),
        since=since,
        snapshot=snapshot,
        ends=ends,
        who=f"screen {screen.id}",
    )
