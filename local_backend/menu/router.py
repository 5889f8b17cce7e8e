"""/api/products: the menu (categories, products, their options, ingredients, preference sets and images)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile

from local_backend.auth.dependencies import AUTH_ERRORS, CurrentUser, ManagerRequired, ManagerUser
from local_backend.db import DbSession, TavoloRoute, in_worker_thread
from local_backend.deps import SettingsDep
from local_backend.menu import service
from local_backend.menu.schemas import (
    MAX_ID,
    AvailabilityUpdate,
    CategoryCreate,
    CategoryOrderUpdate,
    CategoryRead,
    CategoryUpdate,
    ProductCreate,
    ProductOrderUpdate,
    ProductRead,
    ProductUpdate,
)
from shared.errors import BadRequest, error_responses

router = APIRouter(prefix="/api/products", tags=["menu"], route_class=TavoloRoute)

# Bounded so an absurd id is a 422, never an integer overflow inside SQLite.
CategoryId = Annotated[int, Path(ge=1, le=MAX_ID)]
ProductId = Annotated[int, Path(ge=1, le=MAX_ID)]

MANAGER_ERRORS = (*AUTH_ERRORS, ManagerRequired)
# Writes with a body: one that is not even parseable (not UTF-8 JSON, broken multipart) is a 400.
WRITE_ERRORS = (*MANAGER_ERRORS, BadRequest)
# The image URL changes with every upload, so a response for the current version never goes stale.
IMMUTABLE = "public, max-age=31536000, immutable"


# Categories: declared before /{product_id} so "categories" is never read as a product id.


@router.get("/categories", response_model=list[CategoryRead], responses=error_responses(*MANAGER_ERRORS))
def list_categories(
    user: CurrentUser,
    db: DbSession,
    all_: Annotated[bool, Query(alias="all", description="Managers: include inactive categories")] = False,
) -> Any:
    """Categories in menu order; inactive ones only for a manager asking for `all`."""
    if all_ and not user.is_manager:
        raise ManagerRequired()
    return service.list_categories(db, include_inactive=all_)


@router.post("/categories", status_code=201, response_model=CategoryRead, responses=error_responses(*WRITE_ERRORS))
def create_category(body: CategoryCreate, user: ManagerUser, db: DbSession) -> Any:
    """Add a category."""
    return service.create_category(db, data=body, by=user)


@router.put(
    "/categories/order",
    response_model=list[CategoryRead],
    responses=error_responses(*WRITE_ERRORS, service.CategoryNotFound),
)
def reorder_categories(body: CategoryOrderUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Set the menu order of the categories (drag and drop): each one's position in `ids` becomes its sort_order;
    any left out follow in their current order. Answers with every category (inactive too) in the new order."""
    return service.reorder_categories(db, ids=body.ids, by=user)


@router.put(
    "/categories/{category_id}",
    response_model=CategoryRead,
    responses=error_responses(*WRITE_ERRORS, service.CategoryNotFound),
)
def update_category(category_id: CategoryId, body: CategoryUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Change a category's given fields."""
    return service.update_category(db, category_id=category_id, data=body, by=user)


@router.delete(
    "/categories/{category_id}",
    status_code=204,
    responses=error_responses(*MANAGER_ERRORS, service.CategoryNotFound, service.CategoryNotEmpty),
)
def delete_category(category_id: CategoryId, user: ManagerUser, db: DbSession) -> None:
    """Delete a category that has no products on the menu (archived products keep it in history)."""
    service.delete_category(db, category_id=category_id, by=user)


# Products


@router.get("/", response_model=list[ProductRead], responses=error_responses(*MANAGER_ERRORS))
def list_products(
    user: CurrentUser,
    db: DbSession,
    all_: Annotated[
        bool, Query(alias="all", description="Managers: include unavailable products and inactive categories")
    ] = False,
    archived: Annotated[bool, Query(description="Managers, with all: include archived products too")] = False,
    category_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Any:
    """The menu in display order with each product's options, removable ingredients and preference sets."""
    if (all_ or archived) and not user.is_manager:
        raise ManagerRequired()
    return service.list_products(
        db, include_unavailable=all_ or archived, include_archived=archived, category_id=category_id
    )


@router.post(
    "/",
    status_code=201,
    response_model=ProductRead,
    responses=error_responses(*WRITE_ERRORS, service.CategoryNotFound),
)
def create_product(body: ProductCreate, user: ManagerUser, db: DbSession) -> Any:
    """Add a product with its options, removable ingredients and preference sets in one request."""
    return service.create_product(db, data=body, by=user)


@router.put(
    "/order",
    response_model=list[ProductRead],
    responses=error_responses(*WRITE_ERRORS, service.CategoryNotFound, service.ProductNotInCategory),
)
def reorder_products(body: ProductOrderUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Set the order of one category's products (drag and drop), like the categories' order; answers with the
    category's products (unavailable ones too, archived ones not) in the new order."""
    return service.reorder_products(db, category_id=body.category_id, ids=body.ids, by=user)


@router.get(
    "/{product_id}", response_model=ProductRead, responses=error_responses(*AUTH_ERRORS, service.ProductNotFound)
)
def get_product(product_id: ProductId, _: CurrentUser, db: DbSession) -> Any:
    """One product, also when it is unavailable or archived."""
    return service.get_product(db, product_id)


@router.put(
    "/{product_id}",
    response_model=ProductRead,
    responses=error_responses(
        *WRITE_ERRORS, service.ProductNotFound, service.CategoryNotFound, service.ProductPartNotFound
    ),
)
def update_product(product_id: ProductId, body: ProductUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Change the given fields; a nested list given replaces that collection (entries with an id are edited)."""
    return service.update_product(db, product_id=product_id, data=body, by=user)


@router.patch(
    "/{product_id}/availability",
    response_model=ProductRead,
    responses=error_responses(*WRITE_ERRORS, service.ProductNotFound),
)
def set_availability(product_id: ProductId, body: AvailabilityUpdate, user: ManagerUser, db: DbSession) -> Any:
    """Mark a product available or sold out ("86")."""
    return service.set_availability(db, product_id=product_id, is_available=body.is_available, by=user)


@router.delete("/{product_id}", status_code=204, responses=error_responses(*MANAGER_ERRORS, service.ProductNotFound))
def archive_product(product_id: ProductId, user: ManagerUser, db: DbSession) -> None:
    """Take a product off the menu for good; past orders and reports keep it."""
    service.archive_product(db, product_id=product_id, by=user)


# Images


@router.post(
    "/{product_id}/image",
    response_model=ProductRead,
    responses=error_responses(
        *WRITE_ERRORS, service.ProductNotFound, service.ImageTooLarge, service.ImageTypeUnsupported
    ),
)
@in_worker_thread  # bcrypt / image work must not block the event loop
def upload_image(
    product_id: ProductId,
    file: Annotated[UploadFile, File(description="PNG, JPEG or WebP")],
    user: ManagerUser,
    db: DbSession,
    settings: SettingsDep,
) -> Any:
    """Set the product's photo; it is stored re-encoded as a JPEG of at most 800 px, without metadata."""
    data = service.read_upload(file.file, settings.max_image_bytes)
    return service.set_image(db, product_id=product_id, data=data, media_dir=settings.media_dir, by=user)


@router.get(
    "/{product_id}/image",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}, "description": "The image"},
        304: {"description": "Not modified"},
        **error_responses(service.ProductNotFound, service.ImageNotFound),
    },
)
def get_image(
    product_id: ProductId,
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    v: Annotated[str | None, Query(max_length=64, description="The version from the product's image_url")] = None,
) -> Response:
    """The product's photo (public: guests' phones load it); cacheable forever under its versioned URL."""
    data, version = service.image_file(db, product_id=product_id, media_dir=settings.media_dir)
    # An old or missing version must not be cached forever under that URL: it would never update.
    cache = IMMUTABLE if v == version else "no-cache"
    headers = {"Cache-Control": cache, "ETag": f'"{version}"'}
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type="image/jpeg", headers=headers)


@router.delete(
    "/{product_id}/image", status_code=204, responses=error_responses(*MANAGER_ERRORS, service.ProductNotFound)
)
@in_worker_thread  # bcrypt / image work must not block the event loop
def delete_image(product_id: ProductId, user: ManagerUser, db: DbSession, settings: SettingsDep) -> None:
    """Remove the product's photo."""
    service.remove_image(db, product_id=product_id, media_dir=settings.media_dir, by=user)
