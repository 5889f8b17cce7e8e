// What a guest reads when the appliance refuses: the server's codes turned into the guest's language. Staff
// wording (the server's `detail`) is never shown on a diner's phone.
import { ApiError, NetworkError } from "@tavolo/api";
import type { Strings } from "./i18n";

const LICENSE_CODES = new Set(["LICENSE_LOCKED", "LICENSE_EXPIRED", "LEASE_EXPIRED", "CLOCK_SUSPECT", "TRIAL_ENDED"]);
/** The product (or one of its parts) changed or sold out between the menu's last refetch and the tap. */
export const MENU_STALE_CODES = new Set([
  "PRODUCT_NOT_FOUND",
  "PRODUCT_UNAVAILABLE",
  "INVALID_OPTION",
  "INVALID_INGREDIENT",
  "INVALID_CHOICE",
  "CHOICE_CONFLICT",
  "CHOICE_REQUIRED",
]);

export function errorCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}

export function errorMessage(error: unknown, t: Strings): string {
  if (error instanceof NetworkError) return t.networkError;
  if (!(error instanceof ApiError)) return t.genericError;
  switch (error.code) {
    case "TABLE_TOKEN_INVALID":
      return t.tokenInvalid;
    case "TABLE_INACTIVE":
      return t.tableInactive;
    case "GUEST_ORDERING_OFF":
      return t.orderingOff;
    case "GUEST_RATE_LIMITED":
      return t.rateLimited;
    case "TOO_MANY_ITEMS":
      return t.tooManyItems;
    case "CART_CHANGED":
      return t.cartChanged;
    case "CART_EMPTY":
      return t.cartEmptyError;
    case "CART_FULL":
      return t.cartFull;
    case "CART_LINE_NOT_FOUND":
      return t.lineGone;
    case "PRODUCT_NOT_FOUND":
    case "PRODUCT_UNAVAILABLE":
      return t.productGone;
    // Paying by UPI from the table.
    case "GUEST_PAYMENTS_OFF":
      return t.payOff;
    case "GUEST_NO_BILL":
      return t.noBill;
    case "GUEST_NOTHING_OF_YOURS":
      return t.nothingOfYours;
    case "UPI_NOTHING_DUE":
      return t.nothingDue;
    case "PAYMENT_EXCEEDS_BALANCE":
      return t.exceedsBalance;
    case "UPI_UNAVAILABLE":
    case "UPI_NOT_CONFIGURED":
      return t.upiUnavailable;
    case "UPI_NOT_PENDING":
      return t.notPending;
    case "GUEST_PAYMENT_NOT_FOUND":
      return t.paymentGone;
    case "ORDER_NOT_OPEN":
    case "ORDER_NOT_FOUND":
      return t.billClosed;
  }
  if (MENU_STALE_CODES.has(error.code)) return t.productChanged;
  if (LICENSE_CODES.has(error.code) || error.status === 402 || error.status === 423) return t.licenseRefused;
  if (error.status === 429) return t.rateLimited;
  return t.genericError;
}
