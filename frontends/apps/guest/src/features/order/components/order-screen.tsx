// "Your order": what the table has ordered with each item's kitchen state (and who ordered it, for what), live,
// the bill so far, paying one's share by UPI, and the two buttons a guest needs most: call the waiter, ask for
// the bill.
import { Banner, Button, EmptyState, Money, formatMoney } from "@tavolo/ui";
import { useState } from "react";
import { errorMessage } from "../../../lib/errors";
import { useLang, useStrings } from "../../../lib/i18n";
import { useTableState } from "../../../lib/live";
import type { GuestOrderItem, GuestSubmission } from "../../../lib/types";
import { PaySection, sameName, useRememberedPayment } from "../../pay";
import { useCall, type CallKind } from "../api/order-api";
import { latestSubmission } from "../model/submission";
import "./order.css";

/** After a call, its button rests for as long as the appliance would refuse another. */
export const CALL_PAUSE_MS = 60_000;

export interface OrderScreenProps {
  token: string;
  currency: string;
  nickname: string;
}

export function OrderScreen({ token, currency, nickname }: OrderScreenProps) {
  const t = useStrings();
  const lang = useLang();
  const { order } = useTableState();
  const items = order?.items ?? [];
  const paying = useRememberedPayment(token) !== null;
  return (
    <div className="g-order" data-testid="guest-order">
      <CallButtons token={token} />
      {items.length === 0 ? (
        // A closed bill empties the order; this phone's payment is still shown below it.
        !paying && <EmptyState title={t.orderEmpty} />
      ) : (
        <ul className="g-items">
          {items.map((item) => (
            <OrderItemRow
              key={item.id}
              item={item}
              name={itemName(lang, item)}
              currency={currency}
              mine={sameName(item.nickname, nickname)}
            />
          ))}
        </ul>
      )}
      {order && order.total > 0 && (
        <dl className="g-totals" data-testid="order-totals">
          <div>
            <dt>{t.total}</dt>
            <dd data-amount={order.total}>{formatMoney(order.total, currency)}</dd>
          </div>
          {order.paid > 0 && (
            <div>
              <dt>{t.paid}</dt>
              <dd data-amount={order.paid}>{formatMoney(order.paid, currency)}</dd>
            </div>
          )}
          <div className="g-totals__due">
            <dt>{t.due}</dt>
            <dd data-testid="order-due" data-amount={order.due}>
              {formatMoney(order.due, currency)}
            </dd>
          </div>
        </dl>
      )}
      <PaySection token={token} currency={currency} nickname={nickname} order={order} />
    </div>
  );
}

function itemName(lang: "en" | "el", item: GuestOrderItem): string {
  return lang === "el" ? item.product_name : item.product_name_en || item.product_name;
}

function OrderItemRow({
  item,
  name,
  currency,
  mine,
}: {
  item: GuestOrderItem;
  name: string;
  currency: string;
  mine: boolean;
}) {
  const t = useStrings();
  const paid = item.quantity > 0 && item.paid_quantity >= item.quantity;
  return (
    <li
      className={`g-item g-item--${item.state}`}
      data-testid="order-item"
      data-state={item.state}
      data-nickname={item.nickname ?? undefined}
      data-amount={item.amount}
    >
      <span className="g-item__qty">{item.quantity}×</span>
      <span className="g-item__main">
        <span className="g-item__name">{name}</span>
        {(item.nickname || item.amount > 0) && (
          <span className="g-item__meta" data-testid="order-item-meta">
            {item.nickname && (
              <span className="g-item__who" data-testid="order-item-who">
                {mine ? `${item.nickname} (${t.you})` : item.nickname}
              </span>
            )}
            {item.nickname && item.amount > 0 && " · "}
            {item.amount > 0 && <Money amount={item.amount} currency={currency} />}
            {paid && (
              <>
                {" · "}
                <span className="g-item__paid">{t.itemPaid}</span>
              </>
            )}
          </span>
        )}
      </span>
      <span className={`g-state g-state--${item.state}`} data-testid="order-item-state">
        {t.state[item.state]}
      </span>
    </li>
  );
}

function CallButtons({ token }: { token: string }) {
  const t = useStrings();
  const call = useCall(token);
  const [resting, setResting] = useState<Partial<Record<CallKind, boolean>>>({});
  const [done, setDone] = useState<CallKind | null>(null);

  function rest(kind: CallKind) {
    setResting((current) => ({ ...current, [kind]: true }));
    setTimeout(() => setResting((current) => ({ ...current, [kind]: false })), CALL_PAUSE_MS);
  }

  function send(kind: CallKind) {
    setDone(null);
    call.mutate(kind, {
      onSuccess: () => {
        setDone(kind);
        rest(kind);
      },
      // Refused because someone at the table just called: the waiter knows; rest the button all the same.
      onError: (error) => {
        if ("status" in error && error.status === 429) rest(kind);
      },
    });
  }

  return (
    <div className="g-calls">
      <div className="g-calls__buttons">
        <Button
          size="large"
          disabled={resting.waiter || call.isPending}
          onClick={() => send("waiter")}
          data-testid="call-waiter"
        >
          {t.callWaiter}
        </Button>
        <Button
          size="large"
          disabled={resting.bill || call.isPending}
          onClick={() => send("bill")}
          data-testid="call-bill"
        >
          {t.askBill}
        </Button>
      </div>
      {done && (
        <Banner tone="info" compact data-testid="call-done">
          {done === "waiter" ? t.calledWaiter : t.askedBill}
        </Banner>
      )}
      {call.error && (
        <Banner tone="error" compact>
          {errorMessage(call.error, t)}
        </Banner>
      )}
    </div>
  );
}

/** The table's newest submission and where it stands: waiting for the waiter, in the kitchen, or refused. */
export function SubmissionStatus({ sent }: { sent: GuestSubmission | null }) {
  const t = useStrings();
  const { order } = useTableState();
  const latest = latestSubmission(order?.submissions, sent);
  const [dismissed, setDismissed] = useState<number | null>(null);
  if (!latest || dismissed === latest.id) return null;
  const tone = latest.status === "rejected" ? "error" : latest.status === "pending" ? "warn" : "info";
  const text =
    latest.status === "pending"
      ? t.submissionPending
      : latest.status === "accepted"
        ? t.submissionAccepted
        : t.submissionRejected;
  return (
    <Banner
      tone={tone}
      compact
      data-testid="submission-status"
      data-status={latest.status}
      action={
        latest.status !== "pending" && (
          <button type="button" className="g-link" onClick={() => setDismissed(latest.id)}>
            {t.close}
          </button>
        )
      }
    >
      {text}
      {latest.status === "rejected" && latest.reason && <div>{t.submissionReason(latest.reason)}</div>}
    </Banner>
  );
}
