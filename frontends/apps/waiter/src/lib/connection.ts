// Can this phone reach the appliance? Learned from every request (not navigator.onLine: a phone can be on
// Wi-Fi that does not reach the appliance) and re-checked with /api/system/health while it cannot.
import { createStore, useStore } from "./store";

export interface ConnectionState {
  reachable: boolean;
  /** Date.now() of the last change, for "offline for 2 min". */
  since: number;
}

/** How often the health check runs while the appliance cannot be reached. */
export const HEALTH_INTERVAL_MS = 3_000;
// Shorter than the interval so checks never pile up; the health route answers in milliseconds on the LAN.
const HEALTH_TIMEOUT_MS = 2_500;

// When the appliance was last lost, kept across a reload or an app restart so "offline for" stays true.
const OFFLINE_SINCE_KEY = "tavolo.offline-since";

function storedOfflineSince(): number | null {
  try {
    const since = Number(localStorage.getItem(OFFLINE_SINCE_KEY));
    return since > 0 && since <= Date.now() ? since : null;
  } catch {
    return null;
  }
}

function storeOfflineSince(since: number | null): void {
  try {
    if (since === null) localStorage.removeItem(OFFLINE_SINCE_KEY);
    else localStorage.setItem(OFFLINE_SINCE_KEY, String(since));
  } catch {
    // Only the "offline for" label suffers.
  }
}

// navigator.onLine === false is trustworthy ("no network at all"); true says nothing about the appliance.
const startsOffline = typeof navigator !== "undefined" && navigator.onLine === false;
// An outage start is stored until the health check answers again (a cached menu answer does not count).
let outageStored = storedOfflineSince() !== null;

export const connectionStore = createStore<ConnectionState>({
  reachable: !startsOffline,
  since: (startsOffline && storedOfflineSince()) || Date.now(),
});

let pollTimer: ReturnType<typeof setInterval> | null = null;
let probing: Promise<boolean> | null = null;

function setReachable(reachable: boolean): void {
  if (reachable) {
    stopPolling();
    if (outageStored) storeOfflineSince(null);
    outageStored = false;
  } else {
    startPolling();
  }
  if (connectionStore.get().reachable === reachable) return;
  const since = (!reachable && storedOfflineSince()) || Date.now();
  if (!reachable) {
    storeOfflineSince(since);
    outageStored = true;
  }
  connectionStore.set({ reachable, since });
}

/** Told by the app's client after each request: false when it could not reach the appliance. */
export function reportReachability(reachable: boolean): void {
  if (!reachable) {
    setReachable(false);
    return;
  }
  // An answer while offline may come from the service worker's menu cache, not the appliance: the health
  // check (never cached) confirms the way back, so the banner does not flicker and replay is not started early.
  if (!connectionStore.get().reachable) void checkConnection();
}

/**
 * Ask /api/system/health now: true (and reachable) when the appliance answers. Plain fetch on purpose: the
 * app's client would refresh tokens and report reachability itself.
 */
export function checkConnection(): Promise<boolean> {
  probing ??= (async () => {
    try {
      const response = await fetch(new URL("/api/system/health", location.origin), {
        cache: "no-store",
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      });
      if (response.ok) setReachable(true);
      return response.ok;
    } catch {
      return false;
    }
  })().finally(() => {
    probing = null;
  });
  return probing;
}

function startPolling(): void {
  pollTimer ??= setInterval(() => void checkConnection(), HEALTH_INTERVAL_MS);
}

function stopPolling(): void {
  if (pollTimer !== null) clearInterval(pollTimer);
  pollTimer = null;
}

if (startsOffline) startPolling();
// The app starts after an outage it never saw end: ask at once, so the banner and "offline for" are right.
else if (outageStored) {
  void checkConnection().then((answered) => {
    if (!answered) setReachable(false);
  });
}

if (typeof window !== "undefined") {
  // The browser's network events are hints only: "offline" is certain, "online" still needs the appliance.
  window.addEventListener("offline", () => setReachable(false));
  window.addEventListener("online", () => void checkConnection());
  // A phone freezes timers of a hidden tab; check as soon as the waiter looks at it again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !connectionStore.get().reachable) void checkConnection();
  });
}

export function useConnection(): ConnectionState {
  return useStore(connectionStore);
}
