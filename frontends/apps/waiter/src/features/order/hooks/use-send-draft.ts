// Sending the draft as one round through the outbox. The sent lines leave the draft the moment the round is
// stored in the outbox (before it is sent), not when the appliance answers: a reload or a killed app in
// between must not show them as unsent, or the waiter would send them again next to the replayed round.
// Refused at once (or not stored), they come back and the refused line is marked.
import { ApiError, type ItemsAdded, type Schemas } from "@tavolo/api";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { submit } from "../../../lib/outbox";
import type { Store } from "../../../lib/store";
import { draftQuantity, markProblem, restoreSent, takeSent, type DraftLine } from "../model/draft";

export interface SendTarget {
  orderRef: string;
  orderId: number | null;
  tableId: number | null;
  tableLabel: string;
}

/**
 * "held": refused, but kept in the outbox as failed because later writes of the order queue behind it; it is
 * listed with this order's pending writes (to put back into the draft or discard).
 */
export type SendOutcome = "done" | "queued" | "held" | "refused";

export function itemsLabel(quantity: number, tableLabel: string): string {
  return `Send ${quantity} item${quantity === 1 ? "" : "s"} · ${tableLabel}`;
}

const NOTHING: readonly DraftLine[] = [];

export function useSendDraft(store: Store<DraftLine[]>, target: SendTarget) {
  const queryClient = useQueryClient();
  // The round on its way: the review keeps showing it after it has left the draft.
  const [sendingLines, setSendingLines] = useState<readonly DraftLine[]>(NOTHING);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const { orderRef, orderId, tableId, tableLabel } = target;

  const send = useCallback(async (): Promise<SendOutcome | null> => {
    // The very line objects sent: what leaves the draft, or comes back to it, is exactly these.
    const sent = store.get();
    // A double tap must not send the round twice; the outbox key covers retries, not two intents.
    if (sent.length === 0 || inFlight.current || tableId === null) return null;
    inFlight.current = true;
    setSendingLines(sent);
    setError(null);
    const body: Schemas["OrderItemsCreate"] = { items: sent.map((line) => line.item) };
    let taken = false;
    const takeFromDraft = () => {
      taken = true;
      store.set((current) => takeSent(current, sent));
    };
    try {
      const result = await submit<ItemsAdded>(
        {
          kind: "items",
          orderRef,
          tableId,
          path: `/api/orders/${orderId ?? "{order}"}/items`,
          body,
          label: itemsLabel(draftQuantity(sent), tableLabel),
        },
        { onPersisted: takeFromDraft },
      );
      if (result.status === "done") {
        void queryClient.invalidateQueries({ queryKey: ["order", result.data.order_id] });
        return "done";
      }
      return result.entry.state === "failed" ? "held" : "queued";
    } catch (caught) {
      const message = caught instanceof ApiError ? caught.message : "The items could not be sent.";
      setError(message);
      store.set((current) => {
        const back = taken ? restoreSent(current, sent) : current;
        return caught instanceof ApiError ? markProblem(back, caught.message) : back;
      });
      return "refused";
    } finally {
      inFlight.current = false;
      setSendingLines(NOTHING);
    }
  }, [store, queryClient, orderRef, orderId, tableId, tableLabel]);

  const clearError = useCallback(() => setError(null), []);
  return { send, sending: sendingLines.length > 0, sendingLines, error, clearError };
}
