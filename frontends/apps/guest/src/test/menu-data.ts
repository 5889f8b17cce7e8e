// A small guest menu and cart for the component tests, shaped as the appliance sends them.
import type { GuestCart, GuestCartLine, GuestProduct } from "../lib/types";

export const souvlaki: GuestProduct = {
  id: 2,
  category_id: 1,
  name: "Σουβλάκι",
  name_en: "Souvlaki",
  description: "Pork, pita, tzatziki",
  base_price: 1100,
  image_url: null,
  options: [{ id: 21, name: "Έξτρα πίτα", name_en: "Extra pita", extra_cost: 80 }],
  ingredients: [{ id: 31, name: "Κρεμμύδι", name_en: "Onion" }],
  allergens: ["gluten", "milk"],
  preference_sets: [
    {
      id: 41,
      name: "Ψήσιμο",
      name_en: "Doneness",
      required: true,
      choices: [
        { id: 51, name: "Μέτριο", name_en: "Medium", price_delta: 0 },
        { id: 52, name: "Καλοψημένο", name_en: "Well done", price_delta: 0 },
      ],
    },
  ],
};

export function cartLine(
  id: number,
  nickname: string,
  quantity = 1,
  extra: Partial<GuestCartLine> = {},
): GuestCartLine {
  return {
    id,
    product_id: souvlaki.id,
    product_name: souvlaki.name,
    product_name_en: souvlaki.name_en,
    quantity,
    options: [],
    removed: [],
    choices: ["Μέτριο"],
    note: null,
    nickname,
    unit_price: 1100,
    line_total: 1100 * quantity,
    added_at: "2026-01-01T12:00:00Z",
    available: true,
    ...extra,
  };
}

export function cart(version: number, lines: GuestCartLine[]): GuestCart {
  return { version, lines, total: lines.reduce((sum, line) => sum + line.line_total, 0) };
}
