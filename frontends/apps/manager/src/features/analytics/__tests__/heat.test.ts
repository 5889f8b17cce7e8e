import { describe, expect, it } from "vitest";
import { heatColor, heatLegend, heatLevel } from "../lib/heat";

describe("the heat map's colour scale", () => {
  it("puts nothing at level 0 and the busiest cell at the top level", () => {
    expect(heatLevel(0, 40)).toBe(0);
    expect(heatLevel(-5, 40)).toBe(0);
    expect(heatLevel(40, 40)).toBe(5);
    expect(heatLevel(3, 0)).toBe(0);
  });

  it("splits the range into equal steps, the smallest positive value at least level 1", () => {
    expect([1, 8, 9, 16, 17, 24, 25, 32, 33, 40].map((v) => heatLevel(v, 40))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(heatLevel(1, 1_000_000)).toBe(1);
  });

  it("has a legend whose steps hold exactly the whole values heatLevel puts in them", () => {
    for (const max of [1, 2, 3, 7, 40, 123]) {
      const steps = heatLegend(max);
      expect(steps[0]).toEqual({ level: 0, from: 0, to: 0 });
      for (const step of steps.slice(1)) {
        expect(heatLevel(step.from, max)).toBe(step.level);
        expect(heatLevel(step.to, max)).toBe(step.level);
        expect(heatLevel(step.from - 1, max)).toBeLessThan(step.level);
      }
      // Together the steps cover 1..max without a gap.
      expect(steps.slice(1).reduce((n, step) => n + step.to - step.from + 1, 0)).toBe(max);
      expect(steps.at(-1)?.to).toBe(max);
    }
    expect(heatLegend(40).map((s) => [s.from, s.to])).toEqual([
      [0, 0],
      [1, 8],
      [9, 16],
      [17, 24],
      [25, 32],
      [33, 40],
    ]);
    expect(heatLegend(0)).toHaveLength(1);
  });

  it("darkens with each level, from the empty colour", () => {
    expect(heatColor(0)).toBe("var(--color-surface-2)");
    const shares = [1, 2, 3, 4, 5].map((level) => Number(/ (\d+)%/.exec(heatColor(level))?.[1]));
    expect(shares).toEqual([20, 40, 60, 80, 100]);
  });
});
