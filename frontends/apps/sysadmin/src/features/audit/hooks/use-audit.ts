import { useInfiniteQuery } from "@tanstack/react-query";
import { auditKeys } from "../../../lib/query-keys";
import { fetchAudit, PAGE_SIZE } from "../api/audit-api";

export function useAudit(siteId: string | null) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(siteId),
    queryFn: ({ pageParam, signal }) => fetchAudit({ siteId, beforeId: pageParam }, signal),
    initialPageParam: null as number | null,
    // A short page is the last one; otherwise the next page starts below its oldest event.
    getNextPageParam: (page) => (page.length < PAGE_SIZE ? undefined : (page[page.length - 1]?.id ?? undefined)),
  });
}
