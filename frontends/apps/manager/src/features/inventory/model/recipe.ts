// What a recipe costs and what the product earns over it, as the manager edits it: the same sum as the appliance's
// (inventory/costs.py), so the figure on the form is the one the analytics will use once it is saved.
import type { Unit } from "./units";

// Costs are per kg, per l or per piece; base quantities are g, ml or pieces.
const COST_PER: Record<Unit, number> = { g: 1000, ml: 1000, pc: 1 };
// Sums run in thousandths of a minor unit, exact whatever the mix of units, and are rounded once at the end.
const SCALE = 1000;

export interface CostLine {
  quantity: number;
  unit: Unit;
  /** Minor units per kg, l or piece; null: unknown. */
  unitCost: number | null;
}

/** Minor units the lines cost (half up, as the appliance rounds); null when a line's cost is unknown. */
export function costOf(lines: CostLine[]): number | null {
  let thousandths = 0;
  for (const line of lines) {
    if (line.unitCost === null) return null;
    thousandths += line.quantity * line.unitCost * (SCALE / COST_PER[line.unit]);
  }
  return Math.floor((thousandths + SCALE / 2) / SCALE);
}

export interface Margin {
  /** price − cost, minor units. */
  amount: number;
  /** The margin as a share of the price, in tenths of a percent (623 = 62.3 %); null for a free product. */
  permille: number | null;
}

/** What is left of the price once the stock is paid for; null while the cost is unknown. */
export function marginOf(price: number, cost: number | null): Margin | null {
  if (cost === null) return null;
  const amount = price - cost;
  return { amount, permille: price > 0 ? Math.round((amount * 1000) / price) : null };
}

/** 623 → "62.3 %". */
export function formatPermille(permille: number): string {
  const sign = permille < 0 ? "−" : "";
  const abs = Math.abs(permille);
  return `${sign}${Math.floor(abs / 10)}.${abs % 10} %`;
}
