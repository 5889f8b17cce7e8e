// What is left to pay once the payments still in the outbox have gone through. The order screen and the
// payment screen must show the same amount, so both compute it here.
import type { Order, PaymentCreate } from "@tavolo/api";
import { resolveOrderRef, type OutboxEntry } from "../lib/outbox";

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

/** Items covered by payments waiting in the outbox; a refused payment covers nothing. */
export function queuedPaymentItemIds(entries: readonly OutboxEntry[]): Set<number> {
  const ids = new Set<number>();
  for (const entry of entries) {
    if (entry.kind !== "pay" || entry.state === "failed") continue;
    for (const id of (entry.body as PaymentCreate).item_ids) ids.add(id);
  }
  return ids;
}

/** The amount of the still unpaid, live items a queued payment covers. */
export function queuedPaymentAmount(order: Order, queuedIds: ReadonlySet<number>): number {
  return order.items
    .filter((item) => !item.is_paid && item.status !== "cancelled" && queuedIds.has(item.id))
    .reduce((sum, item) => sum + item.line_total, 0);
}

/** The order's due minus what the queued payments will pay. */
export function dueAfterQueuedPayments(order: Order, queuedIds: ReadonlySet<number>): number {
  return Math.max(0, order.due - queuedPaymentAmount(order, queuedIds));
}
