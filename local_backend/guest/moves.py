"""A party's guest session follows its order to another table (orders.transfer calls this).

Guests who move scan the new table's code: they must find their own order, sends and payments there, and the old
table must start empty for the next party. Lives apart from guest/service.py, which imports orders: this imports
no other domain, so orders can call it.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from local_backend.events import Audience, publish_after_commit
from local_backend.guest.models import GuestSession, GuestSubmission
from shared.clock import utcnow


def follow_order(db: Session, *, order_id: int, from_table_id: int, to_table_id: int) -> None:
    """Move the running session that ordered into `order_id` from one table to the other.

    Cart versions only ever grow per table (phones ignore an older cart): the moved session continues above the
    new table's last version, and an empty, ended session is left at the old table above the moved one's."""
    moving = db.scalars(
        select(GuestSession).where(
            GuestSession.table_id == from_table_id,
            GuestSession.ended_at.is_(None),
            GuestSession.order_id == order_id,
        )
    ).first()
    if moving is None:
        return
    now = utcnow()
    # The new table was free; a cart someone started there belongs to nobody's order and ends.
    db.execute(
        update(GuestSession)
        .where(GuestSession.table_id == to_table_id, GuestSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    last_there = db.scalar(select(func.max(GuestSession.version)).where(GuestSession.table_id == to_table_id))
    left_version = moving.version + 1
    moving.table_id = to_table_id
    moving.version = max(moving.version, -1 if last_there is None else last_there) + 1
    moving.updated_at = now
    db.execute(
        update(GuestSubmission)
        .where(GuestSubmission.session_id == moving.id, GuestSubmission.status == "pending")
        .values(table_id=to_table_id)
    )
    db.add(GuestSession(table_id=from_table_id, version=left_version, started_at=now, updated_at=now, ended_at=now))
    db.flush()
    for table_id in (from_table_id, to_table_id):
        publish_after_commit(db, "guest.cart", {"table_id": table_id}, Audience.guests(table_id))
        publish_after_commit(db, "guest.order", {"table_id": table_id}, Audience.guests(table_id))
