import { describe, expect, it } from "vitest";
import type { ProductLine } from "../api/analytics-api";
import { rankProducts } from "../components/products-page";

function line(name: string, revenue: number, quantity: number, margin: number | null): ProductLine {
  return {
    product_id: name.length,
    name,
    category_id: 1,
    category: "Kitchen",
    quantity,
    orders: quantity,
    revenue,
    cost: margin === null ? null : revenue - margin,
    margin,
  };
}

const LINES = [
  line("Moussaka", 5600, 4, 3000),
  line("Greek salad", 2700, 3, null),
  line("Souvlaki", 4800, 6, 1000),
  line("Baklava", 0, 0, 0),
];

const names = (lines: ProductLine[]) => lines.map((l) => l.name);

describe("ranking products", () => {
  it("puts the best sellers first by revenue or quantity, and the worst first for the bottom", () => {
    expect(names(rankProducts(LINES, "revenue", "top"))).toEqual(["Moussaka", "Souvlaki", "Greek salad", "Baklava"]);
    expect(names(rankProducts(LINES, "quantity", "top"))).toEqual(["Souvlaki", "Moussaka", "Greek salad", "Baklava"]);
    expect(names(rankProducts(LINES, "revenue", "bottom"))).toEqual([
      "Baklava",
      "Greek salad",
      "Souvlaki",
      "Moussaka",
    ]);
  });

  it("leaves products of unknown cost out of a margin ranking, at the end", () => {
    expect(names(rankProducts(LINES, "margin", "top"))).toEqual(["Moussaka", "Souvlaki", "Baklava", "Greek salad"]);
    expect(names(rankProducts(LINES, "margin", "bottom"))).toEqual(["Baklava", "Souvlaki", "Moussaka", "Greek salad"]);
  });
});
