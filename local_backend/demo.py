"""Demo data: Taverna Tavolo, a two-floor Greek taverna with a full bilingual menu and four staff.

`python -m local_backend seed-demo` fills an empty database (idempotent; `--reset` wipes it first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, func, select

from local_backend import migrate
from local_backend.config import Settings
from local_backend.db import Base, Database
from local_backend.menu.models import (
    Category,
    PreferenceChoice,
    PreferenceSet,
    Product,
    ProductIngredient,
    ProductOption,
)
from local_backend.menu.schemas import ALLERGENS, Allergen
from local_backend.printing.models import Printer
from local_backend.staff.models import User, WaiterAssistant
from local_backend.tables.models import Table, TableGroup
from shared.security import SecretHasher

# The logins the README lists. Demo only: a real site sets MANAGER_USERNAME/MANAGER_PIN and creates staff.
DEMO_STAFF = [
    ("manager", "Άννα (Manager)", "manager", "1234"),
    ("maria", "Μαρία", "waiter", "1111"),
    ("nikos", "Νίκος", "waiter", "2222"),
    ("eleni", "Ελένη", "waiter", "3333"),
]


@dataclass
class P:
    """A demo product: (name, english name, price in cents) plus what can be changed about it."""

    name: str
    name_en: str
    price: int
    description: str | None = None
    options: list[tuple[str, str, int]] = field(default_factory=list)
    ingredients: list[tuple[str, str]] = field(default_factory=list)
    sets: list[tuple[str, str, bool, list[tuple[str, str, int]]]] = field(default_factory=list)
    allergens: list[Allergen] = field(default_factory=list)


SUGAR = ("Ζάχαρη", "Sugar", True, [("Σκέτος", "No sugar", 0), ("Μέτριος", "Medium", 0), ("Γλυκός", "Sweet", 0)])
DONENESS = (
    "Ψήσιμο",
    "Doneness",
    True,
    [("Μισοψημένο", "Medium rare", 0), ("Μέτριο", "Medium", 0), ("Καλοψημένο", "Well done", 0)],
)
PORTION = ("Μερίδα", "Portion", False, [("Κανονική", "Regular", 0), ("Μισή", "Half", -300)])

MENU: list[tuple[str, str, str, list[P]]] = [
    (
        "Ορεκτικά",
        "Starters",
        "#ff9800",
        [
            P(
                "Τζατζίκι",
                "Tzatziki",
                450,
                "Γιαούρτι, αγγούρι, σκόρδο",
                ingredients=[("Σκόρδο", "Garlic")],
                allergens=["milk"],
            ),
            P(
                "Χωριάτικη πίτα",
                "Village pie",
                600,
                options=[("Επιπλέον φέτα", "Extra feta", 150)],
                allergens=["gluten", "eggs", "milk"],
            ),
            P(
                "Σαγανάκι",
                "Fried cheese",
                700,
                options=[("Μέλι και σουσάμι", "Honey and sesame", 100)],
                allergens=["gluten", "milk"],
            ),
            P(
                "Κεφτεδάκια",
                "Meatballs",
                750,
                ingredients=[("Κρεμμύδι", "Onion")],
                sets=[PORTION],
                allergens=["gluten", "eggs"],
            ),
            P("Φάβα", "Fava split peas", 550, ingredients=[("Κρεμμύδι", "Onion"), ("Κάπαρη", "Capers")]),
            P("Ντολμαδάκια", "Stuffed vine leaves", 650),
            P("Πατάτες τηγανητές", "French fries", 400, options=[("Τριμμένη φέτα", "Crumbled feta", 100)]),
            P("Μελιτζανοσαλάτα", "Aubergine dip", 500),
        ],
    ),
    (
        "Σαλάτες",
        "Salads",
        "#4caf50",
        [
            P(
                "Χωριάτικη",
                "Greek salad",
                900,
                "Ντομάτα, αγγούρι, κρεμμύδι, ελιές, φέτα",
                options=[("Επιπλέον φέτα", "Extra feta", 150)],
                ingredients=[("Κρεμμύδι", "Onion"), ("Πιπεριά", "Pepper"), ("Ελιές", "Olives")],
                allergens=["milk"],
            ),
            P("Ντάκος", "Dakos", 800, ingredients=[("Κάπαρη", "Capers")], allergens=["gluten", "milk"]),
            P("Μαρουλοσαλάτα", "Lettuce salad", 650, ingredients=[("Άνηθος", "Dill"), ("Κρεμμυδάκι", "Spring onion")]),
            P(
                "Σαλάτα του Καίσαρα",
                "Caesar salad",
                950,
                options=[("Κοτόπουλο", "Chicken", 250)],
                allergens=["gluten", "eggs", "fish", "milk", "mustard"],
            ),
            P("Παντζαροσαλάτα", "Beetroot salad", 700, ingredients=[("Καρύδια", "Walnuts")], allergens=["nuts"]),
        ],
    ),
    (
        "Κυρίως",
        "Mains",
        "#e91e63",
        [
            P("Μουσακάς", "Moussaka", 1200, sets=[PORTION], allergens=["gluten", "eggs", "milk"]),
            P("Παστίτσιο", "Pastitsio", 1100, sets=[PORTION], allergens=["gluten", "eggs", "milk"]),
            P("Γεμιστά", "Stuffed vegetables", 1000, ingredients=[("Πατάτες", "Potatoes")]),
            P("Κλεφτικό", "Kleftiko lamb", 1650),
            P(
                "Γιουβέτσι",
                "Orzo beef stew",
                1450,
                options=[("Τριμμένο τυρί", "Grated cheese", 100)],
                allergens=["gluten", "celery"],
            ),
            P("Σουτζουκάκια", "Smyrna meatballs", 1150, allergens=["gluten", "eggs"]),
            P("Φασολάκια λαδερά", "Green beans in oil", 900, options=[("Φέτα", "Feta", 200)]),
            P("Σπανακόρυζο", "Spinach rice", 850),
        ],
    ),
    (
        "Σχάρα",
        "Grill",
        "#795548",
        [
            P(
                "Σουβλάκι χοιρινό",
                "Pork souvlaki",
                1100,
                options=[("Επιπλέον πίτα", "Extra pita", 50), ("Επιπλέον τζατζίκι", "Extra tzatziki", 100)],
                ingredients=[("Κρεμμύδι", "Onion"), ("Ντομάτα", "Tomato")],
                allergens=["gluten", "milk"],
            ),
            P(
                "Σουβλάκι κοτόπουλο",
                "Chicken souvlaki",
                1150,
                options=[("Επιπλέον πίτα", "Extra pita", 50)],
                ingredients=[("Κρεμμύδι", "Onion")],
                allergens=["gluten"],
            ),
            P("Μπριζόλα χοιρινή", "Pork chop", 1300, sets=[DONENESS]),
            P(
                "Μπιφτέκι γεμιστό",
                "Stuffed burger",
                1250,
                ingredients=[("Κρεμμύδι", "Onion")],
                allergens=["gluten", "eggs", "milk"],
            ),
            P("Παϊδάκια", "Lamb chops", 1800, sets=[DONENESS]),
            P("Rib eye", "Rib eye", 2600, sets=[DONENESS], options=[("Σάλτσα πιπεριού", "Pepper sauce", 200)]),
            P("Λουκάνικο χωριάτικο", "Village sausage", 900),
            P("Χταπόδι σχάρας", "Grilled octopus", 1700, allergens=["molluscs"]),
        ],
    ),
    (
        "Επιδόρπια",
        "Desserts",
        "#9c27b0",
        [
            P("Γιαούρτι με μέλι", "Yoghurt with honey", 550, options=[("Καρύδια", "Walnuts", 50)], allergens=["milk"]),
            P("Μπακλαβάς", "Baklava", 600, options=[("Παγωτό", "Ice cream", 200)], allergens=["gluten", "nuts"]),
            P("Γαλακτομπούρεκο", "Custard pie", 600, allergens=["gluten", "eggs", "milk"]),
            P("Χαλβάς", "Halva", 450, allergens=["nuts", "sesame"]),
            P("Λουκουμάδες", "Honey puffs", 650, options=[("Σοκολάτα", "Chocolate", 100)], allergens=["gluten"]),
        ],
    ),
    (
        "Ποτά",
        "Drinks",
        "#2196f3",
        [
            P("Νερό 1L", "Water 1L", 150),
            P(
                "Coca-Cola",
                "Coca-Cola",
                300,
                sets=[("Είδος", "Kind", True, [("Κανονική", "Regular", 0), ("Zero", "Zero", 0)])],
            ),
            P("Πορτοκαλάδα", "Orangeade", 300),
            P(
                "Μπίρα Άλφα",
                "Alfa beer",
                450,
                sets=[("Μέγεθος", "Size", True, [("330ml", "330ml", 0), ("500ml", "500ml", 150)])],
                allergens=["gluten"],
            ),
            P("Μπίρα Μύθος", "Mythos beer", 450, allergens=["gluten"]),
            P("Ούζο", "Ouzo", 600, options=[("Πάγος", "Ice", 0)]),
            P(
                "Τσίπουρο",
                "Tsipouro",
                700,
                sets=[("Είδος", "Kind", True, [("Με γλυκάνισο", "With anise", 0), ("Χωρίς", "Without", 0)])],
            ),
            P("Κρασί χύμα λευκό 500ml", "House white 500ml", 800, allergens=["sulphites"]),
            P("Κρασί χύμα κόκκινο 500ml", "House red 500ml", 800, allergens=["sulphites"]),
            P("Ρετσίνα", "Retsina", 700, allergens=["sulphites"]),
        ],
    ),
    (
        "Καφέδες",
        "Coffee",
        "#607d8b",
        [
            P(
                "Ελληνικός",
                "Greek coffee",
                250,
                sets=[SUGAR, ("Μέγεθος", "Size", False, [("Μονός", "Single", 0), ("Διπλός", "Double", 100)])],
            ),
            P("Φρέντο εσπρέσο", "Freddo espresso", 350, sets=[SUGAR]),
            P(
                "Φρέντο καπουτσίνο",
                "Freddo cappuccino",
                400,
                sets=[SUGAR],
                options=[("Γάλα βρώμης", "Oat milk", 50)],
                allergens=["milk"],
            ),
            P("Φραπέ", "Frappé", 350, sets=[SUGAR], options=[("Γάλα", "Milk", 0)]),
        ],
    ),
]

SECTIONS = [("Ισόγειο · Ground floor", 1, 14), ("Ταράτσα · Roof terrace", 21, 10)]

# The two printers `make demo` simulates (`python -m local_backend printer-sim`), each the other's backup.
DEMO_PRINTERS = [("Κουζίνα · Kitchen", 9101), ("Μπαρ · Bar", 9102)]
BAR_CATEGORIES = {"Ποτά", "Καφέδες"}


def _reset(database: Database) -> None:
    with database.write_session() as db:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "alembic_version":
                db.execute(delete(table))


def seed_demo(
    settings: Settings,
    *,
    reset: bool = False,
    printer_host: str = "127.0.0.1",
    printer_ports: tuple[int, int] | None = None,
) -> str:
    """Fill the database with the demo taverna; a second run without reset changes nothing."""
    ports = printer_ports or tuple(port for _, port in DEMO_PRINTERS)
    database = Database(settings)
    try:
        migrate.upgrade(database.engine)
        if reset:
            _reset(database)
        hasher = SecretHasher(settings.pin_hash_rounds)
        with database.write_session() as db:
            if db.scalar(select(func.count(Product.id))):
                return "demo data already present (use --reset to start over)"
            users: dict[str, User] = {}
            for username, display, role, pin in DEMO_STAFF:
                user = db.scalars(select(User).where(User.username == username)).first()
                if user is None:
                    user = User(username=username, display_name=display, role=role, pin_hash=hasher.hash(pin))
                    db.add(user)
                users[username] = user
            db.flush()
            # Eleni helps Maria on busy nights.
            db.add(WaiterAssistant(waiter_id=users["maria"].id, assistant_id=users["eleni"].id))
            for s_order, (section, start, count) in enumerate(SECTIONS):
                group = TableGroup(name=section, sort_order=s_order)
                db.add(group)
                db.flush()
                for i in range(count):
                    number = start + i
                    db.add(
                        Table(
                            number=number,
                            label=f"{number}",
                            seats=2 if i % 3 == 0 else 4 if i % 3 == 1 else 6,
                            group_id=group.id,
                            pos_x=(i % 5) * 2,
                            pos_y=(i // 5) * 2,
                        )
                    )
            printers = [
                Printer(name=name, ip_address=printer_host, port=port, code_page="cp737", code_page_slot=29)
                for (name, _), port in zip(DEMO_PRINTERS, ports, strict=True)
            ]
            db.add_all(printers)
            db.flush()
            kitchen, bar = printers
            kitchen.backup_printer_id, bar.backup_printer_id = bar.id, kitchen.id
            n_products = 0
            for c_order, (cname, cname_en, color, products) in enumerate(MENU):
                zone = bar.id if cname in BAR_CATEGORIES else kitchen.id
                category = Category(name=cname, name_en=cname_en, color=color, sort_order=c_order, printer_zone_id=zone)
                db.add(category)
                db.flush()
                for p_order, spec in enumerate(products):
                    product = Product(
                        category_id=category.id,
                        name=spec.name,
                        name_en=spec.name_en,
                        description=spec.description,
                        base_price=spec.price,
                        sort_order=p_order,
                        allergens=[a for a in ALLERGENS if a in spec.allergens],
                    )
                    for i, (oname, oname_en, cost) in enumerate(spec.options):
                        product.options.append(
                            ProductOption(name=oname, name_en=oname_en, extra_cost=cost, sort_order=i)
                        )
                    for i, (iname, iname_en) in enumerate(spec.ingredients):
                        product.ingredients.append(ProductIngredient(name=iname, name_en=iname_en, sort_order=i))
                    for i, (sname, sname_en, required, choices) in enumerate(spec.sets):
                        pset = PreferenceSet(name=sname, name_en=sname_en, is_required=required, sort_order=i)
                        for j, (chname, chname_en, delta) in enumerate(choices):
                            pset.choices.append(
                                PreferenceChoice(name=chname, name_en=chname_en, price_delta=delta, sort_order=j)
                            )
                        product.preference_sets.append(pset)
                    db.add(product)
                    n_products += 1
            n_tables = sum(count for _, _, count in SECTIONS)
            return (
                f"seeded demo taverna: {len(SECTIONS)} sections, {n_tables} tables, {len(MENU)} categories, "
                f"{n_products} products, {len(DEMO_STAFF)} staff, {len(DEMO_PRINTERS)} printers"
            )
    finally:
        database.dispose()
