// What the appliance answers in these component tests: a small taverna's stock and menu.
import type { Schemas } from "@tavolo/api";

export function stockItem(patch: Partial<Schemas["StockItemRead"]> & { id: number; name: string }) {
  return {
    unit: "g" as const,
    on_hand: 1000,
    critical_level: 200,
    unit_cost: 1200,
    supplier_id: null,
    is_active: true,
    is_low: false,
    created_at: "2026-03-01T10:00:00Z",
    ...patch,
  } satisfies Schemas["StockItemRead"];
}

export const FETA = stockItem({ id: 1, name: "Feta", on_hand: 1250, unit_cost: 1200 });
export const OIL = stockItem({ id: 2, name: "Olive oil", unit: "ml", on_hand: 5000, unit_cost: 850 });
export const PITA = stockItem({ id: 3, name: "Pita", unit: "pc", on_hand: 40, unit_cost: null, critical_level: 10 });

export const SALAD: Schemas["ProductRead"] = {
  id: 7,
  category_id: 2,
  name: "Greek salad",
  name_en: null,
  description: null,
  base_price: 900,
  is_available: false,
  unavailable_reason: "stock",
  is_archived: false,
  printer_zone_id: null,
  tax_rate_bp: null,
  image_url: null,
  sort_order: 0,
  allergens: ["milk"],
  options: [{ id: 11, name: "Extra feta", name_en: null, extra_cost: 150, sort_order: 0 }],
  ingredients: [],
  preference_sets: [],
};

export const KITCHEN: Schemas["CategoryRead"] = {
  id: 2,
  name: "Kitchen",
  name_en: null,
  color: "#336699",
  sort_order: 0,
  is_active: true,
  printer_zone_id: null,
  tax_rate_bp: 1300,
};
