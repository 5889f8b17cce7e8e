import { unwrap } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";

// Until live events exist, the floor is polled; TanStack pauses the interval while the app is hidden.
const TABLES_POLL_MS = 5_000;

export function useTables() {
  return useQuery({
    queryKey: ["tables"],
    queryFn: () => unwrap(api.GET("/api/tables/")),
    refetchInterval: TABLES_POLL_MS,
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
