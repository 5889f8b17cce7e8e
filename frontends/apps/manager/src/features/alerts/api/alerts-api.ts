// What needs the manager's attention: open printer alerts, failed tickets, stock running low and the license.
// Pushed changes (printer.*, inventory.low_stock, license.changed) invalidate these while the event socket is up;
// they poll while it is not.
import { unwrap } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";

export function useOpenAlerts() {
  return useQuery({
    queryKey: keys.alerts,
    queryFn: () => unwrap(api.GET("/api/printers/alerts")),
    refetchInterval: usePollInterval(10_000),
  });
}

export function useFailedJobs() {
  return useQuery({
    queryKey: [...keys.printJobs, "failed"],
    queryFn: () => unwrap(api.GET("/api/printers/jobs", { params: { query: { status: "failed", limit: 100 } } })),
    refetchInterval: usePollInterval(15_000),
  });
}

/** Active stock items at or below their critical level. */
export function useLowStock() {
  return useQuery({
    queryKey: keys.lowStock,
    queryFn: () => unwrap(api.GET("/api/inventory/alerts")),
    // Stock also climbs back through another tablet's delivery, which has no event of its own: a slow look too.
    refetchInterval: usePollInterval(30_000) || 120_000,
  });
}
