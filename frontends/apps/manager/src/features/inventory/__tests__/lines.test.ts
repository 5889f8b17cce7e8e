import { describe, expect, it } from "vitest";
import { lineDraft, parseLines, type LineDraft, type LineItem } from "../model/lines";

const ITEMS = new Map<number, LineItem>([
  [1, { id: 1, name: "Feta", unit: "g" }],
  [2, { id: 2, name: "Pita", unit: "pc" }],
]);

const line = (key: string, itemId: string, quantity: string, unitCost = ""): LineDraft => ({
  key,
  itemId,
  quantity,
  unitCost,
});

describe("lines of stock as typed", () => {
  it("become API lines in base units, blank lines left out, with the unit cost when asked", () => {
    const parsed = parseLines(
      [line("a", "1", "2", "12.40"), line("b", "", "", ""), line("c", "2", "30 pcs", "")],
      ITEMS,
      { withCost: true, currencyDigits: 2 },
    );
    expect(parsed.problems).toEqual({});
    expect(parsed.lines).toEqual([
      { stock_item_id: 1, quantity: 2000, unit_cost: 1240 },
      { stock_item_id: 2, quantity: 30, unit_cost: null },
    ]);
  });

  it("read a recipe's numbers in grams", () => {
    expect(parseLines([line("a", "1", "150")], ITEMS, { base: true }).lines).toEqual([
      { stock_item_id: 1, quantity: 150 },
    ]);
  });

  it("say what is wrong on which line: no item, a bad quantity, a bad cost, an item twice", () => {
    const parsed = parseLines(
      [
        line("a", "", "2"),
        line("b", "1", "1.2345 kg"),
        line("c", "2", "3", "abc"),
        line("d", "1", "1"),
        line("e", "1", "2"),
      ],
      ITEMS,
      { withCost: true },
    );
    expect(Object.keys(parsed.problems)).toEqual(["a", "b", "c", "e"]);
    expect(parsed.problems.a?.item).toMatch(/pick a stock item/i);
    expect(parsed.problems.b?.quantity).toMatch(/3 decimals/);
    expect(parsed.problems.c?.unitCost).toMatch(/amount/);
    expect(parsed.problems.e?.item).toMatch(/another line/);
  });

  it("come back from the appliance as drafts in the unit the form shows", () => {
    const draft = lineDraft({ stock_item_id: 1, quantity: 1250, unit_cost: 1240 }, "g", { currencyDigits: 2 });
    expect([draft.itemId, draft.quantity, draft.unitCost]).toEqual(["1", "1.25", "12.40"]);
    expect(lineDraft({ stock_item_id: 1, quantity: 150 }, "g", { base: true }).quantity).toBe("150");
  });
});
