// Can this phone reach the appliance? Learned from every request (not navigator.onLine: a phone can be on
// Wi-Fi that does not reach the appliance) and re-checked with /api/system/health while it cannot.
import { createStore, useStore } from "./store";

export interface ConnectionState {
  reachable: boolean;
  /** Date.now() of the last change, for "offline for 2 min". */
  since: number;
}

export const connectionStore = createStore<ConnectionState>({ reachable: true, since: Date.now() });

export function reportReachability(reachable: boolean): void {
  if (connectionStore.get().reachable === reachable) return;
  connectionStore.set({ reachable, since: Date.now() });
}

export function useConnection(): ConnectionState {
  return useStore(connectionStore);
}
