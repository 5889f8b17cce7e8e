// The order screen: the menu to take an order, the draft of the next round, and what was already sent.
import { ApiError, type Order, type OrderItem, type OrderItemCreate, type Product, type Schemas } from "@tavolo/api";
import { Banner, Button, Spinner, formatMoney } from "@tavolo/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useLocation } from "wouter";
import { discard, useOrderIdFor, useOutbox, type OutboxEntry } from "../../../lib/outbox";
import { useConnection } from "../../../lib/connection";
import { useUser } from "../../../lib/session";
import { useCurrency } from "../../../lib/site";
import { useOrdersPaused } from "../../../shared/license";
import { dueAfterQueuedPayments, entriesOfOrder, queuedPaymentItemIds } from "../../../shared/queued-payments";
import { useCategories, useOrder, useProductIndex, useProducts, useTables } from "../api/queries";
import { moveDraft, useDraft } from "../hooks/use-draft";
import { useFireCourse } from "../hooks/use-fire-course";
import { useSendDraft } from "../hooks/use-send-draft";
import { coursesToHold, heldCourses, queuedFireCourse } from "../model/courses";
import { addToDraft, bumpQuantity, draftQuantity, draftTotal, removeLine, replaceLine } from "../model/draft";
import { tableName } from "../model/describe";
import { isPlainProduct } from "../model/pricing";
import { DraftLines } from "./draft-lines";
import { DraftReview } from "./draft-review";
import { ExceptionSheet, type ExceptionTarget } from "./exception-sheet";
import { HeldCourses } from "./held-courses";
import { MenuPanel } from "./menu-panel";
import { OrderActions } from "./order-actions";
import { OrderHeader } from "./order-header";
import { PendingEntries } from "./pending-entries";
import { ProductSheet } from "./product-sheet";
import { SentItems } from "./sent-items";
import "./order.css";

interface SheetTarget {
  productId: number;
  /** The draft line being edited, if any. */
  lineKey?: string;
}

const EMPTY_IDS: ReadonlySet<number> = new Set();

export function OrderScreen({ orderRef }: { orderRef: string }) {
  const orderId = useOrderIdFor(orderRef);
  const [, navigate] = useLocation();
  const currency = useCurrency();
  const outbox = useOutbox();
  const orderQuery = useOrder(orderId);
  const order = orderQuery.data;
  const categories = useCategories();
  const products = useProducts();
  const productIndex = useProductIndex(products.data);
  const [lines, store] = useDraft(orderRef);
  const tables = useTables(order === undefined);
  // New items would be refused (402/423): the draft stays on the phone, the review says why it cannot go.
  const paused = useOrdersPaused();

  const [sheet, setSheet] = useState<SheetTarget | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [acting, setActing] = useState(false);
  const [exception, setException] = useState<ExceptionTarget | null>(null);
  const user = useUser();
  const queryClient = useQueryClient();
  const { reachable } = useConnection();
  const [notice, setNotice] = useState<string | null>(null);

  // An order opened offline gets its id when the open is replayed: from then on the URL names the real order.
  useEffect(() => {
    if (orderId !== null && String(orderId) !== orderRef) {
      moveDraft(orderRef, String(orderId));
      navigate(`/order/${orderId}`, { replace: true });
    }
  }, [orderId, orderRef, navigate]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 2_500);
    return () => clearTimeout(timer);
  }, [notice]);

  const pending = useMemo(() => entriesOfOrder(outbox, orderRef, orderId), [outbox, orderRef, orderId]);
  const openEntry = pending.find((entry) => entry.kind === "open");
  const pendingPayIds = useMemo(() => {
    const ids = queuedPaymentItemIds(pending);
    return ids.size ? ids : EMPTY_IDS;
  }, [pending]);

  const table = tables.data?.find((t) => (orderId !== null ? t.order_id === orderId : t.id === openEntry?.tableId));
  const tableId = order?.table_id ?? openEntry?.tableId ?? table?.id ?? pending[0]?.tableId ?? null;
  const label = order?.table_label ?? table?.label;
  const tableLabel = label !== undefined ? tableName(label) : "Order";
  const guests = order?.guests ?? (openEntry?.body as Schemas["OrderCreate"] | undefined)?.guests ?? null;

  // Queue under the ref the order's earlier writes use, so the outbox holds this round behind a refused one.
  const submitRef = pending[0]?.orderRef ?? orderRef;
  const { send, sending, sendingLines, error: sendError, clearError } = useSendDraft(store, {
    orderRef: submitRef,
    orderId,
    tableId,
    tableLabel,
  });
  const { fire, firing, error: fireError } = useFireCourse({ orderRef: submitRef, orderId, tableId, tableLabel });
  const held = useMemo(() => heldCourses(order?.items ?? []), [order?.items]);
  const fireQueuedUpTo = useMemo(() => queuedFireCourse(pending), [pending]);

  const onTap = useCallback(
    (product: Product) => {
      if (!isPlainProduct(product)) {
        setSheet({ productId: product.id });
        return;
      }
      store.set((current) => addToDraft(current, { product_id: product.id, quantity: 1, course: 1 }));
      setNotice(`Added ${product.name}`);
    },
    [store],
  );
  const onHold = useCallback((product: Product) => setSheet({ productId: product.id }), []);
  const onItemActions = useCallback((item: OrderItem) => setException({ item, mode: null }), []);
  const onBump = useCallback(
    (key: string, delta: number) => store.set((current) => bumpQuantity(current, key, delta)),
    [store],
  );
  const onRemove = useCallback((key: string) => store.set((current) => removeLine(current, key)), [store]);
  const onEdit = useCallback(
    (key: string) => {
      const line = store.get().find((l) => l.key === key);
      if (line) setSheet({ productId: line.item.product_id, lineKey: key });
    },
    [store],
  );
  const onRestore = useCallback(
    (entry: OutboxEntry) => {
      const items = (entry.body as Schemas["OrderItemsCreate"]).items;
      store.set((current) => items.reduce(addToDraft, current));
      discard(entry.id);
    },
    [store],
  );

  function onSheetSubmit(item: OrderItemCreate) {
    const key = sheet?.lineKey;
    store.set((current) => (key ? replaceLine(current, key, item) : addToDraft(current, item)));
    setSheet(null);
  }

  async function onFire(course: number) {
    const outcome = await fire(course);
    if (outcome === "done") setNotice(`Course ${course} fired`);
    else if (outcome === "queued") setNotice(`Course ${course} will be fired when the appliance is reachable`);
    else if (outcome === "held") setNotice("Not fired: see “Not sent yet”");
  }

  async function onSend() {
    const outcome = await send();
    if (outcome === "done") {
      setReviewing(false);
      setNotice("Sent to the kitchen");
    } else if (outcome === "queued") {
      setReviewing(false);
      setNotice("Saved: it will be sent when the appliance is reachable");
    } else if (outcome === "held") {
      // The refused round is listed under "Not sent yet", with its reason and a way back into the draft.
      setReviewing(false);
      setNotice("Not sent: see “Not sent yet”");
    }
  }

  const sheetProduct = sheet ? productIndex.get(sheet.productId) : undefined;
  const editedLine = sheet?.lineKey ? lines.find((line) => line.key === sheet.lineKey) : undefined;
  const quantity = draftQuantity(lines);
  const estimate = draftTotal(lines, productIndex);

  const loadError = orderQuery.error instanceof ApiError ? orderQuery.error : null;
  const finished = order?.status === "closed" || order?.status === "cancelled";
  const unknown = orderId === null && !openEntry && pending.length === 0;
  const canOrder = !finished && !loadError && !unknown;
  // Transfer, merge and move act on the floor as it is now: online only, and not past writes still queued.
  const actionsBlocked = !reachable
    ? "The appliance cannot be reached: tables can be changed once it is back."
    : pending.some((entry) => entry.state !== "failed")
      ? "Changes of this order are still waiting to be sent: wait until they have gone."
      : null;

  return (
    <div className="ord-screen">
      <OrderHeader
        tableLabel={tableLabel}
        guests={guests}
        waiterName={order?.waiter_name ?? null}
        total={order ? order.total : null}
        due={order ? dueAfterQueuedPayments(order, pending) : null}
        currency={currency}
        note={orderId === null ? "Not on the appliance yet" : null}
        onShowBill={() => document.getElementById("ord-bill")?.scrollIntoView({ behavior: "smooth" })}
      />

      <main className="ord-body">
        {unknown && (
          <Banner tone="warn" title="This order is not known">
            Its opening was discarded, or it was opened on another phone.
          </Banner>
        )}
        {loadError && (
          <Banner tone="error" title="This order cannot be shown">
            {loadError.message}
          </Banner>
        )}
        {finished && (
          <Banner tone="info" title={`This order is ${order?.status}`} />
        )}
        {orderId !== null && !order && orderQuery.isError && !loadError && (
          <Banner tone="warn" compact>
            The appliance cannot be reached: the bill shows when it is back. You can keep taking the order.
          </Banner>
        )}

        <PendingEntries entries={pending} onRestore={onRestore} />

        {order && !finished && (
          <HeldCourses
            courses={held}
            queuedUpTo={fireQueuedUpTo}
            firing={firing}
            error={fireError}
            onFire={(course) => void onFire(course)}
          />
        )}

        {canOrder &&
          (products.data && categories.data ? (
            <MenuPanel
              categories={categories.data}
              products={products.data}
              currency={currency}
              onTap={onTap}
              onHold={onHold}
            />
          ) : (
            <div className="ord-empty">
              {products.isError || categories.isError ? (
                <p className="ord-muted">The menu has not loaded yet: it appears when the appliance is reachable.</p>
              ) : (
                <Spinner label="Loading the menu" />
              )}
            </div>
          ))}

        {canOrder && (
          <DraftLines
            lines={lines}
            products={productIndex}
            menuReady={products.data !== undefined}
            currency={currency}
            onBump={onBump}
            onEdit={onEdit}
            onRemove={onRemove}
          />
        )}

        <section className="ord-section" id="ord-bill" aria-labelledby="ord-bill-title">
          <h2 className="ord-section__title" id="ord-bill-title">
            On the bill
          </h2>
          {order ? (
            <>
              <SentItems
                items={order.items}
                currency={currency}
                payPending={pendingPayIds}
                discounts={order.discounts}
                onItemActions={finished ? undefined : onItemActions}
              />
              {order.discounts.some((d) => d.item_id === null && d.removed_at === null) && (
                <ul className="ord-bill-discounts" aria-label="Discounts of the bill">
                  {order.discounts
                    .filter((d) => d.item_id === null && d.removed_at === null)
                    .map((d) => (
                      <li key={d.id} className="ord-discount" data-testid={`order-discount-${d.id}`}>
                        <span>
                          {d.kind === "comp" ? "Bill comped" : d.kind === "percent" ? `Bill ${d.value / 100}% off` : "Bill discount"}
                          : {d.reason}
                        </span>
                        <span>−{formatMoney(d.amount, currency)}</span>
                      </li>
                    ))}
                </ul>
              )}
              {!finished && order.due > 0 && (
                <div className="ord-bill-tools">
                  <Button
                    variant="secondary"
                    onClick={() => setException({ item: null, mode: "discount" })}
                    data-testid="discount-order"
                  >
                    Discount bill
                  </Button>
                </div>
              )}
              {order.paid_total > 0 && (
                <p className="ord-bill-paid">
                  Paid {formatMoney(order.paid_total, currency)} in {order.payments.length} payment
                  {order.payments.length === 1 ? "" : "s"}
                </p>
              )}
            </>
          ) : (
            <p className="ord-muted ord-empty">{orderId === null ? "Nothing sent yet." : "Loading…"}</p>
          )}
        </section>
      </main>

      <footer className="action-bar">
        {notice && (
          <p className="ord-actions__notice" role="status" aria-live="polite">
            {notice}
          </p>
        )}
        <div className="ord-actions__row">
          <Button
            variant="secondary"
            size="large"
            className="ord-acts__more"
            disabled={!order || finished}
            aria-label="More: transfer, merge, move items"
            onClick={() => setActing(true)}
            data-testid="order-actions"
          >
            ⋯
          </Button>
          <Button
            variant="secondary"
            size="large"
            disabled={orderId === null || finished}
            onClick={() => navigate(`/order/${orderId}/pay`)}
            data-testid="go-pay"
          >
            Pay
          </Button>
          <Button
            variant="primary"
            size="large"
            className="ord-actions__review"
            disabled={lines.length === 0 || !canOrder}
            onClick={() => {
              clearError();
              setReviewing(true);
            }}
            data-testid="review-draft"
          >
            {lines.length === 0 ? "Draft empty" : `Review ${quantity} · ${formatMoney(estimate, currency)}`}
          </Button>
        </div>
      </footer>

      {sheet && sheetProduct && (
        <ProductSheet
          key={`${sheet.productId}-${sheet.lineKey ?? "new"}`}
          product={sheetProduct}
          currency={currency}
          initial={editedLine?.item}
          onSubmit={onSheetSubmit}
          onClose={() => setSheet(null)}
        />
      )}
      {acting && order && (
        <OrderActions
          order={order}
          currency={currency}
          blocked={actionsBlocked}
          onClose={() => setActing(false)}
          onDone={(message) => {
            setActing(false);
            setNotice(message);
          }}
        />
      )}
      {exception && order && (
        <ExceptionSheet
          order={order}
          target={exception}
          currency={currency}
          isManager={user?.role === "manager"}
          blocked={actionsBlocked}
          onClose={() => setException(null)}
          onDone={(updated: Order, message: string) => {
            queryClient.setQueryData(["order", updated.id], updated);
            setException(null);
            setNotice(message);
          }}
        />
      )}
      {reviewing && (
        <DraftReview
          lines={sending ? sendingLines : lines}
          products={productIndex}
          currency={currency}
          tableLabel={tableLabel}
          sending={sending}
          error={sendError}
          blockedReason={
            tableId === null ? "The table of this order is not known yet; try again in a moment." : paused
          }
          heldCourses={coursesToHold(
            (sending ? sendingLines : lines).map((line) => line.item),
            // A fire still in the outbox goes before this round, so its courses will not wait.
            Math.max(order?.fired_course ?? 1, fireQueuedUpTo),
          )}
          onSend={() => void onSend()}
          onClose={() => setReviewing(false)}
        />
      )}
    </div>
  );
}
