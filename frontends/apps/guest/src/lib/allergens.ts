// The EU's 14 allergens in the guest's language. The API sends codes in the canonical order; the names live here
// rather than in i18n.ts so the menu feature and any other screen share one list.
import { ALLERGEN_NAMES_EN, type Allergen } from "@tavolo/api";
import type { Lang } from "./i18n";

export type { Allergen };

const NAMES: Record<Lang, Readonly<Record<Allergen, string>>> = {
  en: ALLERGEN_NAMES_EN,
  el: {
    gluten: "Γλουτένη",
    crustaceans: "Οστρακοειδή",
    eggs: "Αυγά",
    fish: "Ψάρια",
    peanuts: "Αράπικα φιστίκια",
    soybeans: "Σόγια",
    milk: "Γάλα",
    nuts: "Ξηροί καρποί",
    celery: "Σέλινο",
    mustard: "Μουστάρδα",
    sesame: "Σουσάμι",
    sulphites: "Θειώδη",
    lupin: "Λούπινο",
    molluscs: "Μαλάκια",
  },
};

const LABEL: Record<Lang, string> = { en: "Allergens:", el: "Αλλεργιογόνα:" };

/** The allergens' names in the guest's language, in the order given (the API's canonical one). */
export function allergenNames(lang: Lang, codes: readonly Allergen[]): string[] {
  // An unknown code (a newer appliance than this app) still shows, as its code, rather than vanish.
  return codes.map((code) => NAMES[lang][code] ?? code);
}

/** "Allergens: Gluten, Milk", or null when the product has none. */
export function allergensLine(lang: Lang, codes: readonly Allergen[]): string | null {
  if (codes.length === 0) return null;
  return `${LABEL[lang]} ${allergenNames(lang, codes).join(", ")}`;
}
