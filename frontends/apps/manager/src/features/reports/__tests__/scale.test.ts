import { describe, expect, it } from "vitest";
import { barLength, niceScale } from "../lib/scale";

describe("the value axis", () => {
  it("rounds the top up to a number people read at a glance", () => {
    expect(niceScale(2300)).toEqual({ max: 3000, ticks: [0, 1000, 2000, 3000] });
    expect(niceScale(10_000)).toEqual({ max: 10_000, ticks: [0, 2500, 5000, 7500, 10_000] });
    expect(niceScale(7)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8] });
  });

  it("keeps whole ticks for small counts and never a step of 2.5", () => {
    expect(niceScale(10).ticks).toEqual([0, 5, 10]);
    expect(niceScale(3).ticks).toEqual([0, 1, 2, 3]);
    expect(niceScale(1).ticks).toEqual([0, 1]);
    for (const max of [1, 3, 9, 10, 11, 99, 101, 1234, 98_765]) {
      const scale = niceScale(max);
      expect(scale.max).toBeGreaterThanOrEqual(max);
      expect(scale.ticks.every(Number.isInteger)).toBe(true);
      expect(scale.ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it("draws an axis for an empty chart", () => {
    expect(niceScale(0)).toEqual({ max: 4, ticks: [0, 1, 2, 3, 4] });
  });

  it("gives bars lengths in proportion, and none to zero or a negative", () => {
    const scale = niceScale(2000);
    expect(barLength(2000, scale, 200)).toBe(200);
    expect(barLength(500, scale, 200)).toBe(50);
    expect(barLength(0, scale, 200)).toBe(0);
    expect(barLength(-300, scale, 200)).toBe(0);
  });
});
