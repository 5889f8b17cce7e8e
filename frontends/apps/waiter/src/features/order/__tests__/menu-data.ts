// Menu fixtures shaped by the generated types, so a change of the API shape breaks the tests at compile time.
import type { Category, Product } from "@tavolo/api";

function product(overrides: Partial<Product> & Pick<Product, "id" | "name" | "base_price">): Product {
  return {
    allergens: [],
    category_id: 1,
    description: null,
    image_url: null,
    ingredients: [],
    is_archived: false,
    is_available: true,
    unavailable_reason: null,
    name_en: null,
    options: [],
    preference_sets: [],
    printer_zone_id: null,
    sort_order: overrides.id,
    tax_rate_bp: null,
    ...overrides,
  };
}

export const categories: Category[] = [
  { id: 1, name: "Ορεκτικά", name_en: "Starters", color: "#2563eb", is_active: true, printer_zone_id: null, sort_order: 1, tax_rate_bp: null },
  { id: 2, name: "Ποτά", name_en: "Drinks", color: "#16a34a", is_active: true, printer_zone_id: null, sort_order: 2, tax_rate_bp: null },
];

export const water = product({ id: 1, name: "Νερό", name_en: "Water", base_price: 100, category_id: 2 });

export const souvlaki = product({
  id: 2,
  name: "Σουβλάκι",
  name_en: "Souvlaki",
  base_price: 350,
  options: [{ id: 11, name: "Extra pita", name_en: null, extra_cost: 50, sort_order: 1 }],
  ingredients: [{ id: 21, name: "Onion", name_en: null, sort_order: 1 }],
  preference_sets: [
    {
      id: 31,
      name: "Meat",
      name_en: null,
      is_required: true,
      sort_order: 1,
      choices: [
        { id: 41, name: "Pork", name_en: null, price_delta: 0, sort_order: 1 },
        { id: 42, name: "Chicken", name_en: null, price_delta: 30, sort_order: 2 },
      ],
    },
    {
      id: 32,
      name: "Sauce",
      name_en: null,
      is_required: false,
      sort_order: 2,
      choices: [{ id: 43, name: "Spicy", name_en: null, price_delta: 0, sort_order: 1 }],
    },
  ],
});

export const halfPortion = product({
  id: 3,
  name: "Μουσακάς",
  name_en: "Moussaka",
  base_price: 200,
  preference_sets: [
    {
      id: 33,
      name: "Portion",
      name_en: null,
      is_required: false,
      sort_order: 1,
      choices: [{ id: 44, name: "Half", name_en: null, price_delta: -300, sort_order: 1 }],
    },
  ],
});

export const products: Product[] = [water, souvlaki, halfPortion];
