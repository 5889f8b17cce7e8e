import { describe, expect, it } from "vitest";
import { reviewCount, type CountedItem } from "../model/count";

const ITEMS: CountedItem[] = [
  { id: 1, name: "Feta", unit: "g", on_hand: 1250 },
  { id: 2, name: "Wine", unit: "ml", on_hand: 7500 },
  { id: 3, name: "Pita", unit: "pc", on_hand: 40 },
  { id: 4, name: "Oil", unit: "ml", on_hand: -200 },
];

describe("a stock take's differences", () => {
  it("compares what was typed with the stock, in base units, leaving blank items out", () => {
    const typed = new Map([
      [1, "1.1"],
      [2, "7.5 l"],
      [3, ""],
      [4, "0"],
    ]);
    const review = reviewCount(ITEMS, typed);
    expect(review.problems.size).toBe(0);
    expect(review.lines).toEqual([
      { stock_item_id: 1, name: "Feta", unit: "g", previous: 1250, counted: 1100, delta: -150 },
      { stock_item_id: 2, name: "Wine", unit: "ml", previous: 7500, counted: 7500, delta: 0 },
      { stock_item_id: 4, name: "Oil", unit: "ml", previous: -200, counted: 0, delta: 200 },
    ]);
  });

  it("names the items whose figure is not a quantity, and keeps them out of the lines", () => {
    const review = reviewCount(ITEMS, new Map([[1, "1.2345 kg"], [3, "41.5"], [2, "8 l"]]));
    expect([...review.problems.keys()]).toEqual([1, 3]);
    expect(review.problems.get(1)).toMatch(/3 decimals/);
    expect(review.problems.get(3)).toMatch(/whole pieces/i);
    expect(review.lines.map((line) => [line.stock_item_id, line.delta])).toEqual([[2, 500]]);
  });
});
