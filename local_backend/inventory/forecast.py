"""Tomorrow's expected use of each stock item, its status and a suggested order.

The rule (issue 10):
- **forecast** for day D (tomorrow in the site's timezone unless asked) = the mean net use (sale - return
  movements, i.e. what the recipes of the dishes sold took) on the same weekday of the 4 previous weeks, D-7,
  D-14, D-21 and D-28. A weekday without movements counts as 0. A weekday before the item's first movement (of
  any kind), or one still in the future, is left out: an item 10 days old is averaged over one weekday, not
  diluted by three weeks it did not exist. It is rounded up to a whole base unit, so pieces are planned whole;
  the status and the suggestion use that figure. A day whose returns exceed its sales counts as negative use,
  and the forecast is never below 0.
- **status**: critical if on_hand < forecast (tomorrow runs out), warning if on_hand < 1.5 x forecast (less than
  half a day of margin), else ok.
- **suggested_order** = max(0, ceil(1.5 x forecast + critical_level - on_hand)): enough for tomorrow plus half a
  day of margin, ending above the critical level (where the low-stock alert would fire).

Days are the site's local days: each weekday's bounds are its local midnights converted to UTC (so a day of
23 or 25 hours around a DST change is right), and the database sums each item's movements inside each of the 4
windows in one grouped query over the (stock_item_id, at) index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from local_backend.inventory.models import StockItem, StockMovement
from local_backend.settings import service as site
from shared.clock import ensure_utc, utcnow

WEEKS = 4
USE_KINDS = ("sale", "return")
STATUS_ORDER = {"critical": 0, "warning": 1, "ok": 2}


@dataclass(frozen=True, slots=True)
class ForecastRow:
    stock_item_id: int
    name: str
    unit: str
    on_hand: int
    critical_level: int
    day: date
    forecast: int
    days: int
    status: str
    suggested_order: int
    supplier_id: int | None


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -((-numerator) // denominator)


def status_of(on_hand: int, forecast: int) -> str:
    if on_hand < forecast:
        return "critical"
    # on_hand < 1.5 x forecast, in integers
    if 2 * on_hand < 3 * forecast:
        return "warning"
    return "ok"


def suggested_order(on_hand: int, forecast: int, critical_level: int) -> int:
    """max(0, ceil(1.5 x forecast + critical_level - on_hand)), in integers."""
    return max(0, _ceil_div(3 * forecast + 2 * (critical_level - on_hand), 2))


def forecast(
    db: Session, *, day: date | None = None, now: datetime | None = None, stock_item_ids: Iterable[int] | None = None
) -> list[ForecastRow]:
    """Every active stock item's forecast for `day` (default: tomorrow, site time), or only these items'; critical
    first."""
    tz = site.current(db).tz
    today = ensure_utc(now or utcnow()).astimezone(tz).date()
    target = day or today + timedelta(days=1)
    weekdays = [target - timedelta(weeks=k) for k in range(1, WEEKS + 1)]
    windows = [(_local_midnight(w, tz), _local_midnight(w + timedelta(days=1), tz)) for w in weekdays]

    first = (
        select(func.min(StockMovement.at)).where(StockMovement.stock_item_id == StockItem.id).scalar_subquery()
    )  # one index seek per item
    stmt = (
        select(
            StockItem.id,
            StockItem.name,
            StockItem.unit,
            StockItem.on_hand,
            StockItem.critical_level,
            StockItem.supplier_id,
            first,
        )
        .where(StockItem.is_active.is_(True))
        .order_by(StockItem.name, StockItem.id)
    )
    if stock_item_ids is not None:
        stmt = stmt.where(StockItem.id.in_(sorted(set(stock_item_ids))))
    items = db.execute(stmt).all()
    ids = [int(row.id) for row in items]
    use: dict[int, list[int]] = {}
    if ids:
        sums = [
            func.coalesce(
                func.sum(
                    case((and_(StockMovement.at >= start, StockMovement.at < end), -StockMovement.delta), else_=0)
                ),
                0,
            )
            for start, end in windows
        ]
        rows = db.execute(
            select(StockMovement.stock_item_id, *sums)
            .where(
                StockMovement.stock_item_id.in_(ids),
                StockMovement.at >= min(start for start, _ in windows),
                StockMovement.at < max(end for _, end in windows),
                StockMovement.kind.in_(USE_KINDS),
            )
            .group_by(StockMovement.stock_item_id)
        ).all()
        use = {int(row[0]): [int(v) for v in row[1:]] for row in rows}

    out = []
    for row in items:
        first_day = ensure_utc(row[6]).astimezone(tz).date() if row[6] is not None else None
        used = use.get(int(row.id), [0] * WEEKS)
        counted = [
            used[k] for k, weekday in enumerate(weekdays) if first_day is not None and first_day <= weekday <= today
        ]
        expected = max(0, _ceil_div(sum(counted), len(counted))) if counted else 0
        on_hand, critical = int(row.on_hand), int(row.critical_level)
        out.append(
            ForecastRow(
                stock_item_id=int(row.id),
                name=row.name,
                unit=row.unit,
                on_hand=on_hand,
                critical_level=critical,
                day=target,
                forecast=expected,
                days=len(counted),
                status=status_of(on_hand, expected),
                suggested_order=suggested_order(on_hand, expected, critical),
                supplier_id=row.supplier_id,
            )
        )
    out.sort(key=lambda r: STATUS_ORDER[r.status])  # stable: by name within a status
    return out
