// The period the analytics look at: a day, week (Monday to Sunday), month, quarter or year around a date, or any
// range of business days; always compared with the same number of days just before it, as the appliance does.
// Days are "YYYY-MM-DD" strings of the site's calendar, computed on UTC dates so no tablet zone or DST shifts them.
// The period lives in the address (?period=week&date=… or ?from=…&to=…), so a view can be linked and "back" works.
import { isDay } from "../../../shared/format";

export const PERIOD_KINDS = ["day", "week", "month", "quarter", "year"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export type Period = { kind: PeriodKind; date: string } | { kind: "custom"; from: string; to: string };

/** Business days `from`..`to`, both included. */
export interface Range {
  from: string;
  to: string;
}

/** The appliance refuses longer periods. */
export const MAX_DAYS = 366;

const DAY_MS = 86_400_000;

function utc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first of the month `months` after the month of `day` (negative: before). */
function monthStart(day: string, months = 0): Date {
  const date = utc(day);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
}

export function addDays(day: string, days: number): string {
  return iso(new Date(utc(day).getTime() + days * DAY_MS));
}

/** How many days the range holds, both ends included. */
export function rangeDays(range: Range): number {
  return Math.round((utc(range.to).getTime() - utc(range.from).getTime()) / DAY_MS) + 1;
}

export function rangeOf(period: Period): Range {
  if (period.kind === "custom") return { from: period.from, to: period.to };
  const { date } = period;
  const at = utc(date);
  switch (period.kind) {
    case "day":
      return { from: date, to: date };
    case "week": {
      const monday = addDays(date, -((at.getUTCDay() + 6) % 7));
      return { from: monday, to: addDays(monday, 6) };
    }
    case "month":
      return { from: iso(monthStart(date)), to: addDays(iso(monthStart(date, 1)), -1) };
    case "quarter": {
      const first = new Date(Date.UTC(at.getUTCFullYear(), Math.floor(at.getUTCMonth() / 3) * 3, 1));
      return { from: iso(first), to: addDays(iso(monthStart(iso(first), 3)), -1) };
    }
    case "year":
      return { from: `${date.slice(0, 4)}-01-01`, to: `${date.slice(0, 4)}-12-31` };
  }
}

/** The same number of days immediately before the range: what every figure is compared with. */
export function previousRange(range: Range): Range {
  const days = rangeDays(range);
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

/** The period after (1) or before (-1): the next month is all of it, whatever day the current one was picked on. */
export function stepPeriod(period: Period, direction: 1 | -1): Period {
  if (period.kind === "custom") {
    const days = rangeDays(period) * direction;
    return { kind: "custom", from: addDays(period.from, days), to: addDays(period.to, days) };
  }
  const { from } = rangeOf(period);
  const months = { month: 1, quarter: 3, year: 12 } as const;
  switch (period.kind) {
    case "day":
      return { kind: "day", date: addDays(from, direction) };
    case "week":
      return { kind: "week", date: addDays(from, 7 * direction) };
    default:
      return { kind: period.kind, date: iso(monthStart(from, months[period.kind] * direction)) };
  }
}

export function containsDay(range: Range, day: string): boolean {
  return range.from <= day && day <= range.to;
}

/** Whether the next period has begun by `today` (a period wholly in the future has nothing to show). */
export function hasNext(period: Period, today: string): boolean {
  return rangeOf(stepPeriod(period, 1)).from <= today;
}

/**
 * Another kind of period around what is on screen: around today when today is in it (Day → Week keeps this
 * week), else around its first day; Custom starts from the range on screen.
 */
export function switchKind(period: Period, kind: PeriodKind | "custom", today: string): Period {
  const range = rangeOf(period);
  if (kind === "custom") return { kind: "custom", ...range };
  return { kind, date: containsDay(range, today) ? today : range.from };
}

/** Why a custom range cannot be shown, or null when it can. */
export function rangeProblem(from: string, to: string): string | null {
  if (!isDay(from) || !isDay(to)) return "Pick both days.";
  if (to < from) return "The last day is before the first.";
  if (rangeDays({ from, to }) > MAX_DAYS) return `A period is at most ${MAX_DAYS} days.`;
  return null;
}

function isKind(value: string | null): value is PeriodKind {
  return (PERIOD_KINDS as readonly (string | null)[]).includes(value);
}

/** The period an address asks for; today alone when it asks for nothing usable. */
export function periodFromSearch(search: URLSearchParams | string, today: string): Period {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const from = params.get("from");
  const to = params.get("to");
  if (from !== null && to !== null && rangeProblem(from, to) === null) return { kind: "custom", from, to };
  const kind = params.get("period");
  if (isKind(kind)) {
    const date = params.get("date");
    return { kind, date: date !== null && isDay(date) ? date : today };
  }
  return { kind: "day", date: today };
}

/** The query (without "?") that gives `period` back through periodFromSearch. */
export function periodToSearch(period: Period): string {
  const params =
    period.kind === "custom"
      ? new URLSearchParams({ from: period.from, to: period.to })
      : new URLSearchParams({ period: period.kind, date: period.date });
  return params.toString();
}

const DAY_FORMAT = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const SHORT_FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const MONTH_FORMAT = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** "2–8 Mar 2026", "28 Feb – 6 Mar 2026", or one day when the range is one. */
export function describeRange(range: Range): string {
  if (range.from === range.to) return DAY_FORMAT.format(utc(range.from));
  return SHORT_FORMAT.formatRange(utc(range.from), utc(range.to));
}

/** The period in words: "Wed, 4 Mar 2026", "Week of 2–8 Mar 2026", "March 2026", "Q1 2026", "2026". */
export function describePeriod(period: Period): string {
  const range = rangeOf(period);
  switch (period.kind) {
    case "day":
      return DAY_FORMAT.format(utc(range.from));
    case "week":
      return `Week of ${describeRange(range)}`;
    case "month":
      return MONTH_FORMAT.format(utc(range.from));
    case "quarter":
      return `Q${Math.floor(utc(range.from).getUTCMonth() / 3) + 1} ${range.from.slice(0, 4)}`;
    case "year":
      return range.from.slice(0, 4);
    case "custom":
      return describeRange(range);
  }
}
