// The draft: items picked but not sent yet. Kept on the phone per order ref so that a reload, a killed tab or
// a Wi-Fi drop never loses what the waiter has taken down.
import type { OrderItemCreate, Product } from "@tavolo/api";
import { estimateUnitPrice } from "./pricing";

export interface DraftLine {
  /** Local identity of the line (edits, React keys); never sent. */
  key: string;
  item: OrderItemCreate;
  /** Why the appliance refused this line on the last send (e.g. the product became unavailable). */
  problem?: string;
}

let counter = 0;
export function newLineKey(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

/** A clean item: sorted id lists and a null blank note, so equal lines compare equal. */
export function normalizeItem(item: OrderItemCreate): OrderItemCreate {
  const sorted = (ids: number[] | undefined) => [...new Set(ids ?? [])].sort((a, b) => a - b);
  const note = item.note?.trim();
  return {
    product_id: item.product_id,
    quantity: clamp(Math.trunc(item.quantity), 1, 99),
    option_ids: sorted(item.option_ids),
    removed_ingredient_ids: sorted(item.removed_ingredient_ids),
    choice_ids: sorted(item.choice_ids),
    note: note ? note.slice(0, 200) : null,
    seat: item.seat ?? null,
    course: clamp(Math.trunc(item.course), 1, 9),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

function sameExceptQuantity(a: OrderItemCreate, b: OrderItemCreate): boolean {
  return JSON.stringify({ ...a, quantity: 0 }) === JSON.stringify({ ...b, quantity: 0 });
}

/** Add an item; an identical line (same product and modifiers) just gets the quantity. */
export function addToDraft(lines: readonly DraftLine[], item: OrderItemCreate): DraftLine[] {
  const clean = normalizeItem(item);
  const same = lines.find((line) => sameExceptQuantity(line.item, clean));
  if (same) {
    return lines.map((line) =>
      line === same
        ? { key: line.key, item: normalizeItem({ ...line.item, quantity: line.item.quantity + clean.quantity }) }
        : line,
    );
  }
  return [...lines, { key: newLineKey(), item: clean }];
}

export function replaceLine(lines: readonly DraftLine[], key: string, item: OrderItemCreate): DraftLine[] {
  return lines.map((line) => (line.key === key ? { key, item: normalizeItem(item) } : line));
}

/** Change a line's quantity by delta; a line going below 1 is removed. */
export function bumpQuantity(lines: readonly DraftLine[], key: string, delta: number): DraftLine[] {
  return lines.flatMap((line) => {
    if (line.key !== key) return [line];
    const quantity = line.item.quantity + delta;
    if (quantity < 1) return [];
    return [{ key, item: { ...line.item, quantity: Math.min(99, quantity) }, problem: line.problem }];
  });
}

export function removeLine(lines: readonly DraftLine[], key: string): DraftLine[] {
  return lines.filter((line) => line.key !== key);
}

export function draftQuantity(lines: readonly DraftLine[]): number {
  return lines.reduce((sum, line) => sum + line.item.quantity, 0);
}

/** Estimated total of the draft; lines whose product is no longer on the menu count as 0. */
export function draftTotal(lines: readonly DraftLine[], products: ReadonlyMap<number, Product>): number {
  return lines.reduce((sum, line) => {
    const product = products.get(line.item.product_id);
    return product ? sum + estimateUnitPrice(product, line.item) * line.item.quantity : sum;
  }, 0);
}

/**
 * The server names the refused item by its position ("items[2]: Moussaka is not available"); mark that line
 * so the waiter sees which one to change.
 */
export function markProblem(lines: readonly DraftLine[], message: string): DraftLine[] {
  const match = /items\[(\d+)\]/.exec(message);
  if (!match) return lines.map((line) => (line.problem ? { key: line.key, item: line.item } : line));
  const index = Number(match[1]);
  const detail = message.replace(/^items\[\d+\]:\s*/, "");
  return lines.map((line, i) => (i === index ? { ...line, problem: detail } : { key: line.key, item: line.item }));
}

export function parseStoredDraft(raw: string | null): DraftLine[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return [];
    return value.flatMap((entry: unknown) => {
      const line = entry as Partial<DraftLine> | null;
      const item = line?.item;
      if (typeof line?.key !== "string" || typeof item?.product_id !== "number" || typeof item.quantity !== "number") {
        return [];
      }
      return [{ key: line.key, item: normalizeItem(item), ...(line.problem ? { problem: line.problem } : {}) }];
    });
  } catch {
    return [];
  }
}
