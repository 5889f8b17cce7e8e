"""Caches of rarely-changing rows (menu, staff) for the order hot path, invalidated by table versions.

The appliance is the only writer of its database, so it knows when a table changes: every session that
flushes a change to a watched table bumps that table's version once its transaction has committed. A cache
entry records the versions it was built at and is ignored once they moved. A session holding uncommitted
changes to a table never reads that table through a cache (it must see its own changes) and never fills one
(another request must not see what may still roll back).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from local_backend.db import after_commit

T = TypeVar("T")
_CHANGED_KEY = "tavolo_changed_tables"
_lock = threading.Lock()
_versions: dict[str, int] = {}


def versions(tables: frozenset[str]) -> tuple[int, ...]:
    """The committed versions of `tables`, to tag or check a cache entry with."""
    return tuple(_versions.get(name, 0) for name in sorted(tables))


def has_pending_changes(session: Session, tables: frozenset[str]) -> bool:
    """Whether this session flushed changes to any of `tables` that are not committed yet."""
    changed: set[str] = session.info.get(_CHANGED_KEY, set())
    return not changed.isdisjoint(tables)


def _bump(names: set[str]) -> None:
    with _lock:
        for name in names:
            _versions[name] = _versions.get(name, 0) + 1


def _note_changes(session: Session, names: set[str]) -> None:
    if not names:
        return
    changed: set[str] = session.info.setdefault(_CHANGED_KEY, set())
    changed |= names
    # Registered for every flush, not once per session: the savepoint of one request may roll back and take
    # its callbacks with it while a later request of the same group commit changes the same table.
    after_commit(session, lambda: _committed(session, names))


def _committed(session: Session, names: set[str]) -> None:
    _bump(names)
    changed: set[str] = session.info.get(_CHANGED_KEY, set())
    changed -= names


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    names: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(obj), "__tablename__", None)
        if table:
            names.add(table)
    _note_changes(session, names)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table: Any = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name:
        _note_changes(state.session, {name})


_entries: dict[tuple[str, str], tuple[tuple[int, ...], Any]] = {}


def is_writer(session: Session) -> bool:
    return bool(session.get_bind().get_execution_options().get("tavolo_write"))


def cached(session: Session, name: str, tables: frozenset[str], load: Callable[[], T]) -> T:
    """`load()` (built only from `tables`), cached until one of `tables` changes.

    Only a write session fills the cache: it holds SQLite's write lock, so nothing can commit between reading
    the versions and reading the rows. A read session's snapshot may predate the versions it would tag with.
    """
    if has_pending_changes(session, tables):
        return load()
    key = (str(session.get_bind().engine.url), name)
    current = versions(tables)
    hit = _entries.get(key)
    if hit is not None and hit[0] == current:
        value: T = hit[1]
        return value
    value = load()
    if is_writer(session):
        _entries[key] = (current, value)
    return value


def peek(session: Session, name: str, tables: frozenset[str]) -> Any | None:
    """The cached value if it is current and this session has no pending change to `tables`; never loads."""
    if has_pending_changes(session, tables):
        return None
    hit = _entries.get((str(session.get_bind().engine.url), name))
    if hit is not None and hit[0] == versions(tables):
        return hit[1]
    return None
