// Discounts, comps and voids: each needs a manager. A manager's own session is enough; a waiter gets a one-time
// approval token by having a manager type their username and PIN on this phone (POST /api/auth/approvals) and
// sends it once in X-Manager-Approval. Online only, never queued: an approval lasts minutes and a discount is
// for the bill as it is now. A discount still carries an Idempotency-Key (one per confirmation), so a retry after
// a lost answer is not a second discount.
import { ApiError, unwrap, type Approval, type DiscountCreate, type DiscountRecorded, type Order } from "@tavolo/api";
import { api } from "../../../lib/api";

export type ApprovalAction = Approval["action"];

export function grantApproval(
  orderId: number,
  action: ApprovalAction,
  username: string,
  pin: string,
): Promise<Approval> {
  // A wrong manager PIN is a 403 (APPROVAL_DENIED), never a 401: the client's renew-and-retry on a 401 only
  // ever concerns this phone's own session, so a wrong PIN is counted once towards the manager's lockout.
  return unwrap(api.POST("/api/auth/approvals", { body: { username, pin, action, order_id: orderId } }));
}

function approvalHeader(token: string | null): Record<string, string> {
  return token ? { "X-Manager-Approval": token } : {};
}

export function addDiscount(
  orderId: number,
  body: DiscountCreate,
  token: string | null,
  key: string,
): Promise<DiscountRecorded> {
  return unwrap(
    api.POST("/api/orders/{order_id}/discounts", {
      params: { path: { order_id: orderId } },
      headers: { "Idempotency-Key": key, ...approvalHeader(token) },
      body,
    }),
  );
}

export function voidItem(orderId: number, itemId: number, reason: string, token: string | null): Promise<Order> {
  return unwrap(
    api.DELETE("/api/orders/{order_id}/items/{item_id}", {
      params: { path: { order_id: orderId, item_id: itemId } },
      headers: approvalHeader(token),
      body: { reason },
    }),
  );
}

/** The approval was refused or spent: a new one is needed (the manager types the PIN again). */
export function approvalSpent(error: unknown): boolean {
  return error instanceof ApiError && (error.code === "APPROVAL_INVALID" || error.code === "MANAGER_APPROVAL_REQUIRED");
}

// The appliance's refusals in the waiter's words; its own detail follows for anything else.
const REFUSALS: Partial<Record<string, string>> = {
  APPROVAL_DENIED: "Wrong manager username or PIN.",
  PIN_LOCKED: "Too many wrong PINs: this manager is locked out for a while.",
  APPROVER_NOT_MANAGER: "That is not a manager: only a manager can approve this.",
  APPROVAL_INVALID: "The approval expired or was already used: the manager must approve again.",
  MANAGER_APPROVAL_REQUIRED: "A manager must approve this.",
  DISCOUNT_TOO_LARGE: "That is more than is left to discount.",
  NOTHING_TO_DISCOUNT: "Nothing is left to discount here.",
  DISCOUNT_EXCEEDS_BALANCE: "Payments already cover more than the discounted total: a manager must refund first.",
  ITEM_ALREADY_PAID: "That item is already paid: it can no longer be changed.",
  ITEM_CANCELLED: "That item was cancelled meanwhile.",
  ITEM_ALREADY_CANCELLED: "That item was already voided.",
  ITEM_HAS_DISCOUNT: "That item has a discount: take the discount off before voiding it.",
  ITEMS_COVERED_BY_PAYMENTS: "Payments already cover that item: a manager must refund first.",
  ITEM_NOT_IN_ORDER: "That item is no longer on this bill.",
  ITEM_NOT_FOUND: "That item is no longer on this bill.",
  ORDER_NOT_OPEN: "This order is no longer open.",
  NOT_ORDER_OWNER: "This order belongs to another waiter.",
};

/** Why the appliance refused, in words; the lost-connection case when it could not be reached. */
export function exceptionRefusalText(error: unknown): string {
  if (error instanceof ApiError) return REFUSALS[error.code] ?? error.message;
  return "The appliance cannot be reached: nothing was changed. Try again when it is back.";
}

/** A typed percentage ("10", "12,5") as basis points, or null when it is not one from 0.01 to 100. */
export function parsePercent(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0") || "0");
  return bp >= 1 && bp <= 10_000 ? bp : null;
}
