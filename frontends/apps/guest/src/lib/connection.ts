// Can the phone reach the appliance? Learned from every request the client makes; while it cannot, the health
// route is asked every few seconds so the banner clears by itself.
import { createStore, useStore } from "@tavolo/ui";

export const connectionStore = createStore<{ reachable: boolean }>({ reachable: true });

const HEALTH_INTERVAL_MS = 3_000;
let timer: ReturnType<typeof setInterval> | null = null;

async function probe(): Promise<void> {
  try {
    const response = await fetch(new URL("/api/system/health", location.origin), {
      cache: "no-store",
      signal: AbortSignal.timeout(2_500),
    });
    if (response.ok) reportReachability(true);
  } catch {
    // still unreachable; the next tick asks again
  }
}

export function reportReachability(reachable: boolean): void {
  if (reachable && timer !== null) {
    clearInterval(timer);
    timer = null;
  }
  if (!reachable && timer === null) timer = setInterval(() => void probe(), HEALTH_INTERVAL_MS);
  if (connectionStore.get().reachable !== reachable) connectionStore.set({ reachable });
}

export function useReachable(): boolean {
  return useStore(connectionStore).reachable;
}
