// Calling the waiter or asking for the bill: one of each kind per table per minute (the appliance says 429).
import { unwrap } from "@tavolo/api";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import type { GuestCallKind } from "../../../lib/types";

export type CallKind = GuestCallKind;

export function useCall(token: string) {
  return useMutation({
    mutationFn: (kind: CallKind) =>
      unwrap(api.POST("/api/guest/{token}/call", { params: { path: { token } }, body: { kind } })),
  });
}
