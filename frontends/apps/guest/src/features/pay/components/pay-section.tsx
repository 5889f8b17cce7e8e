// "Pay by UPI" on the order screen: who at the table is paying what (every phone sees every QR of the bill), and
// for this guest either their own payment, or the shares to choose from: their items, an even split, the rest,
// or an amount they type. Nothing is offered while the appliance says guests cannot pay (it says why).
import { NetworkError, newIdempotencyKey } from "@tavolo/api";
import { Banner, Button, Money, formatMoney } from "@tavolo/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { errorCode, errorMessage } from "../../../lib/errors";
import { useLang, useStrings, type Strings } from "../../../lib/i18n";
import { currencyDigits } from "../../../lib/money";
import type { GuestOrder, GuestPayCreate, GuestPayShare, GuestPayment } from "../../../lib/types";
import { createPayment, paymentQueryKey } from "../api/pay-api";
import { rememberPayment, useRememberedPayment } from "../model/remembered";
import {
  MY_ITEMS,
  PARTS_MAX,
  PARTS_MIN,
  clampParts,
  defaultParts,
  evenShare,
  myShare,
  payBody,
  priceShare,
  sameName,
  type ShareChoice,
} from "../model/share";
import { PaymentPanel } from "./payment-panel";
import "./pay.css";

export interface PaySectionProps {
  token: string;
  currency: string;
  nickname: string;
  order: GuestOrder | null;
}

/** Whether the order screen has anything to say about paying (a payment of this phone's is always shown). */
export function hasPayNews(order: GuestOrder | null, remembered: number | null): boolean {
  if (remembered !== null) return true;
  if (!order || order.total <= 0) return false;
  return order.due > 0 || order.payments.requests.length > 0;
}

export function PaySection({ token, currency, nickname, order }: PaySectionProps) {
  const t = useStrings();
  const lang = useLang();
  const titleId = useId();
  const remembered = useRememberedPayment(token);
  if (!hasPayNews(order, remembered)) return null;
  const payments = order?.payments;
  const others = (payments?.requests ?? []).filter((request) => request.id !== remembered);

  let body;
  if (remembered !== null) {
    body = <PaymentPanel token={token} currency={currency} id={remembered} live={payments?.requests} />;
  } else if (!order || order.due <= 0) {
    body = null;
  } else if (!order.payments.available) {
    // The appliance's reason is written for guests, in English; a Greek phone gets the same in Greek.
    body = (
      <p className="g-muted" data-testid="pay-unavailable">
        {lang === "en" && order.payments.reason ? order.payments.reason : t.payUnavailable}
      </p>
    );
  } else if (order.payments.open_for <= 0) {
    body = (
      <p className="g-muted" data-testid="pay-all-asked">
        {t.payAllAsked}
      </p>
    );
  } else {
    body = <ShareChooser token={token} currency={currency} nickname={nickname} order={order} />;
  }

  return (
    <section className="g-pay" aria-labelledby={titleId} data-testid="pay-section">
      <h2 className="g-pay__title" id={titleId}>
        {t.payTitle}
      </h2>
      {others.length > 0 && (
        <ul className="g-payreqs" aria-label={t.payAtTable} data-testid="pay-requests">
          {others.map((request) => (
            <li
              key={request.id}
              className={`g-payreq g-payreq--${request.status}`}
              data-testid="pay-request"
              data-status={request.status}
              data-amount={request.amount}
              data-nickname={request.nickname ?? undefined}
            >
              {requestText(t, request, currency, nickname)}
            </li>
          ))}
        </ul>
      )}
      {body}
    </section>
  );
}

/** Another guest's share as the table reads it ("their items", "1/3 of the bill"). */
export function tableShareText(t: Strings, share: string | null): string | null {
  if (share === null) return null;
  if (share === MY_ITEMS) return t.theirItems;
  if (share === "the rest") return t.theRest;
  if (share === "an amount") return t.anAmount;
  return /^\d+\/\d+$/.test(share) ? t.partOfBill(share) : share;
}

/** "Ann is paying ₹550 (their items)", "You paid ₹550", "UPI QR shown by the waiter · ₹900". */
export function requestText(t: Strings, request: GuestPayment, currency: string, nickname: string): string {
  const money = formatMoney(request.amount, currency);
  const paid = request.status === "paid" || request.status === "overpaid";
  if (!request.by_guest) return paid ? t.reqWaiterPaid(money) : t.reqWaiterPending(money);
  const share = tableShareText(t, request.share);
  if (sameName(request.nickname, nickname)) return paid ? t.reqYouPaid(money) : t.reqYouPaying(money, share);
  const who = request.nickname ?? t.aGuest;
  return paid ? t.reqPaid(who, money) : t.reqPaying(who, money, share);
}

function ShareChooser({ token, currency, nickname, order }: PaySectionProps & { order: GuestOrder }) {
  const t = useStrings();
  const ids = useId();
  const queryClient = useQueryClient();
  const [share, setShare] = useState<GuestPayShare | null>(null);
  // null: as many shares as names ordered, following the order until the guest sets it.
  const [parts, setParts] = useState<number | null>(null);
  const [amountText, setAmountText] = useState("");
  // One key per intent: a retry of the same choice after a lost answer gets the same QR back.
  const intent = useRef<{ body: string; key: string } | null>(null);

  const mine = Math.min(myShare(order, nickname).amount, order.payments.open_for);
  const effectiveParts = parts ?? defaultParts(order.items);
  const choice: ShareChoice | null = share && { share, parts: effectiveParts, amountText };
  const price = choice ? priceShare(choice, order, nickname, currency) : null;

  const create = useMutation({
    mutationFn: ({ body, key }: { body: GuestPayCreate; key: string }) => createPayment(token, body, key),
    onSuccess: (made) => {
      intent.current = null;
      queryClient.setQueryData(paymentQueryKey(token, made.id), made);
      rememberPayment(token, made.id);
    },
    onError: (error) => {
      // A refusal is an answer: the next tap is a new intent. A lost answer is retried with the same key.
      if (!(error instanceof NetworkError)) intent.current = null;
    },
  });

  function pay() {
    if (!choice || !price?.ok) return;
    const body = payBody(choice, order, nickname, currency);
    const text = JSON.stringify(body);
    if (intent.current?.body !== text) intent.current = { body: text, key: newIdempotencyKey() };
    create.mutate({ body, key: intent.current.key });
  }

  function choose(next: GuestPayShare) {
    setShare(next);
    create.reset();
  }

  const radio = (value: GuestPayShare) => ({
    type: "radio" as const,
    name: `${ids}-share`,
    value,
    checked: share === value,
    onChange: () => choose(value),
  });

  const step = (by: number) => {
    setParts(clampParts(effectiveParts + by));
    create.reset();
  };
  const digits = currencyDigits(currency);

  return (
    <div className="g-pay__choose">
      <fieldset className="g-shares">
        <legend className="g-field__label">{t.payChoose}</legend>
        {mine > 0 && (
          <div className="g-share" data-checked={share === "mine"}>
            <label className="g-share__pick" data-testid="pay-share-mine">
              <input {...radio("mine")} />
              <span className="g-share__label">{t.shareMine}</span>
              <Money
                className="g-share__amount"
                amount={mine}
                currency={currency}
                data-testid="pay-share-mine-amount"
              />
            </label>
          </div>
        )}
        <div className="g-share" data-checked={share === "even"}>
          <label className="g-share__pick" data-testid="pay-share-even">
            <input {...radio("even")} />
            <span className="g-share__label">
              {t.shareEven}
              <span className="g-share__hint" data-testid="pay-share-even-amount">
                {t.shareEach(
                  formatMoney(Math.min(evenShare(order.total, effectiveParts), order.payments.open_for), currency),
                )}
              </span>
            </span>
          </label>
          {share === "even" && (
            <div className="g-share__extra">
              <span id={`${ids}-parts`}>{t.splitBetween}</span>
              <div className="g-stepper" role="group" aria-labelledby={`${ids}-parts`}>
                <button
                  type="button"
                  className="g-stepper__button"
                  aria-label={t.fewerPeople}
                  disabled={effectiveParts <= PARTS_MIN}
                  onClick={() => step(-1)}
                  data-testid="pay-parts-minus"
                >
                  −
                </button>
                <output
                  className="g-stepper__value"
                  aria-live="polite"
                  data-testid="pay-parts"
                  data-value={effectiveParts}
                >
                  {t.people(effectiveParts)}
                </output>
                <button
                  type="button"
                  className="g-stepper__button"
                  aria-label={t.morePeople}
                  disabled={effectiveParts >= PARTS_MAX}
                  onClick={() => step(1)}
                  data-testid="pay-parts-plus"
                >
                  +
                </button>
              </div>
            </div>
          )}
        </div>
        <div className="g-share" data-checked={share === "rest"}>
          <label className="g-share__pick" data-testid="pay-share-rest">
            <input {...radio("rest")} />
            <span className="g-share__label">{t.shareRest}</span>
            <Money
              className="g-share__amount"
              amount={order.payments.open_for}
              currency={currency}
              data-testid="pay-share-rest-amount"
            />
          </label>
        </div>
        <div className="g-share" data-checked={share === "amount"}>
          <label className="g-share__pick" data-testid="pay-share-amount">
            <input {...radio("amount")} />
            <span className="g-share__label">{t.shareAmount}</span>
          </label>
          {share === "amount" && (
            <label className="g-share__extra g-field">
              <span className="g-field__label">{t.amountLabel}</span>
              <input
                type="text"
                inputMode={digits > 0 ? "decimal" : "numeric"}
                autoComplete="off"
                placeholder={digits > 0 ? `0.${"0".repeat(digits)}` : "0"}
                value={amountText}
                onChange={(event) => {
                  setAmountText(event.target.value);
                  create.reset();
                }}
                aria-invalid={price !== null && !price.ok && price.reason !== "none" ? true : undefined}
                data-testid="pay-amount-input"
              />
              {price && !price.ok && price.reason === "invalid" && (
                <span className="g-share__problem" data-testid="pay-amount-problem">
                  {t.amountInvalid}
                </span>
              )}
              {price && !price.ok && price.reason === "too-much" && (
                <span className="g-share__problem" data-testid="pay-amount-problem">
                  {t.amountTooMuch(formatMoney(order.payments.open_for, currency))}
                </span>
              )}
            </label>
          )}
        </div>
      </fieldset>
      {create.error && (
        <Banner tone="error" compact data-testid="pay-error" data-code={errorCode(create.error) ?? undefined}>
          {errorMessage(create.error, t)}
        </Banner>
      )}
      <Button
        variant="primary"
        size="large"
        block
        busy={create.isPending}
        disabled={!price?.ok}
        onClick={pay}
        data-testid="pay-create"
        data-amount={price?.ok ? price.amount : undefined}
      >
        {price?.ok ? t.payButton(formatMoney(price.amount, currency)) : t.payChooseFirst}
      </Button>
    </div>
  );
}
