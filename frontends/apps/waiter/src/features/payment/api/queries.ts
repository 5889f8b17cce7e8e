// The order being paid: the same query (key and request) as the order screen, so both share one cache entry.
import { unwrap } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";

export function useOrder(orderId: number | null) {
  return useQuery({
    queryKey: ["order", orderId],
    queryFn: () => unwrap(api.GET("/api/orders/{order_id}", { params: { path: { order_id: orderId ?? 0 } } })),
    enabled: orderId !== null,
    refetchInterval: usePollInterval(5_000),
  });
}
