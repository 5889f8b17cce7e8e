// Changing the shared cart and sending it. Every answer is the whole cart; the live store keeps the newest.
import { newIdempotencyKey, unwrap } from "@tavolo/api";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { receiveCart } from "../../../lib/live";

export function useSetQuantity(token: string) {
  return useMutation({
    mutationFn: ({ lineId, quantity }: { lineId: number; quantity: number }) =>
      unwrap(
        api.PATCH("/api/guest/{token}/cart/lines/{line_id}", {
          params: { path: { token, line_id: lineId } },
          body: { quantity },
        }),
      ),
    onSuccess: receiveCart,
  });
}

export function useRemoveLine(token: string) {
  return useMutation({
    mutationFn: (lineId: number) =>
      unwrap(api.DELETE("/api/guest/{token}/cart/lines/{line_id}", { params: { path: { token, line_id: lineId } } })),
    onSuccess: receiveCart,
  });
}

export function useSubmit(token: string) {
  return useMutation({
    mutationFn: ({ nickname, cartVersion }: { nickname: string; cartVersion: number }) =>
      unwrap(
        api.POST("/api/guest/{token}/submit", {
          params: { path: { token } },
          body: { nickname, cart_version: cartVersion },
          headers: { "Idempotency-Key": newIdempotencyKey() },
        }),
      ),
  });
}
