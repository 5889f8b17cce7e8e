// UPI through the appliance's Razorpay QR codes. Online only, never queued: a QR is for the bill as it is now,
// and the appliance (not the phone) records the payment once Razorpay reports the credit, so there is nothing a
// replay could add. Creating one still carries an Idempotency-Key (one per QR the waiter asks for), so a retry
// after a lost answer shows the same QR instead of a second one for the same money.
import { ApiError, unwrap, type UpiAvailability, type UpiRequest } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";

/** How often an open QR is looked at while it is on screen (the event socket also brings the payment). */
export const UPI_POLL_MS = 2_000;

/** Whether UPI can be offered now. Razorpay going down shows here within half a minute. */
export function useUpiAvailability(enabled: boolean) {
  return useQuery({
    queryKey: ["upi-status"],
    queryFn: () => unwrap(api.GET("/api/upi/status")),
    enabled,
    staleTime: 15_000,
    refetchInterval: 30_000,
    retry: false,
  });
}

/** The order's UPI requests, newest first: a QR left open (the waiter went back) is shown again, not re-made. */
export function useUpiRequests(orderId: number, enabled: boolean) {
  return useQuery({
    queryKey: ["upi-requests", orderId],
    queryFn: () => unwrap(api.GET("/api/upi/", { params: { query: { order_id: orderId } } })),
    enabled,
    staleTime: 5_000,
    retry: false,
  });
}

export function createUpiRequest(
  orderId: number,
  part: { amount: number; splitPart: string | null },
  key: string,
): Promise<UpiRequest> {
  return unwrap(
    api.POST("/api/orders/{order_id}/upi", {
      params: { path: { order_id: orderId } },
      headers: { "Idempotency-Key": key },
      body: { amount: part.amount, ...(part.splitPart ? { split_part: part.splitPart } : {}) },
    }),
  );
}

/** One request, polled every UPI_POLL_MS while it is pending; `version` (the order's updated_at) re-asks at once
 * when a live order event says the bill changed, so a payment shows without waiting for the next poll. */
export function useUpiRequest(requestId: number | null, initial: UpiRequest | undefined, version: string) {
  return useQuery({
    queryKey: ["upi-request", requestId, version],
    queryFn: () => unwrap(api.GET("/api/upi/{request_id}", { params: { path: { request_id: requestId ?? 0 } } })),
    enabled: requestId !== null,
    placeholderData: (previous) => previous ?? initial,
    refetchInterval: (query) => (query.state.data?.status === "pending" || !query.state.data ? UPI_POLL_MS : false),
    retry: false,
  });
}

export function cancelUpiRequest(requestId: number): Promise<UpiRequest> {
  return unwrap(api.POST("/api/upi/{request_id}/cancel", { params: { path: { request_id: requestId } } }));
}

/** Why UPI cannot be chosen, in the waiter's words; null when it can. */
export function unavailableText(status: UpiAvailability | undefined, error: unknown, online: boolean): string | null {
  if (!online) return "Needs the appliance — use cash or card";
  if (error) return "UPI status unknown — use cash or card";
  if (!status) return "Checking UPI…";
  if (status.available) return null;
  if (status.code === "UPI_NOT_CONFIGURED") return "UPI is not set up — use cash or card";
  if (status.code === "UPI_UNAVAILABLE") return "Razorpay unreachable — use cash or card";
  return status.reason ?? "UPI is not available — use cash or card";
}

const REFUSALS: Partial<Record<string, string>> = {
  UPI_UNAVAILABLE: "Razorpay cannot be reached right now: take cash or card.",
  UPI_NOT_CONFIGURED: "UPI is not set up on this appliance: take cash or card.",
  UPI_NOTHING_DUE: "Everything left is already asked for by an open UPI QR: show that one, or cancel it first.",
  PAYMENT_EXCEEDS_BALANCE: "That is more than is left to pay (another payment came in meanwhile): choose again.",
  ORDER_NOT_OPEN: "This order is no longer open.",
  NOT_ORDER_OWNER: "This order belongs to another waiter.",
  UPI_NOT_PENDING: "This QR is no longer open.",
  UPI_REQUEST_NOT_FOUND: "This QR no longer exists.",
};

/** The appliance's refusal in words; the lost-connection case when it could not be reached. */
export function upiRefusalText(error: unknown): string {
  if (error instanceof ApiError) return REFUSALS[error.code] ?? error.message;
  return "The appliance cannot be reached: no QR was made. Try again when it is back.";
}
