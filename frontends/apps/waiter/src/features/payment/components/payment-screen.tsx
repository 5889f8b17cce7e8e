// The payment screen: what is left to pay, paying some or all of it, and closing the order once all is paid.
// Payments and the close go through the outbox, so a Wi-Fi drop at the till loses nothing and pays nothing twice.
import { ApiError, type Order, type PaymentCreate, type Schemas } from "@tavolo/api";
import { Banner, Button, Money, Sheet, Spinner, formatMoney } from "@tavolo/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { discard, submit, useOrderIdFor, useOutbox } from "../../../lib/outbox";
import { useCurrency } from "../../../lib/site";
import { draftQuantity, moveDraft, useDraft } from "../../../shared/order-draft";
import {
  dueAfterQueuedPayments,
  entriesOfOrder,
  queuedPaymentAmount,
  queuedPaymentItemIds,
} from "../../../shared/queued-payments";
import { useOrder } from "../api/queries";
import { PaymentPanel, type PayRequest } from "./payment-panel";
import "./payment.css";

// Methods are codes the appliance defines (cash, card, and any a manager adds): unknown ones show their code.
const METHOD_TEXT: Partial<Record<string, string>> = { cash: "cash", card: "card" };

function itemsText(count: number): string {
  return `${count} item${count === 1 ? "" : "s"}`;
}

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
  const [confirmingClose, setConfirmingClose] = useState(false);
  const inFlight = useRef(false);
  const draftRef = orderId !== null ? String(orderId) : orderRef;
  const [draft, draftStore] = useDraft(draftRef);

  useEffect(() => {
    if (orderId !== null && String(orderId) !== orderRef) {
      // As the order screen does: the draft taken down offline follows the order to its real id.
      moveDraft(orderRef, String(orderId));
      navigate(`/order/${orderId}/pay`, { replace: true });
    }
  }, [orderId, orderRef, navigate]);

  // Recomputed only when the outbox changes, so the item rows below keep their props between polls.
  const { pendingIds, closeQueued, failed, submitRef, unsentItems } = useMemo(() => {
    const mine = entriesOfOrder(outbox, orderRef, orderId);
    let items = 0;
    for (const entry of mine) {
      if (entry.kind !== "items") continue;
      for (const item of (entry.body as Schemas["OrderItemsCreate"]).items) items += item.quantity;
    }
    return {
      pendingIds: queuedPaymentItemIds(mine),
      closeQueued: mine.some((entry) => entry.kind === "close" && entry.state !== "failed"),
      failed: mine.filter((entry) => entry.state === "failed"),
      // Queue under the ref the order's earlier writes use, so the outbox holds a payment behind a refused write.
      submitRef: mine[0]?.orderRef ?? orderRef,
      // Rounds still in the outbox (refused ones too): closing now would shut the order before they arrive.
      unsentItems: items,
    };
  }, [outbox, orderRef, orderId]);
  const draftItems = draftQuantity(draft);

  const pendingAmount = order ? queuedPaymentAmount(order, pendingIds) : 0;
  const left = order ? dueAfterQueuedPayments(order, pendingIds) : 0;

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
        label: `Pay ${formatMoney(request.amount + request.tip, currency)} ${(METHOD_TEXT[request.method] ?? request.method)} · ${table}`,
      }),
    );
    if (!result) return false;
    if (result.status === "queued" && result.entry.state === "failed") {
      // Refused, but kept (later writes of the order wait behind it): its banner above says why.
      setError(result.entry.error?.detail ?? "The appliance refused the payment.");
      return false;
    }
    if (result.status === "done") {
      queryClient.setQueryData(["order", order.id], result.data);
      setNotice(`Paid ${formatMoney(request.amount, currency)} by ${(METHOD_TEXT[request.method] ?? request.method)}`);
    } else {
      setNotice("Payment saved: it will be sent when the appliance is reachable");
    }
    return true;
  }

  async function close() {
    if (!order || unsentItems > 0) return;
    if (draftItems > 0 && !confirmingClose) {
      setConfirmingClose(true);
      return;
    }
    setConfirmingClose(false);
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
    if (result.status === "queued" && result.entry.state === "failed") {
      setError(result.entry.error?.detail ?? "The appliance refused to close the order.");
      return;
    }
    // Confirmed above: the round nobody sent must not come back on this phone for a closed order.
    draftStore.set([]);
    void queryClient.invalidateQueries({ queryKey: ["tables"] });
    navigate("/");
  }

  const backToOrder = (
    <Link
      href={`/order/${orderId ?? orderRef}`}
      className="screen-head__back"
      aria-label="Back to the order"
      data-testid="back-to-order"
    >
      ←
    </Link>
  );

  if (orderId === null) {
    return (
      <div className="pay-screen">
        <header className="screen-head">
          {backToOrder}
          <h1 className="screen-head__title">Pay</h1>
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
      <header className="screen-head">
        {backToOrder}
        <h1 className="screen-head__title">Pay · {order ? tableName(order.table_label) : "…"}</h1>
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
              <footer className="action-bar pay-actions">
                {closeQueued ? (
                  <p className="pay-muted">Closing is waiting to send.</p>
                ) : (
                  <>
                    <p className="pay-actions__sum">
                      <span>{pendingAmount > 0 ? "All paid once the waiting payment is sent" : "All paid"}</span>
                    </p>
                    {unsentItems > 0 ? (
                      <p className="pay-close-note pay-close-note--blocked" data-testid="close-blocked" role="status">
                        {itemsText(unsentItems)} {unsentItems === 1 ? "is" : "are"} still waiting to be sent. The
                        order can be closed once {unsentItems === 1 ? "it has" : "they have"} reached the appliance
                        and {unsentItems === 1 ? "is" : "are"} paid.
                      </p>
                    ) : (
                      draftItems > 0 && (
                        <p className="pay-close-note" data-testid="close-draft-warning">
                          The draft of this order holds {itemsText(draftItems)} never sent to the kitchen.{" "}
                          <Link href={`/order/${orderId}`} className="pay-close-note__link">
                            Send {draftItems === 1 ? "it" : "them"} first
                          </Link>
                        </p>
                      )
                    )}
                    <Button
                      variant="primary"
                      size="large"
                      block
                      busy={busy === "close"}
                      disabled={unsentItems > 0}
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
      {confirmingClose && (
        <Sheet
          open
          onClose={() => setConfirmingClose(false)}
          title="Close with an unsent draft?"
          data-testid="close-confirm-sheet"
          footer={
            <>
              <Button variant="secondary" size="large" onClick={() => setConfirmingClose(false)} data-testid="close-keep">
                Keep it
              </Button>
              <Button variant="danger" size="large" onClick={() => void close()} data-testid="close-confirm">
                Delete and close
              </Button>
            </>
          }
        >
          <p>
            {itemsText(draftItems)} in the draft of this order {draftItems === 1 ? "was" : "were"} never sent to the
            kitchen. Closing deletes {draftItems === 1 ? "it" : "them"} from this phone.
          </p>
        </Sheet>
      )}
    </div>
  );
}
