// One order as the manager sees it (detail, history, print log) and what the manager may do to it. Every
// order.* event makes keys.order(id) and keys.orderHistory(id) stale; printer.* events the print log.
import { unwrap, type Order } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { usePollInterval } from "../../../lib/live";
import { keys } from "../../../lib/query-keys";

const ORDER_POLL_MS = 5_000;

export function useOrder(orderId: number) {
  return useQuery({
    queryKey: keys.order(orderId),
    queryFn: () => unwrap(api.GET("/api/orders/{order_id}", { params: { path: { order_id: orderId } } })),
    refetchInterval: usePollInterval(ORDER_POLL_MS),
  });
}

export function useOrderHistory(orderId: number) {
  return useQuery({
    queryKey: keys.orderHistory(orderId),
    queryFn: () => unwrap(api.GET("/api/orders/{order_id}/history", { params: { path: { order_id: orderId } } })),
    refetchInterval: usePollInterval(ORDER_POLL_MS),
  });
}

const printJobsKey = (orderId: number) => [...keys.printJobs, { orderId }];
// A job's progress is not pushed (only a kitchen ticket's, as order.items_printed): while one is on its way
// the log asks again soon, so "Queued" turns into "Printed" or "Failed" by itself.
const JOB_IN_FLIGHT_POLL_MS = 2_000;

export function useOrderPrintJobs(orderId: number) {
  const fallback = usePollInterval(ORDER_POLL_MS);
  return useQuery({
    queryKey: printJobsKey(orderId),
    queryFn: () => unwrap(api.GET("/api/printers/jobs", { params: { query: { order_id: orderId, limit: 200 } } })),
    refetchInterval: (query) =>
      query.state.data?.some((job) => job.status === "pending" || job.status === "printing")
        ? JOB_IN_FLIGHT_POLL_MS
        : fallback,
  });
}

/** Everyone, deactivated staff included: an order's history names people who may have left since. */
export function useAllStaff() {
  return useQuery({
    queryKey: [...keys.staff, { includeInactive: true }],
    queryFn: () => unwrap(api.GET("/api/waiters/", { params: { query: { include_inactive: true } } })),
    staleTime: 60_000,
  });
}

export function usePrinters() {
  return useQuery({
    queryKey: [...keys.printers, "list"],
    queryFn: () => unwrap(api.GET("/api/printers/")),
    staleTime: 60_000,
  });
}

/** The answer is the order as it is now: the detail shows it at once, the event refreshes the rest. */
function useOrderMutation<V>(orderId: number, send: (vars: V) => Promise<Order>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (order) => queryClient.setQueryData(keys.order(orderId), order),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: keys.orderHistory(orderId) });
      void queryClient.invalidateQueries({ queryKey: keys.tables });
      // A cancelled item the kitchen had gets a void ticket.
      void queryClient.invalidateQueries({ queryKey: printJobsKey(orderId) });
    },
  });
}

export function useCancelItem(orderId: number) {
  return useOrderMutation(orderId, ({ itemId, reason }: { itemId: number; reason: string }) =>
    unwrap(
      api.DELETE("/api/orders/{order_id}/items/{item_id}", {
        params: { path: { order_id: orderId, item_id: itemId } },
        body: { reason },
      }),
    ),
  );
}

export function useCancelOrder(orderId: number) {
  return useOrderMutation(orderId, ({ reason }: { reason: string }) =>
    unwrap(api.DELETE("/api/orders/{order_id}", { params: { path: { order_id: orderId } }, body: { reason } })),
  );
}

export function useReassign(orderId: number) {
  return useOrderMutation(orderId, ({ waiterId }: { waiterId: number }) =>
    unwrap(
      api.POST("/api/orders/{order_id}/reassign", {
        params: { path: { order_id: orderId } },
        body: { waiter_id: waiterId },
      }),
    ),
  );
}

export function useReprint(orderId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (jobId: number) =>
      unwrap(api.POST("/api/printers/jobs/{job_id}/reprint", { params: { path: { job_id: jobId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: printJobsKey(orderId) }),
  });
}

export function usePrintBill(orderId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ printerId, kind }: { printerId: number; kind: "bill" | "receipt" }) =>
      unwrap(
        api.POST("/api/printers/{printer_id}/bill", {
          params: { path: { printer_id: printerId } },
          body: { order_id: orderId, kind },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: printJobsKey(orderId) }),
  });
}
