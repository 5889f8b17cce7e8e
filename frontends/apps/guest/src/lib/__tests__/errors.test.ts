import { ApiError, NetworkError } from "@tavolo/api";
import { describe, expect, it } from "vitest";
import { errorMessage } from "../errors";
import { STRINGS } from "../i18n";

const PAYMENT_REFUSALS: [number, string, keyof typeof STRINGS.en][] = [
  [403, "GUEST_PAYMENTS_OFF", "payOff"],
  [409, "GUEST_NO_BILL", "noBill"],
  [409, "GUEST_NOTHING_OF_YOURS", "nothingOfYours"],
  [409, "UPI_NOTHING_DUE", "nothingDue"],
  [409, "PAYMENT_EXCEEDS_BALANCE", "exceedsBalance"],
  [503, "UPI_UNAVAILABLE", "upiUnavailable"],
  [409, "UPI_NOT_CONFIGURED", "upiUnavailable"],
  [409, "UPI_NOT_PENDING", "notPending"],
  [404, "GUEST_PAYMENT_NOT_FOUND", "paymentGone"],
  [409, "ORDER_NOT_OPEN", "billClosed"],
  [429, "GUEST_RATE_LIMITED", "rateLimited"],
  [404, "TABLE_TOKEN_INVALID", "tokenInvalid"],
  [410, "TABLE_INACTIVE", "tableInactive"],
];

describe("a refused payment in the guest's words", () => {
  it.each(PAYMENT_REFUSALS)("says %s %s in English and in Greek, never the staff's detail", (status, code, key) => {
    const error = new ApiError(status, code, "staff wording");
    for (const t of [STRINGS.en, STRINGS.el]) {
      const text = errorMessage(error, t);
      expect(text).toBe(t[key]);
      expect(text).not.toBe(t.genericError);
      expect(text).not.toContain("staff wording");
    }
    expect(errorMessage(error, STRINGS.el)).not.toBe(errorMessage(error, STRINGS.en));
  });

  it("tells a lost connection from a refusal", () => {
    expect(errorMessage(new NetworkError(), STRINGS.en)).toBe(STRINGS.en.networkError);
    expect(errorMessage(new ApiError(500, "HTTP_500", "boom"), STRINGS.en)).toBe(STRINGS.en.genericError);
  });
});
