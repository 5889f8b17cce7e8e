// Whether the last request reached the cloud, for the banner under the header. Queries refetch every 30 s, so
// the banner goes away on its own once the cloud answers again.
import { createStore, useStore } from "@tavolo/ui";

const reachableStore = createStore(true);

export function reportReachability(reachable: boolean): void {
  reachableStore.set(reachable);
}

export function useReachable(): boolean {
  return useStore(reachableStore);
}
