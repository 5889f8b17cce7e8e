"""/api/waiters: staff management (waiters and managers), manager only.

The path keeps its contract name although it manages managers too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from local_backend.auth.dependencies import AUTH_ERRORS, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute, in_worker_thread
from local_backend.deps import HasherDep
from local_backend.staff import service
from local_backend.staff.schemas import (
    MAX_ID,
    AssistantsRead,
    AssistantsUpdate,
    PinReset,
    StaffCreate,
    StaffRead,
    StaffUpdate,
)
from shared.errors import error_responses

router = APIRouter(prefix="/api/waiters", tags=["staff"], route_class=TavoloRoute)

UserIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Staff member id")]
GUARD = (*AUTH_ERRORS, ManagerRequired)


@router.get("/", response_model=list[StaffRead], responses=error_responses(*GUARD))
def list_staff(_: ManagerUser, db: DbSession, include_inactive: Annotated[bool, Query()] = True) -> Any:
    """Every waiter and manager with their assistant links; `include_inactive=false` hides deactivated ones."""
    return service.list_staff_views(db, include_inactive=include_inactive)


@router.post("/", status_code=201, response_model=StaffRead, responses=error_responses(*GUARD, service.UsernameTaken))
@in_worker_thread  # bcrypt / image work must not block the event loop
def create_staff(body: StaffCreate, by: ManagerUser, db: DbSession, hasher: HasherDep) -> Any:
    """Add a waiter or manager with a PIN; usernames are unique regardless of case."""
    user = service.create_user(db, hasher, data=body, by=by)
    return service.staff_view(db, user)


@router.get("/{user_id}", response_model=StaffRead, responses=error_responses(*GUARD, service.UserNotFound))
def get_staff(user_id: UserIdPath, _: ManagerUser, db: DbSession) -> Any:
    """One staff member."""
    return service.staff_view(db, service.get_user(db, user_id))


@router.put(
    "/{user_id}",
    response_model=StaffRead,
    responses=error_responses(
        *GUARD,
        service.UserNotFound,
        service.UsernameTaken,
        service.LastManager,
        service.CannotDeactivateSelf,
        service.CannotDemoteSelf,
    ),
)
def update_staff(user_id: UserIdPath, body: StaffUpdate, by: ManagerUser, db: DbSession) -> Any:
    """Rename, change role, deactivate or reactivate a staff member."""
    user = service.update_user(db, user=service.get_user(db, user_id), data=body, by=by)
    return service.staff_view(db, user)


@router.delete(
    "/{user_id}",
    status_code=204,
    responses=error_responses(*GUARD, service.UserNotFound, service.LastManager, service.CannotDeactivateSelf),
)
def deactivate_staff(user_id: UserIdPath, by: ManagerUser, db: DbSession) -> None:
    """Deactivate a staff member (kept for history); their sessions end at once."""
    service.deactivate(db, user=service.get_user(db, user_id), by=by)


@router.post("/{user_id}/pin", response_model=StaffRead, responses=error_responses(*GUARD, service.UserNotFound))
@in_worker_thread  # bcrypt / image work must not block the event loop
def reset_pin(user_id: UserIdPath, body: PinReset, by: ManagerUser, db: DbSession, hasher: HasherDep) -> Any:
    """Set a new PIN; clears any lockout and logs the user out everywhere."""
    user = service.reset_pin(db, hasher, user=service.get_user(db, user_id), pin=body.pin, by=by)
    return service.staff_view(db, user)


@router.post("/{user_id}/unlock", response_model=StaffRead, responses=error_responses(*GUARD, service.UserNotFound))
def unlock_staff(user_id: UserIdPath, by: ManagerUser, db: DbSession) -> Any:
    """Clear a PIN lockout."""
    user = service.unlock(db, user=service.get_user(db, user_id), by=by)
    return service.staff_view(db, user)


@router.get(
    "/{user_id}/assistants", response_model=AssistantsRead, responses=error_responses(*GUARD, service.UserNotFound)
)
def get_assistants(user_id: UserIdPath, _: ManagerUser, db: DbSession) -> Any:
    """Who may serve this waiter's tables."""
    waiter = service.get_user(db, user_id)
    return {"waiter_id": waiter.id, "assistant_ids": service.assistants_of(db, waiter.id)}


@router.put(
    "/{user_id}/assistants",
    response_model=AssistantsRead,
    responses=error_responses(*GUARD, service.UserNotFound, service.InvalidAssistant),
)
def set_assistants(user_id: UserIdPath, body: AssistantsUpdate, by: ManagerUser, db: DbSession) -> Any:
    """Replace who may serve this waiter's tables (other, active staff members)."""
    waiter = service.get_user(db, user_id)
    ids = service.set_assistants(db, waiter=waiter, assistant_ids=body.assistant_ids, by=by)
    return {"waiter_id": waiter.id, "assistant_ids": ids}
