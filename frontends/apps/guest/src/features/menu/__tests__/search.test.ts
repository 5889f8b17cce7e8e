import { describe, expect, it } from "vitest";
import { filterProducts, fold, productMatches } from "../model/search";

const moussaka = { name: "Μουσακάς", name_en: "Moussaka", category_id: 1 };
const souvlaki = { name: "Σουβλάκι", name_en: "Souvlaki", category_id: 1 };
const beer = { name: "Μπύρα", name_en: "Beer", category_id: 2 };
const fava = { name: "Φάβα", name_en: null, category_id: 1 };

describe("menu search", () => {
  it("ignores accents and case in Greek", () => {
    expect(productMatches(moussaka, fold("ΜΟΥΣΑΚΑΣ"))).toBe(true);
    expect(productMatches(moussaka, fold("μουσακας"))).toBe(true);
    expect(productMatches(souvlaki, fold("σουβλακι"))).toBe(true);
  });

  it("treats the final sigma as a sigma", () => {
    expect(productMatches(moussaka, fold("μουσακασ"))).toBe(true);
  });

  it("matches the English name too, whatever the language shown", () => {
    expect(productMatches(souvlaki, fold("SOUV"))).toBe(true);
    expect(productMatches(souvlaki, fold("moussaka"))).toBe(false);
    expect(productMatches(fava, fold("fava"))).toBe(false);
  });

  it("searches the whole menu, not just the chosen category", () => {
    expect(filterProducts([moussaka, souvlaki, beer, fava], "beer", 1)).toEqual([beer]);
  });

  it("shows the chosen category without a query, and everything for no category", () => {
    expect(filterProducts([moussaka, beer], "", 2)).toEqual([beer]);
    expect(filterProducts([moussaka, beer], "  ", null)).toEqual([moussaka, beer]);
  });
});
