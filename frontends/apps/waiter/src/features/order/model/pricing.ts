// The draft's price estimate, from the server's menu data. The server prices the items again when they are
// sent and its answer is what the bill shows.
import type { OrderItemCreate, Product } from "@tavolo/api";

export function estimateUnitPrice(product: Product, item: Pick<OrderItemCreate, "option_ids" | "choice_ids">): number {
  let price = product.base_price;
  const optionIds = new Set(item.option_ids ?? []);
  for (const option of product.options) if (optionIds.has(option.id)) price += option.extra_cost;
  const choiceIds = new Set(item.choice_ids ?? []);
  for (const set of product.preference_sets) {
    for (const choice of set.choices) if (choiceIds.has(choice.id)) price += choice.price_delta;
  }
  // Same floor as the server: a negative delta (half portion) never makes an item pay the guest.
  return Math.max(0, price);
}

/** Whether tapping the product can add it at once: nothing to choose. */
export function isPlainProduct(product: Product): boolean {
  return product.options.length === 0 && product.ingredients.length === 0 && product.preference_sets.length === 0;
}

/** The required preference sets that have no choice yet (the server answers CHOICE_REQUIRED for these). */
export function missingRequiredSets(product: Product, choiceIds: readonly number[]): Product["preference_sets"] {
  const chosen = new Set(choiceIds);
  return product.preference_sets.filter((set) => set.is_required && !set.choices.some((c) => chosen.has(c.id)));
}
