import { describe, expect, it } from "vitest";
import { formatElapsed } from "../time";

describe("formatElapsed", () => {
  const now = Date.parse("2025-05-01T21:00:00Z");

  it("says now for under a minute", () => {
    expect(formatElapsed("2025-05-01T20:59:30Z", now)).toBe("now");
  });

  it("counts minutes, then hours and minutes", () => {
    expect(formatElapsed("2025-05-01T20:48:00Z", now)).toBe("12 min");
    expect(formatElapsed("2025-05-01T19:55:00Z", now)).toBe("1 h 05");
  });

  it("never goes negative when the phone's clock is behind", () => {
    expect(formatElapsed("2025-05-01T21:03:00Z", now)).toBe("now");
  });
});
