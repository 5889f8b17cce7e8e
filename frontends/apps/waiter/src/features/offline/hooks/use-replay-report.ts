// What the banner says around a connection drop: offline, then catching up (replaying the queue), then a short
// "Back online · N sent". Tracked outside React so the count is right even while no banner is mounted.
import { connectionStore } from "../../../lib/connection";
import { blockedEntries, onSettled, outboxStore } from "../../../lib/outbox";
import { createStore, useStore } from "../../../lib/store";

export type ReplayPhase = "online" | "offline" | "catching-up" | "back";

export interface ReplayReport {
  phase: ReplayPhase;
  /** Writes the appliance accepted since the connection dropped. */
  sent: number;
}

const BACK_SHOWN_MS = 4_000;

/** Every entry has gone out, failed, or waits for something the connection cannot fix (a discard, a login). */
function caughtUp(): boolean {
  const entries = outboxStore.get();
  const blocked = blockedEntries(entries);
  return entries.every((entry) => entry.state === "failed" || blocked.has(entry.id));
}

const report = createStore<ReplayReport>({
  phase: !connectionStore.get().reachable ? "offline" : caughtUp() ? "online" : "catching-up",
  sent: 0,
});
let backTimer: ReturnType<typeof setTimeout> | null = null;

function update(): void {
  const { phase, sent } = report.get();
  if (!connectionStore.get().reachable) {
    if (phase === "offline") return;
    if (backTimer !== null) clearTimeout(backTimer);
    backTimer = null;
    // A drop in the middle of catching up is the same outage: keep counting.
    report.set({ phase: "offline", sent: phase === "catching-up" ? sent : 0 });
    return;
  }
  if (phase === "offline" || phase === "catching-up") {
    if (!caughtUp()) {
      if (phase === "offline") report.set({ phase: "catching-up", sent });
      return;
    }
    report.set({ phase: "back", sent });
    backTimer = setTimeout(() => {
      backTimer = null;
      report.set({ phase: "online", sent: 0 });
    }, BACK_SHOWN_MS);
  }
}

connectionStore.subscribe(update);
outboxStore.subscribe(update);
// Listeners run right after the entry left the queue, which may already have moved the phase to "back".
onSettled(() => {
  const current = report.get();
  if (current.phase !== "online") report.set({ ...current, sent: current.sent + 1 });
});

export function useReplayReport(): ReplayReport {
  return useStore(report);
}
