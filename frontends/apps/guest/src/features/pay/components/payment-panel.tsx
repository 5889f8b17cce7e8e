// This phone's UPI payment: the amount, "Open UPI app" (the upi:// link, for paying on this phone), the QR for
// paying from another phone, the time left, and how it went, live. Shown until the guest is done with it, even
// after the bill closed (read back by its id, which sessionStorage keeps through a reload).
import { Banner, Button, Money, Spinner, formatMoney, useNow } from "@tavolo/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef } from "react";
import { errorCode, errorMessage } from "../../../lib/errors";
import { useStrings, type Strings } from "../../../lib/i18n";
import type { GuestPayment } from "../../../lib/types";
import { cancelPayment, paymentQueryKey, usePayment } from "../api/pay-api";
import { rememberPayment } from "../model/remembered";
import { MY_ITEMS, countdown } from "../model/share";
import { latestPayment } from "../model/status";
import { QrImage } from "./qr-image";

export interface PaymentPanelProps {
  token: string;
  currency: string;
  id: number;
  /** The bill's open and paid QRs as the socket last brought them (none once the bill closed). */
  live: readonly GuestPayment[] | undefined;
}

/** The share as the guest chose it, in their words ("My items", "1/3 of the bill"). */
export function ownShareText(t: Strings, share: string | null): string | null {
  if (share === null) return null;
  if (share === MY_ITEMS) return t.shareMine;
  if (share === "the rest") return t.shareRest;
  if (share === "an amount") return t.shareAmount;
  return /^\d+\/\d+$/.test(share) ? t.partOfBill(share) : share;
}

function statusText(t: Strings, payment: GuestPayment, currency: string): string {
  switch (payment.status) {
    case "pending":
      return t.payWaiting;
    case "paid":
      return t.payPaid(formatMoney(payment.amount, currency));
    case "overpaid":
      return t.payOverpaid;
    case "expired":
      return t.payExpired;
    case "cancelled":
      return t.payCancelled;
    case "failed":
      return t.payFailed;
  }
}

export function PaymentPanel({ token, currency, id, live }: PaymentPanelProps) {
  const t = useStrings();
  const titleId = useId();
  const queryClient = useQueryClient();
  const query = usePayment(token, id);
  const payment = latestPayment(query.data, live, id);
  const now = useNow(1_000);
  const cancel = useMutation({
    mutationFn: () => cancelPayment(token, id),
    onSuccess: (ended) => queryClient.setQueryData(paymentQueryKey(token, id), ended),
    // Paid in the same moment, perhaps: look again rather than guess.
    onError: () => void query.refetch(),
  });

  // The socket saw the bill's QRs change (this one paid, or gone from the open ones): read it now, not at the
  // next poll.
  const seen = live?.find((request) => request.id === id);
  const signal = seen ? seen.status : "absent";
  const lastSignal = useRef(signal);
  const fetchedStatus = query.data?.status;
  const { refetch } = query;
  useEffect(() => {
    if (lastSignal.current === signal) return;
    lastSignal.current = signal;
    if (fetchedStatus === "pending") void refetch();
  }, [signal, fetchedStatus, refetch]);

  // Gone (the bill closed long ago, or the code was replaced): nothing left to show.
  const gone = errorCode(query.error) === "GUEST_PAYMENT_NOT_FOUND";
  useEffect(() => {
    if (gone) rememberPayment(token, null);
  }, [gone, token]);

  const forget = () => rememberPayment(token, null);

  if (!payment) {
    return (
      <div className="g-pay__panel" data-testid="pay-panel" data-status="loading">
        {query.isError ? (
          <Banner
            tone="error"
            compact
            data-testid="pay-error"
            action={
              <button type="button" className="g-link" onClick={forget}>
                {t.close}
              </button>
            }
          >
            {errorMessage(query.error, t)}
          </Banner>
        ) : (
          <div className="g-center">
            <Spinner label={t.payLoading} />
          </div>
        )}
      </div>
    );
  }

  const pending = payment.status === "pending";
  const left = Date.parse(payment.closes_at) - now;
  const share = ownShareText(t, payment.share);
  return (
    <section
      className={`g-pay__panel g-pay__panel--${payment.status}`}
      aria-labelledby={titleId}
      data-testid="pay-panel"
      data-status={payment.status}
      data-payment-id={payment.id}
    >
      <h3 className="g-pay__panel-title" id={titleId}>
        {t.payYours}
        {share && <span className="g-pay__panel-share"> · {share}</span>}
      </h3>
      <p className="g-pay__amount">
        <Money amount={payment.amount} currency={currency} data-testid="pay-amount" />
      </p>
      {pending && payment.payload && (
        <a className="g-pay__open" href={payment.payload} data-testid="pay-open-upi">
          {t.openUpiApp}
        </a>
      )}
      <p
        className={`g-pay__status g-pay__status--${payment.status}`}
        role="status"
        data-testid="pay-status"
        data-status={payment.status}
      >
        {pending && <span className="g-pay__dot" aria-hidden="true" />}
        {statusText(t, payment, currency)}
      </p>
      {pending && (
        <p className="g-pay__expiry" data-testid="pay-expiry">
          {left > 0 ? t.payClosesIn(countdown(payment.closes_at, now)) : t.payClosing}
        </p>
      )}
      {pending && (payment.image_url || payment.payload) && (
        <figure className="g-pay__qr" data-testid="pay-qr" data-payload={payment.payload ?? undefined}>
          {payment.image_url ? (
            <img className="g-pay__qr-image" src={payment.image_url} alt={t.payQrAlt} data-testid="pay-qr-image" />
          ) : (
            <QrImage text={payment.payload ?? ""} label={t.payQrAlt} failedText={t.payQrFailed} />
          )}
          <figcaption className="g-muted">{t.payScanHint}</figcaption>
        </figure>
      )}
      {cancel.error && (
        <Banner tone="error" compact data-testid="pay-error" data-code={errorCode(cancel.error) ?? undefined}>
          {errorMessage(cancel.error, t)}
        </Banner>
      )}
      {pending ? (
        <Button
          variant="secondary"
          block
          busy={cancel.isPending}
          onClick={() => cancel.mutate()}
          data-testid="pay-cancel"
        >
          {t.payCancel}
        </Button>
      ) : payment.status === "expired" || payment.status === "cancelled" ? (
        <Button variant="primary" size="large" block onClick={forget} data-testid="pay-again">
          {t.payAgain}
        </Button>
      ) : (
        <Button variant="primary" size="large" block onClick={forget} data-testid="pay-done">
          {t.payDone}
        </Button>
      )}
    </section>
  );
}
