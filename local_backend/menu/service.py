"""Menu rules: categories, products and their options, removable ingredients and preference sets."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from local_backend.menu.models import PreferenceSet, Product
from shared.errors import NotFound


class ProductNotFound(NotFound):
    code = "PRODUCT_NOT_FOUND"
    default_detail = "No such product"


def products_for_order(db: Session, product_ids: Iterable[int]) -> dict[int, Product]:
    """Products (with options, ingredients, preference sets and choices loaded) for pricing new items.

    Used by orders; includes unavailable and archived products so the caller can refuse them with a clear code.
    """
    ids = set(product_ids)
    if not ids:
        return {}
    rows = db.scalars(
        select(Product)
        .where(Product.id.in_(ids))
        .options(
            selectinload(Product.category),
            selectinload(Product.options),
            selectinload(Product.ingredients),
            selectinload(Product.preference_sets).selectinload(PreferenceSet.choices),
        )
    ).all()
    return {p.id: p for p in rows}
