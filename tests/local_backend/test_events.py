"""The event bus: ordered sequence numbers, resume from history, resync instead of blocking, after-commit only."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from local_backend.db import Database
from local_backend.events import RESYNC, Audience, Event, EventBus, Resync, parse_since, publish_after_commit
from tests.conftest import make_settings

pytestmark = pytest.mark.anyio


def everything(_: Event) -> bool:
    return True


async def drain(subscription: object, count: int) -> list[Event | Resync]:
    got: list[Event | Resync] = []
    for _ in range(count):
        got.append(await asyncio.wait_for(subscription.next(), timeout=1.0))  # type: ignore[attr-defined]
    return got


class TestPublishing:
    async def test_subscribers_get_events_in_order_with_increasing_sequence_numbers(self) -> None:
        bus = EventBus()
        subscription, resumed = bus.subscribe(everything)
        assert resumed is False
        for n in range(5):
            bus.publish("item.status", {"n": n}, Audience.everyone())
        events = await drain(subscription, 5)
        assert [e.seq for e in events if isinstance(e, Event)] == [1, 2, 3, 4, 5]
        assert [e.data["n"] for e in events if isinstance(e, Event)] == [0, 1, 2, 3, 4]

    async def test_a_filter_decides_what_a_subscriber_sees(self) -> None:
        bus = EventBus()
        bar_only, _ = bus.subscribe(lambda e: 2 in e.audience.zone_ids)
        bus.publish("ticket.new", {"zone": 1}, Audience.everyone(zone_ids=[1]))
        bus.publish("ticket.new", {"zone": 2}, Audience.everyone(zone_ids=[2]))
        (event,) = await drain(bar_only, 1)
        assert isinstance(event, Event)
        assert event.data == {"zone": 2}
        assert bar_only.queue.empty()

    async def test_events_published_from_another_thread_arrive_on_the_loop(self) -> None:
        bus = EventBus()
        bus.bind(asyncio.get_running_loop())
        subscription, _ = bus.subscribe(everything)
        worker = threading.Thread(target=lambda: bus.publish("printer.status", {"ok": True}, Audience.everyone()))
        worker.start()
        worker.join()
        (event,) = await drain(subscription, 1)
        assert isinstance(event, Event)
        assert event.type == "printer.status"


class TestResume:
    async def test_a_reconnecting_client_gets_exactly_the_events_it_missed(self) -> None:
        bus = EventBus()
        for n in range(10):
            bus.publish("e", {"n": n}, Audience.everyone())
        subscription, resumed = bus.subscribe(everything, since=7)
        assert resumed is True
        events = await drain(subscription, 3)
        assert [e.seq for e in events if isinstance(e, Event)] == [8, 9, 10]
        assert subscription.queue.empty()

    async def test_a_client_too_far_behind_must_take_a_snapshot(self) -> None:
        bus = EventBus(history=5)
        for n in range(10):
            bus.publish("e", {"n": n}, Audience.everyone())
        _, resumed = bus.subscribe(everything, since=2)
        assert resumed is False
        _, resumed_at_edge = bus.subscribe(everything, since=5)
        assert resumed_at_edge is True

    async def test_a_sequence_from_the_future_or_another_boot_is_not_trusted(self) -> None:
        bus = EventBus()
        bus.publish("e", {}, Audience.everyone())
        _, resumed = bus.subscribe(everything, since=99)
        assert resumed is False
        assert parse_since(f"{bus.epoch}:1", bus.epoch) == 1
        assert parse_since("deadbeef:1", bus.epoch) is None
        assert parse_since(f"{bus.epoch}:x", bus.epoch) is None
        assert parse_since(None, bus.epoch) is None


class TestSlowSubscriber:
    async def test_a_full_queue_turns_into_one_resync_and_never_blocks_the_publisher(self) -> None:
        bus = EventBus(queue_size=3)
        slow, _ = bus.subscribe(everything)
        fast, _ = bus.subscribe(everything)
        for n in range(10):
            bus.publish("e", {"n": n}, Audience.everyone())
            if n < 9:
                assert isinstance(await drain(fast, 1), list)
        assert slow.queue.qsize() == 1
        assert await drain(slow, 1) == [RESYNC]
        bus.publish("e", {"n": 10}, Audience.everyone())
        (after,) = await drain(slow, 1)
        assert isinstance(after, Event)
        assert after.seq == 11


class TestAfterCommit:
    @pytest.fixture
    def database(self, tmp_path: Path) -> Database:
        from local_backend import migrate

        database = Database(make_settings(tmp_path))
        migrate.upgrade(database.engine)
        return database

    async def test_an_event_is_published_only_when_its_write_commits(self, database: Database) -> None:
        bus = database.events
        subscription, _ = bus.subscribe(everything)

        def failing_write() -> None:
            with database.write_session() as db:
                publish_after_commit(db, "order.opened", {"id": 1}, Audience.everyone())
                raise RuntimeError("the write fails")

        with pytest.raises(RuntimeError):
            failing_write()
        assert bus.seq == 0
        with database.write_session() as db:
            publish_after_commit(db, "order.opened", {"id": 2}, Audience.everyone())
            assert bus.seq == 0, "published before the commit"
        (event,) = await drain(subscription, 1)
        assert isinstance(event, Event)
        assert event.data == {"id": 2}
        database.dispose()
