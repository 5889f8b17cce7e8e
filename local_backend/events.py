"""The in-process event bus: domain events published after commit, fanned out to WebSocket subscribers.

Design, and why:
- **After commit only.** Services call `publish_after_commit(db, ...)`; the event exists only once the write it
  describes is durable, so a screen never shows something a crash could take back.
- **Sequence numbers and an epoch.** Every event gets the next `seq` of this process; `epoch` is random per
  boot. A client that reconnects with `since=<epoch>:<seq>` gets exactly the events after `seq` from the
  history ring, or, when they are no longer there (or the appliance restarted), a fresh snapshot.
- **Events carry state, not deltas.** An event says what an entity looks like now (an order's head, an item's
  status), so applying one twice, or one already contained in a snapshot, changes nothing. That makes the
  snapshot/event seam safe without locking the writer while a snapshot is read.
- **A slow subscriber never slows a write.** Publishing appends to bounded per-subscriber queues without
  awaiting; a subscriber whose queue is full is told to resync (take a new snapshot) instead of blocking anyone.
- **Audience.** Each event says who may see it (staff at all, only some waiters, kitchen zones); subscriptions
  carry a filter built from the subscriber's identity, so authorization is decided once, at subscribe time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from local_backend.db import EVENTS_KEY, after_commit
from shared.clock import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Audience:
    """Who may receive an event. `waiter_ids=None` means every member of staff; managers always see staff events.

    `guest_table_ids`: the guest sockets (phones at a table, from its QR code) of these tables. Guest events are
    never staff events: they carry no staff data and are only a cue for the guest socket to recompute its views.
    """

    staff: bool = True
    waiter_ids: frozenset[int] | None = None
    zone_ids: frozenset[int] = frozenset()
    guest_table_ids: frozenset[int] = frozenset()

    @staticmethod
    def everyone(zone_ids: Iterable[int] = ()) -> Audience:
        return Audience(zone_ids=frozenset(zone_ids))

    @staticmethod
    def waiters(ids: Iterable[int], zone_ids: Iterable[int] = ()) -> Audience:
        return Audience(waiter_ids=frozenset(ids), zone_ids=frozenset(zone_ids))

    @staticmethod
    def guests(table_id: int) -> Audience:
        return Audience(staff=False, guest_table_ids=frozenset((table_id,)))


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    type: str
    at: datetime
    data: dict[str, Any]
    audience: Audience

    # The wire form, serialized once at publication however many sockets send it.
    text: str = ""

    def message(self) -> dict[str, Any]:
        return {"type": self.type, "seq": self.seq, "at": self.at.isoformat(), "data": self.data}


class Resync:
    """Marker in a subscriber's queue: events were lost for it (queue overflow); it must take a snapshot."""

    reason = "lagging"


RESYNC = Resync()
EventFilter = Callable[[Event], bool]


@dataclass(eq=False)
class Subscription:
    bus: EventBus
    accepts: EventFilter
    queue_size: int
    queue: asyncio.Queue[Event | Resync] = field(init=False)
    loop: asyncio.AbstractEventLoop = field(init=False)
    lagging: bool = False

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size + 1)  # +1: room for the resync marker
        self.loop = asyncio.get_running_loop()

    def offer(self, event: Event) -> None:
        """Called on the loop thread by the bus; never blocks."""
        if self.lagging or not self.accepts(event):
            return
        if self.queue.qsize() >= self.queue_size:
            # Drop what is queued: the subscriber will rebuild from a snapshot, which includes all of it.
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)
            self.lagging = True
            return
        self.queue.put_nowait(event)

    async def next(self) -> Event | Resync:
        item = await self.queue.get()
        if isinstance(item, Resync):
            self.lagging = False
        return item

    def ready(self) -> list[Event | Resync]:
        """What is queued now, without waiting (lets a subscriber handle a burst of events at once)."""
        items: list[Event | Resync] = []
        while not self.queue.empty():
            item = self.queue.get_nowait()
            if isinstance(item, Resync):
                self.lagging = False
            items.append(item)
        return items

    def close(self) -> None:
        self.bus.unsubscribe(self)


class EventBus:
    """Sequence, history and fan-out of domain events for one appliance process."""

    def __init__(self, *, history: int = 5_000, queue_size: int = 1_000) -> None:
        self.epoch = secrets.token_hex(4)
        self.queue_size = queue_size
        self._seq = 0
        self._history: deque[Event] = deque(maxlen=history)
        self._subscribers: set[Subscription] = set()
        self._lock = threading.Lock()  # publish may come from a worker thread
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def seq(self) -> int:
        return self._seq

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop subscribers live on; events published from other threads are handed over to it."""
        self._loop = loop

    def publish(self, type_: str, data: dict[str, Any], audience: Audience) -> Event:
        with self._lock:
            self._seq += 1
            at = utcnow()
            text = json.dumps({"type": type_, "seq": self._seq, "at": at.isoformat(), "data": data})
            event = Event(seq=self._seq, type=type_, at=at, data=data, audience=audience, text=text)
            self._history.append(event)
        self._deliver(event)
        return event

    def _deliver(self, event: Event) -> None:
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or running is loop:
            self._fan_out(event)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._fan_out, event)

    def _fan_out(self, event: Event) -> None:
        for subscription in list(self._subscribers):
            subscription.offer(event)

    def subscribe(self, accepts: EventFilter, *, since: int | None = None) -> tuple[Subscription, bool]:
        """Register a subscriber (on the loop thread). With `since`, queue the missed events and return True if
        they were all still in the history; False means the caller must send a snapshot first."""
        subscription = Subscription(self, accepts, self.queue_size)
        with self._lock:
            resumed = since is not None and self._can_resume(since)
            missed = [event for event in self._history if event.seq > since] if resumed and since is not None else []
            self._subscribers.add(subscription)
        for event in missed:
            subscription.offer(event)
        return subscription, resumed

    def _can_resume(self, since: int) -> bool:
        if since > self._seq or since < 0:
            return False
        oldest = self._history[0].seq if self._history else self._seq + 1
        return since >= oldest - 1

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def subscriptions(self) -> list[Subscription]:
        """A snapshot of the live subscriptions (for metrics)."""
        return list(self._subscribers)

    def history_after(self, since: int) -> Iterator[Event]:
        """(tests, diagnostics) events still in the history after `since`."""
        with self._lock:
            return iter([event for event in self._history if event.seq > since])


def bus_of(db: Session) -> EventBus | None:
    bus = db.info.get(EVENTS_KEY)
    return bus if isinstance(bus, EventBus) else None


def publish_after_commit(db: Session, type_: str, data: dict[str, Any], audience: Audience) -> None:
    """Publish once the session's transaction committed; nothing is published for a rolled-back write."""
    bus = bus_of(db)
    if bus is None:
        return

    def publish() -> None:
        bus.publish(type_, data, audience)

    after_commit(db, publish)


def parse_since(value: str | None, epoch: str) -> int | None:
    """`<epoch>:<seq>` from a reconnecting client; None when absent, malformed or from another boot."""
    if not value:
        return None
    client_epoch, _, seq = value.partition(":")
    if client_epoch != epoch or not seq.isdigit():
        return None
    return int(seq)
