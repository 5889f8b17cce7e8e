// The EU's 14 allergens by the API's codes, for the one line the waiter reads out to a guest who asks.
import type { Product } from "@tavolo/api";

type Allergen = Product["allergens"][number];

const NAMES: Record<Allergen, string> = {
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

/** "Allergens: Gluten, Milk" in the API's (canonical) order, or null when the product has none. */
export function allergensLine(codes: readonly Allergen[]): string | null {
  if (codes.length === 0) return null;
  return `Allergens: ${codes.map((code) => NAMES[code]).join(", ")}`;
}
