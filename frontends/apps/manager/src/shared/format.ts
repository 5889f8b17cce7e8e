// Dates and times as the restaurant reads them: on its own clock (the site timezone), not the tablet's. A zone
// this browser does not know falls back to the tablet's own: some time beats no time at all.

/** Today's business day (YYYY-MM-DD) in `timeZone`; the tablet's own day while the site's zone is unknown. */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      now,
    );
  } catch {
    return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  }
}

export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** A business day (YYYY-MM-DD) in words; it names a date, not a moment, so no zone applies. */
export function formatDay(day: string): string {
  const moment = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(moment.getTime())) return day;
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeZone: "UTC" }).format(moment);
}

export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return "—";
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(moment);
  } catch {
    return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" }).format(moment);
  }
}

const clocks = new Map<string, Intl.DateTimeFormat>();

function clock(timeZone: string | undefined, withDay: boolean): Intl.DateTimeFormat {
  const key = `${timeZone ?? ""}|${withDay}`;
  let found = clocks.get(key);
  if (!found) {
    const options: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (withDay) options.weekday = "short";
    try {
      found = new Intl.DateTimeFormat(undefined, { ...options, timeZone });
    } catch {
      found = new Intl.DateTimeFormat(undefined, options);
    }
    clocks.set(key, found);
  }
  return found;
}

/** A clock time: "20:14", or "Tue 20:14" when it is not within the day around `now`. */
export function formatClock(iso: string, timeZone?: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const sameDay = Math.abs(now - at) < 20 * 3_600_000;
  return clock(timeZone, !sameDay).format(at);
}
