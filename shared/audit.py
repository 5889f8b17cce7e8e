"""The parts of an audit trail both backends share: who acted, and reading the trail newest first.

Each backend has its own `AuditEvent` model (the appliance's points at orders and entities, the cloud's at sites
and client addresses); these helpers work on the columns every trail has.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Protocol, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import QueryableAttribute


class Actor(Protocol):
    """Whoever an event is recorded against: a user, a sysadmin, or the system under a name."""

    @property
    def id(self) -> int: ...

    @property
    def display_name(self) -> str: ...


class AuditRow(Protocol):
    """An audit event model: the columns every trail has, as the mapped class exposes them."""

    id: ClassVar[QueryableAttribute[int]]
    at: ClassVar[QueryableAttribute[datetime]]
    action: ClassVar[QueryableAttribute[str]]
    actor_id: ClassVar[QueryableAttribute[int | None]]


E = TypeVar("E", bound=AuditRow)


def actor_columns(actor: Actor | None, *, fallback_name: str | None = None) -> tuple[int | None, str | None]:
    """`(actor_id, actor_name)` for an event: the actor's, or no id and `fallback_name` (a failed login's username)."""
    if actor is None:
        return None, fallback_name
    return actor.id, actor.display_name


def newest_first(
    model: type[E],
    *,
    action: str | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int,
    before_id: int | None = None,
) -> Select[E]:
    """Events newest first, filtered by the common columns (`until` excluded); page with `before_id`."""
    stmt = select(model).order_by(model.id.desc()).limit(limit)
    if action:
        stmt = stmt.where(model.action == action)
    if actor_id is not None:
        stmt = stmt.where(model.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(model.at >= since)
    if until is not None:
        stmt = stmt.where(model.at < until)
    if before_id is not None:
        stmt = stmt.where(model.id < before_id)
    return stmt
