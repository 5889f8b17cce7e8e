// The EU's 14 allergens as the API names them, in the canonical order the API stores and sends them. One list for
// every app: the manager ticks them, the waiter and the guests read them.
import type { components } from "./appliance";

export type Allergen = components["schemas"]["ProductRead"]["allergens"][number];

/** English names (the staff apps speak English; the guest app adds its other languages). */
export const ALLERGEN_NAMES_EN: Readonly<Record<Allergen, string>> = {
  gluten: "Gluten",
  crustaceans: "Crustaceans",
  eggs: "Eggs",
  fish: "Fish",
  peanuts: "Peanuts",
  soybeans: "Soybeans",
  milk: "Milk",
  nuts: "Nuts",
  celery: "Celery",
  mustard: "Mustard",
  sesame: "Sesame",
  sulphites: "Sulphites",
  lupin: "Lupin",
  molluscs: "Molluscs",
};

/** Every code, in the canonical order. */
export const ALLERGEN_CODES = Object.keys(ALLERGEN_NAMES_EN) as readonly Allergen[];

/** The codes once each, in the canonical order, whatever order they were ticked in. */
export function canonicalAllergens(codes: Iterable<Allergen>): Allergen[] {
  const present = new Set(codes);
  return ALLERGEN_CODES.filter((code) => present.has(code));
}
