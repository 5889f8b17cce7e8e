// Times for the panel. The cloud stores and sends UTC; moments (heartbeats, locks) show in the browser's time
// zone, while a paid-through date is a calendar day in UTC, the way the cloud counts it.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const utcDate = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function parse(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : time;
}

/** "12 Mar 2027, 14:05" in the browser's time zone; "—" for nothing. */
export function formatDateTime(iso: string | null | undefined): string {
  const time = parse(iso);
  return time === null ? "—" : dateTime.format(time);
}

/** A paid-through date: the UTC calendar day ("31 Jan 2027"). */
export function formatPaidThrough(iso: string | null | undefined): string {
  const time = parse(iso);
  return time === null ? "—" : utcDate.format(time);
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "5 minutes ago", "in 3 days", "now"; "never" for nothing. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  const time = parse(iso);
  if (time === null) return "never";
  let amount = (time - now) / 1000;
  if (Math.abs(amount) < 45) return "just now";
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return relative.format(Math.round(amount), "year");
}

/** An uptime: "3 d 4 h", "5 h 12 min", "42 min", "30 s". */
export function formatUptime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${s} s`;
}

/** The value of an <input type="date"> for a paid-through time: its UTC day, "2027-01-31". */
export function toDateInput(iso: string | null | undefined): string {
  const time = parse(iso);
  return time === null ? "" : new Date(time).toISOString().slice(0, 10);
}

/**
 * A paid-through day from an <input type="date"> as the time the cloud stores: the end of that day in UTC, so
 * "paid through 31 Jan" covers all of 31 Jan. Null when the field does not hold a date.
 */
export function fromDateInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const time = Date.parse(`${value}T23:59:59Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString().replace(".000Z", "Z");
}
