// Menu search: waiters type Greek without accents (or in Latin letters for name_en), so matching folds
// case, diacritics and the final sigma.
import type { Product } from "@tavolo/api";

export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("el").replace(/ς/g, "σ").trim();
}

export function productMatches(product: Product, foldedQuery: string): boolean {
  if (!foldedQuery) return true;
  if (fold(product.name).includes(foldedQuery)) return true;
  return product.name_en !== null && fold(product.name_en).includes(foldedQuery);
}
