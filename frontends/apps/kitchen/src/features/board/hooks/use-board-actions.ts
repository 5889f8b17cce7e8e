// Taps on the board: move an item on, bump a ticket. The answer is applied to the board at once (the socket's
// event follows and changes nothing); a refusal is said in words and the board is left as the socket has it.
import { useMutation } from "@tanstack/react-query";
import { applyItemResult, applyTicketResult, nextStatus, type KitchenItem, type Ticket } from "../../../lib/board";
import { describeError, flash } from "../../../lib/flash";
import { boardStore } from "../../../lib/live";
import { bumpTicket, setItemStatus } from "../api/kitchen-api";

export function useAdvanceItem(item: KitchenItem) {
  const mutation = useMutation({
    mutationFn: (status: "preparing" | "ready") => setItemStatus(item.id, status),
    onSuccess: (result) => boardStore.set((board) => applyItemResult(board, result)),
    onError: (error) => flash(`Could not update ${item.product_name}: ${describeError(error)}`),
  });
  const next = nextStatus(item);
  return {
    next,
    busy: mutation.isPending,
    advance: () => {
      if (next !== null && !mutation.isPending) mutation.mutate(next);
    },
  };
}

export function useBump(ticket: Ticket) {
  const mutation = useMutation({
    mutationFn: () => bumpTicket(ticket.id),
    onSuccess: (result) => boardStore.set((board) => applyTicketResult(board, result)),
    onError: (error) => flash(`Could not bump ${ticket.table_label}: ${describeError(error)}`),
  });
  return {
    busy: mutation.isPending,
    bump: () => {
      if (!mutation.isPending) mutation.mutate();
    },
  };
}
