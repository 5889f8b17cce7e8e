import type { Order } from "@tavolo/api";

export const ORDER_STATUS: Record<Order["status"], { label: string; tone: string }> = {
  open: { label: "Open", tone: "" },
  partially_paid: { label: "Partly paid", tone: "badge--warn" },
  paid: { label: "Paid", tone: "badge--ok" },
  closed: { label: "Closed", tone: "" },
  cancelled: { label: "Cancelled", tone: "badge--error" },
};

/** Still on a table: it can be changed, reassigned and cancelled. */
export function isActive(order: Pick<Order, "status">): boolean {
  return order.status === "open" || order.status === "partially_paid" || order.status === "paid";
}
