// What the kitchen already has, round by round. Rows are memoized on the item object: TanStack Query keeps
// unchanged items the same object across polls, so a 5 s refresh re-renders only the rows that changed.
import type { OrderItem } from "@tavolo/api";
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
}

export function SentItems({ items, currency, payPending }: SentItemsProps) {
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
              <ItemRow key={item.id} item={item} currency={currency} payPending={payPending.has(item.id)} />
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
}

export const ItemRow = memo(function ItemRow({ item, currency, payPending }: ItemRowProps) {
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
        <span className="ord-item__marks">
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
    </li>
  );
});
