// Moving an order or its items between tables: transfer, merge, move items. Online only, never queued: each
// depends on the floor as it is now (a free table, another open order), which the phone cannot know offline,
// and a replay minutes later could move a bill onto a table someone else opened meanwhile. Each request still
// carries an Idempotency-Key (one per confirmation), so a retry after a lost answer is not done twice.
import { ApiError, type ItemUnits, type Order, unwrap } from "@tavolo/api";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api";

/** The floor as the action sheets need it: the same query as the tables screen. */
export function useFloor(enabled: boolean) {
  return useQuery({
    queryKey: ["tables"],
    queryFn: () => unwrap(api.GET("/api/tables/")),
    enabled,
    staleTime: 0,
  });
}

export type OrderAction =
  | { kind: "transfer"; tableId: number }
  | { kind: "merge"; otherOrderId: number }
  | { kind: "move"; toOrderId: number; items: ItemUnits[] };

export function runOrderAction(orderId: number, action: OrderAction, key: string): Promise<Order> {
  const params = { path: { order_id: orderId } };
  const headers = { "Idempotency-Key": key };
  switch (action.kind) {
    case "transfer":
      return unwrap(api.POST("/api/orders/{order_id}/transfer", { params, headers, body: { table_id: action.tableId } }));
    case "merge":
      return unwrap(api.POST("/api/orders/{order_id}/merge", { params, headers, body: { order_id: action.otherOrderId } }));
    case "move":
      return unwrap(
        api.POST("/api/orders/{order_id}/items/move", {
          params,
          headers,
          body: { items: action.items, to_order_id: action.toOrderId },
        }),
      );
  }
}

// The appliance's refusals in the waiter's words; its own detail follows for anything else.
const REFUSALS: Partial<Record<string, string>> = {
  TABLE_HAS_OPEN_ORDER:
    "That table has an open order now (someone opened it meanwhile). Pick another free table, or merge with its order instead.",
  TABLE_INACTIVE: "That table is not in service.",
  TABLE_NOT_FOUND: "That table no longer exists.",
  ITEMS_COVERED_BY_PAYMENTS:
    "Payments already cover what would be moved: this bill would then owe the guest money. Move fewer items, or ask a manager to refund first.",
  ITEM_ALREADY_PAID: "Some of those items were paid meanwhile: choose again.",
  ITEM_CANCELLED: "One of those items was cancelled meanwhile: choose again.",
  NOT_ORDER_OWNER: "That order belongs to another waiter: only they or a manager can merge it or move items into it.",
  ORDER_NOT_OPEN: "One of the two orders was closed or cancelled meanwhile.",
  ORDER_NOT_FOUND: "That order no longer exists.",
  SAME_ORDER: "That is this order itself.",
};

/** Why the appliance refused, in words; null when it could not be reached. */
export function refusalText(error: unknown): string {
  if (error instanceof ApiError) return REFUSALS[error.code] ?? error.message;
  return "The appliance cannot be reached: nothing was changed. Try again when it is back.";
}
