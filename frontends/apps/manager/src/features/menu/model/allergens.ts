// The EU's 14 allergens as the API names them, in the order the menu shows them (the API stores them so).
import type { Schemas } from "@tavolo/api";

export type Allergen = Schemas["ProductRead"]["allergens"][number];

export const ALLERGENS: readonly { code: Allergen; label: string }[] = [
  { code: "gluten", label: "Gluten" },
  { code: "crustaceans", label: "Crustaceans" },
  { code: "eggs", label: "Eggs" },
  { code: "fish", label: "Fish" },
  { code: "peanuts", label: "Peanuts" },
  { code: "soybeans", label: "Soybeans" },
  { code: "milk", label: "Milk" },
  { code: "nuts", label: "Nuts" },
  { code: "celery", label: "Celery" },
  { code: "mustard", label: "Mustard" },
  { code: "sesame", label: "Sesame" },
  { code: "sulphites", label: "Sulphites" },
  { code: "lupin", label: "Lupin" },
  { code: "molluscs", label: "Molluscs" },
];

/** The codes once each, in the canonical order, whatever order they were ticked in. */
export function canonicalAllergens(codes: Iterable<Allergen>): Allergen[] {
  const present = new Set(codes);
  return ALLERGENS.map((a) => a.code).filter((code) => present.has(code));
}
