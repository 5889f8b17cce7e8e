// The draft: items picked but not sent yet. Kept on the phone per order ref so that a reload, a killed tab or
// a Wi-Fi drop never loses what the waiter has taken down.
import type { OrderItemCreate, Product } from "@tavolo/api";
import { normalizeItem, type DraftLine } from "../../../shared/order-draft";
import { estimateUnitPrice } from "./pricing";

export { draftQuantity, normalizeItem, parseStoredDraft, type DraftLine } from "../../../shared/order-draft";

let counter = 0;
export function newLineKey(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
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

/**
 * The draft once a round is safely in the outbox: the lines that went out leave it, matched by identity (the
 * very line objects that were sent), never by key alone. A line changed after it was taken for the round is
 * not the one that was sent: only what exceeds the sent quantity stays, or all of it if its modifiers changed.
 */
export function takeSent(current: readonly DraftLine[], sent: readonly DraftLine[]): DraftLine[] {
  const sentSet = new Set(sent);
  const sentByKey = new Map(sent.map((line) => [line.key, line]));
  return current.flatMap((line) => {
    if (sentSet.has(line)) return [];
    const original = sentByKey.get(line.key);
    if (!original || !sameExceptQuantity(original.item, line.item)) return [line];
    const extra = line.item.quantity - original.item.quantity;
    return extra > 0 ? [{ key: line.key, item: { ...line.item, quantity: extra } }] : [];
  });
}

/**
 * A round the appliance refused (or that could not be stored) goes back into the draft, first and in its own
 * order so that the server's "items[2]" still names the right line; lines added meanwhile join their twin.
 */
export function restoreSent(current: readonly DraftLine[], sent: readonly DraftLine[]): DraftLine[] {
  const restored = [...sent];
  const rest: DraftLine[] = [];
  for (const line of current) {
    const twin = restored.findIndex(
      (back) => sameExceptQuantity(back.item, line.item) && back.item.quantity + line.item.quantity <= 99,
    );
    const target = restored[twin];
    if (target) {
      restored[twin] = { ...target, item: { ...target.item, quantity: target.item.quantity + line.item.quantity } };
      continue;
    }
    rest.push(restored.some((back) => back.key === line.key) ? { ...line, key: newLineKey() } : line);
  }
  return [...restored, ...rest];
}
