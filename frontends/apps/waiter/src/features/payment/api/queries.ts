// Reads of the payment screen. Payments themselves go through the outbox (lib/outbox.ts); a refund is a
// manager's online action and goes straight to the appliance.
import { unwrap, type PaymentMethodInfo, type Split, type SplitCreate } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";

// The order being paid: the same query (key and request) as the order screen, so both share one cache entry.
export function useOrder(orderId: number | null) {
  return useQuery({
    queryKey: ["order", orderId],
    queryFn: () => unwrap(api.GET("/api/orders/{order_id}", { params: { path: { order_id: orderId ?? 0 } } })),
    enabled: orderId !== null,
    refetchInterval: usePollInterval(5_000),
  });
}

/** Cash and card, for a phone that never reached the appliance's list: both are always there. */
export const FALLBACK_METHODS: PaymentMethodInfo[] = [
  { id: -1, code: "cash", name: "Cash", kind: "cash", is_active: true, sort_order: 10, created_at: "" },
  { id: -2, code: "card", name: "Card", kind: "card", is_active: true, sort_order: 20, created_at: "" },
];

export function usePaymentMethods() {
  return useQuery({
    queryKey: ["payment-methods"],
    queryFn: () => unwrap(api.GET("/api/payment-methods")),
    staleTime: 5 * 60_000,
  });
}

/**
 * The appliance's split of what is left. `version` changes whenever the balance may have (the order's updated_at
 * and due), so a payment from this phone or another one asks again. Not retried: offline the screen works the
 * parts out itself.
 */
export function useSplit(orderId: number, body: SplitCreate | null, version: string) {
  return useQuery<Split>({
    queryKey: ["split", orderId, body, version],
    queryFn: ({ signal }) =>
      unwrap(api.POST("/api/orders/{order_id}/split", { params: { path: { order_id: orderId } }, body: body!, signal })),
    enabled: body !== null,
    retry: false,
    staleTime: 30_000,
  });
}

/** `key`: one per refund the manager means, so a retry after a lost answer is not a second refund. */
export async function refundPayment(paymentId: number, amount: number, reason: string, key: string) {
  return unwrap(
    api.POST("/api/payments/{payment_id}/refunds", {
      params: { path: { payment_id: paymentId } },
      body: { amount, reason },
      headers: { "Idempotency-Key": key },
    }),
  );
}
