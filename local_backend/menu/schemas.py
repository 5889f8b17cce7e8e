"""Wire shapes for categories and products with their options, removable ingredients and preference sets.

Inputs forbid unknown fields, are strict about types (a price is a JSON integer, not "12" or 12.0 or true) and
bound every value, so nothing a client sends can reach the database unchecked.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from local_backend.partial import PartialUpdate, StrictInput

MAX_PRICE = 10_000_000
MAX_SORT_ORDER = 1_000_000
MAX_ID = 2**31 - 1
MAX_OPTIONS = 50
MAX_INGREDIENTS = 50
MAX_PREFERENCE_SETS = 20
MAX_CHOICES = 50


def _encodable(value: str) -> str:
    # JSON may carry lone surrogates ("\ud800"); they cannot be stored as UTF-8, so refuse them here.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode") from exc
    return value


def _strip(value: str) -> str:
    return value.strip()


# Length and "not blank" are checked on the text as sent (so the OpenAPI schema says exactly what is
# accepted); the stored value is stripped.
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=120, pattern=r"\S"),
    AfterValidator(_encodable),
    AfterValidator(_strip),
]
LongText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2000, pattern=r"\S"),
    AfterValidator(_encodable),
    AfterValidator(_strip),
]
OptionalName = Name | None
Description = LongText | None
Price = Annotated[int, Field(ge=0, le=MAX_PRICE)]
PriceDelta = Annotated[int, Field(ge=-MAX_PRICE, le=MAX_PRICE)]
SortOrder = Annotated[int, Field(ge=-MAX_SORT_ORDER, le=MAX_SORT_ORDER)]
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
TaxRate = Annotated[int, Field(ge=0, le=10_000, description="Basis points: 1300 = 13 %")]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"), AfterValidator(str.lower)]


# The EU's 14 allergens (Regulation 1169/2011, Annex II), in the order the menu shows them.
Allergen = Literal[
    "gluten",
    "crustaceans",
    "eggs",
    "fish",
    "peanuts",
    "soybeans",
    "milk",
    "nuts",
    "celery",
    "mustard",
    "sesame",
    "sulphites",
    "lupin",
    "molluscs",
]
ALLERGENS: tuple[Allergen, ...] = get_args(Allergen)


def _canonical_allergens(codes: list[Allergen]) -> list[Allergen]:
    # A set of ticks, not a list: the same code twice means it once, and one order means an unchanged set never
    # shows up as a change in the audit trail.
    present = set(codes)
    return [code for code in ALLERGENS if code in present]


Allergens = Annotated[
    list[Allergen],
    Field(max_length=len(ALLERGENS), description="EU allergen codes; stored once each, in the canonical order"),
    AfterValidator(_canonical_allergens),
]


def _unique_ids(items: list[Any]) -> list[Any]:
    ids = [item.id for item in items if item.id is not None]
    if len(ids) != len(set(ids)):
        raise ValueError("the same id appears twice")
    return items


# Categories


class CategoryCreate(StrictInput):
    name: Name
    name_en: OptionalName = None
    color: Color = "#607d8b"
    sort_order: SortOrder = 0
    printer_zone_id: RowId | None = Field(default=None, description="Default printer zone for its products")
    tax_rate_bp: TaxRate | None = Field(default=None, description="Tax rate of its products; null: 0 %")
    is_active: bool = True


class CategoryUpdate(PartialUpdate):
    _not_null = frozenset({"name", "color", "sort_order", "is_active"})

    name: Name | None = None
    name_en: OptionalName = None
    color: Color | None = None
    sort_order: SortOrder | None = None
    printer_zone_id: RowId | None = None
    tax_rate_bp: TaxRate | None = None
    is_active: bool | None = None


class CategoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    name_en: str | None
    color: str
    sort_order: int
    printer_zone_id: int | None
    tax_rate_bp: int | None = Field(description="Basis points; null: 0 %")
    is_active: bool


MAX_REORDER = 2_000


def _distinct(ids: list[int]) -> list[int]:
    if len(ids) != len(set(ids)):
        raise ValueError("the same id appears twice")
    return ids


ReorderIds = Annotated[list[RowId], Field(min_length=1, max_length=MAX_REORDER), AfterValidator(_distinct)]


class CategoryOrderUpdate(StrictInput):
    """The categories in their new menu order (sort_order becomes the position); any left out follow them."""

    ids: ReorderIds


class ProductOrderUpdate(StrictInput):
    """One category's products in their new order (sort_order becomes the position); any left out follow them."""

    category_id: RowId
    ids: ReorderIds


# Nested parts of a product. On update an entry with an `id` edits that entry in place, one without
# creates a new entry, and existing entries left out of the list are deleted.


class OptionCreate(StrictInput):
    name: Name
    name_en: OptionalName = None
    extra_cost: Price = 0
    sort_order: SortOrder | None = Field(default=None, description="Defaults to the position in the list")


class OptionUpdate(OptionCreate):
    id: RowId | None = None


class IngredientCreate(StrictInput):
    name: Name
    name_en: OptionalName = None
    sort_order: SortOrder | None = Field(default=None, description="Defaults to the position in the list")


class IngredientUpdate(IngredientCreate):
    id: RowId | None = None


class ChoiceCreate(StrictInput):
    name: Name
    name_en: OptionalName = None
    price_delta: PriceDelta = Field(default=0, description="May be negative (a half portion costs less)")
    sort_order: SortOrder | None = Field(default=None, description="Defaults to the position in the list")


class ChoiceUpdate(ChoiceCreate):
    id: RowId | None = None


class _PreferenceSetBase(StrictInput):
    name: Name
    name_en: OptionalName = None
    is_required: bool = Field(default=False, description="A required set must be answered when ordering")
    sort_order: SortOrder | None = Field(default=None, description="Defaults to the position in the list")


class PreferenceSetCreate(_PreferenceSetBase):
    choices: list[ChoiceCreate] = Field(min_length=1, max_length=MAX_CHOICES)


class PreferenceSetUpdate(_PreferenceSetBase):
    id: RowId | None = None
    choices: Annotated[list[ChoiceUpdate], Field(min_length=1, max_length=MAX_CHOICES), AfterValidator(_unique_ids)]


# Products


class ProductCreate(StrictInput):
    category_id: RowId
    name: Name
    name_en: OptionalName = None
    description: Description = None
    base_price: Price
    is_available: bool = True
    printer_zone_id: RowId | None = Field(default=None, description="Overrides the category's printer zone")
    tax_rate_bp: TaxRate | None = Field(default=None, description="Overrides the category's tax rate; null: follow it")
    sort_order: SortOrder = 0
    allergens: Allergens = Field(default_factory=list)
    options: list[OptionCreate] = Field(default_factory=list, max_length=MAX_OPTIONS)
    ingredients: list[IngredientCreate] = Field(default_factory=list, max_length=MAX_INGREDIENTS)
    preference_sets: list[PreferenceSetCreate] = Field(default_factory=list, max_length=MAX_PREFERENCE_SETS)


class ProductUpdate(PartialUpdate):
    """Partial update; a nested list, when given, replaces that whole collection (see the entries' `id`)."""

    _not_null = frozenset(
        {
            "category_id",
            "name",
            "base_price",
            "is_available",
            "sort_order",
            "allergens",
            "options",
            "ingredients",
            "preference_sets",
        }
    )

    category_id: RowId | None = None
    name: Name | None = None
    name_en: OptionalName = None
    description: Description = None
    base_price: Price | None = None
    is_available: bool | None = None
    printer_zone_id: RowId | None = None
    tax_rate_bp: TaxRate | None = None
    sort_order: SortOrder | None = None
    allergens: Allergens | None = None
    options: Annotated[list[OptionUpdate], Field(max_length=MAX_OPTIONS), AfterValidator(_unique_ids)] | None = None
    ingredients: (
        Annotated[list[IngredientUpdate], Field(max_length=MAX_INGREDIENTS), AfterValidator(_unique_ids)] | None
    ) = None
    preference_sets: (
        Annotated[list[PreferenceSetUpdate], Field(max_length=MAX_PREFERENCE_SETS), AfterValidator(_unique_ids)] | None
    ) = None


class AvailabilityUpdate(StrictInput):
    is_available: bool


class OptionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    name_en: str | None
    extra_cost: int
    sort_order: int


class IngredientRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    name_en: str | None
    sort_order: int


class PreferenceChoiceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    name_en: str | None
    price_delta: int
    sort_order: int


class PreferenceSetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    name_en: str | None
    is_required: bool
    sort_order: int
    choices: list[PreferenceChoiceRead]


def image_url(product_id: int, image_path: str | None) -> str | None:
    """The public, versioned URL of a stored image: each upload has a new file name, hence a new URL."""
    if not image_path:
        return None
    return f"/api/products/{product_id}/image?v={image_version(image_path)}"


def image_version(image_path: str) -> str:
    return image_path.rsplit("/", 1)[-1].split(".", 1)[0]


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    category_id: int
    name: str
    name_en: str | None
    description: str | None
    base_price: int
    is_available: bool
    unavailable_reason: Literal["stock"] | None = Field(
        description="Why an unavailable product is off: stock (it comes back with the stock), null (a manager's 86)"
    )
    is_archived: bool
    printer_zone_id: int | None
    tax_rate_bp: int | None = Field(description="The product's own rate (basis points); null: the category's")
    # Read from the model's `image_path` and turned into the URL, so the file layout never reaches clients.
    image_url: str | None = Field(validation_alias=AliasChoices("image_path", "image_url"))
    sort_order: int
    allergens: list[Allergen] = Field(description="EU allergen codes in the canonical order")
    options: list[OptionRead]
    ingredients: list[IngredientRead]
    preference_sets: list[PreferenceSetRead]

    @field_validator("image_url")
    @classmethod
    def _to_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or value.startswith("/api/"):
            return value
        return image_url(int(info.data["id"]), value)
