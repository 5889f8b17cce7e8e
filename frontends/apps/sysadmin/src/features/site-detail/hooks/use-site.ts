import { useQuery } from "@tanstack/react-query";
import { REFRESH_MS, siteKeys } from "../../../lib/query-keys";
import { fetchSite } from "../api/site-api";

export function useSite(siteId: string) {
  return useQuery({
    queryKey: siteKeys.detail(siteId),
    queryFn: ({ signal }) => fetchSite(siteId, signal),
    refetchInterval: REFRESH_MS,
  });
}
