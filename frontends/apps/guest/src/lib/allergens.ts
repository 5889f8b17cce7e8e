// The EU's 14 allergens in the guest's language. The API sends codes in the canonical order; the names live here
// rather than in i18n.ts so the menu feature and any other screen share one list.
import type { Lang } from "./i18n";
import type { GuestProduct } from "./types";

export type Allergen = GuestProduct["allergens"][number];

const NAMES: Record<Lang, Record<Allergen, string>> = {
  en: {
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
  },
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
