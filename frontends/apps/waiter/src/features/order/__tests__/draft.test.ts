import { describe, expect, it } from "vitest";
import {
  addToDraft,
  bumpQuantity,
  draftQuantity,
  draftTotal,
  markProblem,
  parseStoredDraft,
  type DraftLine,
} from "../model/draft";
import { estimateUnitPrice } from "../model/pricing";
import { halfPortion, products, souvlaki, water } from "./menu-data";

const index = new Map(products.map((p) => [p.id, p]));

describe("the draft", () => {
  it("adds the same plain product to one line", () => {
    let lines: DraftLine[] = [];
    lines = addToDraft(lines, { product_id: water.id, quantity: 1, course: 1 });
    lines = addToDraft(lines, { product_id: water.id, quantity: 2, course: 1 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.item.quantity).toBe(3);
  });

  it("keeps lines with different modifiers apart", () => {
    let lines: DraftLine[] = [];
    lines = addToDraft(lines, { product_id: souvlaki.id, quantity: 1, course: 1, choice_ids: [41] });
    lines = addToDraft(lines, { product_id: souvlaki.id, quantity: 1, course: 1, choice_ids: [42] });
    lines = addToDraft(lines, { product_id: souvlaki.id, quantity: 1, course: 2, choice_ids: [41] });
    expect(lines).toHaveLength(3);
  });

  it("totals base prices, extras and choices times quantities", () => {
    let lines: DraftLine[] = [];
    lines = addToDraft(lines, { product_id: water.id, quantity: 3, course: 1 });
    // 350 + 50 (extra pita) + 30 (chicken) = 430, twice
    lines = addToDraft(lines, { product_id: souvlaki.id, quantity: 2, course: 1, option_ids: [11], choice_ids: [42] });
    expect(draftQuantity(lines)).toBe(5);
    expect(draftTotal(lines, index)).toBe(3 * 100 + 2 * 430);
  });

  it("never prices a line below zero, like the appliance", () => {
    expect(estimateUnitPrice(halfPortion, { choice_ids: [44] })).toBe(0);
  });

  it("counts a product missing from the menu as nothing", () => {
    const lines = addToDraft([], { product_id: 999, quantity: 1, course: 1 });
    expect(draftTotal(lines, index)).toBe(0);
  });

  it("removes a line whose quantity goes below one", () => {
    const lines = addToDraft([], { product_id: water.id, quantity: 1, course: 1 });
    expect(bumpQuantity(lines, lines[0]!.key, -1)).toEqual([]);
  });

  it("marks the line the appliance named in its refusal", () => {
    let lines: DraftLine[] = [];
    lines = addToDraft(lines, { product_id: water.id, quantity: 1, course: 1 });
    lines = addToDraft(lines, { product_id: halfPortion.id, quantity: 1, course: 1 });
    const marked = markProblem(lines, "items[1]: Μουσακάς is not available");
    expect(marked[0]?.problem).toBeUndefined();
    expect(marked[1]?.problem).toBe("Μουσακάς is not available");
  });

  it("survives a round trip through storage and drops what it cannot read", () => {
    const lines = addToDraft([], { product_id: water.id, quantity: 2, course: 1, note: "  cold " });
    const restored = parseStoredDraft(JSON.stringify([...lines, { key: 5 }, null]));
    expect(restored).toEqual(lines);
    expect(restored[0]?.item.note).toBe("cold");
    expect(parseStoredDraft("{not json")).toEqual([]);
  });
});

describe("the stored draft of an order opened offline", () => {
  it("moves to the real order id once it is known", async () => {
    const { draftStore, moveDraft, resetDraftStores } = await import("../hooks/use-draft");
    localStorage.clear();
    resetDraftStores();
    draftStore("tmp-1").set(addToDraft([], { product_id: water.id, quantity: 1, course: 1 }));
    moveDraft("tmp-1", "9");
    expect(draftStore("tmp-1").get()).toEqual([]);
    expect(localStorage.getItem("tavolo.draft.tmp-1")).toBeNull();
    expect(parseStoredDraft(localStorage.getItem("tavolo.draft.9"))).toHaveLength(1);
  });
});
