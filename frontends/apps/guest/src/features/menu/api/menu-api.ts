// The table's menu (only what can be ordered now) and adding a line to the shared cart.
import { newIdempotencyKey, unwrap } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../../../lib/api";
import { onMenuChanged, receiveCart } from "../../../lib/live";
import type { GuestCartLineCreate } from "../../../lib/types";

/** A menu edit is pushed (the socket's `menu` cue); this refetch covers a phone whose socket is down. */
export const MENU_REFETCH_MS = 60_000;

export function menuQueryKey(token: string) {
  return ["guest", token, "menu"] as const;
}

export function useMenu(token: string) {
  const queryClient = useQueryClient();
  useEffect(
    () => onMenuChanged(() => void queryClient.invalidateQueries({ queryKey: menuQueryKey(token) })),
    [queryClient, token],
  );
  return useQuery({
    queryKey: menuQueryKey(token),
    queryFn: () => unwrap(api.GET("/api/guest/{token}/menu", { params: { path: { token } } })),
    refetchInterval: MENU_REFETCH_MS,
    refetchOnWindowFocus: "always",
    staleTime: 10_000,
  });
}

export function useAddLine(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (line: GuestCartLineCreate) =>
      unwrap(
        api.POST("/api/guest/{token}/cart/lines", {
          params: { path: { token } },
          body: line,
          // One key per tap: a retried request after a lost answer does not add the dish twice.
          headers: { "Idempotency-Key": newIdempotencyKey() },
        }),
      ),
    onSuccess: receiveCart,
    // A refusal because of the menu (sold out, changed) means this phone's menu is old.
    onError: () => void queryClient.invalidateQueries({ queryKey: menuQueryKey(token) }),
  });
}
