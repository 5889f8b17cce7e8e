// What the kitchen already has, round by round. Rows are memoized on the item object: TanStack Query keeps
// unchanged items the same object across polls, so a 5 s refresh re-renders only the rows that changed.
import type { Discount, OrderItem } from "@tavolo/api";
import { formatMoney } from "@tavolo/ui";
import { memo, useMemo } from "react";
import { describeSentItem, placement } from "../model/describe";

const STATUS_TEXT: Record<OrderItem["status"], string> = {
  pending: "Waiting",
  preparing: "Preparing",
  ready: "Ready",
  served: "Served",
  cancelled: "Cancelled",
};

interface SentItemsProps {
  items: OrderItem[];
  currency: string;
  /** Items covered by a payment still in the outbox. */
  payPending: ReadonlySet<number>;
  /** Live discounts of the order; each item shows its own. */
  discounts?: readonly Discount[];
  /** Discount, comp or void an item; absent while that cannot be done (offline, order closed). */
  onItemActions?: (item: OrderItem) => void;
}

const NO_DISCOUNTS: readonly Discount[] = [];

export function SentItems({ items, currency, payPending, discounts = NO_DISCOUNTS, onItemActions }: SentItemsProps) {
  const byItem = useMemo(() => {
    const map = new Map<number, Discount[]>();
    for (const discount of discounts) {
      if (discount.item_id === null || discount.removed_at !== null) continue;
      const list = map.get(discount.item_id);
      if (list) list.push(discount);
      else map.set(discount.item_id, [discount]);
    }
    return map;
  }, [discounts]);

  const rounds = useMemo(() => {
    const byRound = new Map<number, OrderItem[]>();
    for (const item of items) {
      const list = byRound.get(item.round);
      if (list) list.push(item);
      else byRound.set(item.round, [item]);
    }
    return [...byRound.entries()].sort(([a], [b]) => a - b);
  }, [items]);

  if (items.length === 0) return <p className="ord-muted ord-empty">Nothing sent yet.</p>;
  return (
    <>
      {rounds.map(([round, list]) => (
        <div key={round} className="ord-round">
          <h3 className="ord-round__title">
            Round {round}
            {list[0] && <span className="ord-round__time">{timeOf(list[0].added_at)}</span>}
          </h3>
          <ul className="ord-list">
            {list.map((item) => (
              <ItemRow
                key={item.id}
                item={item}
                currency={currency}
                payPending={payPending.has(item.id)}
                discounts={byItem.get(item.id) ?? NO_DISCOUNTS}
                onActions={onItemActions}
              />
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

interface ItemRowProps {
  item: OrderItem;
  currency: string;
  payPending: boolean;
  discounts?: readonly Discount[];
  onActions?: (item: OrderItem) => void;
}

/** "10% off: birthday", "Comp: cold soup", "₹2.00 off: long wait". */
function discountText(discount: Discount, currency: string): string {
  const what =
    discount.kind === "comp"
      ? "Comp"
      : discount.kind === "percent"
        ? `${discount.value / 100}% off`
        : `${formatMoney(discount.value, currency)} off`;
  return `${what} (−${formatMoney(discount.amount, currency)}): ${discount.reason}`;
}

export const ItemRow = memo(function ItemRow({
  item,
  currency,
  payPending,
  discounts = NO_DISCOUNTS,
  onActions,
}: ItemRowProps) {
  const cancelled = item.status === "cancelled";
  const details = describeSentItem(item);
  // A held item's course is on its chip; repeating it under the name would only add noise.
  const where = placement(item.seat, item.held ? undefined : item.course);
  return (
    <li
      className={cancelled ? "ord-item ord-item--cancelled" : item.held ? "ord-item ord-item--held" : "ord-item"}
      data-testid={`item-${item.id}`}
      data-status={item.status}
      data-printed={String(item.printed)}
      data-held={String(item.held)}
    >
      <div className="ord-item__main">
        <span className="ord-line__name ord-item__name">
          <span className="ord-line__qty">{item.quantity}×</span> {item.product_name}
        </span>
        {details.length > 0 && <span className="ord-line__details">{details.join(" · ")}</span>}
        {where && <span className="ord-line__details">{where}</span>}
        {item.note && <span className="ord-line__note">“{item.note}”</span>}
        {cancelled && item.cancel_reason && <span className="ord-line__details">Cancelled: {item.cancel_reason}</span>}
        {!cancelled &&
          discounts.map((discount) => (
            <span key={discount.id} className="ord-discount" data-testid={`item-discount-${discount.id}`}>
              {discountText(discount, currency)}
            </span>
          ))}
        <span className="ord-item__marks">
          {item.guest_nickname && (
            <span className="ord-chip ord-chip--guest" data-testid={`item-guest-${item.id}`}>
              Guest: {item.guest_nickname}
            </span>
          )}
          {item.held ? (
            <span className="ord-chip ord-chip--held">Held · course {item.course}</span>
          ) : (
            <span className={`ord-chip ord-chip--${item.status}`}>{STATUS_TEXT[item.status]}</span>
          )}
          {!cancelled && (
            <span className={item.printed ? "ord-mark ord-mark--ok" : "ord-mark"}>
              {item.printed ? "✓ Printed" : item.held ? "Prints when fired" : "Not printed yet"}
            </span>
          )}
          {item.is_paid && <span className="ord-chip ord-chip--paid">Paid</span>}
          {!item.is_paid && payPending && <span className="ord-chip ord-chip--waiting">Payment waiting to send</span>}
        </span>
      </div>
      <span className="ord-line__price ord-item__price">{formatMoney(item.line_total, currency)}</span>
      {onActions && !cancelled && !item.is_paid && (
        <button
          type="button"
          className="ord-item__acts"
          aria-label={`Discount, comp or void ${item.product_name}`}
          onClick={() => onActions(item)}
          data-testid={`item-actions-${item.id}`}
        >
          ⋯
        </button>
      )}
    </li>
  );
});
