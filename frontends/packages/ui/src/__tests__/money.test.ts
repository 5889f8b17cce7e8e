import { describe, expect, it } from "vitest";
import { formatMoney } from "../money";

describe("formatMoney", () => {
  it("turns cents into euros", () => {
    expect(formatMoney(1250, "EUR", "en-IE")).toBe("€12.50");
  });

  it("knows currencies without a minor unit", () => {
    expect(formatMoney(1250, "JPY", "en-US")).toBe("¥1,250");
  });

  it("keeps the sign of a negative amount", () => {
    expect(formatMoney(-99, "EUR", "en-IE")).toBe("-€0.99");
  });
});
