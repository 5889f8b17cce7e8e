// The shares a guest may pay, priced on the phone only to show them: the appliance computes the exact amount from
// the live bill when the QR is made (and cuts it to what is left), so these figures are a preview, never sent.
import { parseAmount } from "../../../lib/money";
import type { GuestOrder, GuestOrderItem, GuestPayCreate, GuestPayShare, GuestPayment } from "../../../lib/types";

export const PARTS_MIN = 2;
/** How the appliance labels a guest's "mine" share on the bill's QRs. */
export const MY_ITEMS = "my items";
export const PARTS_MAX = 30;

/** A nickname as the appliance compares them (Python's casefold, for the names people type). */
export function foldName(name: string): string {
  return name.trim().toLowerCase().replace(/ς/g, "σ").replace(/ß/g, "ss");
}

export function sameName(a: string | null | undefined, b: string): boolean {
  return a != null && foldName(a) === foldName(b);
}

/** What is still unpaid of a line: units paid one by one (a waiter's split by items) leave their share. */
export function unpaidAmount(item: GuestOrderItem): number {
  if (item.quantity <= 0 || item.paid_quantity >= item.quantity) return 0;
  if (item.paid_quantity <= 0) return item.amount;
  return Math.round((item.amount * (item.quantity - item.paid_quantity)) / item.quantity);
}

/** The unpaid value of what was ordered under `nickname`, as the bill prices it. */
export function myItemsAmount(items: readonly GuestOrderItem[], nickname: string): number {
  return items.reduce((sum, item) => (sameName(item.nickname, nickname) ? sum + unpaidAmount(item) : sum), 0);
}

/** What this name already pays, or paid, for its items on the bill (its open and paid "my items" QRs). */
export function myItemsAsked(requests: readonly GuestPayment[], nickname: string): number {
  return requests.reduce(
    (sum, request) =>
      request.by_guest &&
      request.share === MY_ITEMS &&
      (request.status === "pending" || request.status === "paid") &&
      sameName(request.nickname, nickname)
        ? sum + request.amount
        : sum,
    0,
  );
}

/**
 * My items less what I already pay or paid for them, as the appliance prices "my items" (a UPI payment pays an
 * amount, not items, so it subtracts my own "my items" QRs): nothing, unless I ordered more since.
 */
export function myShare(order: GuestOrder, nickname: string): { amount: number; asked: number } {
  const asked = myItemsAsked(order.payments.requests, nickname);
  return { amount: Math.max(0, myItemsAmount(order.items, nickname) - asked), asked };
}

/** As many shares as names ordered at the table (a table of one still splits in two: the stepper's minimum). */
export function defaultParts(items: readonly GuestOrderItem[]): number {
  const names = new Set(
    items.filter((item) => item.state !== "cancelled" && item.nickname).map((item) => foldName(item.nickname ?? "")),
  );
  return clampParts(names.size);
}

export function clampParts(parts: number): number {
  return Math.min(PARTS_MAX, Math.max(PARTS_MIN, Math.round(parts)));
}

/** One of `parts` equal shares of the bill's total; the appliance gives the odd minor units to the first shares. */
export function evenShare(total: number, parts: number): number {
  return Math.ceil(total / clampParts(parts));
}

export interface ShareChoice {
  share: GuestPayShare;
  parts: number;
  /** What the guest typed for "another amount". */
  amountText: string;
}

export type SharePrice =
  | { ok: true; amount: number }
  | { ok: false; reason: "none" | "invalid" | "too-much" };

/** What the choice would ask for now, cut to what no open QR already asks for (as the appliance cuts it). */
export function priceShare(choice: ShareChoice, order: GuestOrder, nickname: string, currency: string): SharePrice {
  const left = order.payments.open_for;
  let amount: number;
  switch (choice.share) {
    case "mine":
      amount = myShare(order, nickname).amount;
      break;
    case "even":
      amount = evenShare(order.total, choice.parts);
      break;
    case "rest":
      amount = left;
      break;
    case "amount": {
      const typed = parseAmount(choice.amountText, currency);
      if (typed === null) return { ok: false, reason: "invalid" };
      if (typed > left) return { ok: false, reason: "too-much" };
      amount = typed;
      break;
    }
  }
  amount = Math.min(amount, left);
  return amount > 0 ? { ok: true, amount } : { ok: false, reason: "none" };
}

/** The request for a choice: only the fields its share takes (the appliance refuses the others). */
export function payBody(choice: ShareChoice, order: GuestOrder, nickname: string, currency: string): GuestPayCreate {
  switch (choice.share) {
    case "mine":
      return { nickname, share: "mine" };
    case "even":
      return { nickname, share: "even", parts: clampParts(choice.parts) };
    case "amount":
      return { nickname, share: "amount", amount: parseAmount(choice.amountText, currency) ?? 0 };
    default:
      return { nickname, share: choice.share };
  }
}

/** "14:05" for what is left until `closesAt`; "0:00" once past. */
export function countdown(closesAt: string, now: number): string {
  const left = Math.max(0, Math.floor((Date.parse(closesAt) - now) / 1000));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
}
