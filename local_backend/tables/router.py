"""/api/tables: the floor (any staff reads it) and its layout (managers change it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute, get_database
from local_backend.deps import SettingsDep
from local_backend.guest.schemas import TableQrRead
from local_backend.tables import service
from local_backend.tables.schemas import (
    MAX_ID,
    TableBatchCreate,
    TableCreate,
    TableGroupCreate,
    TableGroupRead,
    TableGroupUpdate,
    TablePositions,
    TableRead,
    TableUpdate,
)
from shared.errors import error_responses

router = APIRouter(prefix="/api/tables", tags=["tables"], route_class=TavoloRoute)

TableIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Table id")]
GroupIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Section id")]
GUARD = (*AUTH_ERRORS, ManagerRequired)

# Fixed paths (/groups, /batch, /positions, /qr) are declared before /{table_id} so they are never read as an id.


@router.get("/", response_model=list[TableRead], responses=error_responses(*GUARD))
def list_tables(
    user: CurrentUser,
    db: DbSession,
    show_all: Annotated[bool, Query(alias="all", description="Include deactivated tables (manager)")] = False,
) -> Any:
    """Every active table with its live state: open order, waiter, assistants, totals, opened_at."""
    if show_all and not user.is_manager:
        raise ManagerRequired("Only a manager may see deactivated tables")
    return service.floor(db, viewer=user, include_inactive=show_all)


@router.post(
    "/",
    status_code=201,
    response_model=TableRead,
    responses=error_responses(*GUARD, service.TableNumberTaken, service.UnknownGroup),
)
def create_table(body: TableCreate, by: ManagerUser, db: DbSession) -> Any:
    """Add a table; its number is unique."""
    table = service.create_table(db, data=body, by=by)
    return service.table_view(db, table, viewer=by)


@router.post(
    "/batch",
    status_code=201,
    response_model=list[TableRead],
    responses=error_responses(*GUARD, service.TableNumberTaken, service.UnknownGroup),
)
def create_batch(body: TableBatchCreate, by: ManagerUser, db: DbSession) -> Any:
    """Add tables numbered start..start+count-1 labelled prefix+number; all or none."""
    tables = service.create_batch(db, data=body, by=by)
    return service.floor(db, viewer=by, table_ids=[t.id for t in tables])


@router.put("/positions", response_model=list[TableRead], responses=error_responses(*GUARD, service.UnknownTables))
def save_positions(body: TablePositions, by: ManagerUser, db: DbSession) -> Any:
    """Save the floor plan: move many tables at once; all or nothing."""
    ids = service.save_positions(db, positions=body.positions, by=by)
    return service.floor(db, viewer=by, table_ids=ids)


@router.get("/groups", response_model=list[TableGroupRead], responses=error_responses(*AUTH_ERRORS))
def list_groups(_: CurrentUser, db: DbSession) -> Any:
    """Sections of the floor in display order."""
    return service.list_groups(db)


@router.post(
    "/groups", status_code=201, response_model=TableGroupRead, responses=error_responses(*GUARD, service.GroupNameTaken)
)
def create_group(body: TableGroupCreate, by: ManagerUser, db: DbSession) -> Any:
    """Add a section; names are unique."""
    return service.group_view(db, service.create_group(db, data=body, by=by))


@router.put(
    "/groups/{group_id}",
    response_model=TableGroupRead,
    responses=error_responses(*GUARD, service.GroupNotFound, service.GroupNameTaken),
)
def update_group(group_id: GroupIdPath, body: TableGroupUpdate, by: ManagerUser, db: DbSession) -> Any:
    """Rename or reorder a section."""
    group = service.update_group(db, group=service.get_group(db, group_id), data=body, by=by)
    return service.group_view(db, group)


@router.delete("/groups/{group_id}", status_code=204, responses=error_responses(*GUARD, service.GroupNotFound))
def delete_group(group_id: GroupIdPath, by: ManagerUser, db: DbSession) -> None:
    """Delete a section; its tables stay, without a section."""
    service.delete_group(db, group=service.get_group(db, group_id), by=by)


def _origin(request: Request, settings: SettingsDep) -> str:
    return (settings.public_url or str(request.base_url)).rstrip("/")


def _qr_view(table: Any, token: str, origin: str) -> dict[str, Any]:
    return {
        "table_id": table.id,
        "number": table.number,
        "label": table.label,
        "token": token,
        "url": f"{origin}/t/{token}",
    }


# Reading a code may create it: GET requests get a read session, so these two write through the app's writer.
@router.get("/qr", response_model=list[TableQrRead], responses=error_responses(*GUARD))
async def list_qr_codes(request: Request, settings: SettingsDep, _: ManagerUser) -> Any:
    """Every active table's guest-ordering code and link (the printable sheet); codes are made on first use."""
    origin = _origin(request, settings)

    def work(db: Session) -> list[dict[str, Any]]:
        return [_qr_view(table, table.qr_token or "", origin) for table in service.ensure_qr_tokens(db)]

    return await get_database(request).writer.run(work)


@router.get("/{table_id}/qr", response_model=TableQrRead, responses=error_responses(*GUARD, service.TableNotFound))
async def get_qr_code(table_id: TableIdPath, request: Request, settings: SettingsDep, _: ManagerUser) -> Any:
    """The table's guest-ordering code and link; made on first use."""
    origin = _origin(request, settings)

    def work(db: Session) -> dict[str, Any]:
        table = service.get_table(db, table_id)
        return _qr_view(table, service.ensure_qr_token(db, table), origin)

    return await get_database(request).writer.run(work)


@router.post(
    "/{table_id}/qr/rotate", response_model=TableQrRead, responses=error_responses(*GUARD, service.TableNotFound)
)
def rotate_qr_code(
    table_id: TableIdPath, request: Request, settings: SettingsDep, by: ManagerUser, db: DbSession
) -> Any:
    """Replace the table's code: the old one stops working at once (print the new one)."""
    table = service.get_table(db, table_id)
    return _qr_view(table, service.rotate_qr_token(db, table=table, by=by), _origin(request, settings))


@router.get("/{table_id}", response_model=TableRead, responses=error_responses(*AUTH_ERRORS, service.TableNotFound))
def get_table(table_id: TableIdPath, user: CurrentUser, db: DbSession) -> Any:
    """One table with its live state."""
    return service.table_view(db, service.get_table(db, table_id), viewer=user)


@router.put(
    "/{table_id}",
    response_model=TableRead,
    responses=error_responses(
        *GUARD,
        service.TableNotFound,
        service.TableNumberTaken,
        service.UnknownGroup,
        service.TableHasOpenOrder,
    ),
)
def update_table(table_id: TableIdPath, body: TableUpdate, by: ManagerUser, db: DbSession) -> Any:
    """Change a table: number, label, seats, section, position, or (re)activate it."""
    table = service.update_table(db, table=service.get_table(db, table_id), data=body, by=by)
    return service.table_view(db, table, viewer=by)


@router.delete(
    "/{table_id}",
    status_code=204,
    responses=error_responses(*GUARD, service.TableNotFound, service.TableHasOpenOrder),
)
def deactivate_table(table_id: TableIdPath, by: ManagerUser, db: DbSession) -> None:
    """Deactivate a table (kept for history); refused while it has an active order."""
    service.deactivate_table(db, table=service.get_table(db, table_id), by=by)
