"""Cash shifts: open with a float, pay-ins and pay-outs, close with the counted cash against the expected drawer.

Payments never require an open shift: a guest's bill is never blocked by the drawer. A payment taken while no
shift is open is still in the day's Z report, listed as "outside shift"; it is in no shift's expected cash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from local_backend.audit import service as audit
from local_backend.events import Audience, publish_after_commit
from local_backend.reports import figures
from local_backend.shifts.models import CashMovement, Shift
from local_backend.staff import service as staff
from local_backend.staff.models import User
from shared.clock import utcnow
from shared.errors import Conflict, NotFound


class ShiftAlreadyOpen(Conflict):
    code = "SHIFT_ALREADY_OPEN"
    default_detail = "A shift is already open; close it first"


class NoOpenShift(Conflict):
    code = "NO_OPEN_SHIFT"
    default_detail = "No shift is open"


class ShiftNotFound(NotFound):
    code = "SHIFT_NOT_FOUND"
    default_detail = "No such shift"


class ShiftClosed(Conflict):
    code = "SHIFT_CLOSED"
    default_detail = "This shift is closed"


@dataclass(frozen=True, slots=True)
class ShiftCash:
    opening_float: int
    cash_payments: int
    cash_tips: int
    cash_refunds: int
    pay_ins: int
    pay_outs: int

    @property
    def expected(self) -> int:
        return (
            self.opening_float + self.cash_payments + self.cash_tips - self.cash_refunds + self.pay_ins - self.pay_outs
        )

    def as_json(self) -> dict[str, int]:
        return {**asdict(self), "expected": self.expected}


@dataclass(frozen=True, slots=True)
class MovementView:
    id: int
    shift_id: int
    kind: str
    amount: int
    reason: str
    created_by_id: int
    created_by_name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ShiftView:
    id: int
    status: str
    opening_float: int
    opened_at: datetime
    opened_by_id: int
    opened_by_name: str
    closed_at: datetime | None
    closed_by_id: int | None
    closed_by_name: str | None
    expected_cash: int | None
    counted_cash: int | None
    variance: int | None
    close_note: str | None
    cash: ShiftCash | None = None
    movements: Sequence[MovementView] = ()


def _announce(db: Session, shift: Shift, change: str) -> None:
    # Managers' dashboards refresh the drawer; waiters do not see cash figures.
    publish_after_commit(db, "shift.changed", {"shift_id": shift.id, "change": change}, Audience.waiters([]))


def current_shift(db: Session) -> Shift | None:
    """The open shift, if any."""
    return db.scalars(select(Shift).where(Shift.status == "open").limit(1)).first()


def require_open(db: Session) -> Shift:
    shift = current_shift(db)
    if shift is None:
        raise NoOpenShift()
    return shift


def cash_of(db: Session, shift: Shift, *, until: datetime) -> ShiftCash:
    """The drawer's cash flows from the shift's opening until `until` (now, or its close)."""
    flows = figures.cash_flows(db, shift.opened_at, until)
    return ShiftCash(
        opening_float=shift.opening_float,
        cash_payments=flows.payments,
        cash_tips=flows.tips,
        cash_refunds=flows.refunds,
        pay_ins=flows.pay_ins,
        pay_outs=flows.pay_outs,
    )


def _stored_cash(shift: Shift) -> ShiftCash | None:
    stored = (shift.closing_report or {}).get("cash")
    if not stored:
        return None
    return ShiftCash(**{k: int(v) for k, v in stored.items() if k != "expected"})


def _movements(db: Session, shift_id: int) -> Sequence[CashMovement]:
    return db.scalars(select(CashMovement).where(CashMovement.shift_id == shift_id).order_by(CashMovement.id)).all()


def view(db: Session, shift: Shift, *, with_details: bool = True, now: datetime | None = None) -> ShiftView:
    """A shift with names; with details, its cash breakdown (live while open) and movements."""
    movements = _movements(db, shift.id) if with_details else []
    ids = {shift.opened_by_id, *(m.created_by_id for m in movements)}
    if shift.closed_by_id is not None:
        ids.add(shift.closed_by_id)
    names = staff.display_names(db, ids)
    cash: ShiftCash | None = None
    if with_details:
        cash = cash_of(db, shift, until=now or utcnow()) if shift.status == "open" else _stored_cash(shift)
    return ShiftView(
        id=shift.id,
        status=shift.status,
        opening_float=shift.opening_float,
        opened_at=shift.opened_at,
        opened_by_id=shift.opened_by_id,
        opened_by_name=names.get(shift.opened_by_id, ""),
        closed_at=shift.closed_at,
        closed_by_id=shift.closed_by_id,
        closed_by_name=names.get(shift.closed_by_id) if shift.closed_by_id is not None else None,
        expected_cash=shift.expected_cash,
        counted_cash=shift.counted_cash,
        variance=shift.variance,
        close_note=shift.close_note,
        cash=cash,
        movements=[
            MovementView(
                id=m.id,
                shift_id=m.shift_id,
                kind=m.kind,
                amount=m.amount,
                reason=m.reason,
                created_by_id=m.created_by_id,
                created_by_name=names.get(m.created_by_id, ""),
                created_at=m.created_at,
            )
            for m in movements
        ],
    )


def movements_between(db: Session, start: datetime, end: datetime) -> list[MovementView]:
    """Pay-ins and pay-outs made in [start, end), oldest first."""
    rows = db.scalars(
        select(CashMovement)
        .where(CashMovement.created_at >= start, CashMovement.created_at < end)
        .order_by(CashMovement.created_at, CashMovement.id)
    ).all()
    names = staff.display_names(db, {m.created_by_id for m in rows})
    return [
        MovementView(
            id=m.id,
            shift_id=m.shift_id,
            kind=m.kind,
            amount=m.amount,
            reason=m.reason,
            created_by_id=m.created_by_id,
            created_by_name=names.get(m.created_by_id, ""),
            created_at=m.created_at,
        )
        for m in rows
    ]


def get_shift(db: Session, shift_id: int) -> Shift:
    shift = db.get(Shift, shift_id)
    if shift is None:
        raise ShiftNotFound()
    return shift


def list_shifts(db: Session, *, limit: int = 50, before_id: int | None = None) -> list[ShiftView]:
    """Newest first; page with `before_id`."""
    stmt = select(Shift).order_by(Shift.id.desc()).limit(limit)
    if before_id is not None:
        stmt = stmt.where(Shift.id < before_id)
    return [view(db, s, with_details=False) for s in db.scalars(stmt).all()]


def shifts_between(db: Session, start: datetime, end: datetime) -> Sequence[Shift]:
    """Shifts that overlap [start, end), oldest first."""
    return db.scalars(
        select(Shift)
        .where(Shift.opened_at < end, (Shift.closed_at.is_(None)) | (Shift.closed_at > start))
        .order_by(Shift.opened_at, Shift.id)
    ).all()


def open_shift(db: Session, *, opening_float: int, by: User) -> ShiftView:
    """Open the site's shift with the cash put in the drawer; one shift may be open at a time."""
    already = current_shift(db)
    if already is not None:
        raise ShiftAlreadyOpen(f"Shift #{already.id} is still open; close it first")
    shift = Shift(status="open", opening_float=opening_float, opened_at=utcnow(), opened_by_id=by.id)
    db.add(shift)
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError as exc:  # the unique index is the last word if two opens ever raced
        raise ShiftAlreadyOpen() from exc
    audit.record(
        db, action="shift.opened", entity_type="shift", entity_id=shift.id, actor=by, data={"float": opening_float}
    )
    _announce(db, shift, "opened")
    return view(db, shift)


def add_movement(db: Session, *, shift_id: int, kind: str, amount: int, reason: str, by: User) -> MovementView:
    """Record cash put into or taken out of the drawer of an open shift, with the reason."""
    shift = get_shift(db, shift_id)
    if shift.status != "open":
        raise ShiftClosed(f"Shift #{shift.id} is closed; its drawer can no longer change")
    movement = CashMovement(
        shift_id=shift.id, kind=kind, amount=amount, reason=reason, created_by_id=by.id, created_at=utcnow()
    )
    db.add(movement)
    db.flush()
    audit.record(
        db,
        action=f"shift.{kind}",
        entity_type="cash_movement",
        entity_id=movement.id,
        actor=by,
        data={"shift_id": shift.id, "amount": amount, "reason": reason},
    )
    _announce(db, shift, kind)
    return MovementView(
        id=movement.id,
        shift_id=shift.id,
        kind=kind,
        amount=amount,
        reason=reason,
        created_by_id=by.id,
        created_by_name=by.display_name,
        created_at=movement.created_at,
    )


def close_shift(db: Session, *, counted_cash: int, note: str | None, by: User) -> ShiftView:
    """Close the open shift: the cash counted is compared with what the drawer should hold (variance =
    counted - expected); the figures at that moment are kept with the shift."""
    shift = require_open(db)
    now = utcnow()
    cash = cash_of(db, shift, until=now)
    period = figures.period(db, shift.opened_at, now)
    shift.status = "closed"
    shift.closed_at = now
    shift.closed_by_id = by.id
    shift.expected_cash = cash.expected
    shift.counted_cash = counted_cash
    shift.variance = counted_cash - cash.expected
    shift.close_note = note or None
    shift.closing_report = {
        "cash": cash.as_json(),
        "totals": {**asdict(period.totals), "net_sales": period.totals.net_sales},
        "by_method": [{**asdict(m), "net": m.net} for m in period.by_method],
    }
    db.flush()
    audit.record(
        db,
        action="shift.closed",
        entity_type="shift",
        entity_id=shift.id,
        actor=by,
        data={"expected": cash.expected, "counted": counted_cash, "variance": shift.variance, "note": note},
    )
    _announce(db, shift, "closed")
    return view(db, shift)
