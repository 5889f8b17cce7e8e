// Words for the offline UI, kept apart from the components so they read the same everywhere.
import type { BlockReason, OutboxEntry } from "../../../lib/outbox";

export function changes(count: number): string {
  return count === 1 ? "1 change" : `${count} changes`;
}

/** "45 s", "12 min", "1 h 05": how long the appliance has been out of reach. */
export function offlineFor(since: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")}`;
}

const BLOCKED: Record<BlockReason, string> = {
  "signed-out": "Sent after you log in",
  "other-waiter": "Queued by another waiter: sent when they log in on this phone",
  "after-failed": "Held: an earlier change of this order was refused",
};

export function entryStatus(entry: OutboxEntry, blocked: BlockReason | undefined): string {
  if (entry.state === "failed") {
    // 5xx: the appliance did not refuse it, it kept failing to save it (see MAX_SERVER_ERRORS in lib/outbox).
    if ((entry.error?.status ?? 0) >= 500) {
      return `Not saved after ${entry.attempts} tries: ${entry.error?.detail ?? "the appliance had a problem"}`;
    }
    return `Refused: ${entry.error?.detail ?? "the appliance refused it"}`;
  }
  if (entry.state === "sending") return "Sending…";
  if (blocked) return BLOCKED[blocked];
  return entry.attempts > 0 ? `Waiting to send · tried ${entry.attempts}×` : "Waiting to send";
}
