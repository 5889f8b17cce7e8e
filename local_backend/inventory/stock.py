"""Moving stock: the one place on_hand changes, the order hook (sale and return) and the automatic 86.

Every change goes through `apply`: one `UPDATE … SET on_hand = on_hand + CASE id … RETURNING` for all the items
it touches and one batched INSERT into the ledger, whatever the number of lines. The order hot path calls
`consume` once per round of items, in the request's own transaction (its savepoint), so the deduction commits
or rolls back with the items.

Why it costs nothing without recipes: the recipes live in memory as a `RecipeBook`, cached until a recipe or an
option changes (local_backend.cache); with no recipe at all `consume` returns after that one dictionary look-up.
With recipes it is the two statements above, plus the 86 statement only when a product just ran out.

The automatic 86: after a deduction, a product whose base recipe needs more of a stock item than is left for
one unit is taken off the menu (`unavailable_reason = "stock"`), and every phone hears `menu.changed` as for a
manager's 86. When stock comes in (delivery, count, adjustment, a voided item's return) products the stock took
off and that can be made again come back. A manager's own 86 is never touched (menu.service keeps the two apart).

A waiter is never refused because of stock: on_hand may go negative (counts are imperfect, the dish is on the
pass already), and an unexpected failure of the stock statements is logged and rolled back to their own savepoint
rather than failing the order.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from local_backend import cache
from local_backend.db import AFTER_COMMIT_KEY
from local_backend.events import Audience, publish_after_commit
from local_backend.inventory.models import RecipeLine, StockItem
from local_backend.menu import service as menu
from local_backend.purchasing.drafts import draft_for_low_stock
from shared.clock import utcnow

log = logging.getLogger(__name__)

# Options are watched too: deleting one deletes its recipe lines by cascade, inside the database.
RECIPE_TABLES = frozenset({"recipe_lines", "product_options"})
# Managers only: an event for no waiter reaches the managers (they see every staff event).
MANAGERS = Audience.waiters(())

Lines = tuple[tuple[int, int], ...]  # (stock_item_id, quantity per unit)


@dataclass(frozen=True, slots=True)
class RecipeBook:
    """Every recipe, as plain tuples a cache can share between requests."""

    products: dict[int, Lines]
    options: dict[int, Lines]
    # stock item -> the products whose base recipe uses it, with what one unit needs of it
    used_by: dict[int, Lines]

    def __bool__(self) -> bool:
        return bool(self.products or self.options)


def _load_book(db: Session) -> RecipeBook:
    products: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    options: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    used_by: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = db.execute(
        select(RecipeLine.product_id, RecipeLine.option_id, RecipeLine.stock_item_id, RecipeLine.quantity).order_by(
            RecipeLine.id
        )
    ).all()
    for product_id, option_id, stock_item_id, quantity in rows:
        if option_id is None:
            products[product_id].append((stock_item_id, quantity))
            used_by[stock_item_id].append((product_id, quantity))
        else:
            options[option_id].append((stock_item_id, quantity))
    return RecipeBook(
        products={k: tuple(v) for k, v in products.items()},
        options={k: tuple(v) for k, v in options.items()},
        used_by={k: tuple(v) for k, v in used_by.items()},
    )


def recipe_book(db: Session) -> RecipeBook:
    """All recipes, from memory unless a recipe or option changed since they were read."""
    book: RecipeBook = cache.cached(db, "inventory.recipes", RECIPE_TABLES, lambda: _load_book(db))
    return book


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the ledger to write."""

    stock_item_id: int
    kind: str
    delta: int
    order_item_id: int | None = None
    delivery_id: int | None = None
    reason: str | None = None
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Level:
    """A stock item after a set of changes."""

    stock_item_id: int
    name: str
    unit: str
    before: int
    on_hand: int
    critical_level: int

    @property
    def became_low(self) -> bool:
        """It just crossed to its critical level or below (a sale leaving a low item lower is no crossing)."""
        return self.before > self.critical_level >= self.on_hand


# The two statements of `apply`, written for the driver: building the equivalent SQLAlchemy Core statements
# (a CASE over a varying set of ids) cost ~170 us each on the 2-core machine, the statements themselves ~30 us,
# and this runs on every round of items sent. Only placeholders are interpolated; every value is a parameter.
_UPDATE = (
    "UPDATE stock_items SET on_hand = on_hand + CASE id {whens} ELSE 0 END WHERE id IN ({ids}) "
    "RETURNING id, name, unit, on_hand, critical_level"
)
_INSERT = (
    "INSERT INTO stock_movements "
    "(stock_item_id, kind, delta, on_hand_after, order_item_id, delivery_id, reason, user_id, at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# How SQLAlchemy stores a UTCDateTime on SQLite (naive UTC, fixed width), so the ledger's times compare and read
# back exactly like those the ORM writes.
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def apply(db: Session, changes: Sequence[Change]) -> dict[int, Level]:
    """Write the changes to on_hand and the ledger in two statements; announce items that just became low.

    Unknown stock item ids are skipped (the caller validated them; a recipe line cannot point to one).
    """
    totals: dict[int, int] = {}
    for change in changes:
        totals[change.stock_item_id] = totals.get(change.stock_item_id, 0) + change.delta
    if not totals:
        return {}
    db.flush()  # driver statements do not autoflush
    connection = db.connection()
    ids = list(totals)
    sql = _UPDATE.format(whens=" ".join(["WHEN ? THEN ?"] * len(ids)), ids=", ".join(["?"] * len(ids)))
    params = tuple(value for sid in ids for value in (sid, totals[sid])) + tuple(ids)
    rows = connection.exec_driver_sql(sql, params).all()
    levels = {
        int(sid): Level(
            stock_item_id=int(sid),
            name=name,
            unit=unit,
            before=int(after) - totals[int(sid)],
            on_hand=int(after),
            critical_level=int(critical),
        )
        for sid, name, unit, after, critical in rows
    }
    # Each line carries the figure it left, in the order the lines were given.
    running = {sid: level.before for sid, level in levels.items()}
    at = utcnow().strftime(_SQLITE_TIME)
    lines = []
    for change in changes:
        if change.stock_item_id not in running:
            continue
        running[change.stock_item_id] += change.delta
        lines.append(
            (
                change.stock_item_id,
                change.kind,
                change.delta,
                running[change.stock_item_id],
                change.order_item_id,
                change.delivery_id,
                change.reason,
                change.user_id,
                at,
            )
        )
    if lines:
        connection.exec_driver_sql(_INSERT, lines)
    for level in levels.values():
        # Only on the crossing: a sale that leaves an already low item lower says nothing new.
        if level.became_low:
            publish_after_commit(
                db,
                "inventory.low_stock",
                {
                    "stock_item_id": level.stock_item_id,
                    "name": level.name,
                    "unit": level.unit,
                    "on_hand": level.on_hand,
                    "critical_level": level.critical_level,
                },
                MANAGERS,
            )
    low = [level.stock_item_id for level in levels.values() if level.became_low]
    if low:
        # The supplier's draft purchase order grows as items run low (purchasing/drafts.py).
        draft_for_low_stock(db, low)
    return levels


def _lines_of(book: RecipeBook, product_id: int, selected_options: Iterable[dict[str, Any]]) -> dict[int, int]:
    """What one unit of an item uses: the product's lines plus each selected option's, per stock item."""
    used: dict[int, int] = {}
    for stock_item_id, quantity in book.products.get(product_id, ()):
        used[stock_item_id] = used.get(stock_item_id, 0) + quantity
    if book.options:
        for option in selected_options:
            for stock_item_id, quantity in book.options.get(int(option["id"]), ()):
                used[stock_item_id] = used.get(stock_item_id, 0) + quantity
    return used


def _apply_or_log(db: Session, changes: Sequence[Change], what: str) -> dict[int, Level]:
    """`apply` inside its own SQLite savepoint: on an unexpected error the stock is left as it was, the error is
    logged and the order it belongs to goes through regardless (a stock figure never fails a waiter's request).

    A driver-level SAVEPOINT, not Session.begin_nested: `apply` writes no ORM state, and the Session's savepoint
    machinery cost ~150 us more per round of items on the 2-core machine.
    """
    db.flush()
    connection = db.connection()
    callbacks: list[Any] = db.info.setdefault(AFTER_COMMIT_KEY, [])
    keep = len(callbacks)
    connection.exec_driver_sql("SAVEPOINT tavolo_stock")
    try:
        levels = apply(db, changes)
    except Exception:
        connection.exec_driver_sql("ROLLBACK TO tavolo_stock")
        connection.exec_driver_sql("RELEASE tavolo_stock")
        del callbacks[keep:]  # no low-stock event for a change that did not happen
        log.exception("stock %s failed; the order went ahead without it", what)
        return {}
    connection.exec_driver_sql("RELEASE tavolo_stock")
    return levels


def consume(db: Session, items: Sequence[Any]) -> None:
    """Deduct the recipes of newly added order items (rows with id, product_id, quantity, selected_options,
    added_by_id) as `sale` movements, in the caller's transaction, and 86 what ran out. The order hot path."""
    book = recipe_book(db)
    if not book:
        return
    changes = []
    for item in items:
        for stock_item_id, quantity in _lines_of(book, item.product_id, item.selected_options).items():
            changes.append(
                Change(
                    stock_item_id=stock_item_id,
                    kind="sale",
                    delta=-quantity * item.quantity,
                    order_item_id=int(item.id),
                    user_id=item.added_by_id,
                )
            )
    if changes:
        _take_off_what_ran_out(db, book, _apply_or_log(db, changes, "deduction"))


def _take_off_what_ran_out(db: Session, book: RecipeBook, levels: dict[int, Level]) -> None:
    """86 the products that a fall in these levels left unable to make one unit (menu from the cache)."""
    short: dict[int, list[int]] = {}
    for stock_item_id, level in levels.items():
        if level.on_hand >= level.before:
            continue
        for product_id, quantity in book.used_by.get(stock_item_id, ()):
            if level.on_hand < quantity:
                short.setdefault(product_id, []).append(stock_item_id)
    if not short:
        return
    # Only those still on the menu: a product already off costs no statement on every sale.
    on_menu = menu.products_for_order(db, short)
    ids = [pid for pid, p in on_menu.items() if p.is_available and not p.is_archived]
    if ids:
        menu.take_off_for_stock(db, ids, why={pid: {"short_of": short[pid]} for pid in ids})


def restore(db: Session, items: Sequence[Any], *, user_id: int | None) -> None:
    """Put back what voided items used, for those the kitchen had not started (status `pending`), as `return`
    movements, and bring back what that makes possible again.

    A return uses the product's recipe as it is now: a recipe edited between the sale and the void (or made after
    the sale) leaves a difference that the next count settles.
    """
    book = recipe_book(db)
    if not book:
        return
    changes = []
    for item in items:
        if item.status != "pending":
            continue
        for stock_item_id, quantity in _lines_of(book, item.product_id, item.selected_options).items():
            changes.append(
                Change(
                    stock_item_id=stock_item_id,
                    kind="return",
                    delta=quantity * item.quantity,
                    order_item_id=int(item.id),
                    user_id=user_id,
                )
            )
    if changes:
        settle_availability(db, _apply_or_log(db, changes, "return"))


def makeable(book: RecipeBook, product_id: int, on_hand: dict[int, int]) -> bool:
    """Whether the stock can make one unit of the product's base recipe (a product without one always can)."""
    return all(on_hand.get(sid, 0) >= quantity for sid, quantity in book.products.get(product_id, ()))


def on_hand_of(db: Session, stock_item_ids: Iterable[int]) -> dict[int, int]:
    ids = sorted(set(stock_item_ids))
    if not ids:
        return {}
    rows = db.execute(select(StockItem.id, StockItem.on_hand).where(StockItem.id.in_(ids))).all()
    return {int(sid): int(on_hand) for sid, on_hand in rows}


def settle_products(db: Session, product_ids: Iterable[int]) -> None:
    """Match these products' availability to the stock: 86 what cannot be made, bring back what the stock took
    off and can be made again (a manager's 86 stays)."""
    book = recipe_book(db)
    ids = sorted(set(product_ids))
    if not ids:
        return
    needed = {sid for pid in ids for sid, _ in book.products.get(pid, ())}
    on_hand = on_hand_of(db, needed)
    can = [pid for pid in ids if makeable(book, pid, on_hand)]
    cannot = [pid for pid in ids if not makeable(book, pid, on_hand)]
    menu.take_off_for_stock(db, cannot)
    menu.bring_back_from_stock(db, can)


def settle_availability(db: Session, levels: dict[int, Level]) -> None:
    """After stock moved (not on the hot path): settle every product whose base recipe uses a moved item."""
    book = recipe_book(db)
    products = {pid for sid in levels for pid, _ in book.used_by.get(sid, ())}
    settle_products(db, products)
