import { describe, expect, it } from "vitest";
import { currencyDigits, formatFixed, formatPercentBp, parseFixed, parsePercentBp } from "../decimal";

describe("a money input", () => {
  it("reads a decimal amount as exact minor units", () => {
    expect(parseFixed("12.50", 2)).toBe(1250);
    expect(parseFixed("12.5", 2)).toBe(1250);
    expect(parseFixed("12", 2)).toBe(1200);
    expect(parseFixed(".5", 2)).toBe(50);
    expect(parseFixed("0.07", 2)).toBe(7);
    expect(parseFixed(" 3.00 ", 2)).toBe(300);
  });

  it("never goes through a float: amounts that float arithmetic gets wrong stay exact", () => {
    // 0.29 * 100 === 28.999999999999996 and 1.15 * 100 === 114.99999999999999 in floating point.
    expect(parseFixed("0.29", 2)).toBe(29);
    expect(parseFixed("1.15", 2)).toBe(115);
    expect(parseFixed("4.35", 2)).toBe(435);
    expect(parseFixed("99999.99", 2)).toBe(9_999_999);
  });

  it("takes a comma as the decimal separator too", () => {
    expect(parseFixed("12,50", 2)).toBe(1250);
    expect(parseFixed("0,5", 2)).toBe(50);
  });

  it("refuses what is not a plain amount", () => {
    for (const text of ["", " ", "abc", "12.345", "1,250.00", "1.2.3", "12a", "€12", "-", "."]) {
      expect(parseFixed(text, 2), text).toBeNull();
    }
  });

  it("refuses a negative amount unless signed amounts are allowed", () => {
    expect(parseFixed("-1.50", 2)).toBeNull();
    expect(parseFixed("-1.50", 2, { signed: true })).toBe(-150);
    expect(parseFixed("+2", 2, { signed: true })).toBe(200);
    expect(parseFixed("-0", 2, { signed: true })).toBe(0);
  });

  it("follows the currency's minor units", () => {
    expect(currencyDigits("EUR")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("BHD")).toBe(3);
    expect(parseFixed("1500", 0)).toBe(1500);
    expect(parseFixed("15.5", 0)).toBeNull();
    expect(parseFixed("1.250", 3)).toBe(1250);
  });

  it("shows a stored amount the way it is typed back", () => {
    expect(formatFixed(1250, 2)).toBe("12.50");
    expect(formatFixed(7, 2)).toBe("0.07");
    expect(formatFixed(-150, 2)).toBe("-1.50");
    expect(formatFixed(1500, 0)).toBe("1500");
    for (const minor of [0, 1, 29, 115, 1999, 10_000_000]) expect(parseFixed(formatFixed(minor, 2), 2)).toBe(minor);
  });
});

describe("a percentage input (tax rates, the service charge)", () => {
  it("reads a percentage as basis points", () => {
    expect(parsePercentBp("13")).toBe(1300);
    expect(parsePercentBp("5.5")).toBe(550);
    expect(parsePercentBp("6,25 %")).toBe(625);
    expect(parsePercentBp("0")).toBe(0);
    expect(parsePercentBp("100")).toBe(10_000);
    expect(parsePercentBp(" 10 % ")).toBe(1000);
    expect(parsePercentBp("0.05")).toBe(5);
    expect(parsePercentBp("33.33")).toBe(3333);
  });

  it("refuses more than 100 % or more than two decimals", () => {
    expect(parsePercentBp("100.01")).toBeNull();
    expect(parsePercentBp("5.125")).toBeNull();
    expect(parsePercentBp("-5")).toBeNull();
    for (const text of ["", "abc", "-1", "101", "1e2", "12.5.1"]) {
      expect(parsePercentBp(text), text).toBeNull();
    }
  });

  it("shows basis points in their shortest exact form", () => {
    expect(formatPercentBp(1300)).toBe("13");
    expect(formatPercentBp(550)).toBe("5.5");
    expect(formatPercentBp(625)).toBe("6.25");
    expect(formatPercentBp(0)).toBe("0");
    expect(formatPercentBp(10_000)).toBe("100");
    expect(formatPercentBp(5)).toBe("0.05");
    expect(formatPercentBp(3333)).toBe("33.33");
  });
});
