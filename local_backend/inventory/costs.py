"""What one unit of each product costs in stock, from its recipe (read by the analytics for margins)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from local_backend.inventory.models import COST_PER, RecipeLine, StockItem

# Costs are quoted per kg / l / piece; a line's cost is quantity x unit_cost / COST_PER[unit]. Summing in
# thousandths of a minor unit keeps the sum exact whatever the mix of units; it is rounded once, at the end.
_SCALE = 1000


def _rounded(thousandths: int) -> int:
    """Half up to whole minor units (costs are never negative)."""
    return (thousandths + _SCALE // 2) // _SCALE


def cost_of(lines: Iterable[tuple[int, str, int | None]]) -> int | None:
    """Minor units for (quantity, unit, unit_cost) lines; None if one cost is unknown."""
    total = 0
    for quantity, unit, unit_cost in lines:
        if unit_cost is None:
            return None
        total += quantity * unit_cost * (_SCALE // COST_PER[unit])
    return _rounded(total)


def product_costs(db: Session) -> dict[int, int]:
    """Minor units one unit of a product costs through its recipe, for products whose every stock item has a cost.

    Products without a recipe, or with a stock item of unknown cost, are absent (their margin is unknown). Only
    the product's own lines count: options are extras with their own price. One grouped query.
    """
    per_unit = case(*((StockItem.unit == unit, _SCALE // per) for unit, per in COST_PER.items()), else_=0)
    rows = db.execute(
        select(
            RecipeLine.product_id,
            func.sum(RecipeLine.quantity * StockItem.unit_cost * per_unit),
            func.sum(case((StockItem.unit_cost.is_(None), 1), else_=0).cast(Integer)),
        )
        .join(StockItem, RecipeLine.stock_item_id == StockItem.id)
        .where(RecipeLine.option_id.is_(None))
        .group_by(RecipeLine.product_id)
    ).all()
    return {int(product_id): _rounded(int(total)) for product_id, total, unknown in rows if not unknown}
