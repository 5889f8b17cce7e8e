import { useQuery } from "@tanstack/react-query";
import { REFRESH_MS, siteKeys } from "../../../lib/query-keys";
import { fetchRenewals } from "../api/renewals-api";

/** Polled like the site itself: a payment arrives by Razorpay's webhook, not through this panel. */
export function useRenewals(siteId: string) {
  return useQuery({
    queryKey: siteKeys.renewals(siteId),
    queryFn: ({ signal }) => fetchRenewals(siteId, signal),
    refetchInterval: REFRESH_MS,
  });
}
