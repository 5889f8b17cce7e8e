// A stock take: what the manager counted against what the appliance thinks is there, before anything is saved.
import { parseQuantity, type Unit } from "./units";

export interface CountedItem {
  id: number;
  name: string;
  unit: Unit;
  on_hand: number;
}

export interface CountDifference {
  stock_item_id: number;
  name: string;
  unit: Unit;
  previous: number;
  counted: number;
  /** counted − previous: negative means less was found than expected. */
  delta: number;
}

export interface CountReview {
  /** Every item with a figure typed, in the list's order (one that matches is recorded too: it was checked). */
  lines: CountDifference[];
  /** Items whose typed figure is not a quantity, with why. */
  problems: Map<number, string>;
}

/** The typed figures (blank: not counted) against the items' stock now. */
export function reviewCount(items: readonly CountedItem[], typed: ReadonlyMap<number, string>): CountReview {
  const lines: CountDifference[] = [];
  const problems = new Map<number, string>();
  for (const item of items) {
    const text = typed.get(item.id) ?? "";
    if (text.trim() === "") continue;
    const parsed = parseQuantity(text, item.unit, { allowZero: true });
    if (!parsed.ok) {
      problems.set(item.id, parsed.problem);
      continue;
    }
    lines.push({
      stock_item_id: item.id,
      name: item.name,
      unit: item.unit,
      previous: item.on_hand,
      counted: parsed.value,
      delta: parsed.value - item.on_hand,
    });
  }
  return { lines, problems };
}
