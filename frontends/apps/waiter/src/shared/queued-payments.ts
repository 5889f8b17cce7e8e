// What is left to pay once the payments still in the outbox have gone through. The order screen and the
// payment screen must show the same amount, so both compute it here.
//
// A queued payment is one of three bodies: the first API's `{item_ids}` (every unpaid unit of those items: kept
// readable for entries queued by an older build of the app), `{items: [{item_id, quantity}]}` (units), or
// `{amount}` (part of the balance: an even share, a seat, a typed amount).
import type { Order, PaymentCreate, PaymentIn } from "@tavolo/api";
import { resolveOrderRef, type OutboxEntry } from "../lib/outbox";

type QueuedBody = Partial<PaymentIn> & Partial<Pick<PaymentCreate, "item_ids">>;

/** The queued writes of the order shown under this ref (an offline "tmp-…" ref, or the id it became). */
export function entriesOfOrder(
  entries: readonly OutboxEntry[],
  orderRef: string,
  orderId: number | null,
): OutboxEntry[] {
  return entries.filter(
    (entry) => entry.orderRef === orderRef || (orderId !== null && resolveOrderRef(entry.orderRef) === orderId),
  );
}

/** Payments still waiting to be sent; a refused one pays nothing. */
function queuedBodies(entries: readonly OutboxEntry[]): QueuedBody[] {
  return entries.filter((entry) => entry.kind === "pay" && entry.state !== "failed").map((e) => e.body as QueuedBody);
}

/** Items with units covered by payments waiting in the outbox. */
export function queuedPaymentItemIds(entries: readonly OutboxEntry[]): Set<number> {
  const ids = new Set<number>();
  for (const body of queuedBodies(entries)) {
    for (const id of body.item_ids ?? []) ids.add(id);
    for (const unit of body.items ?? []) ids.add(unit.item_id);
  }
  return ids;
}

/** Units of each live item that queued payments cover, never more than the item has unpaid. */
export function queuedUnits(order: Order, entries: readonly OutboxEntry[]): Map<number, number> {
  const unpaid = new Map(
    order.items
      .filter((item) => item.status !== "cancelled")
      .map((item) => [item.id, Math.max(0, item.quantity - item.paid_quantity)]),
  );
  const units = new Map<number, number>();
  const add = (id: number, quantity: number) => {
    const left = unpaid.get(id);
    if (left === undefined) return;
    units.set(id, Math.min(left, (units.get(id) ?? 0) + quantity));
  };
  for (const body of queuedBodies(entries)) {
    for (const id of body.item_ids ?? []) add(id, Number.POSITIVE_INFINITY);
    for (const unit of body.items ?? []) add(unit.item_id, unit.quantity ?? 1);
  }
  return units;
}

/** What the queued payments will take off the balance (tips excluded). */
export function queuedPaymentAmount(order: Order, entries: readonly OutboxEntry[]): number {
  const prices = new Map(order.items.map((item) => [item.id, item.unit_price]));
  let amount = 0;
  for (const [id, quantity] of queuedUnits(order, entries)) amount += (prices.get(id) ?? 0) * quantity;
  for (const body of queuedBodies(entries)) {
    if (!body.items?.length && !body.item_ids?.length && typeof body.amount === "number") amount += body.amount;
  }
  return amount;
}

/** The order's due minus what the queued payments will pay. */
export function dueAfterQueuedPayments(order: Order, entries: readonly OutboxEntry[]): number {
  return Math.max(0, order.due - queuedPaymentAmount(order, entries));
}

/** The split parts ("2/4", "seat 3") that queued payments pay. */
export function queuedSplitParts(entries: readonly OutboxEntry[]): string[] {
  return queuedBodies(entries).flatMap((body) => (body.split_part ? [body.split_part] : []));
}
