"""Staff rules: who exists, who may log in, who assists whom."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, aliased

from local_backend import cache
from local_backend.audit import service as audit
from local_backend.auth import service as auth
from local_backend.events import Audience
from local_backend.staff.models import User, WaiterAssistant
from local_backend.staff.schemas import StaffCreate, StaffUpdate
from shared.clock import utcnow
from shared.errors import Conflict, NotFound, Unprocessable
from shared.security import SecretHasher


class UserNotFound(NotFound):
    code = "USER_NOT_FOUND"
    default_detail = "No such staff member"


class UsernameTaken(Conflict):
    code = "USERNAME_TAKEN"
    default_detail = "That username is already taken"


class LastManager(Conflict):
    code = "LAST_MANAGER"
    default_detail = "The last active manager cannot be deactivated or demoted"


class CannotDeactivateSelf(Conflict):
    code = "CANNOT_DEACTIVATE_SELF"
    default_detail = "You cannot deactivate yourself; ask another manager"


class CannotDemoteSelf(Conflict):
    code = "CANNOT_DEMOTE_SELF"
    default_detail = "You cannot remove your own manager role; ask another manager"


class InvalidAssistant(Unprocessable):
    code = "INVALID_ASSISTANT"
    default_detail = "Assistants must be other, active staff members"


@dataclass(frozen=True, slots=True)
class AssistantLinks:
    """Both directions of the assistant relation, each list sorted."""

    assistants_of: dict[int, list[int]] = field(default_factory=dict)
    assists: dict[int, list[int]] = field(default_factory=dict)


def get_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise UserNotFound()
    return user


def find_user(db: Session, user_id: int) -> User | None:
    return db.get(User, user_id)


def find_by_username(db: Session, username: str) -> User | None:
    return db.scalars(select(User).where(func.lower(User.username) == username.strip().lower())).first()


# The owner of orders that guests open by themselves (QR ordering in direct mode). It cannot log in: it is never
# active and its PIN hash matches no PIN. Any waiter may take such an order (orders.take), a manager may reassign it.
GUEST_USERNAME = "qr-guests"
GUEST_DISPLAY_NAME = "QR guests"


def guest_user(db: Session) -> User:
    """The non-login "QR guests" user, created on first use."""
    user = db.scalars(select(User).where(User.username == GUEST_USERNAME)).first()
    if user is None:
        user = User(
            username=GUEST_USERNAME,
            display_name=GUEST_DISPLAY_NAME,
            role="waiter",
            pin_hash="!no-login",
            is_active=False,
        )
        db.add(user)
        db.flush()
    return user


def guest_user_id(db: Session) -> int | None:
    """The "QR guests" user's id, None while guests have opened no order yet (cached with the staff)."""
    found: int | None = cache.cached(
        db,
        "staff.guest_user_id",
        STAFF_TABLES,
        lambda: db.scalar(select(User.id).where(User.username == GUEST_USERNAME)),
    )
    return found


def owned_by_guests(db: Session, waiter_id: int | None) -> bool:
    """Whether an order of `waiter_id` is one guests opened by QR and no waiter has taken yet."""
    return waiter_id is not None and waiter_id == guest_user_id(db)


def serving(db: Session, waiter_id: int) -> Audience:
    """Who hears about an order of `waiter_id`: its waiter and their assistants (and managers), or every member of
    staff while the order belongs to QR guests, so a dish ready or a guest's call never reaches nobody."""
    if owned_by_guests(db, waiter_id):
        return Audience.everyone()
    return Audience.waiters([waiter_id, *assistants_of(db, waiter_id)])


def count_users(db: Session) -> int:
    return int(db.scalar(select(func.count(User.id))) or 0)


def count_active_managers(db: Session) -> int:
    stmt = select(func.count(User.id)).where(User.role == "manager", User.is_active.is_(True))
    return int(db.scalar(stmt) or 0)


STAFF_TABLES = frozenset({"users"})
ASSISTANT_TABLES = frozenset({"waiter_assistants"})


def _user_snapshots(db: Session) -> dict[int, User]:
    columns = [c.key for c in sa_inspect(User).column_attrs]
    # Detached copies: a cache shared by every request must not hold objects bound to one session.
    return {u.id: User(**{k: getattr(u, k) for k in columns}) for u in db.scalars(select(User)).all()}


def cached_user(db: Session, user_id: int) -> User | None:
    """A read-only snapshot of a staff member from the in-process cache, or None when it must be loaded.

    Only what authorization and audit read (id, role, active, token version, names); services that change a
    user load it with get_user. The cache is filled only by write sessions (see local_backend.cache).
    """
    if cache.has_pending_changes(db, STAFF_TABLES):
        return None
    snapshot = cache.peek(db, "staff.users", STAFF_TABLES)
    if snapshot is None:
        if not cache.is_writer(db):
            return None
        snapshot = cache.cached(db, "staff.users", STAFF_TABLES, lambda: _user_snapshots(db))
    users: dict[int, User] = snapshot
    return users.get(user_id)


def _assisted_by_all(db: Session) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for waiter_id, assistant_id in db.execute(select(WaiterAssistant.waiter_id, WaiterAssistant.assistant_id)):
        out.setdefault(assistant_id, []).append(waiter_id)
    return out


def waiters_assisted_by(db: Session, assistant_id: int) -> list[int]:
    """Ids of the waiters whose tables `assistant_id` may serve."""
    return list(
        cache.cached(db, "staff.assisted_by", ASSISTANT_TABLES, lambda: _assisted_by_all(db)).get(assistant_id, [])
    )


def assistants_of(db: Session, waiter_id: int) -> list[int]:
    """Ids of the users who may serve `waiter_id`'s tables."""
    stmt = (
        select(WaiterAssistant.assistant_id)
        .where(WaiterAssistant.waiter_id == waiter_id)
        .order_by(WaiterAssistant.assistant_id)
    )
    return list(db.scalars(stmt).all())


def acting_for(db: Session, user: User) -> set[int]:
    """Waiter ids whose orders `user` may act on: their own and those they assist."""
    return {user.id, *waiters_assisted_by(db, user.id)}


def assistant_links(db: Session, *, active_only: bool = False) -> AssistantLinks:
    """The whole assistant relation in one query; `active_only` drops links to or from inactive users."""
    stmt = select(WaiterAssistant.waiter_id, WaiterAssistant.assistant_id).order_by(
        WaiterAssistant.waiter_id, WaiterAssistant.assistant_id
    )
    if active_only:
        waiter, assistant = aliased(User), aliased(User)
        stmt = (
            stmt.join(waiter, waiter.id == WaiterAssistant.waiter_id)
            .join(assistant, assistant.id == WaiterAssistant.assistant_id)
            .where(waiter.is_active.is_(True), assistant.is_active.is_(True))
        )
    of: defaultdict[int, list[int]] = defaultdict(list)
    assists: defaultdict[int, list[int]] = defaultdict(list)
    for waiter_id, assistant_id in db.execute(stmt).all():
        of[waiter_id].append(assistant_id)
        assists[assistant_id].append(waiter_id)
    for ids in assists.values():
        ids.sort()
    return AssistantLinks(assistants_of=dict(of), assists=dict(assists))


def display_names(db: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """Display name per user id: from the staff cache when it is current, else in one query."""
    ids = sorted(set(user_ids))
    snapshot: dict[int, User] | None = cache.peek(db, "staff.users", STAFF_TABLES)
    if snapshot is not None:
        return {i: snapshot[i].display_name for i in ids if i in snapshot}
    return dict(db.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def list_users(db: Session, *, include_inactive: bool = True) -> Sequence[User]:
    # The "QR guests" owner is not staff: it never shows on the staff screen.
    stmt = select(User).where(User.username != GUEST_USERNAME).order_by(User.role.desc(), User.display_name)
    if not include_inactive:
        stmt = stmt.where(User.is_active.is_(True))
    return db.scalars(stmt).all()


def _view(user: User, links: AssistantLinks) -> dict[str, Any]:
    locked = user.locked_until if user.locked_until is not None and user.locked_until > utcnow() else None
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "is_active": user.is_active,
        # An expired lockout stays stored until the next login; to the manager it is simply not locked.
        "locked_until": locked,
        "assistant_ids": links.assistants_of.get(user.id, []),
        "assists": links.assists.get(user.id, []),
        "created_at": user.created_at,
    }


def staff_view(db: Session, user: User) -> dict[str, Any]:
    """One user as the staff screen shows it (with both directions of the assistant relation)."""
    return _view(user, assistant_links(db))


def list_staff_views(db: Session, *, include_inactive: bool = True) -> list[dict[str, Any]]:
    """Every user as the staff screen shows them, in two queries."""
    users = list_users(db, include_inactive=include_inactive)
    links = assistant_links(db)
    return [_view(u, links) for u in users]


def _ensure_username_free(db: Session, username: str, *, except_id: int | None = None) -> None:
    existing = find_by_username(db, username)
    if existing is not None and existing.id != except_id:
        raise UsernameTaken(f"The username {existing.username!r} is already taken")


def _guard_manager_loss(db: Session, user: User, by: User, *, deactivating: bool) -> None:
    """Refuse to leave the restaurant without an active manager, or to lock oneself out of management."""
    if not (user.is_manager and user.is_active):
        return
    # The acting manager is always active, so the last-manager case can only be them acting on themselves;
    # it is checked first so the answer names the real problem.
    if count_active_managers(db) <= 1:
        raise LastManager()
    if user.id == by.id:
        raise CannotDeactivateSelf() if deactivating else CannotDemoteSelf()


def create_user(db: Session, hasher: SecretHasher, *, data: StaffCreate, by: User) -> User:
    """A new waiter or manager with a PIN; usernames are unique regardless of case."""
    _ensure_username_free(db, data.username)
    user = User(username=data.username, display_name=data.display_name, role=data.role, pin_hash=hasher.hash(data.pin))
    db.add(user)
    db.flush()
    audit.record(
        db,
        action="staff.created",
        entity_type="user",
        entity_id=user.id,
        actor=by,
        data={"username": user.username, "display_name": user.display_name, "role": user.role},
    )
    return user


def update_user(db: Session, *, user: User, data: StaffUpdate, by: User) -> User:
    """Rename, change role, deactivate or reactivate; deactivation ends the user's sessions at once."""
    changes: dict[str, list[Any]] = {}
    if data.is_active is False and user.is_active:
        _guard_manager_loss(db, user, by, deactivating=True)
    if data.role is not None and data.role != user.role and user.role == "manager":
        _guard_manager_loss(db, user, by, deactivating=False)
    if data.username is not None and data.username != user.username:
        _ensure_username_free(db, data.username, except_id=user.id)
        changes["username"] = [user.username, data.username]
        user.username = data.username
    if data.display_name is not None and data.display_name != user.display_name:
        changes["display_name"] = [user.display_name, data.display_name]
        user.display_name = data.display_name
    if data.role is not None and data.role != user.role:
        changes["role"] = [user.role, data.role]
        user.role = data.role
    if data.is_active is not None and data.is_active != user.is_active:
        changes["is_active"] = [user.is_active, data.is_active]
        user.is_active = data.is_active
        if not data.is_active:
            auth.revoke_all(db, user)
    if changes:
        db.flush()
        audit.record(db, action="staff.updated", entity_type="user", entity_id=user.id, actor=by, data=changes)
    return user


def reset_pin(db: Session, hasher: SecretHasher, *, user: User, pin: str, by: User) -> User:
    """Set a new PIN: clears any lockout and ends every session of the user."""
    user.pin_hash = hasher.hash(pin)
    user.failed_pin_attempts = 0
    user.locked_until = None
    auth.revoke_all(db, user)
    db.flush()
    audit.record(db, action="staff.pin_reset", entity_type="user", entity_id=user.id, actor=by)
    return user


def unlock(db: Session, *, user: User, by: User) -> User:
    """Clear a PIN lockout so the user can try again now."""
    was_locked = user.locked_until is not None and user.locked_until > utcnow()
    user.failed_pin_attempts = 0
    user.locked_until = None
    db.flush()
    audit.record(
        db, action="staff.unlocked", entity_type="user", entity_id=user.id, actor=by, data={"was_locked": was_locked}
    )
    return user


def deactivate(db: Session, *, user: User, by: User) -> None:
    """Soft-delete: the user can no longer log in and their tokens stop working at once."""
    if not user.is_active:
        return
    _guard_manager_loss(db, user, by, deactivating=True)
    user.is_active = False
    auth.revoke_all(db, user)
    db.flush()
    audit.record(
        db,
        action="staff.deactivated",
        entity_type="user",
        entity_id=user.id,
        actor=by,
        data={"username": user.username},
    )


def set_assistants(db: Session, *, waiter: User, assistant_ids: Iterable[int], by: User) -> list[int]:
    """Replace who may serve `waiter`'s tables; each must be another, active user."""
    wanted = sorted(set(assistant_ids))
    if waiter.id in wanted:
        raise InvalidAssistant("A user cannot assist themselves")
    if wanted:
        found = set(db.scalars(select(User.id).where(User.id.in_(wanted), User.is_active.is_(True))).all())
        missing = [i for i in wanted if i not in found]
        if missing:
            raise InvalidAssistant(f"Not active staff members: {', '.join(map(str, missing))}")
    current = assistants_of(db, waiter.id)
    if current == wanted:
        return current
    db.execute(
        delete(WaiterAssistant).where(
            WaiterAssistant.waiter_id == waiter.id, WaiterAssistant.assistant_id.not_in(wanted)
        )
    )
    db.add_all(WaiterAssistant(waiter_id=waiter.id, assistant_id=i) for i in wanted if i not in current)
    db.flush()
    audit.record(
        db,
        action="staff.assistants_changed",
        entity_type="user",
        entity_id=waiter.id,
        actor=by,
        data={"before": current, "after": wanted},
    )
    return wanted


def bootstrap_manager(db: Session, hasher: SecretHasher, *, username: str, pin: str) -> User | None:
    """Create the first manager from MANAGER_USERNAME/MANAGER_PIN, only when nobody exists yet."""
    if count_users(db) > 0:
        return None
    user = User(username=username, display_name=username, role="manager", pin_hash=hasher.hash(pin))
    db.add(user)
    db.flush()
    audit.record(
        db, action="staff.bootstrapped", entity_type="user", entity_id=user.id, data={"username": user.username}
    )
    return user
