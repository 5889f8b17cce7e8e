"""/api/shifts: the cash drawer's shifts (manager)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute
from local_backend.shifts import service
from local_backend.shifts.schemas import (
    CashMovementCreate,
    CashMovementRead,
    ShiftClose,
    ShiftOpen,
    ShiftRead,
    ShiftSummaryRead,
)
from shared.errors import error_responses

router = APIRouter(prefix="/api/shifts", tags=["shifts"], route_class=TavoloRoute)

ShiftId = Annotated[int, Path(ge=1, le=2**31 - 1)]
MANAGER_ERRORS = (*AUTH_ERRORS, ManagerRequired)


@router.post(
    "/open",
    response_model=ShiftRead,
    status_code=201,
    responses=error_responses(*MANAGER_ERRORS, service.ShiftAlreadyOpen),
)
def open_shift(body: ShiftOpen, user: ManagerUser, db: DbSession) -> Any:
    """Open the cash shift with the float in the drawer; one shift is open at a time."""
    return service.open_shift(db, opening_float=body.opening_float, by=user)


@router.post(
    "/close",
    response_model=ShiftRead,
    responses=error_responses(*MANAGER_ERRORS, service.NoOpenShift),
)
def close_shift(body: ShiftClose, user: ManagerUser, db: DbSession) -> Any:
    """Close the open shift with the cash counted: expected, counted and the variance (counted - expected)."""
    return service.close_shift(db, counted_cash=body.counted_cash, note=body.note, by=user)


@router.get("/current", response_model=ShiftRead | None, responses=error_responses(*MANAGER_ERRORS))
def current_shift(_: ManagerUser, db: DbSession) -> Any:
    """The open shift with its cash so far and its pay-ins/outs; null when no shift is open."""
    shift = service.current_shift(db)
    return service.view(db, shift) if shift is not None else None


@router.get("/", response_model=list[ShiftSummaryRead], responses=error_responses(*MANAGER_ERRORS))
def list_shifts(
    _: ManagerUser,
    db: DbSession,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    before_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Any:
    """Shifts, newest first, with their expected/counted cash and variance once closed."""
    return service.list_shifts(db, limit=limit, before_id=before_id)


@router.get("/{shift_id}", response_model=ShiftRead, responses=error_responses(*MANAGER_ERRORS, service.ShiftNotFound))
def get_shift(shift_id: ShiftId, _: ManagerUser, db: DbSession) -> Any:
    """One shift with its cash breakdown and movements."""
    return service.view(db, service.get_shift(db, shift_id))


@router.post(
    "/{shift_id}/movements",
    response_model=CashMovementRead,
    status_code=201,
    responses=error_responses(*MANAGER_ERRORS, service.ShiftNotFound, service.ShiftClosed),
)
def add_movement(shift_id: ShiftId, body: CashMovementCreate, user: ManagerUser, db: DbSession) -> Any:
    """A pay-in (cash put into the drawer) or pay-out (cash taken out) with its reason, on an open shift."""
    return service.add_movement(db, shift_id=shift_id, kind=body.kind, amount=body.amount, reason=body.reason, by=user)
