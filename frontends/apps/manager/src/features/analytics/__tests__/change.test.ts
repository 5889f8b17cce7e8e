import { describe, expect, it } from "vitest";
import { changePercent, describeChange } from "../lib/change";

describe("a change against the previous period", () => {
  it("is a percentage of the previous value, to one decimal, and none from nothing", () => {
    expect(changePercent(1250, 1000)).toBe(25);
    expect(changePercent(1000, 1200)).toBe(-16.7);
    expect(changePercent(-50, -100)).toBe(50);
    expect(changePercent(300, 0)).toBeNull();
  });

  it("shows an arrow and the percentage without a sign, and says it in words", () => {
    expect(describeChange(1250, 1000)).toEqual({
      trend: "up",
      arrow: "▲",
      percent: "25%",
      words: "up 25% on the previous period",
      tone: "good",
    });
    const down = describeChange(1000, 1200);
    expect([down.arrow, down.percent, down.words, down.tone]).toEqual([
      "▼",
      "16.7%",
      "down 16.7% on the previous period",
      "bad",
    ]);
  });

  it("takes the appliance's percentage when it sent one", () => {
    expect(describeChange(2, 1, { percent: 100 }).percent).toBe("100%");
    expect(describeChange(5, 0, { percent: null })).toMatchObject({ arrow: "▲", percent: "new", trend: "up" });
  });

  it("is neither up nor down when nothing changed, even from nothing", () => {
    expect(describeChange(0, 0)).toMatchObject({ trend: "flat", arrow: "", percent: "0%", tone: "neutral" });
    expect(describeChange(700, 700).words).toBe("unchanged on the previous period");
  });

  it("is good news going down for what should go down, and neither for what has no better way", () => {
    expect(describeChange(300, 500, { better: "down" }).tone).toBe("good");
    expect(describeChange(500, 300, { better: "down" }).tone).toBe("bad");
    expect(describeChange(500, 300, { better: "either" }).tone).toBe("neutral");
  });
});
