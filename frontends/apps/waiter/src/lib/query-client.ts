// The app's TanStack Query client and what ties it to the session. Kept out of main.tsx so it can be tested.
import { NetworkError } from "@tavolo/api";
import { QueryClient } from "@tanstack/react-query";
import type { Persister } from "@tanstack/react-query-persist-client";
import { onSessionReset } from "./session";

/** As long as the persisted cache lives: a query nobody watches must not be dropped before it is saved. */
export const QUERY_CACHE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Always try the appliance (navigator.onLine says nothing about the restaurant LAN) and keep showing
        // the last data when it cannot be reached.
        networkMode: "always",
        retry: (failures, error) => !(error instanceof NetworkError) && failures < 1,
        staleTime: 2_000,
        // The default 5 min would garbage-collect (and so un-persist) the tables of a screen left a while ago:
        // after a restart offline they would be gone.
        gcTime: QUERY_CACHE_MAX_AGE_MS,
      },
      mutations: { networkMode: "always", retry: false },
    },
  });
}

/**
 * Forget every cached answer, in memory and persisted, when the session was taken away or another user signed
 * in: one waiter's phone must not show the last one's data. Returns the unsubscribe.
 */
export function clearCachesOnSessionReset(queryClient: QueryClient, persister: Persister): () => void {
  return onSessionReset(() => {
    queryClient.clear();
    void Promise.resolve(persister.removeClient()).catch((error: unknown) =>
      console.warn("persisted query cache not removed", error),
    );
  });
}
