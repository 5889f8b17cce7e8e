// One-line summaries of what was changed on an item, the same words for the draft and for sent items.
import type { OrderItem, OrderItemCreate, Product } from "@tavolo/api";

export function describeDraftItem(product: Product | undefined, item: OrderItemCreate): string[] {
  if (!product) return [];
  const parts: string[] = [];
  const choiceIds = new Set(item.choice_ids ?? []);
  for (const set of product.preference_sets) {
    for (const choice of set.choices) if (choiceIds.has(choice.id)) parts.push(choice.name);
  }
  const optionIds = new Set(item.option_ids ?? []);
  for (const option of product.options) if (optionIds.has(option.id)) parts.push(`+ ${option.name}`);
  const removed = new Set(item.removed_ingredient_ids ?? []);
  for (const ingredient of product.ingredients) if (removed.has(ingredient.id)) parts.push(`no ${ingredient.name}`);
  return parts;
}

export function describeSentItem(item: OrderItem): string[] {
  return [
    ...item.choices.map((choice) => choice.name),
    ...item.selected_options.map((option) => `+ ${option.name}`),
    ...item.removed_ingredients.map((ingredient) => `no ${ingredient.name}`),
  ];
}

export function placement(seat: number | null | undefined, course: number | undefined): string {
  const parts = [];
  if (seat !== null && seat !== undefined) parts.push(`seat ${seat}`);
  if (course !== undefined && course !== 1) parts.push(`course ${course}`);
  return parts.join(" · ");
}

/** Tables are often just numbered: "Table 4" reads better than a lone "4" in a header or the outbox. */
export function tableName(label: string): string {
  return /^\d+$/.test(label.trim()) ? `Table ${label.trim()}` : label;
}
