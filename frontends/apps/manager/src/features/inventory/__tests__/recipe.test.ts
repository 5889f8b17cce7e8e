import { describe, expect, it } from "vitest";
import { costOf, formatPermille, marginOf } from "../model/recipe";

describe("what a recipe costs", () => {
  it("prices grams and millilitres per kg or l, pieces per piece, rounding once half up", () => {
    // 150 g of feta at €12.00/kg = 180; 20 ml of oil at €8.50/l = 17; 2 pitas at €0.25 = 50.
    expect(
      costOf([
        { quantity: 150, unit: "g", unitCost: 1200 },
        { quantity: 20, unit: "ml", unitCost: 850 },
        { quantity: 2, unit: "pc", unitCost: 25 },
      ]),
    ).toBe(247);
    // 5 g at €0.99/kg is 0.495 of a cent: 0 alone, but three such lines are 1.485 cents, 1 (rounded once).
    expect(costOf([{ quantity: 5, unit: "g", unitCost: 99 }])).toBe(0);
    expect(
      costOf([
        { quantity: 5, unit: "g", unitCost: 99 },
        { quantity: 5, unit: "g", unitCost: 99 },
        { quantity: 5, unit: "g", unitCost: 99 },
      ]),
    ).toBe(1);
    expect(costOf([{ quantity: 1, unit: "g", unitCost: 500 }])).toBe(1); // 0.5 rounds up
  });

  it("is unknown when one line's cost is, and zero without lines", () => {
    expect(
      costOf([
        { quantity: 150, unit: "g", unitCost: 1200 },
        { quantity: 1, unit: "pc", unitCost: null },
      ]),
    ).toBeNull();
    expect(costOf([])).toBe(0);
  });
});

describe("the margin over the price", () => {
  it("is the price less the cost, and its share of the price", () => {
    expect(marginOf(1400, 247)).toEqual({ amount: 1153, permille: 824 });
    expect(formatPermille(824)).toBe("82.4 %");
  });

  it("can be negative, and has no share for a free product", () => {
    expect(marginOf(200, 250)).toEqual({ amount: -50, permille: -250 });
    expect(formatPermille(-250)).toBe("−25.0 %");
    expect(marginOf(0, 30)).toEqual({ amount: -30, permille: null });
  });

  it("is unknown while the cost is", () => {
    expect(marginOf(1400, null)).toBeNull();
  });
});
