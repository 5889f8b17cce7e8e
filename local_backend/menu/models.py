"""The menu: categories, products and what a guest can change about a product.

Names are kept in the restaurant's language (`name`) with an optional English one (`name_en`).
Prices are integer minor units.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from local_backend.db import Base
from shared.clock import utcnow


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (CheckConstraint("tax_rate_bp IS NULL OR tax_rate_bp BETWEEN 0 AND 10000", name="tax_rate_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120), default=None)
    color: Mapped[str] = mapped_column(String(9), default="#607d8b")
    sort_order: Mapped[int] = mapped_column(default=0)
    # Default kitchen/bar zone for products that do not set their own.
    printer_zone_id: Mapped[int | None] = mapped_column(default=None)
    # Tax rate of its products in basis points (1300 = 13 %); None is 0 % unless a product sets its own.
    tax_rate_bp: Mapped[int | None] = mapped_column(default=None)
    is_active: Mapped[bool] = mapped_column(default=True)
    # A deleted category that archived products still point to: kept for history, gone from the menu.
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    products: Mapped[list[Product]] = relationship(back_populates="category", lazy="raise")


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("base_price >= 0", name="base_price_not_negative"),
        CheckConstraint("unavailable_reason IS NULL OR unavailable_reason = 'stock'", name="unavailable_reason_valid"),
        CheckConstraint("tax_rate_bp IS NULL OR tax_rate_bp BETWEEN 0 AND 10000", name="tax_rate_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    base_price: Mapped[int]
    is_available: Mapped[bool] = mapped_column(default=True)
    # Why an unavailable product is off: "stock" when the inventory took it off (it comes back by itself when the
    # stock does), None when a manager did (only a manager brings it back). Meaningless while available.
    unavailable_reason: Mapped[str | None] = mapped_column(String(16), default=None)
    printer_zone_id: Mapped[int | None] = mapped_column(default=None)
    # Overrides the category's tax rate (basis points); None follows the category.
    tax_rate_bp: Mapped[int | None] = mapped_column(default=None)
    image_path: Mapped[str | None] = mapped_column(String(255), default=None)
    # EU allergen codes ("gluten", "milk", ...) in the canonical order of menu.schemas.ALLERGENS; the server
    # default gives rows made before the column existed an empty list rather than NULL.
    allergens: Mapped[list[Any]] = mapped_column(default=list, server_default=text("'[]'"))
    sort_order: Mapped[int] = mapped_column(default=0)
    # Products that appear on past orders are archived, never deleted.
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship(back_populates="products", lazy="raise")
    options: Mapped[list[ProductOption]] = relationship(
        back_populates="product",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ProductOption.sort_order",
    )
    ingredients: Mapped[list[ProductIngredient]] = relationship(
        back_populates="product",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ProductIngredient.sort_order",
    )
    preference_sets: Mapped[list[PreferenceSet]] = relationship(
        back_populates="product",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="PreferenceSet.sort_order",
    )


class ProductOption(Base):
    """An extra a guest can add (extra cheese +0.50)."""

    __tablename__ = "product_options"
    __table_args__ = (CheckConstraint("extra_cost >= 0", name="extra_cost_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120), default=None)
    extra_cost: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="options", lazy="raise")


class ProductIngredient(Base):
    """An ingredient a guest can ask to leave out (no onion)."""

    __tablename__ = "product_ingredients"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120), default=None)
    sort_order: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="ingredients", lazy="raise")


class PreferenceSet(Base):
    """Exclusive choices (steak doneness); a required set must be answered when ordering."""

    __tablename__ = "preference_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120), default=None)
    is_required: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="preference_sets", lazy="raise")
    choices: Mapped[list[PreferenceChoice]] = relationship(
        back_populates="preference_set",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="PreferenceChoice.sort_order",
    )


class PreferenceChoice(Base):
    __tablename__ = "preference_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("preference_sets.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120), default=None)
    # May be negative (a half portion costs less).
    price_delta: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)

    preference_set: Mapped[PreferenceSet] = relationship(back_populates="choices", lazy="raise")
