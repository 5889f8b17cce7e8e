import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { REFRESH_MS, siteKeys } from "../../../lib/query-keys";
import { fetchSites, fetchSummary, type SiteFilter } from "../api/sites-api";

export function useSummary() {
  return useQuery({
    queryKey: siteKeys.summary(),
    queryFn: ({ signal }) => fetchSummary(signal),
    refetchInterval: REFRESH_MS,
  });
}

export function useSites(filter: SiteFilter) {
  return useQuery({
    queryKey: siteKeys.list(filter),
    queryFn: ({ signal }) => fetchSites(filter, signal),
    refetchInterval: REFRESH_MS,
    // While a new filter loads, the previous cards stay (dimmed) instead of the list jumping to a spinner.
    placeholderData: keepPreviousData,
  });
}
