import { unwrap } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";

// Polled only while the live event socket is down (lib/live.ts); TanStack pauses it while the app is hidden.
const TABLES_POLL_MS = 5_000;

export function useTables() {
  return useQuery({
    queryKey: ["tables"],
    queryFn: () => unwrap(api.GET("/api/tables/")),
    refetchInterval: usePollInterval(TABLES_POLL_MS),
  });
}

/** Sections change when a manager edits the floor, rarely during service. */
export function useTableGroups() {
  return useQuery({
    queryKey: ["table-groups"],
    queryFn: () => unwrap(api.GET("/api/tables/groups")),
    staleTime: 60_000,
  });
}
