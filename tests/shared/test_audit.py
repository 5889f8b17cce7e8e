"""Reading an audit trail newest first, and who an event is recorded against."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import MetaData, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from shared.audit import actor_columns, newest_first
from shared.db import NAMING_CONVENTION, TYPE_ANNOTATION_MAP

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = TYPE_ANNOTATION_MAP


class Event(Base):
    """An audit model with only the columns every trail has, plus one of its own."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None]
    topic: Mapped[str] = mapped_column(String(16), default="")


@dataclass
class Person:
    id: int
    display_name: str


@pytest.fixture
def db() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        # ids 1..6, an hour apart; actors alternate 1, 2, and the system (None) for the last one
        for n, (action, actor) in enumerate(
            [("login", 1), ("login", 2), ("lock", 1), ("unlock", 2), ("lock", 1), ("purge", None)], start=1
        ):
            session.add(Event(id=n, at=T0 + timedelta(hours=n), action=action, actor_id=actor, topic=f"t{n % 2}"))
        session.commit()
        yield session
    engine.dispose()


def ids(db: Session, *, limit: int = 50, **filters: Any) -> list[int]:
    return [event.id for event in db.scalars(newest_first(Event, limit=limit, **filters))]


class TestNewestFirst:
    def test_every_event_newest_first(self, db: Session) -> None:
        assert ids(db) == [6, 5, 4, 3, 2, 1]

    def test_filters_by_action_and_actor(self, db: Session) -> None:
        assert ids(db, action="lock") == [5, 3]
        assert ids(db, actor_id=2) == [4, 2]
        assert ids(db, action="lock", actor_id=2) == []

    def test_since_is_inclusive_and_until_exclusive(self, db: Session) -> None:
        assert ids(db, since=T0 + timedelta(hours=2), until=T0 + timedelta(hours=4)) == [3, 2]

    def test_pages_with_before_id_and_limit(self, db: Session) -> None:
        first = ids(db, limit=4)
        assert first == [6, 5, 4, 3]
        assert ids(db, limit=4, before_id=first[-1]) == [2, 1]

    def test_a_backend_can_add_its_own_filters(self, db: Session) -> None:
        stmt = newest_first(Event, action="lock", limit=50).where(Event.topic == "t1")
        assert [event.id for event in db.scalars(stmt)] == [5, 3]


class TestActorColumns:
    def test_an_actor_is_recorded_by_id_and_name(self) -> None:
        assert actor_columns(Person(4, "Άννα")) == (4, "Άννα")

    def test_without_an_actor_only_the_fallback_name_is_kept(self) -> None:
        assert actor_columns(None) == (None, None)
        assert actor_columns(None, fallback_name="mallory") == (None, "mallory")
        assert actor_columns(Person(4, "Άννα"), fallback_name="mallory") == (4, "Άννα")
