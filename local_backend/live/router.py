"""WebSocket /ws/events: a snapshot, then every event this member of staff may see, in order.

Protocol (JSON text frames). The client connects with `?token=<access token>` and, when reconnecting,
`&since=<epoch>:<seq>` from the last message it applied. The server answers with either
`{"type": "snapshot", "epoch", "seq", "data": {...}}` (start over from this state) or
`{"type": "resumed", "epoch", "seq"}` (the missed events follow), then `{"type", "seq", "at", "data"}` per event.
A lagging client gets a new snapshot instead of slowing anyone down. Close codes: 4401 bad or expired token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from local_backend.db import Database
from local_backend.events import Event, EventBus, Resync, parse_since
from local_backend.live import service
from local_backend.staff.models import User

log = logging.getLogger(__name__)
router = APIRouter(tags=["live"])

UNAUTHENTICATED = 4401


def _read(database: Database, fn: Any, **kwargs: Any) -> Any:
    with database.read_session() as db:
        return fn(db, **kwargs)


@router.websocket("/ws/events")
async def staff_events(websocket: WebSocket, token: str | None = None, since: str | None = None) -> None:
    database: Database = websocket.app.state.database
    secret: str = websocket.app.state.secret_key
    bus: EventBus = database.events
    await websocket.accept()
    user: User | None = await run_in_threadpool(_read, database, service.authenticate, token=token, secret=secret)
    if user is None:
        await websocket.close(code=UNAUTHENTICATED, reason="log in again")
        return
    subscription, resumed = bus.subscribe(service.staff_filter(user), since=parse_since(since, bus.epoch))

    async def snapshot() -> int:
        seq = bus.seq  # events up to here are in what is read next; later ones follow (and are idempotent)
        data = await run_in_threadpool(_read, database, service.staff_snapshot, user=user)
        await websocket.send_json({"type": "snapshot", "epoch": bus.epoch, "seq": seq, "data": data})
        return seq

    async def pump() -> None:
        floor = await snapshot() if not resumed else -1
        if resumed:
            await websocket.send_json({"type": "resumed", "epoch": bus.epoch, "seq": int(since.partition(":")[2])})  # type: ignore[union-attr]
        while True:
            item = await subscription.next()
            if isinstance(item, Resync):
                floor = await snapshot()
            elif isinstance(item, Event) and item.seq > floor:
                await websocket.send_text(item.text)

    async def until_closed() -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()  # the client says nothing we need; this notices it leaving

    sender = asyncio.create_task(pump())
    listener = asyncio.create_task(until_closed())
    try:
        done, _ = await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is sender and not task.cancelled() and task.exception() is not None:
                log.info("event socket of %s ended: %r", user.username, task.exception())
    finally:
        subscription.close()
        for task in (sender, listener):
            task.cancel()
        with contextlib.suppress(Exception):
            await websocket.close()
