// The arithmetic of splitting a bill on the phone, in integer minor units. The appliance computes the parts
// (POST /api/orders/{id}/split); the phone only re-fits them after payments it knows about and works them out
// itself while the appliance is out of reach, with the same largest-remainder rule as the server's ledger, so
// both always agree to the minor unit and the parts always sum to what is left.
import type { Order, OrderItem, Payment, SplitPart } from "@tavolo/api";

export type SplitMode = "items" | "whole" | "even" | "seats" | "amount";

/** One payable part of the bill as the pay form takes it. */
export interface PayPart {
  /** What the waiter reads: "2/4", "seat 3", "3 items", "the whole bill". */
  label: string;
  amount: number;
  /** Sent as split_part so the payment says which share it was (even and seat splits). */
  splitPart: string | null;
  /** Item units paid (a payment by items); null for a payment by amount. */
  items: { item_id: number; quantity: number }[] | null;
}

/** A part of an even or seat split, as listed: paid already, or still to pay. */
export interface ListedPart {
  /** 1-based position in the split: the `split-part-<n>` of the screen. */
  n: number;
  label: string;
  amount: number;
  /** The payment (or the queued one) that paid it, null while it is open. */
  paid: Payment | "queued" | null;
}

/**
 * `amount` split in proportion to `weights` so the parts sum to it exactly (largest remainder); ties go to the
 * earlier parts. The same rule as the appliance's ledger.allocate.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  let total = weights.reduce((sum, w) => sum + w, 0);
  const used = total > 0 ? weights : weights.map(() => 1);
  if (total <= 0) total = used.length;
  const shares = used.map((w) => Math.floor((amount * w) / total));
  const remainders = used.map((w) => (amount * w) % total);
  let left = amount - shares.reduce((sum, s) => sum + s, 0);
  const order = used.map((_, i) => i).sort((a, b) => remainders[b]! - remainders[a]! || a - b);
  for (const i of order) {
    if (left <= 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}

/** Units of a live item not yet paid. */
export function unpaidUnits(item: OrderItem): number {
  return item.status === "cancelled" ? 0 : Math.max(0, item.quantity - item.paid_quantity);
}

/** Percent of an amount, to the nearest minor unit (halves up). */
export function percentOf(amount: number, percent: number): number {
  return Math.floor((amount * percent + 50) / 100);
}

/** Change to give back for cash handed over, or null when it does not cover the amount and the tip. */
export function changeDue(tendered: number, amount: number, tip: number): number | null {
  const change = tendered - amount - tip;
  return change >= 0 ? change : null;
}

/** The payment still counts: not refunded in full. */
function standing(payment: Payment): boolean {
  return payment.refunded < payment.amount;
}

const EVEN_LABEL = /^(\d+)\/(\d+)$/;

/**
 * The N shares of an even split, with the ones paid (or queued) marked. `server` holds the open shares as the
 * appliance computed them for what is left (`remainingShares` of them); without it they are worked out here.
 */
export function evenParts(
  guests: number,
  left: number,
  payments: readonly Payment[],
  queuedLabels: readonly string[],
  server: readonly SplitPart[] | null,
): ListedPart[] {
  const paid = new Map<number, Payment | "queued">();
  const mark = (label: string, by: Payment | "queued") => {
    const match = EVEN_LABEL.exec(label);
    if (match && Number(match[2]) === guests && Number(match[1]) <= guests) paid.set(Number(match[1]), by);
  };
  for (const payment of payments) if (payment.split_part && standing(payment)) mark(payment.split_part, payment);
  for (const label of queuedLabels) mark(label, "queued");
  const open = Array.from({ length: guests }, (_, i) => i + 1).filter((n) => !paid.has(n));
  const amounts = server && server.length === open.length ? server.map((p) => p.amount) : allocate(left, open.map(() => 1));
  const shares: ListedPart[] = [];
  for (let n = 1; n <= guests; n += 1) {
    const by = paid.get(n);
    if (by !== undefined) {
      shares.push({ n, label: `${n}/${guests}`, amount: by === "queued" ? 0 : by.amount, paid: by });
    } else {
      shares.push({ n, label: `${n}/${guests}`, amount: amounts[open.indexOf(n)] ?? 0, paid: null });
    }
  }
  return shares;
}

/** How many shares of an N-way even split are still open (what to ask the appliance to split `left` into). */
export function openEvenShares(guests: number, payments: readonly Payment[], queuedLabels: readonly string[]): number {
  return Math.max(1, evenParts(guests, 0, payments, queuedLabels, null).filter((part) => part.paid === null).length);
}

/**
 * The seats' parts: the appliance's seat split, with the seats already paid (by their split_part) marked and the
 * balance fitted over the others in proportion to what each seat had (the appliance's own weights, so with no
 * seat paid yet these are its amounts exactly).
 */
export function seatParts(
  server: readonly SplitPart[],
  left: number,
  payments: readonly Payment[],
  queuedLabels: readonly string[],
): ListedPart[] {
  const paid = new Map<string, Payment | "queued">();
  for (const payment of payments) if (payment.split_part && standing(payment)) paid.set(payment.split_part, payment);
  for (const label of queuedLabels) paid.set(label, "queued");
  const open = server.filter((part) => !paid.has(part.label));
  const weights = open.map((part) => part.items.reduce((sum, line) => sum + line.amount, 0) || part.amount);
  const amounts = allocate(left, weights);
  return server.map((part, i) => {
    const by = paid.get(part.label);
    if (by !== undefined) return { n: i + 1, label: part.label, amount: by === "queued" ? 0 : by.amount, paid: by };
    return { n: i + 1, label: part.label, amount: amounts[open.indexOf(part)] ?? 0, paid: null };
  });
}

/**
 * What `units` more units of a line cost after its first `after` units, exactly as the appliance charges them
 * (orders/pricing.py): the line's share of the bill (discounts, service charge, exclusive tax included) spread over
 * its units so that all of them sum to it. The unit price alone would differ as soon as any of those applies.
 */
export function unitsAmount(order: Order, item: OrderItem, after: number, units: number): number {
  const line = order.totals.lines.find((candidate) => candidate.item_id === item.id);
  if (line === undefined || item.quantity <= 0) return item.unit_price * units;
  const through = (n: number) => Math.floor((line.payable * n) / item.quantity);
  return through(after + units) - through(after);
}

/** The item units a selection pays, and their total. */
export function selectionPart(order: Order, selection: ReadonlyMap<number, number>): PayPart {
  const lines = order.items.filter((item) => (selection.get(item.id) ?? 0) > 0);
  const items = lines.map((item) => ({ item_id: item.id, quantity: selection.get(item.id) ?? 0 }));
  const amount = lines.reduce(
    (sum, item) => sum + unitsAmount(order, item, item.paid_quantity, selection.get(item.id) ?? 0),
    0,
  );
  const units = items.reduce((sum, line) => sum + line.quantity, 0);
  return { label: `${units} item${units === 1 ? "" : "s"}`, amount, splitPart: null, items };
}

/**
 * The whole of what is left: by its item units when they are exactly the balance (the payment then names the
 * items), else by amount (part of the bill was paid by amount, so the units no longer add up to it).
 */
export function wholePart(order: Order, left: number, queued: ReadonlyMap<number, number>): PayPart {
  const selection = new Map<number, number>();
  for (const item of order.items) {
    const units = unpaidUnits(item) - (queued.get(item.id) ?? 0);
    if (units > 0) selection.set(item.id, units);
  }
  const byItems = selectionPart(order, selection);
  if (byItems.amount === left && left > 0) return { ...byItems, label: "the whole bill" };
  return { label: "the whole bill", amount: left, splitPart: null, items: null };
}
