// The app's own state in localStorage (outbox, order ids, query cache). A phone's storage can be full or
// disabled: callers learn whether a write stuck, because a queued order that only lives in memory is lost
// with the tab.

/** Where the TanStack Query persister keeps the last answers (main.tsx); the first thing to give way. */
export const QUERY_CACHE_KEY = "tavolo.query-cache";

/** The stored JSON value: null when absent or not JSON, undefined when storage itself cannot be read. */
export function readStored(key: string): unknown {
  let raw: string | null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return undefined;
  }
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

/**
 * Store `value` as JSON; false when it could not be stored. With `makeRoom`, a full storage first drops the
 * persisted query cache (a convenience for restarts offline) and tries once more: a waiter's write matters more.
 */
export function writeStored(key: string, value: unknown, { makeRoom = false } = {}): boolean {
  const raw = JSON.stringify(value);
  try {
    localStorage.setItem(key, raw);
    return true;
  } catch {
    if (!makeRoom) return false;
  }
  try {
    localStorage.removeItem(QUERY_CACHE_KEY);
    localStorage.setItem(key, raw);
    return true;
  } catch {
    return false;
  }
}
