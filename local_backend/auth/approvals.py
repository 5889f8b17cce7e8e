"""Manager approval: a manager types username and PIN on a waiter's phone and the waiter gets a one-time token.

The token allows one action (`discount`, `remove_discount`, `void`) once, within APPROVAL_TTL, for the waiter who
asked (and for one order if the request named one). Guarded endpoints take it in `X-Manager-Approval`; a manager's
own session needs none. Wrong PINs count towards the same lockout as login. Every use is audit-logged by the
action itself, naming who asked and who approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.auth import service as auth
from local_backend.auth.models import ManagerApproval
from local_backend.config import Settings
from local_backend.staff import service as staff
from local_backend.staff.models import User
from shared.clock import ensure_utc, utcnow
from shared.errors import Forbidden
from shared.security import SecretHasher, new_secret, sha256_hex

APPROVAL_TTL = timedelta(minutes=5)
ACTIONS = ("discount", "remove_discount", "void")
HEADER = "X-Manager-Approval"


class ApproverNotManager(Forbidden):
    code = "APPROVER_NOT_MANAGER"
    default_detail = "Only a manager can approve this"
    commit_on_raise = True  # the PIN was right: its reset failure count must stick like a login's


class ApprovalDenied(Forbidden):
    code = "APPROVAL_DENIED"
    default_detail = "Wrong manager username or PIN"
    # The failed attempt counts towards the lockout, as at login. A 403, not login's 401: the waiter's own session
    # is fine, and clients read a 401 as "log in again".
    commit_on_raise = True


class ApprovalRequired(Forbidden):
    code = "MANAGER_APPROVAL_REQUIRED"
    default_detail = "A manager must approve this (X-Manager-Approval)"


class ApprovalInvalid(Forbidden):
    code = "APPROVAL_INVALID"
    default_detail = "This approval is expired, used, or for another action"


GRANT_ERRORS = (ApprovalDenied, auth.PinLockedOut, ApproverNotManager)
GUARD_ERRORS = (ApprovalRequired, ApprovalInvalid)


@dataclass(frozen=True, slots=True)
class Granted:
    approval_token: str
    manager: User
    action: str
    order_id: int | None
    expires_in: int


def grant(
    db: Session,
    *,
    settings: Settings,
    hasher: SecretHasher,
    username: str,
    pin: str,
    action: str,
    order_id: int | None,
    by: User,
) -> Granted:
    """A one-time approval token for `by`, if `username`/`pin` are a manager's (wrong PINs lock out as login)."""
    try:
        manager = auth.check_pin(db, settings=settings, hasher=hasher, username=username, pin=pin)
    except auth.InvalidCredentials as exc:
        raise ApprovalDenied() from exc
    if not manager.is_manager:
        audit.record(
            db,
            action="auth.approval_refused",
            entity_type="user",
            entity_id=manager.id,
            actor=by,
            order_id=order_id,
            data={"approver": manager.username, "action": action},
        )
        raise ApproverNotManager(f"{manager.display_name} is not a manager")
    token = new_secret(24)
    now = utcnow()
    row = ManagerApproval(
        token_hash=sha256_hex(token),
        action=action,
        order_id=order_id,
        manager_id=manager.id,
        requested_by_id=by.id,
        created_at=now,
        expires_at=now + APPROVAL_TTL,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        action="auth.approval_granted",
        entity_type="manager_approval",
        entity_id=row.id,
        actor=manager,
        order_id=order_id,
        data={"action": action, "requested_by_id": by.id, "requested_by_name": by.display_name},
    )
    return Granted(
        approval_token=token,
        manager=manager,
        action=action,
        order_id=order_id,
        expires_in=int(APPROVAL_TTL.total_seconds()),
    )


def approve(db: Session, *, token: str | None, action: str, order_id: int | None, by: User) -> User:
    """The manager who allows `by` to do `action` now: `by` itself if a manager, else the token's (spent here)."""
    if by.is_manager:
        return by
    if not token:
        raise ApprovalRequired()
    row = db.scalars(select(ManagerApproval).where(ManagerApproval.token_hash == sha256_hex(token[:256]))).first()
    now = utcnow()
    if (
        row is None
        or row.used_at is not None
        or ensure_utc(row.expires_at) <= now
        or row.action != action
        or row.requested_by_id != by.id
        or (row.order_id is not None and row.order_id != order_id)
    ):
        raise ApprovalInvalid()
    manager = staff.find_user(db, row.manager_id)
    if manager is None or not manager.is_active or not manager.is_manager:
        raise ApprovalInvalid("The approving manager is no longer a manager")
    row.used_at = now
    db.flush()
    return manager
