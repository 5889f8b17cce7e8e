"""Floor rules: sections, tables, and each table's live state.

The floor view is read by every waiter phone and the manager grid, often: it runs a constant number of
queries however many tables there are (tables + sections, active orders, names, assistant links).
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.events import Audience, publish_after_commit
from local_backend.staff import service as staff
from local_backend.staff.models import User
from local_backend.tables.models import Table, TableGroup
from local_backend.tables.schemas import (
    TableBatchCreate,
    TableCreate,
    TableGroupCreate,
    TableGroupUpdate,
    TablePosition,
    TableUpdate,
)
from shared.errors import Conflict, NotFound, Unprocessable

if TYPE_CHECKING:
    from local_backend.orders.service import ActiveOrderSummary


class TableNotFound(NotFound):
    code = "TABLE_NOT_FOUND"
    default_detail = "No such table"


class TableInactive(Conflict):
    code = "TABLE_INACTIVE"
    default_detail = "This table is deactivated"


class TableNumberTaken(Conflict):
    code = "TABLE_NUMBER_TAKEN"
    default_detail = "That table number is already taken"


class TableHasOpenOrder(Conflict):
    code = "TABLE_HAS_OPEN_ORDER"
    default_detail = "The table has an open order; close or cancel it first"


class UnknownTables(Unprocessable):
    code = "UNKNOWN_TABLE"
    default_detail = "No such table"


class GroupNotFound(NotFound):
    code = "GROUP_NOT_FOUND"
    default_detail = "No such section"


class UnknownGroup(Unprocessable):
    code = "UNKNOWN_GROUP"
    default_detail = "No such section"


class GroupNameTaken(Conflict):
    code = "GROUP_NAME_TAKEN"
    default_detail = "A section with that name already exists"


def _active_orders(db: Session) -> dict[int, ActiveOrderSummary]:
    # Imported here: orders.service needs this module's errors while it is being imported, so a top-level
    # import of orders.service from here would make the result depend on which module is imported first.
    from local_backend.orders import service as orders

    return orders.active_order_summaries(db)


def _announce(db: Session, change: str, **data: Any) -> None:
    """Tell every screen (waiter phones, the floor plans on other tablets) that the layout changed, after commit."""
    # The same type as an order's `table.changed`: every client already refetches the floor on it.
    publish_after_commit(db, "table.changed", {"change": change, **data}, Audience.everyone())


def _close_guest_sockets(db: Session, table_id: int) -> None:
    """Guests' phones at a table taken out of service are told so (close code 4410), after commit."""
    publish_after_commit(db, "guest.closed", {"table_id": table_id, "code": 4410}, Audience.guests(table_id))


# --- lookups other domains use ---------------------------------------------------------------------------


def get_table(db: Session, table_id: int) -> Table:
    table = db.get(Table, table_id)
    if table is None:
        raise TableNotFound()
    return table


def find_table(db: Session, table_id: int) -> Table | None:
    return db.get(Table, table_id)


def require_active_table(db: Session, table_id: int) -> Table:
    """The table, if it exists and is in service (orders can only be opened on these)."""
    table = get_table(db, table_id)
    if not table.is_active:
        raise TableInactive(f"Table {table.label} is deactivated")
    return table


def table_labels(db: Session, table_ids: Iterable[int]) -> dict[int, str]:
    """Label per table id, in one query."""
    ids = sorted(set(table_ids))
    return dict(db.execute(select(Table.id, Table.label).where(Table.id.in_(ids))).all())


# --- the floor view --------------------------------------------------------------------------------------


def floor(
    db: Session, *, viewer: User, include_inactive: bool = False, table_ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """Tables with their live state, ordered by number; four queries whatever the number of tables."""
    stmt = select(Table, TableGroup.name).outerjoin(TableGroup, TableGroup.id == Table.group_id).order_by(Table.number)
    if table_ids is not None:
        stmt = stmt.where(Table.id.in_(sorted(set(table_ids))))
    elif not include_inactive:
        stmt = stmt.where(Table.is_active.is_(True))
    rows = db.execute(stmt).all()
    summaries = _active_orders(db)
    names = staff.display_names(db, (s.waiter_id for s in summaries.values()))
    links = staff.assistant_links(db, active_only=True)
    guests_id = staff.guest_user_id(db)
    out = []
    for table, group_name in rows:
        view: dict[str, Any] = {
            "id": table.id,
            "number": table.number,
            "label": table.label,
            "seats": table.seats,
            "group_id": table.group_id,
            "group_name": group_name,
            "is_active": table.is_active,
            "pos_x": table.pos_x,
            "pos_y": table.pos_y,
        }
        summary = summaries.get(table.id)
        if summary is None:
            view.update(
                state="free",
                order_id=None,
                waiter_id=None,
                waiter_name=None,
                assistant_ids=[],
                guests=None,
                total=0,
                paid_total=0,
                due=0,
                item_count=0,
                opened_at=None,
                is_mine=False,
                by_guests=False,
            )
        else:
            assistants = links.assistants_of.get(summary.waiter_id, [])
            view.update(
                state=summary.status,
                order_id=summary.order_id,
                waiter_id=summary.waiter_id,
                waiter_name=names.get(summary.waiter_id),
                assistant_ids=assistants,
                guests=summary.guests,
                total=summary.total,
                paid_total=summary.paid_total,
                due=summary.total - summary.paid_total,
                item_count=summary.item_count,
                opened_at=summary.opened_at,
                is_mine=summary.waiter_id == viewer.id or viewer.id in assistants,
                by_guests=guests_id is not None and summary.waiter_id == guests_id,
            )
        out.append(view)
    return out


def table_view(db: Session, table: Table, *, viewer: User) -> dict[str, Any]:
    """One table with its live state."""
    return floor(db, viewer=viewer, table_ids=[table.id])[0]


# --- tables ----------------------------------------------------------------------------------------------


def _ensure_group(db: Session, group_id: int | None) -> None:
    if group_id is not None and db.get(TableGroup, group_id) is None:
        raise UnknownGroup(f"No section with id {group_id}")


def _taken_numbers(db: Session, numbers: Collection[int], *, except_id: int | None = None) -> list[int]:
    stmt = select(Table.number).where(Table.number.in_(sorted(numbers))).order_by(Table.number)
    if except_id is not None:
        stmt = stmt.where(Table.id != except_id)
    return list(db.scalars(stmt).all())


def _number_taken(numbers: Sequence[int]) -> TableNumberTaken:
    # Deactivated tables keep their numbers (history refers to them); reactivating one is the way back.
    noun = "number is" if len(numbers) == 1 else "numbers are"
    return TableNumberTaken(f"Table {noun} already taken: {', '.join(map(str, numbers))}")


def _has_active_order(db: Session, table_id: int) -> bool:
    return table_id in _active_orders(db)


def create_table(db: Session, *, data: TableCreate, by: User) -> Table:
    """A new table; its number is unique among all tables, active or not."""
    if taken := _taken_numbers(db, [data.number]):
        raise _number_taken(taken)
    _ensure_group(db, data.group_id)
    table = Table(
        number=data.number,
        label=data.label or f"T{data.number}",
        seats=data.seats,
        group_id=data.group_id,
        pos_x=data.pos_x,
        pos_y=data.pos_y,
    )
    db.add(table)
    db.flush()
    audit.record(
        db,
        action="tables.created",
        entity_type="table",
        entity_id=table.id,
        actor=by,
        data={"number": table.number, "label": table.label, "seats": table.seats, "group_id": table.group_id},
    )
    _announce(db, "created", table_ids=[table.id])
    return table


def create_batch(db: Session, *, data: TableBatchCreate, by: User) -> list[Table]:
    """Tables numbered start..start+count-1 labelled prefix+number; all of them or none."""
    numbers = list(range(data.start, data.start + data.count))
    if taken := _taken_numbers(db, numbers):
        raise _number_taken(taken)
    _ensure_group(db, data.group_id)
    tables = [Table(number=n, label=f"{data.prefix}{n}", seats=data.seats, group_id=data.group_id) for n in numbers]
    db.add_all(tables)
    db.flush()
    audit.record(
        db,
        action="tables.batch_created",
        entity_type="table",
        actor=by,
        data={
            "prefix": data.prefix,
            "start": data.start,
            "count": data.count,
            "seats": data.seats,
            "group_id": data.group_id,
            "table_ids": [t.id for t in tables],
        },
    )
    _announce(db, "created", table_ids=[t.id for t in tables])
    return tables


def update_table(db: Session, *, table: Table, data: TableUpdate, by: User) -> Table:
    """Change what was sent: number, label, seats, section, position, or (re)activation."""
    sent = data.model_fields_set
    changes: dict[str, list[Any]] = {}
    if data.number is not None and data.number != table.number and _taken_numbers(db, [data.number]):
        raise _number_taken([data.number])
    if "group_id" in sent and data.group_id != table.group_id:
        _ensure_group(db, data.group_id)
    if data.is_active is False and table.is_active and _has_active_order(db, table.id):
        raise TableHasOpenOrder()
    values: dict[str, Any] = {
        "number": data.number,
        "label": data.label,
        "seats": data.seats,
        "pos_x": data.pos_x,
        "pos_y": data.pos_y,
        "is_active": data.is_active,
    }
    if "group_id" in sent:
        values["group_id"] = data.group_id
    for name, value in values.items():
        # `null` means "unchanged" for every field but group_id, whose null means "no section".
        if (value is not None or name == "group_id") and value != getattr(table, name):
            changes[name] = [getattr(table, name), value]
            setattr(table, name, value)
    if changes:
        db.flush()
        audit.record(db, action="tables.updated", entity_type="table", entity_id=table.id, actor=by, data=changes)
        _announce(db, "updated", table_ids=[table.id])
        if "is_active" in changes and not table.is_active:
            _close_guest_sockets(db, table.id)
    return table


def deactivate_table(db: Session, *, table: Table, by: User) -> None:
    """Take a table out of service (kept for history); refused while it has an active order."""
    if not table.is_active:
        return
    if _has_active_order(db, table.id):
        raise TableHasOpenOrder()
    table.is_active = False
    db.flush()
    audit.record(
        db,
        action="tables.deactivated",
        entity_type="table",
        entity_id=table.id,
        actor=by,
        data={"number": table.number},
    )
    _announce(db, "deactivated", table_ids=[table.id])
    _close_guest_sockets(db, table.id)


def save_positions(db: Session, *, positions: Sequence[TablePosition], by: User) -> list[int]:
    """Move many tables at once (the floor-plan editor's save); all or nothing. Returns the table ids."""
    wanted = {p.id: p for p in positions}  # a table sent twice ends where it was sent last
    tables = db.scalars(select(Table).where(Table.id.in_(sorted(wanted)))).all()
    missing = sorted(set(wanted) - {t.id for t in tables})
    if missing:
        raise UnknownTables(f"No such tables: {', '.join(map(str, missing))}")
    moved = []
    for table in tables:
        pos = wanted[table.id]
        if (table.pos_x, table.pos_y) != (pos.pos_x, pos.pos_y):
            table.pos_x, table.pos_y = pos.pos_x, pos.pos_y
            moved.append(table.id)
    if moved:
        db.flush()
        audit.record(
            db, action="tables.positions_saved", entity_type="table", actor=by, data={"table_ids": sorted(moved)}
        )
        _announce(db, "moved", table_ids=sorted(moved))
    return sorted(wanted)


# --- QR codes (guest ordering) ---------------------------------------------------------------------------


class TableTokenInvalid(NotFound):
    code = "TABLE_TOKEN_INVALID"
    default_detail = "This table code is not valid (it may have been replaced); ask the staff for help"


def _new_token(db: Session) -> str:
    while True:
        token = secrets.token_urlsafe(24)
        if db.scalar(select(Table.id).where(Table.qr_token == token)) is None:
            return token


def ensure_qr_token(db: Session, table: Table) -> str:
    """The table's QR token, made on first use."""
    if table.qr_token is None:
        table.qr_token = _new_token(db)
        db.flush()
    return table.qr_token


def ensure_qr_tokens(db: Session) -> list[Table]:
    """Every active table, each with its QR token (the printable sheet), ordered by number."""
    rows = db.scalars(select(Table).where(Table.is_active.is_(True)).order_by(Table.number)).all()
    for table in rows:
        if table.qr_token is None:
            table.qr_token = _new_token(db)
    db.flush()
    return list(rows)


def rotate_qr_token(db: Session, *, table: Table, by: User) -> str:
    """Replace the table's QR token: the old code stops working at once and its guest sockets are closed."""
    had_token = table.qr_token is not None
    table.qr_token = _new_token(db)
    db.flush()
    audit.record(
        db,
        action="tables.qr_rotated",
        entity_type="table",
        entity_id=table.id,
        actor=by,
        data={"number": table.number, "label": table.label, "had_token": had_token},
    )
    publish_after_commit(db, "guest.closed", {"table_id": table.id, "code": 4404}, Audience.guests(table.id))
    return table.qr_token


def table_for_token(db: Session, token: str) -> Table:
    """The table a QR token belongs to; raises TableTokenInvalid for an unknown (or rotated) token."""
    table = db.scalars(select(Table).where(Table.qr_token == token)).first() if token else None
    if table is None:
        raise TableTokenInvalid()
    return table


# --- sections --------------------------------------------------------------------------------------------


def _group_view(group: TableGroup, table_count: int) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "sort_order": group.sort_order,
        "table_count": table_count,
        "created_at": group.created_at,
    }


def _group_counts(db: Session, group_ids: Collection[int] | None = None) -> list[tuple[TableGroup, int]]:
    stmt = (
        select(TableGroup, func.count(Table.id))
        .outerjoin(Table, (Table.group_id == TableGroup.id) & Table.is_active.is_(True))
        .group_by(TableGroup.id)
        .order_by(TableGroup.sort_order, TableGroup.name)
    )
    if group_ids is not None:
        stmt = stmt.where(TableGroup.id.in_(sorted(group_ids)))
    return [(g, int(n)) for g, n in db.execute(stmt).all()]


def list_groups(db: Session) -> list[dict[str, Any]]:
    """Sections in display order, each with its number of active tables."""
    return [_group_view(g, n) for g, n in _group_counts(db)]


def get_group(db: Session, group_id: int) -> TableGroup:
    group = db.get(TableGroup, group_id)
    if group is None:
        raise GroupNotFound()
    return group


def group_view(db: Session, group: TableGroup) -> dict[str, Any]:
    return _group_view(*_group_counts(db, [group.id])[0])


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def _ensure_group_name_free(db: Session, name: str, *, except_id: int | None = None) -> None:
    # Compared in Python: SQLite's lower() folds only ASCII, so "É" and "é" would both pass a SQL check
    # (and an exact duplicate of a non-ASCII name would reach the UNIQUE constraint as a 500).
    key = _name_key(name)
    for group_id, existing in db.execute(select(TableGroup.id, TableGroup.name)).all():
        if group_id != except_id and _name_key(existing) == key:
            raise GroupNameTaken(f"A section named {existing!r} already exists")


def create_group(db: Session, *, data: TableGroupCreate, by: User) -> TableGroup:
    """A new section of the floor; names are unique regardless of case."""
    _ensure_group_name_free(db, data.name)
    group = TableGroup(name=data.name, sort_order=data.sort_order)
    db.add(group)
    db.flush()
    audit.record(
        db,
        action="tables.group_created",
        entity_type="table_group",
        entity_id=group.id,
        actor=by,
        data={"name": group.name, "sort_order": group.sort_order},
    )
    _announce(db, "section_created", group_id=group.id)
    return group


def update_group(db: Session, *, group: TableGroup, data: TableGroupUpdate, by: User) -> TableGroup:
    """Rename or reorder a section."""
    changes: dict[str, list[Any]] = {}
    if data.name is not None and data.name != group.name:
        _ensure_group_name_free(db, data.name, except_id=group.id)
        changes["name"] = [group.name, data.name]
        group.name = data.name
    if data.sort_order is not None and data.sort_order != group.sort_order:
        changes["sort_order"] = [group.sort_order, data.sort_order]
        group.sort_order = data.sort_order
    if changes:
        db.flush()
        audit.record(
            db, action="tables.group_updated", entity_type="table_group", entity_id=group.id, actor=by, data=changes
        )
        _announce(db, "section_updated", group_id=group.id)
    return group


def delete_group(db: Session, *, group: TableGroup, by: User) -> None:
    """Remove a section; its tables stay, without a section."""
    ungrouped = int(db.scalar(select(func.count(Table.id)).where(Table.group_id == group.id)) or 0)
    db.execute(update(Table).where(Table.group_id == group.id).values(group_id=None))
    db.delete(group)
    db.flush()
    audit.record(
        db,
        action="tables.group_deleted",
        entity_type="table_group",
        entity_id=group.id,
        actor=by,
        data={"name": group.name, "tables_ungrouped": ungrouped},
    )
    _announce(db, "section_deleted", group_id=group.id)
