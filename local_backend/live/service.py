"""Who sees which event, and the snapshot a staff socket starts from."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from local_backend.events import Event, EventFilter
from local_backend.staff import service as staff
from local_backend.staff.models import ROLES, User
from local_backend.tables import service as tables
from local_backend.tables.schemas import TableRead
from shared.security import TokenError, decode_token


def authenticate(db: Session, *, token: str | None, secret: str) -> User | None:
    """The active user behind an access token (the same rules as the REST API), or None."""
    if not token:
        return None
    try:
        claims = decode_token(token, secret=secret, token_type="access")
        if claims.get("role") not in ROLES:  # as the REST API: only staff tokens (not a guest's or a screen's)
            return None
        user_id = int(claims["sub"])
        version = int(claims.get("ver", -1))
    except (TokenError, KeyError, TypeError, ValueError):
        return None
    user = staff.cached_user(db, user_id) or staff.find_user(db, user_id)
    if user is None or not user.is_active or user.token_version != version:
        return None
    return user


def staff_filter(user: User) -> EventFilter:
    """Managers see every staff event; a waiter the floor-wide ones and those addressed to them."""
    user_id = user.id
    if user.is_manager:
        return lambda event: event.audience.staff

    def accepts(event: Event) -> bool:
        audience = event.audience
        return audience.staff and (audience.waiter_ids is None or user_id in audience.waiter_ids)

    return accepts


def staff_snapshot(db: Session, *, user: User) -> dict[str, Any]:
    """The floor as GET /api/tables/ shows it to this user."""
    floor = tables.floor(db, viewer=user, include_inactive=False)
    return {"tables": [TableRead.model_validate(table).model_dump(mode="json") for table in floor]}
