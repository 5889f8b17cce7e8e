// The judgements of the System screen, kept apart from the components so the thresholds are tested on their own:
// when the disk is too full, when the last backup is too old, how a printer is doing. Sizes in bytes, ages in s.

export type Tone = "ok" | "warn" | "error" | "neutral";

export interface Verdict {
  tone: Tone;
  /** One line for the manager; empty when all is well. */
  message: string;
}

const OK: Verdict = { tone: "ok", message: "" };

export const GB = 1024 ** 3;
const MB = 1024 ** 2;
// The brief a technician gets: under 10 % or 1 GB free, clear space soon. Under 1 % or 100 MB the database can
// no longer grow through a rush (SQLite refuses writes on a full disk), so the restaurant must act now.
export const DISK_WARN_FRACTION = 0.1;
export const DISK_WARN_BYTES = GB;
const DISK_CRITICAL_FRACTION = 0.01;
const DISK_CRITICAL_BYTES = 100 * MB;
// Backups are judged against a day when the schedule is off (BACKUP_INTERVAL_HOURS=0).
const DEFAULT_INTERVAL_HOURS = 24;

export function diskVerdict(disk: { total_bytes: number; free_bytes: number }): Verdict {
  const fraction = disk.total_bytes > 0 ? disk.free_bytes / disk.total_bytes : 0;
  const free = `${formatBytes(disk.free_bytes)} free (${formatPercent(fraction)})`;
  if (disk.free_bytes < DISK_CRITICAL_BYTES || fraction < DISK_CRITICAL_FRACTION) {
    return { tone: "error", message: `The disk is almost full: ${free}. New orders may soon fail to save.` };
  }
  if (disk.free_bytes < DISK_WARN_BYTES || fraction < DISK_WARN_FRACTION) {
    return { tone: "warn", message: `The disk is getting full: ${free}. Free some space or use a larger card.` };
  }
  return OK;
}

/** The newest backup against the schedule: none at all, or older than two intervals, is a warning. */
export function backupVerdict(ageSeconds: number | null | undefined, intervalHours: number): Verdict {
  const interval = (intervalHours > 0 ? intervalHours : DEFAULT_INTERVAL_HOURS) * 3600;
  if (ageSeconds === null || ageSeconds === undefined) {
    return { tone: "warn", message: "No backup yet. Take one now." };
  }
  if (ageSeconds > 2 * interval) {
    return {
      tone: "warn",
      message: `The last backup is ${formatAge(ageSeconds)} old (backups are due every ${formatHours(interval / 3600)}).`,
    };
  }
  return OK;
}

export interface PrinterLike {
  is_active: boolean;
  state: string;
  paper_near_end: boolean | null;
  queue_length: number;
}

/** A printer's state in words and colour (never colour alone). */
export function printerVerdict(printer: PrinterLike): Verdict {
  if (!printer.is_active || printer.state === "inactive") return { tone: "neutral", message: "Out of service" };
  switch (printer.state) {
    case "online":
      return printer.paper_near_end ? { tone: "warn", message: "Online · paper low" } : { tone: "ok", message: "Online" };
    case "paper_out":
      return { tone: "error", message: "Paper out" };
    case "offline":
      return { tone: "error", message: "Offline" };
    default:
      return { tone: printer.queue_length > 0 ? "warn" : "neutral", message: "Not reached yet" };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  return `${percent > 0 && percent < 1 ? percent.toFixed(1) : Math.round(percent)} %`;
}

/** How long ago, coarsely: "just now", "12 min", "5 h", "3 days". */
export function formatAge(seconds: number): string {
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/** "just now", "12 min ago". */
export function formatAgo(seconds: number): string {
  const age = formatAge(seconds);
  return seconds < 60 ? age : `${age} ago`;
}

/** Time up: "12 min", "5 h 3 min", "3 days 4 h". */
export function formatUptime(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? "day" : "days"} ${hours % 24} h`;
}

export function formatHours(hours: number): string {
  if (hours % 24 === 0) return hours === 24 ? "day" : `${hours / 24} days`;
  return hours === 1 ? "hour" : `${hours} hours`;
}
