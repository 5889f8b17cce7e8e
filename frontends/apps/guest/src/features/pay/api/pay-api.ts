// A guest's UPI payment: made online only (a QR is for the bill as it is now), with an Idempotency-Key per tap so a
// retry after a lost answer shows the same QR instead of a second one. The appliance, not the phone, records the
// payment once the money arrives; the phone only watches: the table's socket brings every change of the bill's
// QRs, and the payment itself is read again every few seconds while it is open (the socket says nothing of a QR
// that expired or was cancelled, nor of anything once the bill closed).
import { unwrap } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import type { GuestPayCreate, GuestPayment } from "../../../lib/types";

export const PAYMENT_POLL_MS = 4_000;

export function paymentQueryKey(token: string, id: number) {
  return ["guest", token, "payment", id] as const;
}

export function createPayment(token: string, body: GuestPayCreate, key: string): Promise<GuestPayment> {
  return unwrap(
    api.POST("/api/guest/{token}/payments", {
      params: { path: { token } },
      headers: { "Idempotency-Key": key },
      body,
    }),
  );
}

export function cancelPayment(token: string, id: number): Promise<GuestPayment> {
  return unwrap(
    api.POST("/api/guest/{token}/payments/{payment_id}/cancel", { params: { path: { token, payment_id: id } } }),
  );
}

export function usePayment(token: string, id: number) {
  return useQuery({
    queryKey: paymentQueryKey(token, id),
    queryFn: () =>
      unwrap(api.GET("/api/guest/{token}/payments/{payment_id}", { params: { path: { token, payment_id: id } } })),
    refetchInterval: (query) => (query.state.data?.status === "pending" ? PAYMENT_POLL_MS : false),
    // Back from the UPI app: look at once rather than at the next poll.
    refetchOnWindowFocus: "always",
    staleTime: 0,
  });
}
