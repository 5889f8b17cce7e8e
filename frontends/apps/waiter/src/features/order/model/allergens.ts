// The one line the waiter reads out to a guest who asks, from the shared list of the EU's 14 allergens.
import { ALLERGEN_NAMES_EN, type Allergen } from "@tavolo/api";

/** "Allergens: Gluten, Milk" in the API's (canonical) order, or null when the product has none. */
export function allergensLine(codes: readonly Allergen[]): string | null {
  if (codes.length === 0) return null;
  return `Allergens: ${codes.map((code) => ALLERGEN_NAMES_EN[code] ?? code).join(", ")}`;
}
