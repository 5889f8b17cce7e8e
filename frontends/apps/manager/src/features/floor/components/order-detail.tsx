// The order a tapped table has open, beside the floor: who serves it, what was ordered and where each item is
// in the kitchen, what was paid and printed, and everything that happened to it. Live: every order.* event
// makes it stale. The manager's actions are in order-actions.tsx, items with their cancel in order-items.tsx.
import { ApiError, type Order } from "@tavolo/api";
import { Banner, Money, Spinner, formatElapsed } from "@tavolo/ui";
import { useMemo } from "react";
import { Link } from "wouter";
import { useCurrency, useSiteInfo } from "../../../lib/site";
import { ErrorBanner } from "../../../shared/error-banner";
import { formatClock } from "../../../shared/format";
import { useAllStaff, useOrder, useOrderHistory } from "../api/order-api";
import { ORDER_STATUS, isActive } from "../model/order";
import { OrderActions } from "./order-actions";
import { OrderHistory } from "./order-history";
import { OrderItems } from "./order-items";
import { OrderPayments } from "./order-payments";
import { PrintLog } from "./print-log";
import "./order-detail.css";

function Totals({ order, currency }: { order: Order; currency: string }) {
  const { totals } = order;
  const rows: [string, number, string?][] = [["Subtotal", totals.subtotal]];
  if (totals.discounts !== 0) rows.push(["Discounts", -totals.discounts]);
  if (totals.service_charge !== 0) rows.push([`Service (${totals.service_charge_bp / 100}%)`, totals.service_charge]);
  if (totals.tax_total !== 0) rows.push([totals.tax_mode === "inclusive" ? "Tax included" : "Tax", totals.tax_total]);
  rows.push(["Total", order.total, "order-totals__total"]);
  if (order.paid_total !== 0) rows.push(["Paid", order.paid_total]);
  if (order.tips_total !== 0) rows.push(["Tips", order.tips_total]);
  if (isActive(order)) rows.push(["Due", order.due, "order-totals__due"]);
  return (
    <dl className="order-totals" data-testid="order-totals">
      {rows.map(([label, amount, className]) => (
        <div key={label} className={className}>
          <dt>{label}</dt>
          <dd>
            <Money
              amount={amount}
              currency={currency}
              data-testid={`order-${label.toLowerCase().replace(/\W+/g, "-")}`}
            />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function OrderDetail({ orderId, now }: { orderId: number; now: number }) {
  const order = useOrder(orderId);
  const history = useOrderHistory(orderId);
  const staff = useAllStaff();
  const currency = useCurrency();
  const timeZone = useSiteInfo().data?.timezone;
  const names = useMemo(
    () => new Map((staff.data ?? []).map((person) => [person.id, person.display_name])),
    [staff.data],
  );

  let body;
  if (order.isPending) {
    body = <Spinner />;
  } else if (order.error) {
    body =
      order.error instanceof ApiError && order.error.status === 404 ? (
        <Banner tone="warn" title="No such order">
          It may have been merged into another. <Link href="/">Back to the floor</Link>
        </Banner>
      ) : (
        <ErrorBanner title="The order could not be loaded" error={order.error} />
      );
  } else {
    const data = order.data;
    const status = ORDER_STATUS[data.status];
    body = (
      <>
        <dl className="order-facts">
          <div>
            <dt>Status</dt>
            <dd>
              <span className={`badge ${status.tone}`} data-testid="order-status">
                {status.label}
              </span>
            </dd>
          </div>
          <div>
            <dt>Waiter</dt>
            <dd data-testid="order-waiter">{data.waiter_name}</dd>
          </div>
          <div>
            <dt>Guests</dt>
            <dd data-testid="order-guests">{data.guests}</dd>
          </div>
          <div>
            <dt>Opened</dt>
            <dd>
              {formatClock(data.opened_at, timeZone, now)}
              {isActive(data) && <span className="muted"> · {formatElapsed(data.opened_at, now)}</span>}
            </dd>
          </div>
        </dl>
        {data.status === "cancelled" && data.cancel_reason && (
          <p className="muted" data-testid="order-cancel-reason">
            Cancelled: {data.cancel_reason}
          </p>
        )}
        {isActive(data) && <OrderActions order={data} />}
        <Totals order={data} currency={currency} />
        <OrderItems order={data} names={names} currency={currency} timeZone={timeZone} now={now} />
        {data.payments.length > 0 && (
          <OrderPayments order={data} names={names} currency={currency} timeZone={timeZone} now={now} />
        )}
        <PrintLog orderId={orderId} timeZone={timeZone} now={now} />
        <OrderHistory history={history} currency={currency} timeZone={timeZone} now={now} />
      </>
    );
  }

  return (
    <aside className="order-detail panel" aria-labelledby="order-detail-title" data-testid="order-detail">
      <header className="order-detail__head">
        <h2 id="order-detail-title" className="order-detail__title">
          {order.data ? `${order.data.table_label} · order ${order.data.id}` : `Order ${orderId}`}
        </h2>
        <Link href="/" className="order-detail__close" aria-label="Close the order" data-testid="order-close">
          ×
        </Link>
      </header>
      {body}
    </aside>
  );
}
