// The floor: tables with their live state, sections, and saving the plan. The event socket's snapshot fills
// keys.tables and every table.changed makes it stale; the poll is the fallback while the socket is down.
import { unwrap, type Table } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";
import type { Pos } from "../model/layout";

export function useTables() {
  return useQuery({
    queryKey: keys.tables,
    queryFn: () => unwrap(api.GET("/api/tables/")),
    refetchInterval: usePollInterval(5_000),
  });
}

export function useTableGroups() {
  return useQuery({
    queryKey: keys.tableGroups,
    queryFn: () => unwrap(api.GET("/api/tables/groups")),
    refetchInterval: usePollInterval(60_000),
  });
}

export function useSavePositions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (positions: Map<number, Pos>) =>
      unwrap(
        api.PUT("/api/tables/positions", {
          body: { positions: [...positions].map(([id, pos]) => ({ id, pos_x: pos.x, pos_y: pos.y })) },
        }),
      ),
    // The answer holds the moved tables: the plan shows their new places without waiting for a refetch.
    onSuccess: (saved) =>
      queryClient.setQueryData<Table[]>(keys.tables, (old) => {
        const byId = new Map(saved.map((table) => [table.id, table]));
        return old?.map((table) => byId.get(table.id) ?? table);
      }),
    // Other tablets follow through table.changed; this one refetches as soon as its own save settled.
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.tables }),
  });
}
