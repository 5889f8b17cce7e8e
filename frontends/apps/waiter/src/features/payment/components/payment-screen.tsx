// The payment screen: what is left to pay, how the bill is split (whole, by items, evenly, by seat, by amount),
// paying one part at a time, and closing the order once all is paid. Payments and the close go through the
// outbox, so a Wi-Fi drop at the till loses nothing and pays nothing twice; a split is the appliance's
// (POST /split) while it can be asked, and worked out the same way on the phone while it cannot.
import {
  ApiError,
  type Order,
  type PaymentIn,
  type PaymentRecorded,
  type Schemas,
  type SplitCreate,
  type UpiRequest,
} from "@tavolo/api";
import { Banner, Button, Money, Sheet, Spinner, formatMoney } from "@tavolo/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { useConnection } from "../../../lib/connection";
import { discard, submit, useOrderIdFor, useOutbox } from "../../../lib/outbox";
import { useUser } from "../../../lib/session";
import { useCurrency } from "../../../lib/site";
import { draftQuantity, moveDraft, useDraft } from "../../../shared/order-draft";
import {
  dueAfterQueuedPayments,
  entriesOfOrder,
  queuedPaymentAmount,
  queuedSplitParts,
  queuedUnits,
} from "../../../shared/queued-payments";
import { FALLBACK_METHODS, useOrder, usePaymentMethods, useSplit } from "../api/queries";
import { unavailableText, useUpiAvailability, useUpiRequests } from "../api/upi";
import {
  evenParts,
  openEvenShares,
  seatParts,
  selectionPart,
  wholePart,
  type ListedPart,
  type PayPart,
  type SplitMode,
} from "../model/split";
import { ItemsPicker } from "./items-picker";
import { PayForm, type PayRequest } from "./pay-form";
import { PaymentsMade } from "./payments-made";
import { AmountKeypad, GuestStepper, SplitParts } from "./split-parts";
import { BillTotals } from "./bill-totals";
import { UpiPanel, type UpiPart } from "./upi-panel";
import "./payment.css";

const MODES: readonly { mode: SplitMode; label: string }[] = [
  { mode: "items", label: "By items" },
  { mode: "whole", label: "Whole bill" },
  { mode: "even", label: "Evenly" },
  { mode: "seats", label: "By seat" },
  { mode: "amount", label: "Amount" },
];

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
  const user = useUser();
  const { reachable } = useConnection();
  const queryClient = useQueryClient();
  const orderQuery = useOrder(orderId);
  const order = orderQuery.data;
  const methodsQuery = usePaymentMethods();
  const methods = methodsQuery.data ?? FALLBACK_METHODS;
  const [busy, setBusy] = useState<"pay" | "close" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [changeGiven, setChangeGiven] = useState<number | null>(null);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const [mode, setMode] = useState<SplitMode>("items");
  const [guestsChosen, setGuestsChosen] = useState<number | null>(null);
  const [selection, setSelection] = useState<ReadonlyMap<number, number>>(() => new Map());
  const [typedAmount, setTypedAmount] = useState(0);
  const [chosenPart, setChosenPart] = useState<number | null>(null);
  const [upi, setUpi] = useState<{ part: UpiPart; existing: UpiRequest | null } | null>(null);
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
  const { mine, closeQueued, failed, submitRef, unsentItems } = useMemo(() => {
    const entries = entriesOfOrder(outbox, orderRef, orderId);
    let items = 0;
    for (const entry of entries) {
      if (entry.kind !== "items") continue;
      for (const item of (entry.body as Schemas["OrderItemsCreate"]).items) items += item.quantity;
    }
    return {
      mine: entries,
      closeQueued: entries.some((entry) => entry.kind === "close" && entry.state !== "failed"),
      failed: entries.filter((entry) => entry.state === "failed"),
      // Queue under the ref the order's earlier writes use, so the outbox holds a payment behind a refused write.
      submitRef: entries[0]?.orderRef ?? orderRef,
      // Rounds still in the outbox (refused ones too): closing now would shut the order before they arrive.
      unsentItems: items,
    };
  }, [outbox, orderRef, orderId]);
  const draftItems = draftQuantity(draft);

  const queued = useMemo(() => (order ? queuedUnits(order, mine) : new Map<number, number>()), [order, mine]);
  const queuedLabels = useMemo(() => queuedSplitParts(mine), [mine]);
  const pendingAmount = order ? queuedPaymentAmount(order, mine) : 0;
  const left = order ? dueAfterQueuedPayments(order, mine) : 0;
  const guests = guestsChosen ?? Math.max(2, order?.guests ?? 2);
  const payments = useMemo(() => order?.payments ?? [], [order?.payments]);

  // The appliance splits the balance it knows; with a payment still queued that is not the balance left, so
  // the phone works the shares out itself (the same rule: both agree to the minor unit).
  const askAppliance = order !== undefined && reachable && left > 0;
  let splitBody: SplitCreate | null = null;
  if (askAppliance && mode === "even" && pendingAmount === 0) {
    splitBody = { mode: "even", parts: openEvenShares(guests, payments, queuedLabels) };
  } else if (askAppliance && mode === "seats") {
    splitBody = { mode: "seats" };
  }
  const split = useSplit(orderId ?? 0, splitBody, order ? `${order.updated_at}/${order.due}` : "");
  const serverSplit = split.data && splitBody && split.data.mode === splitBody.mode ? split.data : undefined;

  let listed: ListedPart[] | null = null;
  let fromAppliance = false;
  if (order && mode === "even") {
    const server = serverSplit && serverSplit.due === left ? serverSplit.parts : null;
    listed = evenParts(guests, left, payments, queuedLabels, server);
    fromAppliance = server !== null;
  } else if (order && mode === "seats" && serverSplit) {
    listed = seatParts(serverSplit.parts, left, payments, queuedLabels);
    fromAppliance = pendingAmount === 0;
  }
  const openParts = listed?.filter((part) => part.paid === null && part.amount > 0) ?? [];
  const current = openParts.find((part) => part.n === chosenPart) ?? openParts[0] ?? null;

  let part: PayPart | null = null;
  let problem: string | null = null;
  if (order && left > 0) {
    if (mode === "items") {
      part = selectionPart(order, selection);
      if (part.amount === 0) part = null;
      else if (part.amount > left) {
        problem = "These items come to more than what is left: pay by amount";
      }
    } else if (mode === "whole") {
      part = wholePart(order, left, queued);
    } else if (mode === "amount") {
      part = typedAmount > 0 ? { label: "an amount", amount: typedAmount, splitPart: null, items: null } : null;
      if (typedAmount > left) problem = `Only ${formatMoney(left, currency)} is left`;
    } else if (current) {
      part = { label: current.label, amount: current.amount, splitPart: current.label, items: null };
    } else if (listed) {
      problem = "Every part is paid: pay the rest as a whole";
    }
  }

  const hasUpi = methods.some((m) => m.kind === "upi" && m.is_active);
  const upiStatus = useUpiAvailability(hasUpi && reachable);
  const upiUnavailable = unavailableText(upiStatus.data, upiStatus.error, reachable);
  const upiRequests = useUpiRequests(orderId ?? 0, hasUpi && reachable && orderId !== null);
  const openQrs = (upiRequests.data ?? []).filter((r) => r.status === "pending");

  function openUpi(paying: PayPart) {
    setError(null);
    setChangeGiven(null);
    // A QR already open for this very part is shown again: a second one would ask for the same money twice.
    const existing =
      openQrs.find((r) => r.amount === paying.amount && (r.split_part ?? null) === paying.splitPart) ?? null;
    setUpi({ part: { label: paying.label, amount: paying.amount, splitPart: paying.splitPart }, existing });
  }

  const onUpiPaid = useCallback(
    (request: UpiRequest) => {
      setUpi(null);
      setNotice(`Paid ${request.split_part ?? "by UPI"}: ${formatMoney(request.amount, currency)} by UPI`);
      setSelection(new Map());
      setTypedAmount(0);
      setChosenPart(null);
      void queryClient.invalidateQueries({ queryKey: ["order", request.order_id] });
      void queryClient.invalidateQueries({ queryKey: ["upi-requests", request.order_id] });
    },
    [currency, queryClient],
  );

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
    const { part: paid, method, tip, tendered } = request;
    const body: PaymentIn = {
      method: method.code,
      tip,
      ...(paid.items ? { items: paid.items } : { amount: paid.amount }),
      ...(tendered !== null ? { tendered } : {}),
      ...(paid.splitPart ? { split_part: paid.splitPart } : {}),
    };
    const table = tableName(order.table_label);
    const which = paid.splitPart ? ` · ${paid.splitPart}` : "";
    const result = await run("pay", () =>
      submit<PaymentRecorded>({
        kind: "pay",
        orderRef: submitRef,
        tableId: order.table_id,
        path: `/api/orders/${order.id}/payments`,
        body,
        label: `Pay ${formatMoney(paid.amount + tip, currency)} ${method.name}${which} · ${table}`,
      }),
    );
    if (!result) return false;
    if (result.status === "queued" && result.entry.state === "failed") {
      // Refused, but kept (later writes of the order wait behind it): its banner above says why.
      setError(result.entry.error?.detail ?? "The appliance refused the payment.");
      return false;
    }
    let change = request.change;
    if (result.status === "done") {
      queryClient.setQueryData(["order", order.id], result.data.order);
      change = result.data.payment.change_due;
      setNotice(`Paid ${paid.label}: ${formatMoney(paid.amount, currency)} by ${method.name}`);
    } else {
      setNotice("Payment saved: it will be sent when the appliance is reachable");
    }
    setChangeGiven(change > 0 ? change : null);
    setSelection(new Map());
    setTypedAmount(0);
    setChosenPart(null);
    return true;
  }

  function chooseMode(next: SplitMode) {
    setMode(next);
    setChosenPart(null);
    setChangeGiven(null);
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
        {changeGiven !== null && !error && (
          <p className="pay-change pay-change--given" role="status">
            <span>Give back</span>
            <Money
              amount={changeGiven}
              currency={currency}
              className="pay-change__amount"
              data-testid="pay-change-given"
            />
          </p>
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

            <BillTotals totals={order.totals} currency={currency} />

            {openQrs.length > 0 && !finished && (
              <ul className="pay-list upi-open" aria-label="Open UPI QRs">
                {openQrs.map((qr) => (
                  <li key={qr.id} className="pay-row">
                    <span className="pay-row__name">
                      UPI QR open{qr.split_part ? ` · ${qr.split_part}` : ""}
                      <span className="pay-row__note">Waiting for the guest to pay</span>
                    </span>
                    <Money className="pay-row__price" amount={qr.amount} currency={currency} />
                    <Button
                      variant="secondary"
                      onClick={() =>
                        setUpi({
                          part: { label: qr.split_part ?? "UPI", amount: qr.amount, splitPart: qr.split_part },
                          existing: qr,
                        })
                      }
                      data-testid={`upi-open-${qr.id}`}
                    >
                      Show
                    </Button>
                  </li>
                ))}
              </ul>
            )}

            {finished ? (
              <Banner tone="info" title={`This order is ${order.status}`} />
            ) : (
              left > 0 && (
                <>
                  <div className="pay-modes" role="group" aria-label="How the bill is split">
                    {MODES.map(({ mode: m, label }) => (
                      <button
                        key={m}
                        type="button"
                        className="pay-chip pay-mode"
                        aria-pressed={mode === m}
                        onClick={() => chooseMode(m)}
                        data-testid={`split-mode-${m}`}
                      >
                        {label}
                      </button>
                    ))}
                  </div>

                  {mode === "items" && (
                    <ItemsPicker
                      order={order}
                      currency={currency}
                      queued={queued}
                      selection={selection}
                      onChange={setSelection}
                    />
                  )}
                  {mode === "whole" && (
                    <p className="pay-muted" data-testid="pay-whole-note">
                      One payment for everything left: {formatMoney(left, currency)}.
                    </p>
                  )}
                  {mode === "even" && (
                    <section className="pay-section" aria-label="Split evenly">
                      <GuestStepper
                        guests={guests}
                        onChange={(next) => {
                          setGuestsChosen(next);
                          setChosenPart(null);
                        }}
                      />
                      {listed && (
                        <SplitPartsBlock
                          listed={listed}
                          current={current?.n ?? null}
                          fromAppliance={fromAppliance}
                          loading={split.isFetching && !fromAppliance}
                          currency={currency}
                          methods={methods}
                          onChoose={setChosenPart}
                        />
                      )}
                    </section>
                  )}
                  {mode === "seats" && (
                    <section className="pay-section" aria-label="Split by seat">
                      {listed ? (
                        <>
                          {listed.length === 1 && listed[0]?.label === "shared" && (
                            <p className="pay-muted">No item has a seat: the bill is one shared part.</p>
                          )}
                          <SplitPartsBlock
                            listed={listed}
                            current={current?.n ?? null}
                            fromAppliance={fromAppliance}
                            loading={false}
                            currency={currency}
                            methods={methods}
                            onChoose={setChosenPart}
                          />
                        </>
                      ) : split.isError || !reachable ? (
                        <p className="pay-muted" data-testid="split-unavailable">
                          {split.error instanceof ApiError
                            ? split.error.message
                            : "Splitting by seat needs the appliance: pay by items or by amount meanwhile."}
                        </p>
                      ) : (
                        <div className="pay-center">
                          <Spinner label="Splitting by seat" />
                        </div>
                      )}
                    </section>
                  )}
                  {mode === "amount" && (
                    <AmountKeypad amount={typedAmount} max={left} currency={currency} onChange={setTypedAmount} />
                  )}

                  <PayForm
                    part={part}
                    problem={problem}
                    methods={methods}
                    currency={currency}
                    busy={busy === "pay"}
                    onPay={pay}
                    upiUnavailable={upiUnavailable}
                    onUpi={openUpi}
                  />
                </>
              )
            )}

            <PaymentsMade
              order={order}
              currency={currency}
              methods={methods}
              isManager={user?.role === "manager"}
              online={reachable}
            />

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
                      // A payment still on its way would make a tap here do nothing (one request at a time).
                      disabled={unsentItems > 0 || busy === "pay"}
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
      {upi && order && (
        <UpiPanel
          orderId={order.id}
          part={upi.part}
          existing={upi.existing}
          currency={currency}
          orderVersion={order.updated_at}
          onPaid={onUpiPaid}
          onClose={() => {
            setUpi(null);
            void queryClient.invalidateQueries({ queryKey: ["upi-requests", order.id] });
          }}
        />
      )}
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

function SplitPartsBlock(props: {
  listed: ListedPart[];
  current: number | null;
  fromAppliance: boolean;
  loading: boolean;
  currency: string;
  methods: Parameters<typeof SplitParts>[0]["methods"];
  onChoose: (n: number) => void;
}) {
  const { listed, current, fromAppliance, loading, currency, methods, onChoose } = props;
  const sum = listed.filter((p) => p.paid === null).reduce((total, p) => total + p.amount, 0);
  return (
    <div className="pay-split" data-testid="split-parts" data-source={fromAppliance ? "appliance" : "phone"}>
      <SplitParts parts={listed} chosen={current} currency={currency} methods={methods} onChoose={onChoose} />
      <p className="pay-muted pay-split__note">
        Open parts add up to {formatMoney(sum, currency)}
        {fromAppliance ? "" : loading ? " · asking the appliance…" : " · worked out on this phone"}
      </p>
    </div>
  );
}
