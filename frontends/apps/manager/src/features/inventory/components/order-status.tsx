// A purchase order's state and its email's, in words (and the state in colour too).
import type { PurchaseOrder, PurchaseOrderStatus } from "../api/purchasing-api";

const STATUS: Record<PurchaseOrderStatus, { label: string; tone: string }> = {
  draft: { label: "Draft", tone: "badge--warn" },
  sent: { label: "Sent", tone: "badge--ok" },
  received: { label: "Received", tone: "" },
  cancelled: { label: "Cancelled", tone: "" },
};

export function OrderStatusChip({ status }: { status: PurchaseOrderStatus }) {
  return (
    <span className={`badge ${STATUS[status].tone}`} data-testid="po-status" data-status={status}>
      {STATUS[status].label}
    </span>
  );
}

const EMAIL: Record<NonNullable<PurchaseOrder["email_status"]>, string> = {
  queued: "Email queued",
  sent: "Emailed",
  failed: "Email failed",
  cancelled: "Email cancelled",
};

export function emailState(order: PurchaseOrder): string {
  if (!order.email || !order.email_status) return "Not emailed";
  const base = EMAIL[order.email_status];
  if (order.email_status === "queued" && order.email.last_error) {
    return `${base} (will retry: ${order.email.last_error})`;
  }
  if (order.email_status === "failed" && order.email.last_error) return `${base}: ${order.email.last_error}`;
  return base;
}
