// The payment screen: what is left to pay, paying some or all of it, and closing the order once all is paid.
// Payments and the close go through the outbox, so a Wi-Fi drop at the till loses nothing and pays nothing twice.
import { ApiError, type Order, type PaymentCreate } from "@tavolo/api";
import { Banner, Button, Money, Spinner, formatMoney } from "@tavolo/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { discard, resolveOrderRef, submit, useOrderIdFor, useOutbox } from "../../../lib/outbox";
import { useCurrency } from "../../../lib/site";
import { useOrder } from "../api/queries";
import { PaymentPanel, type PayRequest } from "./payment-panel";
import "./payment.css";

const METHOD_TEXT = { cash: "cash", card: "card" } as const;

/** Tables are often just numbered: "Table 4" reads better than a lone "4". */
function tableName(label: string): string {
  return /^\d+$/.test(label.trim()) ? `Table ${label.trim()}` : label;
}

export function PaymentScreen({ orderRef }: { orderRef: string }) {
  const orderId = useOrderIdFor(orderRef);
  const [, navigate] = useLocation();
  const currency = useCurrency();
  const outbox = useOutbox();
  const queryClient = useQueryClient();
  const orderQuery = useOrder(orderId);
  const order = orderQuery.data;
  const [busy, setBusy] = useState<"pay" | "close" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const inFlight = useRef(false);

  useEffect(() => {
    if (orderId !== null && String(orderId) !== orderRef) navigate(`/order/${orderId}/pay`, { replace: true });
  }, [orderId, orderRef, navigate]);

  // Recomputed only when the outbox changes, so the item rows below keep their props between polls.
  const { pendingIds, closeQueued, failed, submitRef } = useMemo(() => {
    const ids = new Set<number>();
    let close = false;
    const refused = [];
    // Queue under the ref the order's earlier writes use, so the outbox holds a payment behind a refused write.
    let ref: string | null = null;
    for (const entry of outbox) {
      if (entry.orderRef !== orderRef && (orderId === null || resolveOrderRef(entry.orderRef) !== orderId)) continue;
      ref ??= entry.orderRef;
      if (entry.state === "failed") {
        refused.push(entry);
        continue;
      }
      if (entry.kind === "pay") for (const id of (entry.body as PaymentCreate).item_ids) ids.add(id);
      if (entry.kind === "close") close = true;
    }
    return { pendingIds: ids, closeQueued: close, failed: refused, submitRef: ref ?? orderRef };
  }, [outbox, orderRef, orderId]);

  const pendingAmount = order
    ? order.items
        .filter((item) => !item.is_paid && item.status !== "cancelled" && pendingIds.has(item.id))
        .reduce((sum, item) => sum + item.line_total, 0)
    : 0;
  const left = order ? Math.max(0, order.due - pendingAmount) : 0;

  async function run<T>(kind: "pay" | "close", request: () => Promise<T>): Promise<T | null> {
    if (inFlight.current) return null;
    inFlight.current = true;
    setBusy(kind);
    setError(null);
    try {
      return await request();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Something went wrong; nothing was sent.");
      if (caught instanceof ApiError) void queryClient.invalidateQueries({ queryKey: ["order", orderId] });
      return null;
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  }

  async function pay(request: PayRequest): Promise<boolean> {
    if (!order) return false;
    const body: PaymentCreate = { item_ids: request.itemIds, method: request.method, tip: request.tip };
    const table = tableName(order.table_label);
    const result = await run("pay", () =>
      submit<Order>({
        kind: "pay",
        orderRef: submitRef,
        tableId: order.table_id,
        path: `/api/orders/${order.id}/pay`,
        body,
        label: `Pay ${formatMoney(request.amount + request.tip, currency)} ${METHOD_TEXT[request.method]} · ${table}`,
      }),
    );
    if (!result) return false;
    if (result.status === "done") {
      queryClient.setQueryData(["order", order.id], result.data);
      setNotice(`Paid ${formatMoney(request.amount, currency)} by ${METHOD_TEXT[request.method]}`);
    } else {
      setNotice("Payment saved: it will be sent when the appliance is reachable");
    }
    return true;
  }

  async function close() {
    if (!order) return;
    const result = await run("close", () =>
      submit<Order>({
        kind: "close",
        orderRef: submitRef,
        tableId: order.table_id,
        path: `/api/orders/${order.id}/close`,
        body: {},
        label: `Close ${tableName(order.table_label)}`,
      }),
    );
    if (!result) return;
    void queryClient.invalidateQueries({ queryKey: ["tables"] });
    navigate("/");
  }

  const backToOrder = (
    <Link
      href={`/order/${orderId ?? orderRef}`}
      className="pay-head__back"
      aria-label="Back to the order"
      data-testid="back-to-order"
    >
      ←
    </Link>
  );

  if (orderId === null) {
    return (
      <div className="pay-screen">
        <header className="pay-head">
          {backToOrder}
          <h1 className="pay-head__title">Pay</h1>
        </header>
        <main className="pay-body">
          <Banner tone="warn" title="Not on the appliance yet">
            This order was opened while the appliance could not be reached. It can be paid once it has been sent.
          </Banner>
        </main>
      </div>
    );
  }

  const finished = order?.status === "closed" || order?.status === "cancelled";

  return (
    <div className="pay-screen">
      <header className="pay-head">
        {backToOrder}
        <h1 className="pay-head__title">Pay · {order ? tableName(order.table_label) : "…"}</h1>
      </header>
      <main className="pay-body">
        {error && (
          <Banner tone="error" title="Not done" data-testid="pay-error">
            {error}
          </Banner>
        )}
        {failed.map((entry) => (
          <Banner
            key={entry.id}
            tone="error"
            title={`Refused: ${entry.label}`}
            data-testid="pending-entry"
            action={
              <Button variant="danger" onClick={() => discard(entry.id)} data-testid="pending-discard">
                Discard
              </Button>
            }
          >
            {entry.error?.detail ?? "The appliance refused it."} Later writes of this order wait until it is discarded.
          </Banner>
        ))}
        {notice && !error && (
          <Banner tone="info" compact>
            {notice}
          </Banner>
        )}
        {!order ? (
          orderQuery.error ? (
            <Banner tone={orderQuery.error instanceof ApiError ? "error" : "warn"}>
              {orderQuery.error instanceof ApiError
                ? orderQuery.error.message
                : "The appliance cannot be reached: the bill shows when it is back."}
            </Banner>
          ) : (
            <div className="pay-center">
              <Spinner label="Loading the bill" />
            </div>
          )
        ) : (
          <>
            <section className="pay-summary" aria-label="Bill">
              <p className="pay-summary__row">
                <span>Total</span>
                <Money amount={order.total} currency={currency} />
              </p>
              <p className="pay-summary__row">
                <span>Paid</span>
                <Money amount={order.paid_total} currency={currency} />
              </p>
              {pendingAmount > 0 && (
                <p className="pay-summary__row pay-summary__row--waiting">
                  <span>Payment waiting to send</span>
                  <Money amount={pendingAmount} currency={currency} />
                </p>
              )}
              <p className="pay-summary__row pay-summary__row--due">
                <span>Left to pay</span>
                <Money amount={left} currency={currency} data-testid="pay-due" />
              </p>
              {order.tips_total > 0 && (
                <p className="pay-summary__row pay-summary__row--tips">
                  <span>Tips</span>
                  <Money amount={order.tips_total} currency={currency} />
                </p>
              )}
            </section>

            {finished ? (
              <Banner tone="info" title={`This order is ${order.status}`} />
            ) : (
              <PaymentPanel
                order={order}
                currency={currency}
                pendingIds={pendingIds}
                busy={busy === "pay"}
                onPay={pay}
              />
            )}

            {order.payments.length > 0 && (
              <section className="pay-section" aria-label="Payments made">
                <h2 className="pay-section__title">Payments</h2>
                <ul className="pay-list">
                  {order.payments.map((payment) => (
                    <li key={payment.id} className="pay-row pay-row--payment" data-testid="payment-made">
                      <span className="pay-row__name">
                        {payment.method === "cash" ? "Cash" : "Card"} · {payment.item_ids.length} item
                        {payment.item_ids.length === 1 ? "" : "s"}
                        <span className="pay-row__note">
                          {new Date(payment.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
                          {payment.tip > 0 && ` · tip ${formatMoney(payment.tip, currency)}`}
                        </span>
                      </span>
                      <Money className="pay-row__price" amount={payment.amount} currency={currency} />
                    </li>
                  ))}
                </ul>
              </section>
            )}

            {!finished && left === 0 && (
              <footer className="pay-actions">
                {closeQueued ? (
                  <p className="pay-muted">Closing is waiting to send.</p>
                ) : (
                  <>
                    <p className="pay-actions__sum">
                      <span>{pendingAmount > 0 ? "All paid once the waiting payment is sent" : "All paid"}</span>
                    </p>
                    <Button
                      variant="primary"
                      size="large"
                      block
                      busy={busy === "close"}
                      onClick={() => void close()}
                      data-testid="close-order"
                    >
                      Close the order
                    </Button>
                  </>
                )}
              </footer>
            )}
          </>
        )}
      </main>
    </div>
  );
}
