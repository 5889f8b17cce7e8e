// Sending the draft as one round through the outbox: sent or queued, the draft is cleared (a queued send shows
// as a pending entry); refused, the draft stays and the refused line is marked.
import { ApiError, type ItemsAdded, type Schemas } from "@tavolo/api";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { submit } from "../../../lib/outbox";
import type { Store } from "../../../lib/store";
import { draftQuantity, markProblem, type DraftLine } from "../model/draft";

export interface SendTarget {
  orderRef: string;
  orderId: number | null;
  tableId: number | null;
  tableLabel: string;
}

export type SendOutcome = "done" | "queued" | "refused";

export function itemsLabel(quantity: number, tableLabel: string): string {
  return `Send ${quantity} item${quantity === 1 ? "" : "s"} · ${tableLabel}`;
}

export function useSendDraft(store: Store<DraftLine[]>, target: SendTarget) {
  const queryClient = useQueryClient();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const { orderRef, orderId, tableId, tableLabel } = target;

  const send = useCallback(async (): Promise<SendOutcome | null> => {
    const lines = store.get();
    // A double tap must not send the round twice; the outbox key covers retries, not two intents.
    if (lines.length === 0 || inFlight.current || tableId === null) return null;
    inFlight.current = true;
    setSending(true);
    setError(null);
    const body: Schemas["OrderItemsCreate"] = { items: lines.map((line) => line.item) };
    const sentKeys = new Set(lines.map((line) => line.key));
    try {
      const result = await submit<ItemsAdded>({
        kind: "items",
        orderRef,
        tableId,
        path: `/api/orders/${orderId ?? "{order}"}/items`,
        body,
        label: itemsLabel(draftQuantity(lines), tableLabel),
      });
      store.set((current) => current.filter((line) => !sentKeys.has(line.key)));
      if (result.status === "done") {
        void queryClient.invalidateQueries({ queryKey: ["order", result.data.order_id] });
      }
      return result.status;
    } catch (caught) {
      const message = caught instanceof ApiError ? caught.message : "The items could not be sent.";
      setError(message);
      if (caught instanceof ApiError) store.set((current) => markProblem(current, caught.message));
      return "refused";
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  }, [store, queryClient, orderRef, orderId, tableId, tableLabel]);

  const clearError = useCallback(() => setError(null), []);
  return { send, sending, error, clearError };
}
