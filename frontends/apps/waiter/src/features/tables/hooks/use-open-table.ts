import { newIdempotencyKey, type Order, type Schemas, type Table } from "@tavolo/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useLocation } from "wouter";
import { submit } from "../../../lib/outbox";

/** Open an order on a free table through the outbox, then go to it (by its tmp- ref when it was queued). */
export function useOpenTable() {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ table, guests }: { table: Table; guests: number }) => {
      const body: Schemas["OrderCreate"] = { table_id: table.id, guests };
      return submit<Order>({
        kind: "open",
        // The outbox sets an open's ref to "tmp-<entry id>" itself; the queued entry carries the one to route to.
        orderRef: `tmp-${newIdempotencyKey()}`,
        tableId: table.id,
        path: "/api/orders/",
        body,
        label: `Open T${table.number}`,
      });
    },
    onSuccess: (result) => {
      navigate(result.status === "done" ? `/order/${result.data.id}` : `/order/${result.entry.orderRef}`);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["tables"] }),
  });
}
