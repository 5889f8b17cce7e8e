import { describe, expect, it } from "vitest";
import {
  addDays,
  describePeriod,
  describeRange,
  hasNext,
  periodFromSearch,
  periodToSearch,
  previousRange,
  rangeDays,
  rangeOf,
  rangeProblem,
  stepPeriod,
  switchKind,
  type Period,
} from "../lib/period";

describe("the days of a period", () => {
  it("is the day itself for a day", () => {
    expect(rangeOf({ kind: "day", date: "2026-03-04" })).toEqual({ from: "2026-03-04", to: "2026-03-04" });
  });

  it("runs Monday to Sunday for a week, whatever day it was picked on", () => {
    // 2026-03-04 is a Wednesday; 2026-03-08 a Sunday; 2026-03-02 a Monday.
    for (const date of ["2026-03-02", "2026-03-04", "2026-03-08"]) {
      expect(rangeOf({ kind: "week", date })).toEqual({ from: "2026-03-02", to: "2026-03-08" });
    }
    // Across a year's end.
    expect(rangeOf({ kind: "week", date: "2027-01-01" })).toEqual({ from: "2026-12-28", to: "2027-01-03" });
  });

  it("is the whole month, February too in a leap year", () => {
    expect(rangeOf({ kind: "month", date: "2026-03-31" })).toEqual({ from: "2026-03-01", to: "2026-03-31" });
    expect(rangeOf({ kind: "month", date: "2028-02-10" })).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(rangeOf({ kind: "month", date: "2026-02-10" })).toEqual({ from: "2026-02-01", to: "2026-02-28" });
  });

  it("is the calendar quarter, and the calendar year", () => {
    expect(rangeOf({ kind: "quarter", date: "2026-02-14" })).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(rangeOf({ kind: "quarter", date: "2026-05-01" })).toEqual({ from: "2026-04-01", to: "2026-06-30" });
    expect(rangeOf({ kind: "quarter", date: "2026-09-30" })).toEqual({ from: "2026-07-01", to: "2026-09-30" });
    expect(rangeOf({ kind: "quarter", date: "2026-11-30" })).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(rangeOf({ kind: "year", date: "2026-07-15" })).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(rangeDays(rangeOf({ kind: "year", date: "2028-07-15" }))).toBe(366);
  });

  it("counts days across a daylight-saving change as whole days", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(rangeDays({ from: "2026-03-01", to: "2026-03-31" })).toBe(31);
    expect(rangeDays({ from: "2026-10-24", to: "2026-10-26" })).toBe(3);
  });
});

describe("the period compared with", () => {
  it("is the same number of days just before, as the appliance compares", () => {
    expect(previousRange({ from: "2026-03-04", to: "2026-03-04" })).toEqual({ from: "2026-03-03", to: "2026-03-03" });
    expect(previousRange({ from: "2026-03-02", to: "2026-03-08" })).toEqual({ from: "2026-02-23", to: "2026-03-01" });
    // March has 31 days: the 31 days before it reach into January.
    expect(previousRange({ from: "2026-03-01", to: "2026-03-31" })).toEqual({ from: "2026-01-29", to: "2026-02-28" });
    expect(previousRange({ from: "2026-01-01", to: "2026-12-31" })).toEqual({ from: "2025-01-01", to: "2025-12-31" });
  });
});

describe("stepping a period", () => {
  it("moves a day or a week by its length", () => {
    expect(stepPeriod({ kind: "day", date: "2026-03-01" }, -1)).toEqual({ kind: "day", date: "2026-02-28" });
    expect(stepPeriod({ kind: "week", date: "2026-03-04" }, 1)).toEqual({ kind: "week", date: "2026-03-09" });
    expect(stepPeriod({ kind: "week", date: "2026-03-04" }, -1)).toEqual({ kind: "week", date: "2026-02-23" });
  });

  it("moves to the whole next or previous month, from any day of it", () => {
    const next = stepPeriod({ kind: "month", date: "2026-01-31" }, 1);
    expect(rangeOf(next)).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(rangeOf(stepPeriod({ kind: "month", date: "2026-01-15" }, -1))).toEqual({
      from: "2025-12-01",
      to: "2025-12-31",
    });
  });

  it("moves quarters and years across a year's end", () => {
    expect(rangeOf(stepPeriod({ kind: "quarter", date: "2026-02-14" }, -1))).toEqual({
      from: "2025-10-01",
      to: "2025-12-31",
    });
    expect(rangeOf(stepPeriod({ kind: "quarter", date: "2026-11-02" }, 1))).toEqual({
      from: "2027-01-01",
      to: "2027-03-31",
    });
    expect(rangeOf(stepPeriod({ kind: "year", date: "2026-06-01" }, -1))).toEqual({
      from: "2025-01-01",
      to: "2025-12-31",
    });
  });

  it("moves a custom range by its own length, and back again", () => {
    const range: Period = { kind: "custom", from: "2026-03-01", to: "2026-03-10" };
    const back = stepPeriod(range, -1);
    expect(back).toEqual({ kind: "custom", from: "2026-02-19", to: "2026-02-28" });
    expect(stepPeriod(back, 1)).toEqual(range);
  });

  it("has no next period once it would start after today", () => {
    expect(hasNext({ kind: "day", date: "2026-03-04" }, "2026-03-04")).toBe(false);
    expect(hasNext({ kind: "day", date: "2026-03-03" }, "2026-03-04")).toBe(true);
    expect(hasNext({ kind: "month", date: "2026-03-04" }, "2026-03-31")).toBe(false);
    expect(hasNext({ kind: "month", date: "2026-02-04" }, "2026-03-01")).toBe(true);
  });
});

describe("switching the kind of period", () => {
  it("keeps today in view when today is on screen", () => {
    expect(switchKind({ kind: "day", date: "2026-03-04" }, "week", "2026-03-04")).toEqual({
      kind: "week",
      date: "2026-03-04",
    });
    expect(switchKind({ kind: "month", date: "2026-03-01" }, "day", "2026-03-04")).toEqual({
      kind: "day",
      date: "2026-03-04",
    });
  });

  it("starts from the first day of a past period, and a custom range from the days on screen", () => {
    expect(switchKind({ kind: "month", date: "2026-01-20" }, "week", "2026-03-04")).toEqual({
      kind: "week",
      date: "2026-01-01",
    });
    expect(switchKind({ kind: "week", date: "2026-03-04" }, "custom", "2026-03-04")).toEqual({
      kind: "custom",
      from: "2026-03-02",
      to: "2026-03-08",
    });
  });
});

describe("the period in the address", () => {
  const today = "2026-03-04";

  it("round-trips every kind of period", () => {
    const periods: Period[] = [
      { kind: "day", date: "2026-03-01" },
      { kind: "week", date: "2026-03-04" },
      { kind: "month", date: "2026-02-01" },
      { kind: "quarter", date: "2025-10-01" },
      { kind: "year", date: "2025-01-01" },
      { kind: "custom", from: "2026-01-10", to: "2026-02-09" },
    ];
    for (const period of periods) expect(periodFromSearch(periodToSearch(period), today)).toEqual(period);
    expect(periodToSearch({ kind: "week", date: "2026-03-04" })).toBe("period=week&date=2026-03-04");
    expect(periodToSearch({ kind: "custom", from: "2026-01-10", to: "2026-02-09" })).toBe(
      "from=2026-01-10&to=2026-02-09",
    );
  });

  it("is today alone when the address names none, and around today without a date", () => {
    expect(periodFromSearch("", today)).toEqual({ kind: "day", date: today });
    expect(periodFromSearch("period=month", today)).toEqual({ kind: "month", date: today });
    expect(periodFromSearch("period=fortnight&date=2026-01-01", today)).toEqual({ kind: "day", date: today });
    expect(periodFromSearch("period=week&date=yesterday", today)).toEqual({ kind: "week", date: today });
  });

  it("ignores a range that is reversed, half given, or longer than the appliance allows", () => {
    expect(periodFromSearch("from=2026-03-10&to=2026-03-01", today)).toEqual({ kind: "day", date: today });
    expect(periodFromSearch("from=2026-03-10", today)).toEqual({ kind: "day", date: today });
    expect(periodFromSearch("from=2025-01-01&to=2026-01-02", today)).toEqual({ kind: "day", date: today });
    expect(periodFromSearch("from=2025-01-01&to=2026-01-01", today)).toEqual({
      kind: "custom",
      from: "2025-01-01",
      to: "2026-01-01",
    });
  });

  it("explains why a custom range cannot be shown", () => {
    expect(rangeProblem("2026-03-01", "")).toBe("Pick both days.");
    expect(rangeProblem("2026-03-02", "2026-03-01")).toBe("The last day is before the first.");
    expect(rangeProblem("2025-01-01", "2026-01-02")).toBe("A period is at most 366 days.");
    expect(rangeProblem("2026-03-01", "2026-03-01")).toBeNull();
  });
});

describe("a period in words", () => {
  // ICU versions differ in commas and thin spaces; the words and numbers are what matter.
  const words = (text: string) => text.replace(/[\s\u2009\u202f]+/g, " ").replace(",", "");

  it("names each kind of period", () => {
    expect(words(describePeriod({ kind: "day", date: "2026-03-04" }))).toBe("Wed 4 Mar 2026");
    expect(words(describePeriod({ kind: "week", date: "2026-03-04" }))).toMatch(/^Week of 2 ?– ?8 Mar 2026$/);
    expect(describePeriod({ kind: "month", date: "2026-03-04" })).toBe("March 2026");
    expect(describePeriod({ kind: "quarter", date: "2026-08-04" })).toBe("Q3 2026");
    expect(describePeriod({ kind: "year", date: "2026-08-04" })).toBe("2026");
    expect(words(describeRange({ from: "2026-02-27", to: "2026-03-04" }))).toBe("27 Feb – 4 Mar 2026");
  });
});
