// The editor's checkboxes: the shared list of the EU's 14 allergens (@tavolo/api), in the canonical order.
import { ALLERGEN_CODES, ALLERGEN_NAMES_EN, type Allergen } from "@tavolo/api";

export { canonicalAllergens, type Allergen } from "@tavolo/api";

export const ALLERGENS: readonly { code: Allergen; label: string }[] = ALLERGEN_CODES.map((code) => ({
  code,
  label: ALLERGEN_NAMES_EN[code],
}));
