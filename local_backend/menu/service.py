"""Menu rules: categories, products and their options, removable ingredients and preference sets.

Products are never deleted: past orders keep pointing at them (orders snapshot names and prices, so editing or
archiving a product never changes an existing order). A category that archived products still belong to is
archived too when deleted, for the same reason.

Images are re-encoded to JPEG (at most 800 px on the long side, no metadata) and stored under
`media_dir/products/` with a fresh file name per upload; that name is the version in the public URL, so
browsers may cache an image forever.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from PIL import Image, ImageOps
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from local_backend import cache
from local_backend.audit import service as audit
from local_backend.db import after_commit
from local_backend.events import Audience, publish_after_commit
from local_backend.menu.models import (
    Category,
    PreferenceChoice,
    PreferenceSet,
    Product,
    ProductIngredient,
    ProductOption,
)
from local_backend.menu.schemas import (
    CategoryCreate,
    CategoryUpdate,
    ChoiceCreate,
    IngredientCreate,
    OptionCreate,
    PreferenceSetCreate,
    PreferenceSetUpdate,
    ProductCreate,
    ProductUpdate,
    image_version,
)
from local_backend.staff.models import User
from shared.errors import Conflict, NotFound, PayloadTooLarge, Unprocessable, UnsupportedMediaType

log = logging.getLogger(__name__)

IMAGE_MAX_SIDE = 800
IMAGE_QUALITY = 85
IMAGE_DIR = "products"
# Decompression-bomb guard, checked from the header before decoding. A JPEG is decoded at reduced scale
# (draft mode) so a big one stays cheap; PNG/WebP decode at full size, so they get a tighter limit.
MAX_JPEG_PIXELS = 64_000_000
MAX_OTHER_PIXELS = 4096 * 4096
_READ_CHUNK = 64 * 1024
# products.unavailable_reason of a product the inventory took off (None: a manager's 86).
STOCK_REASON = "stock"


class ProductNotFound(NotFound):
    code = "PRODUCT_NOT_FOUND"
    default_detail = "No such product"


class CategoryNotFound(NotFound):
    code = "CATEGORY_NOT_FOUND"
    default_detail = "No such category"


class ProductPartNotFound(NotFound):
    code = "PRODUCT_PART_NOT_FOUND"
    default_detail = "An option, ingredient, preference set or choice id does not belong to this product"


class CategoryNotEmpty(Conflict):
    code = "CATEGORY_NOT_EMPTY"
    default_detail = "Move or archive the category's products first"


class ProductNotInCategory(Unprocessable):
    code = "PRODUCT_NOT_IN_CATEGORY"
    default_detail = "A product is not on the menu in this category"


class ImageNotFound(NotFound):
    code = "IMAGE_NOT_FOUND"
    default_detail = "This product has no image"


class ImageTooLarge(PayloadTooLarge):
    code = "IMAGE_TOO_LARGE"
    default_detail = "The image is too large"


class ImageTypeUnsupported(UnsupportedMediaType):
    code = "IMAGE_TYPE_UNSUPPORTED"
    default_detail = "Upload a PNG, JPEG or WebP image"


def _menu_changed(
    db: Session, *, action: str, entity_type: str, entity_id: int | None, actor: User | None, data: dict[str, Any]
) -> None:
    """Audit a menu edit (no actor: the inventory's 86) and tell every screen once it is committed: phones drop an
    86'd dish at once."""
    audit.record(db, action=action, entity_type=entity_type, entity_id=entity_id, actor=actor, data=data)
    publish_after_commit(
        db, "menu.changed", {"action": action, "entity_type": entity_type, "entity_id": entity_id}, Audience.everyone()
    )


# Categories


def list_categories(db: Session, *, include_inactive: bool = False) -> Sequence[Category]:
    """Categories in menu order; archived (deleted) ones never appear."""
    stmt = select(Category).where(Category.is_archived.is_(False)).order_by(Category.sort_order, Category.name)
    if not include_inactive:
        stmt = stmt.where(Category.is_active.is_(True))
    return db.scalars(stmt).all()


def get_category(db: Session, category_id: int) -> Category:
    category = db.get(Category, category_id)
    if category is None or category.is_archived:
        raise CategoryNotFound()
    return category


def create_category(db: Session, *, data: CategoryCreate, by: User) -> Category:
    category = Category(**data.model_dump())
    db.add(category)
    db.flush()
    _menu_changed(
        db,
        action="menu.category_created",
        entity_type="category",
        entity_id=category.id,
        actor=by,
        data={"name": category.name},
    )
    return category


def update_category(db: Session, *, category_id: int, data: CategoryUpdate, by: User) -> Category:
    category = get_category(db, category_id)
    changes = _assign(category, data.model_dump(exclude_unset=True))
    if changes:
        db.flush()
        _menu_changed(
            db,
            action="menu.category_updated",
            entity_type="category",
            entity_id=category.id,
            actor=by,
            data={"name": category.name, "changes": changes},
        )
    return category


def delete_category(db: Session, *, category_id: int, by: User) -> None:
    """Delete an empty category; one that only archived products belong to is archived with them."""
    category = get_category(db, category_id)
    live = db.scalar(
        select(func.count(Product.id)).where(Product.category_id == category.id, Product.is_archived.is_(False))
    )
    if live:
        raise CategoryNotEmpty(f"{live} product(s) still belong to this category; move or archive them first")
    archived = db.scalar(select(func.count(Product.id)).where(Product.category_id == category.id)) or 0
    data: dict[str, Any] = {"name": category.name, "archived_products": archived}
    if archived:
        category.is_archived = True
        category.is_active = False
        db.flush()
    else:
        db.execute(delete(Category).where(Category.id == category.id))
    _menu_changed(
        db, action="menu.category_deleted", entity_type="category", entity_id=category_id, actor=by, data=data
    )


def _positions(current: Sequence[Any], ids: Sequence[int]) -> dict[int, int]:
    """New sort_order per row: the listed ids by their position, then the rest in their current order."""
    listed = {row_id: position for position, row_id in enumerate(ids)}
    rest = [row.id for row in current if row.id not in listed]
    return listed | {row_id: len(ids) + index for index, row_id in enumerate(rest)}


def reorder_categories(db: Session, *, ids: Sequence[int], by: User) -> Sequence[Category]:
    """Put the categories in the given order (drag and drop in the manager app); the menu follows at once."""
    current = list_categories(db, include_inactive=True)
    known = {c.id for c in current}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise CategoryNotFound(f"No category with id {unknown[0]}")
    positions = _positions(current, ids)
    changed = [c for c in current if c.sort_order != positions[c.id]]
    for category in changed:
        category.sort_order = positions[category.id]
    if changed:
        db.flush()
        # No single category changed: entity_id None says "the list".
        _menu_changed(
            db,
            action="menu.categories_reordered",
            entity_type="category",
            entity_id=None,
            actor=by,
            data={"ids": list(ids)},
        )
    return sorted(current, key=lambda c: (c.sort_order, c.name))


def reorder_products(db: Session, *, category_id: int, ids: Sequence[int], by: User) -> Sequence[Product]:
    """Put one category's products in the given order; archived products cannot be listed."""
    category = get_category(db, category_id)
    current = list(
        db.scalars(
            select(Product)
            .where(Product.category_id == category.id, Product.is_archived.is_(False))
            .order_by(Product.sort_order, Product.name, Product.id)
        ).all()
    )
    known = {p.id for p in current}
    strangers = [i for i in ids if i not in known]
    if strangers:
        raise ProductNotInCategory(f"Product {strangers[0]} is not on the menu in {category.name}")
    positions = _positions(current, ids)
    changed = [p for p in current if p.sort_order != positions[p.id]]
    for product in changed:
        product.sort_order = positions[product.id]
    if changed:
        db.flush()
        _menu_changed(
            db,
            action="menu.products_reordered",
            entity_type="category",
            entity_id=category.id,
            actor=by,
            data={"name": category.name, "ids": list(ids)},
        )
    return list_products(db, include_unavailable=True, category_id=category.id)


# Products


def _with_parts(stmt: Any) -> Any:
    return stmt.options(
        selectinload(Product.options),
        selectinload(Product.ingredients),
        selectinload(Product.preference_sets).selectinload(PreferenceSet.choices),
    )


def list_products(
    db: Session,
    *,
    include_unavailable: bool = False,
    include_archived: bool = False,
    category_id: int | None = None,
) -> Sequence[Product]:
    """The menu in display order, children eager-loaded: five queries whatever its size.

    By default only what a waiter can order: available, not archived, in an active category. With
    `include_unavailable` also 86'd products and those of inactive categories.
    """
    stmt = (
        select(Product)
        .join(Product.category)
        .order_by(Category.sort_order, Category.id, Product.sort_order, Product.name, Product.id)
    )
    if not include_archived:
        stmt = stmt.where(Product.is_archived.is_(False))
    if not include_unavailable:
        stmt = stmt.where(Product.is_available.is_(True), Category.is_active.is_(True))
    if category_id is not None:
        stmt = stmt.where(Product.category_id == category_id)
    result: Sequence[Product] = db.scalars(_with_parts(stmt)).all()
    return result


def get_product(db: Session, product_id: int) -> Product:
    """One product with its parts, whatever its state (archived and 86'd products stay readable by id)."""
    product: Product | None = db.scalars(_with_parts(select(Product).where(Product.id == product_id))).first()
    if product is None:
        raise ProductNotFound()
    return product


def create_product(db: Session, *, data: ProductCreate, by: User) -> Product:
    get_category(db, data.category_id)
    product = Product(
        **data.model_dump(exclude={"options", "ingredients", "preference_sets"}),
        options=_sync([], data.options, _new_option, _set_option, "option"),
        ingredients=_sync([], data.ingredients, _new_ingredient, _set_ingredient, "ingredient"),
        preference_sets=_sync([], data.preference_sets, _new_set, _update_set, "preference set"),
    )
    db.add(product)
    db.flush()
    _menu_changed(
        db,
        action="menu.product_created",
        entity_type="product",
        entity_id=product.id,
        actor=by,
        data={
            "name": product.name,
            "base_price": product.base_price,
            "category_id": product.category_id,
            "allergens": product.allergens,
        },
    )
    return product


def update_product(db: Session, *, product_id: int, data: ProductUpdate, by: User) -> Product:
    """Change the given fields; a nested list given replaces that collection (ids edit, no id creates)."""
    product = get_product(db, product_id)
    fields = data.model_dump(exclude_unset=True, exclude={"options", "ingredients", "preference_sets"})
    if "category_id" in fields and fields["category_id"] != product.category_id:
        get_category(db, fields["category_id"])
    changes = _assign(product, fields)
    if "is_available" in fields and product.unavailable_reason is not None:
        # A manager setting availability overrides the stock's 86 (see set_availability).
        product.unavailable_reason = None
        changes["unavailable_reason"] = [STOCK_REASON, None]
    replaced = []
    if data.options is not None:
        product.options = _sync(product.options, data.options, _new_option, _set_option, "option")
        replaced.append("options")
    if data.ingredients is not None:
        product.ingredients = _sync(
            product.ingredients, data.ingredients, _new_ingredient, _set_ingredient, "ingredient"
        )
        replaced.append("ingredients")
    if data.preference_sets is not None:
        product.preference_sets = _sync(
            product.preference_sets, data.preference_sets, _new_set, _update_set, "preference set"
        )
        replaced.append("preference_sets")
    if changes or replaced:
        db.flush()
        _menu_changed(
            db,
            action="menu.product_updated",
            entity_type="product",
            entity_id=product.id,
            actor=by,
            data={"name": product.name, "changes": changes, "replaced": replaced},
        )
    return product


def set_availability(db: Session, *, product_id: int, is_available: bool, by: User) -> Product:
    """The "86" toggle: an unavailable product stays on the manager's menu but waiters cannot order it.

    The manager's word overrides the inventory's: toggling a product the stock took off makes it a manual 86 (or
    brings it back), so stock coming in never undoes what a manager decided.
    """
    product = get_product(db, product_id)
    if product.is_available != is_available or product.unavailable_reason is not None:
        product.is_available = is_available
        product.unavailable_reason = None
        db.flush()
        _menu_changed(
            db,
            action="menu.availability_changed",
            entity_type="product",
            entity_id=product.id,
            actor=by,
            data={"name": product.name, "is_available": is_available},
        )
    return product


def take_off_for_stock(db: Session, product_ids: Iterable[int], *, why: dict[int, Any] | None = None) -> list[int]:
    """86 these products because the stock cannot make one more (called by the inventory); returns those taken off.

    Products already unavailable (a manager's 86 stays a manager's) and archived ones are left as they are.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return []
    rows = db.execute(
        update(Product)
        .where(Product.id.in_(ids), Product.is_available.is_(True), Product.is_archived.is_(False))
        .values(is_available=False, unavailable_reason=STOCK_REASON)
        .returning(Product.id, Product.name)
    ).all()
    return _stock_availability_changed(db, rows, is_available=False, why=why or {})


def bring_back_from_stock(db: Session, product_ids: Iterable[int], *, why: dict[int, Any] | None = None) -> list[int]:
    """Make available again those of these products the stock took off (never a manager's 86, never an archived
    product); returns them."""
    ids = sorted(set(product_ids))
    if not ids:
        return []
    rows = db.execute(
        update(Product)
        .where(
            Product.id.in_(ids),
            Product.is_available.is_(False),
            Product.unavailable_reason == STOCK_REASON,
            Product.is_archived.is_(False),
        )
        .values(is_available=True, unavailable_reason=None)
        .returning(Product.id, Product.name)
    ).all()
    return _stock_availability_changed(db, rows, is_available=True, why=why or {})


def _stock_availability_changed(
    db: Session, rows: Sequence[Any], *, is_available: bool, why: dict[int, Any]
) -> list[int]:
    changed = []
    for product_id, name in sorted(rows):
        changed.append(int(product_id))
        data: dict[str, Any] = {"name": name, "is_available": is_available, "reason": STOCK_REASON}
        if product_id in why:
            data["stock"] = why[product_id]
        # Phones get the same event as for a manager's 86; the audit has no actor: the stock did it.
        _menu_changed(
            db,
            action="menu.availability_changed",
            entity_type="product",
            entity_id=int(product_id),
            actor=None,
            data=data,
        )
    return changed


def archive_product(db: Session, *, product_id: int, by: User) -> None:
    """Remove a product from the menu for good; its row stays for the orders and reports that name it."""
    product = get_product(db, product_id)
    if product.is_archived:
        return
    product.is_archived = True
    db.flush()
    _menu_changed(
        db,
        action="menu.product_archived",
        entity_type="product",
        entity_id=product.id,
        actor=by,
        data={"name": product.name},
    )


def category_names(db: Session, product_ids: Iterable[int]) -> dict[int, str]:
    """The category name of each product (archived ones included: exports name what past orders sold)."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = db.execute(select(Product.id, Category.name).join(Product.category).where(Product.id.in_(ids))).all()
    return {int(pid): str(name) for pid, name in rows}


@dataclass(frozen=True, slots=True)
class PricedOption:
    id: int
    name: str
    extra_cost: int


@dataclass(frozen=True, slots=True)
class PricedIngredient:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class PricedChoice:
    id: int
    name: str
    price_delta: int


@dataclass(frozen=True, slots=True)
class PricedSet:
    id: int
    name: str
    is_required: bool
    choices: tuple[PricedChoice, ...]


@dataclass(frozen=True, slots=True)
class PricedProduct:
    """What pricing and snapshotting an order item needs of a product, frozen so a cache can share it."""

    id: int
    name: str
    base_price: int
    is_available: bool
    is_archived: bool
    # The product's own printer zone, else its category's.
    printer_zone_id: int | None
    # The product's own tax rate, else its category's, else 0 (basis points); snapshotted on each item.
    tax_rate_bp: int
    options: tuple[PricedOption, ...]
    ingredients: tuple[PricedIngredient, ...]
    preference_sets: tuple[PricedSet, ...]


MENU_TABLES = frozenset(
    {"categories", "products", "product_options", "product_ingredients", "preference_sets", "preference_choices"}
)


def tax_rate_of(product: Product) -> int:
    """The product's rate, else its category's (loaded), else 0."""
    if product.tax_rate_bp is not None:
        return product.tax_rate_bp
    return product.category.tax_rate_bp or 0


def _priced(product: Product) -> PricedProduct:
    zone = product.printer_zone_id if product.printer_zone_id is not None else product.category.printer_zone_id
    return PricedProduct(
        id=product.id,
        name=product.name,
        base_price=product.base_price,
        is_available=product.is_available,
        is_archived=product.is_archived,
        printer_zone_id=zone,
        tax_rate_bp=tax_rate_of(product),
        options=tuple(PricedOption(o.id, o.name, o.extra_cost) for o in product.options),
        ingredients=tuple(PricedIngredient(i.id, i.name) for i in product.ingredients),
        preference_sets=tuple(
            PricedSet(s.id, s.name, s.is_required, tuple(PricedChoice(c.id, c.name, c.price_delta) for c in s.choices))
            for s in product.preference_sets
        ),
    )


def _load_priced(db: Session, ids: set[int] | None = None) -> dict[int, PricedProduct]:
    stmt = select(Product).options(
        selectinload(Product.category),
        selectinload(Product.options),
        selectinload(Product.ingredients),
        selectinload(Product.preference_sets).selectinload(PreferenceSet.choices),
    )
    if ids is not None:
        stmt = stmt.where(Product.id.in_(ids))
    return {p.id: _priced(p) for p in db.scalars(stmt).all()}


def products_for_order(db: Session, product_ids: Iterable[int]) -> dict[int, PricedProduct]:
    """Products with their options, ingredients and preference sets, for pricing new items (orders' hot path).

    Includes unavailable and archived products so the caller can refuse them with a clear code. The whole menu
    is cached until any menu table changes (local_backend.cache): one load per menu edit, not per order.
    """
    ids = set(product_ids)
    if not ids:
        return {}
    menu = cache.cached(db, "menu.pricing", MENU_TABLES, lambda: _load_priced(db))
    return {i: menu[i] for i in ids if i in menu}


# Nested parts


def _assign(obj: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields; returns {field: [old, new]} for those that really changed (for the audit trail)."""
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            setattr(obj, name, value)
            changes[name] = [old, value]
    return changes


def _position(sort_order: int | None, index: int) -> int:
    return index if sort_order is None else sort_order


def _new_option(data: OptionCreate, index: int) -> ProductOption:
    option = ProductOption()
    _set_option(option, data, index)
    return option


def _set_option(option: ProductOption, data: OptionCreate, index: int) -> None:
    option.name = data.name
    option.name_en = data.name_en
    option.extra_cost = data.extra_cost
    option.sort_order = _position(data.sort_order, index)


def _new_ingredient(data: IngredientCreate, index: int) -> ProductIngredient:
    ingredient = ProductIngredient()
    _set_ingredient(ingredient, data, index)
    return ingredient


def _set_ingredient(ingredient: ProductIngredient, data: IngredientCreate, index: int) -> None:
    ingredient.name = data.name
    ingredient.name_en = data.name_en
    ingredient.sort_order = _position(data.sort_order, index)


def _new_choice(data: ChoiceCreate, index: int) -> PreferenceChoice:
    choice = PreferenceChoice()
    _set_choice(choice, data, index)
    return choice


def _set_choice(choice: PreferenceChoice, data: ChoiceCreate, index: int) -> None:
    choice.name = data.name
    choice.name_en = data.name_en
    choice.price_delta = data.price_delta
    choice.sort_order = _position(data.sort_order, index)


def _new_set(data: PreferenceSetCreate | PreferenceSetUpdate, index: int) -> PreferenceSet:
    pset = PreferenceSet(choices=_sync([], data.choices, _new_choice, _set_choice, "choice"))
    _set_set_fields(pset, data, index)
    return pset


def _set_set_fields(pset: PreferenceSet, data: PreferenceSetCreate | PreferenceSetUpdate, index: int) -> None:
    pset.name = data.name
    pset.name_en = data.name_en
    pset.is_required = data.is_required
    pset.sort_order = _position(data.sort_order, index)


def _update_set(pset: PreferenceSet, data: PreferenceSetUpdate, index: int) -> None:
    _set_set_fields(pset, data, index)
    pset.choices = _sync(pset.choices, data.choices, _new_choice, _set_choice, "choice")


_Row = TypeVar("_Row", ProductOption, ProductIngredient, PreferenceSet, PreferenceChoice)


def _sync(
    current: list[_Row],
    wanted: Sequence[Any],
    create: Callable[[Any, int], _Row],
    update: Callable[[_Row, Any, int], None],
    what: str,
) -> list[_Row]:
    """The new collection: an entry with an id edits that row, one without is new, unlisted rows are dropped."""
    # Dropped rows are deleted on flush by the relationships' delete-orphan cascade.
    by_id = {row.id: row for row in current}
    result: list[_Row] = []
    for index, entry in enumerate(wanted):
        entry_id = getattr(entry, "id", None)
        if entry_id is None:
            result.append(create(entry, index))
            continue
        row = by_id.get(entry_id)
        if row is None:
            raise ProductPartNotFound(f"The {what} with id {entry_id} does not belong to this product")
        update(row, entry, index)
        result.append(row)
    # Keep the in-memory order what a reload would give (the relationships order by sort_order).
    result.sort(key=lambda row: row.sort_order)
    return result


# Images


def read_upload(stream: IO[bytes], limit: int) -> bytes:
    """The upload's bytes, refusing as soon as it exceeds `limit` (the declared size is not trusted)."""
    buffer = bytearray()
    while chunk := stream.read(_READ_CHUNK):
        buffer += chunk
        if len(buffer) > limit:
            raise ImageTooLarge(f"The image is larger than {limit // 1024} KiB")
    return bytes(buffer)


def reencode_image(data: bytes) -> bytes:
    """A clean JPEG (≤ 800 px, upright, no EXIF/ICC/comments) from PNG, JPEG or WebP bytes."""
    try:
        with Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "WEBP"]) as source:
            width, height = source.size
            is_jpeg = source.format in ("JPEG", "MPO")  # MPO: the multi-picture JPEG some cameras write
            if width * height > (MAX_JPEG_PIXELS if is_jpeg else MAX_OTHER_PIXELS):
                raise ImageTooLarge(f"The image is too big ({width}x{height} pixels)")
            if is_jpeg:
                source.draft("RGB", (IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))  # decode at reduced scale: cheap and small
            try:
                image = ImageOps.exif_transpose(source)
            except Exception:  # broken EXIF in a decodable image: keep the pixels as they are
                image = source.copy()
            image.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE), Image.Resampling.LANCZOS)
            if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                rgba = image.convert("RGBA")
                image = Image.new("RGB", rgba.size, (255, 255, 255))
                image.paste(rgba, mask=rgba.getchannel("A"))
            else:
                image = image.convert("RGB")
            # A fresh image carries none of the source's metadata (EXIF with GPS, ICC, comments).
            clean = Image.new("RGB", image.size)
            clean.paste(image)
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=IMAGE_QUALITY, optimize=True, progressive=True)
            return out.getvalue()
    except ImageTooLarge:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge("The image has too many pixels") from exc
    except Exception as exc:  # any decoder failure (bad header, truncated data) means "not an image we take"
        raise ImageTypeUnsupported() from exc


def _products_dir(media_dir: Path) -> Path:
    return media_dir / IMAGE_DIR


def _write_atomically(directory: Path, name: str, data: bytes) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, directory / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_file_after_commit(db: Session, media_dir: Path, image_path: str | None) -> None:
    if not image_path:
        return
    path = media_dir / image_path

    def _remove() -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove old product image %s", path, exc_info=True)

    # Only once the new state is committed: a rolled-back change must still find its old image.
    after_commit(db, _remove)


def set_image(db: Session, *, product_id: int, data: bytes, media_dir: Path, by: User) -> Product:
    """Store a re-encoded copy of the uploaded image as the product's image; the previous file goes."""
    product = get_product(db, product_id)
    encoded = reencode_image(data)
    name = f"{product.id}-{secrets.token_hex(8)}.jpg"
    _write_atomically(_products_dir(media_dir), name, encoded)
    previous = product.image_path
    product.image_path = f"{IMAGE_DIR}/{name}"
    db.flush()
    _remove_file_after_commit(db, media_dir, previous)
    _menu_changed(
        db,
        action="menu.image_changed",
        entity_type="product",
        entity_id=product.id,
        actor=by,
        data={"name": product.name, "bytes": len(encoded), "uploaded_bytes": len(data)},
    )
    return product


def remove_image(db: Session, *, product_id: int, media_dir: Path, by: User) -> None:
    product = get_product(db, product_id)
    if product.image_path is None:
        return
    previous = product.image_path
    product.image_path = None
    db.flush()
    _remove_file_after_commit(db, media_dir, previous)
    _menu_changed(
        db,
        action="menu.image_changed",
        entity_type="product",
        entity_id=product.id,
        actor=by,
        data={"name": product.name, "removed": True},
    )


def image_file(db: Session, *, product_id: int, media_dir: Path) -> tuple[bytes, str]:
    """The stored JPEG of a product and its version (the URL's `v`)."""
    product = db.get(Product, product_id)
    if product is None:
        raise ProductNotFound()
    if not product.image_path:
        raise ImageNotFound()
    root = _products_dir(media_dir).resolve()
    path = (media_dir / product.image_path).resolve()
    if path.parent != root:  # the stored name is ours, but never serve anything outside the image folder
        raise ImageNotFound()
    try:
        return path.read_bytes(), image_version(product.image_path)
    except FileNotFoundError as exc:
        raise ImageNotFound() from exc
