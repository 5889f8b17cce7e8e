"""One WebSocket event stream, shared by /ws/events (staff) and /ws/kitchen (screens).

Protocol (JSON text frames): the client connects with its credential and, when reconnecting,
`since=<epoch>:<seq>` from the last message it applied. The server answers with either
`{"type": "snapshot", "epoch", "seq", "data"}` (start over from this state) or `{"type": "resumed", "epoch", "seq"}`
(the missed events follow), then `{"type", "seq", "at", "data"}` per event. A lagging client gets a new snapshot
instead of slowing anyone down. The caller decides when a stream must end (a revoked screen) and with which code.

A caller that must not forward events as they are (guest sockets: staff events carry staff data) passes `render`:
it gets each burst of queued events at once and returns the frames to send instead (one recomputed view for a
burst, not one per event).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from local_backend.db import Database
from local_backend.events import Event, EventBus, EventFilter, Resync, parse_since

log = logging.getLogger(__name__)

UNAUTHENTICATED = 4401


class StreamClosed(Exception):
    """End the stream with this close code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def read(database: Database, fn: Callable[..., Any], **kwargs: Any) -> Any:
    with database.read_session() as db:
        return fn(db, **kwargs)


async def read_async(database: Database, fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Run a read in a worker thread (SQLite reads block), on a fresh read session."""
    return await run_in_threadpool(read, database, fn, **kwargs)


async def serve(
    websocket: WebSocket,
    *,
    accepts: EventFilter,
    since: str | None,
    snapshot: Callable[[], Awaitable[dict[str, Any]]],
    ends: Callable[[Event], StreamClosed | None] = lambda _: None,
    render: Callable[[list[Event]], Awaitable[list[str]]] | None = None,
    who: str,
) -> None:
    """Stream to an accepted, authenticated socket until either side leaves: snapshot or resume, then events."""
    bus: EventBus = websocket.app.state.database.events
    subscription, resumed = bus.subscribe(accepts, since=parse_since(since, bus.epoch))

    async def send_snapshot() -> int:
        seq = bus.seq  # events up to here are in what is read next; later ones follow (and carry state)
        data = await snapshot()
        await websocket.send_json({"type": "snapshot", "epoch": bus.epoch, "seq": seq, "data": data})
        return seq

    async def pump() -> None:
        floor = -1
        if resumed and since is not None:
            await websocket.send_json({"type": "resumed", "epoch": bus.epoch, "seq": int(since.partition(":")[2])})
        else:
            floor = await send_snapshot()
        while True:
            item = await subscription.next()
            if render is not None:
                floor = await render_burst([item, *subscription.ready()], floor)
            elif isinstance(item, Resync):
                floor = await send_snapshot()
            elif isinstance(item, Event) and item.seq > floor:
                closing = ends(item)
                if closing is not None:
                    raise closing
                await websocket.send_text(item.text)

    async def render_burst(items: list[Event | Resync], floor: int) -> int:
        if render is None:
            return floor
        if any(isinstance(item, Resync) for item in items):
            return await send_snapshot()
        events = [item for item in items if isinstance(item, Event) and item.seq > floor]
        for event in events:
            closing = ends(event)
            if closing is not None:
                raise closing
        if events:
            for text in await render(events):
                await websocket.send_text(text)
        return floor

    async def until_closed() -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()  # the client says nothing we need; this notices it leaving

    sender = asyncio.create_task(pump())
    listener = asyncio.create_task(until_closed())
    code, reason = 1000, ""
    try:
        done, _ = await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
        if sender in done and not sender.cancelled() and (error := sender.exception()) is not None:
            if isinstance(error, StreamClosed):
                code, reason = error.code, error.reason
            else:
                log.info("event socket of %s ended: %r", who, error)
    finally:
        subscription.close()
        for task in (sender, listener):
            task.cancel()
        with contextlib.suppress(Exception):
            await websocket.close(code=code, reason=reason)
