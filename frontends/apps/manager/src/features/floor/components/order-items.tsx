// The order's items with where each is in the kitchen, who added it and when; a live, unpaid item can be
// cancelled with a reason (a void ticket prints if the kitchen already has it).
import type { Order, OrderItem } from "@tavolo/api";
import { Button, Money } from "@tavolo/ui";
import { useState } from "react";
import { describeError } from "../../../shared/errors";
import { formatClock } from "../../../shared/format";
import { useCancelItem } from "../api/order-api";
import { isActive } from "../model/order";
import { ReasonSheet } from "./reason-sheet";

export const ITEM_STATUS: Record<OrderItem["status"], { label: string; tone: string }> = {
  pending: { label: "Waiting", tone: "" },
  preparing: { label: "Preparing", tone: "badge--warn" },
  ready: { label: "Ready", tone: "badge--ok" },
  served: { label: "Served", tone: "badge--ok" },
  cancelled: { label: "Cancelled", tone: "badge--error" },
};

export function itemStatus(item: Pick<OrderItem, "status" | "held" | "course">): { label: string; tone: string } {
  if (item.held && item.status === "pending") return { label: `Held (course ${item.course})`, tone: "" };
  return ITEM_STATUS[item.status];
}

/** Options, choices, removed ingredients, seat and note: what the kitchen reads under the name. */
export function itemExtras(item: OrderItem): string {
  return [
    ...item.selected_options.map((option) => option.name),
    ...item.choices.map((choice) => choice.name),
    ...item.removed_ingredients.map((ingredient) => `no ${ingredient.name}`),
    item.seat !== null ? `seat ${item.seat}` : null,
    item.note ? `“${item.note}”` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

interface OrderItemsProps {
  order: Order;
  names: Map<number, string>;
  currency: string;
  timeZone: string | undefined;
  now: number;
}

export function OrderItems({ order, names, currency, timeZone, now }: OrderItemsProps) {
  const cancel = useCancelItem(order.id);
  const [target, setTarget] = useState<OrderItem | null>(null);
  const cancellable = (item: OrderItem) => isActive(order) && item.status !== "cancelled" && item.paid_quantity === 0;

  return (
    <section className="order-section" aria-labelledby="order-items-title">
      <h3 id="order-items-title" className="order-section__title">
        Items
      </h3>
      {order.items.length === 0 ? (
        <p className="muted">Nothing ordered yet.</p>
      ) : (
        <ul className="order-items" data-testid="order-items">
          {order.items.map((item) => {
            const status = itemStatus(item);
            const extras = itemExtras(item);
            const cancelled = item.status === "cancelled";
            return (
              <li
                key={item.id}
                className="order-item"
                data-testid={`order-item-${item.id}`}
                data-status={item.status}
              >
                <div className="order-item__main">
                  <span className="order-item__name">
                    {item.quantity} × {item.product_name}
                  </span>
                  <Money
                    className={cancelled ? "order-item__price order-item__price--void" : "order-item__price"}
                    amount={item.line_total}
                    currency={currency}
                  />
                </div>
                {extras && <span className="order-item__extras">{extras}</span>}
                <div className="order-item__meta">
                  <span className={`badge ${status.tone}`} data-testid={`order-item-${item.id}-status`}>
                    {status.label}
                  </span>
                  {item.is_paid && <span className="badge badge--ok">Paid</span>}
                  <span className="muted">
                    added by {names.get(item.added_by_id) ?? "someone"} at {formatClock(item.added_at, timeZone, now)}
                  </span>
                  {cancellable(item) && (
                    <Button
                      variant="ghost"
                      className="order-item__cancel"
                      onClick={() => {
                        cancel.reset();
                        setTarget(item);
                      }}
                      aria-label={`Cancel ${item.quantity} × ${item.product_name}`}
                      data-testid={`order-item-${item.id}-cancel`}
                    >
                      Cancel…
                    </Button>
                  )}
                </div>
                {cancelled && (
                  <span className="order-item__void" data-testid={`order-item-${item.id}-cancelled`}>
                    Cancelled
                    {item.cancelled_by_id !== null && ` by ${names.get(item.cancelled_by_id) ?? "someone"}`}
                    {item.cancelled_at && ` at ${formatClock(item.cancelled_at, timeZone, now)}`}
                    {item.cancel_reason && `: ${item.cancel_reason}`}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {target && (
        <ReasonSheet
          open
          title={`Cancel ${target.quantity} × ${target.product_name}?`}
          confirmLabel="Cancel the item"
          busy={cancel.isPending}
          error={cancel.error ? describeError(cancel.error) : null}
          onClose={() => setTarget(null)}
          onConfirm={(reason) => cancel.mutate({ itemId: target.id, reason }, { onSuccess: () => setTarget(null) })}
          data-testid="cancel-item-sheet"
        >
          {target.printed
            ? "The kitchen already has it: a void ticket prints at its station."
            : "It has not been printed yet, so the kitchen never sees it."}{" "}
          The bill goes down by <Money amount={target.line_total} currency={currency} />.
        </ReasonSheet>
      )}
    </section>
  );
}
