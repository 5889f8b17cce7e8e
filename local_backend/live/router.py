"""WebSocket /ws/events: a snapshot, then every event this member of staff may see, in order.

The protocol is live/stream.py's; the credential is `?token=<access token>`. Close code 4401: bad or expired token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, WebSocket

from local_backend.live import service, stream
from local_backend.staff.models import User

router = APIRouter(tags=["live"])


@router.websocket("/ws/events")
async def staff_events(websocket: WebSocket, token: str | None = None, since: str | None = None) -> None:
    database = websocket.app.state.database
    secret: str = websocket.app.state.secret_key
    await websocket.accept()
    user: User | None = await stream.read_async(database, service.authenticate, token=token, secret=secret)
    if user is None:
        await websocket.close(code=stream.UNAUTHENTICATED, reason="log in again")
        return

    async def snapshot() -> dict[str, Any]:
        data: dict[str, Any] = await stream.read_async(database, service.staff_snapshot, user=user)
        return data

    await stream.serve(websocket, accepts=service.staff_filter(user), since=since, snapshot=snapshot, who=user.username)
