import { useQuery } from "@tanstack/react-query";
import { alertKeys, REFRESH_MS } from "../../../lib/query-keys";
import { fetchAlerts } from "../api/alerts-api";

export function useAlerts() {
  return useQuery({ queryKey: alertKeys.all, queryFn: ({ signal }) => fetchAlerts(signal), refetchInterval: REFRESH_MS });
}
