import { unwrap, type SiteRead, type SiteSort, type SiteStatus, type SiteSummary } from "@tavolo/api";
import { cloud } from "../../../lib/api";

export interface SiteFilter {
  status: SiteStatus | null;
  q: string;
  sort: SiteSort;
}

export function fetchSummary(signal?: AbortSignal): Promise<SiteSummary> {
  return unwrap(cloud.GET("/api/sites/summary", { signal }));
}

export function fetchSites(filter: SiteFilter, signal?: AbortSignal): Promise<SiteRead[]> {
  const query: { status?: SiteStatus; q?: string; sort?: SiteSort } = {};
  if (filter.status) query.status = filter.status;
  if (filter.q) query.q = filter.q;
  if (filter.sort !== "name") query.sort = filter.sort;
  return unwrap(cloud.GET("/api/sites/", { params: { query }, signal }));
}
