import { describe, expect, it } from "vitest";
import {
  addToDraft,
  bumpQuantity,
  draftQuantity,
  draftTotal,
  markProblem,
  parseStoredDraft,
  restoreSent,
  takeSent,
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

describe("a round leaving the draft", () => {
  const waterLine = () => addToDraft([], { product_id: water.id, quantity: 2, course: 1 })[0]!;
  const souvlakiLine = () => addToDraft([], { product_id: souvlaki.id, quantity: 1, course: 1, choice_ids: [41] })[0]!;

  it("takes exactly the sent lines and leaves lines added since", () => {
    const sent = [waterLine(), souvlakiLine()];
    const added = addToDraft([], { product_id: halfPortion.id, quantity: 1, course: 2 })[0]!;
    expect(takeSent([...sent, added], sent)).toEqual([added]);
  });

  it("leaves what was added to a sent line after it was taken, not the whole line", () => {
    const sent = [waterLine()];
    const bumped = bumpQuantity(sent, sent[0]!.key, 3);
    expect(takeSent(bumped, sent)).toEqual([{ key: sent[0]!.key, item: { ...sent[0]!.item, quantity: 3 } }]);
  });

  it("keeps a sent line whose modifiers changed since: that is not what was sent", () => {
    const sent = [souvlakiLine()];
    const changed: DraftLine[] = [{ key: sent[0]!.key, item: { ...sent[0]!.item, choice_ids: [42] } }];
    expect(takeSent(changed, sent)).toEqual(changed);
  });

  it("does not take a line that only shares the key of a sent one and was lowered", () => {
    const sent = [waterLine()];
    expect(takeSent(bumpQuantity(sent, sent[0]!.key, -1), sent)).toEqual([]);
  });

  it("puts a refused round back first, in its order, merging twins added meanwhile", () => {
    const sent = [waterLine(), souvlakiLine()];
    let meanwhile: DraftLine[] = addToDraft([], { product_id: halfPortion.id, quantity: 1, course: 2 });
    meanwhile = addToDraft(meanwhile, { product_id: water.id, quantity: 1, course: 1 });
    const back = restoreSent(meanwhile, sent);
    expect(back.map((line) => [line.item.product_id, line.item.quantity])).toEqual([
      [water.id, 3],
      [souvlaki.id, 1],
      [halfPortion.id, 1],
    ]);
    expect(back[0]?.key).toBe(sent[0]?.key);
    expect(new Set(back.map((line) => line.key)).size).toBe(3);
  });
});
