"""Staff rules: who exists, who may log in, who assists whom."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.staff.models import User, WaiterAssistant
from shared.errors import NotFound
from shared.security import SecretHasher


class UserNotFound(NotFound):
    code = "USER_NOT_FOUND"
    default_detail = "No such staff member"


def get_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise UserNotFound()
    return user


def find_user(db: Session, user_id: int) -> User | None:
    return db.get(User, user_id)


def find_by_username(db: Session, username: str) -> User | None:
    return db.scalars(select(User).where(func.lower(User.username) == username.strip().lower())).first()


def count_users(db: Session) -> int:
    return int(db.scalar(select(func.count(User.id))) or 0)


def waiters_assisted_by(db: Session, assistant_id: int) -> list[int]:
    """Ids of the waiters whose tables `assistant_id` may serve."""
    return list(db.scalars(select(WaiterAssistant.waiter_id).where(WaiterAssistant.assistant_id == assistant_id)).all())


def acting_for(db: Session, user: User) -> set[int]:
    """Waiter ids whose orders `user` may act on: their own and those they assist."""
    return {user.id, *waiters_assisted_by(db, user.id)}


def list_users(db: Session, *, include_inactive: bool = True) -> Sequence[User]:
    stmt = select(User).order_by(User.role.desc(), User.display_name)
    if not include_inactive:
        stmt = stmt.where(User.is_active.is_(True))
    return db.scalars(stmt).all()


def bootstrap_manager(db: Session, hasher: SecretHasher, *, username: str, pin: str) -> User | None:
    """Create the first manager from MANAGER_USERNAME/MANAGER_PIN, only when nobody exists yet."""
    if count_users(db) > 0:
        return None
    user = User(username=username, display_name=username, role="manager", pin_hash=hasher.hash(pin))
    db.add(user)
    db.flush()
    audit.record(db, action="staff.bootstrapped", entity_type="user", entity_id=user.id, data={"username": username})
    return user
