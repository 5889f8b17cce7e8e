import type { Table } from "@tavolo/api";
import { useQueryClient } from "@tanstack/react-query";
import { useNow } from "@tavolo/ui";
import { useCallback, useSyncExternalStore } from "react";
import { useAcknowledgeAlert, useAlerts } from "../api/alerts-api";
import { AlertList } from "./alert-list";

/** The floor as last polled (by the tables screen), read from the cache: naming a table costs no request. */
function useCachedTables(): Table[] | undefined {
  const queryClient = useQueryClient();
  const subscribe = useCallback((onChange: () => void) => queryClient.getQueryCache().subscribe(onChange), [queryClient]);
  const read = useCallback(() => queryClient.getQueryData<Table[]>(["tables"]), [queryClient]);
  return useSyncExternalStore(subscribe, read, read);
}

export function AlertBanner() {
  const alerts = useAlerts();
  const acknowledge = useAcknowledgeAlert();
  const tables = useCachedTables();
  const now = useNow(30_000);

  const tableLabel = (orderId: number) => tables?.find((table) => table.order_id === orderId)?.label ?? null;

  return (
    <AlertList
      alerts={alerts.data ?? []}
      onAcknowledge={(alert) => acknowledge.mutate(alert)}
      tableLabel={tableLabel}
      now={now}
    />
  );
}
