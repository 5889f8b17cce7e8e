// Lines of stock as a form holds them (a delivery's, a purchase order's, a recipe's): the typed text of each
// field, turned into what the appliance takes, or into the reason each field is refused.
import { formatFixed, parseFixed } from "../../../shared/decimal";
import { bigUnit, inUnit, parseQuantity, type Unit } from "./units";

export interface LineDraft {
  /** React's key: stable while lines are added and removed. */
  key: string;
  /** The stock item's id as the select holds it; "" while none is picked. */
  itemId: string;
  quantity: string;
  /** Money per kg, l or piece as typed; "" for none. */
  unitCost: string;
}

export interface LineItem {
  id: number;
  name: string;
  unit: Unit;
}

export interface LineOut {
  stock_item_id: number;
  quantity: number;
  unit_cost?: number | null;
}

export type LineProblems = Partial<Record<"item" | "quantity" | "unitCost", string>>;

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `line-${counter}`;
}

export function emptyLine(): LineDraft {
  return { key: newKey(), itemId: "", quantity: "", unitCost: "" };
}

/** A line of base units back as a draft (quantity shown in `assume`: the item's big unit or its base unit). */
export function lineDraft(
  line: { stock_item_id: number; quantity: number; unit_cost?: number | null },
  unit: Unit,
  options: { base?: boolean; currencyDigits?: number } = {},
): LineDraft {
  const display = options.base ? unit : bigUnit(unit);
  const cost = line.unit_cost;
  return {
    key: newKey(),
    itemId: String(line.stock_item_id),
    quantity: inUnit(line.quantity, display),
    unitCost: cost === undefined || cost === null ? "" : formatFixed(cost, options.currencyDigits ?? 2),
  };
}

export interface ParsedLines {
  lines: LineOut[];
  /** By line key; empty when every line is good. */
  problems: Record<string, LineProblems>;
}

/**
 * The drafts as API lines. Blank lines (no item, no quantity) are left out; an item given twice, a missing
 * quantity or a quantity the unit cannot hold is a problem of its line. `base`: a number alone is in g/ml/pc (a
 * recipe's grams), else in kg/l/pc (a delivery's kilos). `withCost`: the unit cost is read (blank: none).
 */
export function parseLines(
  drafts: readonly LineDraft[],
  items: ReadonlyMap<number, LineItem>,
  options: { base?: boolean; withCost?: boolean; currencyDigits?: number } = {},
): ParsedLines {
  const lines: LineOut[] = [];
  const problems: Record<string, LineProblems> = {};
  const seen = new Set<number>();
  for (const draft of drafts) {
    if (draft.itemId === "" && draft.quantity.trim() === "" && draft.unitCost.trim() === "") continue;
    const found: LineProblems = {};
    const item = draft.itemId === "" ? undefined : items.get(Number(draft.itemId));
    if (!item) found.item = "Pick a stock item.";
    else if (seen.has(item.id)) found.item = `${item.name} is on another line already: give its whole quantity once.`;
    let quantity = 0;
    if (item) {
      const parsed = parseQuantity(draft.quantity, item.unit, { assume: options.base ? item.unit : undefined });
      if (parsed.ok) quantity = parsed.value;
      else found.quantity = parsed.problem;
    } else if (draft.quantity.trim() === "") {
      found.quantity = "Enter a quantity.";
    }
    let unitCost: number | null = null;
    if (options.withCost && draft.unitCost.trim() !== "") {
      unitCost = parseFixed(draft.unitCost.replace(/^[^\d.,+-]+/, ""), options.currencyDigits ?? 2);
      if (unitCost === null) found.unitCost = "Enter an amount like 12.50 (or leave it blank).";
    }
    if (Object.keys(found).length > 0) {
      problems[draft.key] = found;
      continue;
    }
    if (item) {
      seen.add(item.id);
      lines.push(
        options.withCost
          ? { stock_item_id: item.id, quantity, unit_cost: unitCost }
          : { stock_item_id: item.id, quantity },
      );
    }
  }
  return { lines, problems };
}
