import type { GuestProduct } from "../../../lib/types";

/** What one portion costs with these extras and choices (the server prices the line; this is the button's hint). */
export function unitPrice(product: GuestProduct, optionIds: Iterable<number>, choiceIds: Iterable<number>): number {
  const options = new Set(optionIds);
  const choices = new Set(choiceIds);
  let price = product.base_price;
  for (const option of product.options) if (options.has(option.id)) price += option.extra_cost;
  for (const set of product.preference_sets) {
    for (const choice of set.choices) if (choices.has(choice.id)) price += choice.price_delta;
  }
  return price;
}
