// Menu search: guests type Greek without accents (or Greeklish-free English for name_en), so matching folds
// case, diacritics and the final sigma, and looks at both names whatever the language shown.
import type { GuestProduct } from "../../../lib/types";

export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("el").replace(/ς/g, "σ").trim();
}

export function productMatches(product: Pick<GuestProduct, "name" | "name_en">, foldedQuery: string): boolean {
  if (!foldedQuery) return true;
  if (fold(product.name).includes(foldedQuery)) return true;
  return product.name_en != null && fold(product.name_en).includes(foldedQuery);
}

export function filterProducts<T extends Pick<GuestProduct, "name" | "name_en" | "category_id">>(
  products: readonly T[],
  query: string,
  categoryId: number | null,
): T[] {
  const folded = fold(query);
  // A search looks through the whole menu: a guest typing "beer" on the starters tab still wants the beer.
  if (folded !== "") return products.filter((product) => productMatches(product, folded));
  return categoryId === null ? [...products] : products.filter((product) => product.category_id === categoryId);
}
