import { unwrap, type Table } from "@tavolo/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useLocation } from "wouter";
import { api } from "../../../lib/api";

/** Take a table that guests opened from its QR code, then go to its order. Online only: two waiters tapping at
 * once must learn at once which of them has it (the other gets 409 ORDER_HAS_WAITER). */
export function useTakeTable() {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (table: Table) =>
      unwrap(api.POST("/api/orders/{order_id}/take", { params: { path: { order_id: table.order_id! } } })),
    onSuccess: (order) => navigate(`/order/${order.id}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["tables"] }),
  });
}
