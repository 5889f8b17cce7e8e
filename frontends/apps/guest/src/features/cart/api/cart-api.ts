// Changing the shared cart and sending it. Every answer is the whole cart; the live store keeps the newest.
import { newIdempotencyKey, unwrap } from "@tavolo/api";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { receiveCart, tableStore } from "../../../lib/live";
import type { GuestCart } from "../../../lib/types";

/** A tap on + or − sends the step, not the quantity it saw: the server adds it in SQL, so two phones tapping at
 * once both count (two absolute quantities would both say "3"). */
export function useStepQuantity(token: string) {
  return useMutation({
    mutationFn: ({ lineId, delta }: { lineId: number; delta: 1 | -1 }) =>
      unwrap(
        api.PATCH("/api/guest/{token}/cart/lines/{line_id}", {
          params: { path: { token, line_id: lineId } },
          body: { delta },
        }),
      ),
    onSuccess: receiveCart,
  });
}

/** Read the cart again after the menu changed: an 86 does not change the cart's version, only its lines'
 * `available`, so the fresh read replaces a cart of the same version (receiveCart would keep the old one). */
export async function refreshCart(token: string): Promise<void> {
  const fresh: GuestCart = await unwrap(api.GET("/api/guest/{token}/cart", { params: { path: { token } } }));
  tableStore.set((state) =>
    state.cart !== null && state.cart.version > fresh.version ? state : { ...state, cart: fresh },
  );
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
