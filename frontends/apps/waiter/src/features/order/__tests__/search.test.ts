import { describe, expect, it } from "vitest";
import { fold, productMatches } from "../model/search";
import { halfPortion, souvlaki } from "./menu-data";

describe("menu search", () => {
  it("ignores accents and case in Greek", () => {
    expect(productMatches(halfPortion, fold("ΜΟΥΣΑΚΑΣ"))).toBe(true);
    expect(productMatches(halfPortion, fold("μουσακας"))).toBe(true);
    expect(productMatches(souvlaki, fold("σουβλακι"))).toBe(true);
  });

  it("matches the English name too", () => {
    expect(productMatches(souvlaki, fold("souv"))).toBe(true);
    expect(productMatches(souvlaki, fold("moussaka"))).toBe(false);
  });

  it("treats the final sigma as a sigma", () => {
    expect(fold("Μουσακάς")).toBe(fold("ΜΟΥΣΑΚΑΣ"));
  });
});
