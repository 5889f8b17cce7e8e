import { describe, expect, it } from "vitest";
import {
  backupVerdict,
  diskVerdict,
  formatAge,
  formatAgo,
  formatBytes,
  formatUptime,
  GB,
  printerVerdict,
  type PrinterLike,
} from "../lib/health";

const HOUR = 3600;

describe("the disk warning", () => {
  it("stays quiet with plenty of room", () => {
    expect(diskVerdict({ total_bytes: 32 * GB, free_bytes: 20 * GB })).toEqual({ tone: "ok", message: "" });
  });

  it("warns under 10 % free even with more than a gigabyte left", () => {
    const verdict = diskVerdict({ total_bytes: 64 * GB, free_bytes: 6 * GB });
    expect(verdict.tone).toBe("warn");
    expect(verdict.message).toContain("6.0 GB free (9 %)");
  });

  it("warns under 1 GB free even on a small card that is mostly empty", () => {
    expect(diskVerdict({ total_bytes: 1.5 * GB, free_bytes: 0.9 * GB }).tone).toBe("warn");
  });

  it("is not fooled by exactly the thresholds", () => {
    expect(diskVerdict({ total_bytes: 10 * GB, free_bytes: 1 * GB }).tone).toBe("ok");
  });

  it("calls an almost full disk an error: orders may stop saving", () => {
    const verdict = diskVerdict({ total_bytes: 32 * GB, free_bytes: 50 * 1024 ** 2 });
    expect(verdict.tone).toBe("error");
    expect(verdict.message).toContain("New orders may soon fail to save");
  });

  it("treats a disk that reports no size as full rather than fine", () => {
    expect(diskVerdict({ total_bytes: 0, free_bytes: 0 }).tone).toBe("error");
  });
});

describe("the backup warning", () => {
  it("warns when there is no backup at all", () => {
    expect(backupVerdict(null, 24)).toEqual({ tone: "warn", message: "No backup yet. Take one now." });
  });

  it("stays quiet until the newest backup is two intervals old", () => {
    expect(backupVerdict(47 * HOUR, 24).tone).toBe("ok");
    expect(backupVerdict(48 * HOUR, 24).tone).toBe("ok");
    const late = backupVerdict(49 * HOUR, 24);
    expect(late.tone).toBe("warn");
    expect(late.message).toBe("The last backup is 2 days old (backups are due every day).");
  });

  it("follows a shorter interval", () => {
    expect(backupVerdict(13 * HOUR, 6)).toEqual({
      tone: "warn",
      message: "The last backup is 13 h old (backups are due every 6 hours).",
    });
  });

  it("judges against a day when the schedule is off", () => {
    expect(backupVerdict(30 * HOUR, 0).tone).toBe("ok");
    expect(backupVerdict(50 * HOUR, 0).tone).toBe("warn");
  });
});

describe("a printer's state", () => {
  const printer = (overrides: Partial<PrinterLike> = {}): PrinterLike => ({
    is_active: true,
    state: "online",
    paper_near_end: false,
    queue_length: 0,
    ...overrides,
  });

  it.each([
    [printer(), "ok", "Online"],
    [printer({ paper_near_end: true }), "warn", "Online · paper low"],
    [printer({ state: "offline" }), "error", "Offline"],
    [printer({ state: "paper_out" }), "error", "Paper out"],
    [printer({ is_active: false, state: "offline" }), "neutral", "Out of service"],
    [printer({ state: "unknown" }), "neutral", "Not reached yet"],
    [printer({ state: "unknown", queue_length: 3 }), "warn", "Not reached yet"],
  ])("%o reads %s: %s", (value, tone, message) => {
    expect(printerVerdict(value)).toEqual({ tone, message });
  });
});

describe("figures in words", () => {
  it("sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(250 * 1024 ** 2)).toBe("250 MB");
    expect(formatBytes(29.7 * GB)).toBe("29.7 GB");
  });

  it("ages", () => {
    expect(formatAge(30)).toBe("just now");
    expect(formatAge(12 * 60)).toBe("12 min");
    expect(formatAge(5 * HOUR + 59 * 60)).toBe("5 h");
    expect(formatAge(3 * 24 * HOUR)).toBe("3 days");
    expect(formatAgo(30)).toBe("just now");
    expect(formatAgo(12 * 60)).toBe("12 min ago");
  });

  it("uptimes", () => {
    expect(formatUptime(59)).toBe("0 min");
    expect(formatUptime(5 * HOUR + 3 * 60)).toBe("5 h 3 min");
    expect(formatUptime(24 * HOUR + 4 * HOUR)).toBe("1 day 4 h");
    expect(formatUptime(3 * 24 * HOUR)).toBe("3 days 0 h");
  });
});
