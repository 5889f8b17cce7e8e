// The order's payments: which part each paid, by what, the tip and the change given, and any refunds. Read-only
// for a waiter; a manager may refund part or all of a payment with a reason (online only: the appliance must
// see the manager's own session, and money going back to a guest is never queued on a phone).
import { ApiError, newIdempotencyKey, type Order, type Payment, type PaymentMethodInfo } from "@tavolo/api";
import { Banner, Button, Money, Sheet, formatMoney } from "@tavolo/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { refundPayment } from "../api/queries";
import { parseAmount } from "../model/amount";

export interface PaymentsMadeProps {
  order: Order;
  currency: string;
  methods: readonly PaymentMethodInfo[];
  isManager: boolean;
  online: boolean;
}

function what(payment: Payment): string {
  if (payment.split_part) return payment.split_part;
  const units = payment.items.reduce((sum, line) => sum + line.quantity, 0);
  if (units > 0) return `${units} item${units === 1 ? "" : "s"}`;
  return "by amount";
}

export function PaymentsMade({ order, currency, methods, isManager, online }: PaymentsMadeProps) {
  const [refunding, setRefunding] = useState<Payment | null>(null);
  if (order.payments.length === 0) return null;
  const methodName = (code: string) => methods.find((m) => m.code === code)?.name ?? code;
  return (
    <section className="pay-section" aria-label="Payments made">
      <h2 className="pay-section__title">Payments</h2>
      <ul className="pay-list">
        {order.payments.map((payment) => {
          const rest = payment.amount - payment.refunded;
          return (
            <li
              key={payment.id}
              className="pay-row pay-row--payment"
              data-testid="payment-made"
              data-method={payment.method}
              data-amount={payment.amount}
            >
              <span className="pay-row__name">
                {methodName(payment.method)} · {what(payment)}
                <span className="pay-row__note">
                  {new Date(payment.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
                  {payment.tip > 0 && ` · tip ${formatMoney(payment.tip, currency)}`}
                  {payment.change_due > 0 && ` · change ${formatMoney(payment.change_due, currency)}`}
                </span>
                {payment.refunds.map((refund) => (
                  <span key={refund.id} className="pay-row__note pay-row__refund" data-testid="payment-refund">
                    Refunded {formatMoney(refund.amount, currency)}: {refund.reason}
                  </span>
                ))}
              </span>
              <span className="pay-row__end">
                <Money className="pay-row__price" amount={payment.amount} currency={currency} />
                {isManager && rest > 0 && (
                  <Button
                    variant="ghost"
                    disabled={!online}
                    title={online ? undefined : "Refunds need the appliance"}
                    onClick={() => setRefunding(payment)}
                    data-testid={`payment-refund-${payment.id}`}
                  >
                    Refund
                  </Button>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      {refunding && (
        <RefundSheet payment={refunding} currency={currency} orderId={order.id} onClose={() => setRefunding(null)} />
      )}
    </section>
  );
}

function RefundSheet({
  payment,
  currency,
  orderId,
  onClose,
}: {
  payment: Payment;
  currency: string;
  orderId: number;
  onClose: () => void;
}) {
  const ids = useId();
  const queryClient = useQueryClient();
  const rest = payment.amount - payment.refunded;
  const [amountText, setAmountText] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per refund meant: a retry after a lost answer is answered with the first refund.
  const [key] = useState(newIdempotencyKey);
  const typed = parseAmount(amountText, currency);
  const amount = amountText.trim() === "" ? rest : typed;
  const problem =
    amount === null || amount <= 0
      ? "The amount is not an amount"
      : amount > rest
        ? `At most ${formatMoney(rest, currency)} can be refunded`
        : reason.trim() === ""
          ? "Give a reason"
          : null;

  async function submit() {
    if (problem || amount === null) return;
    setBusy(true);
    setError(null);
    try {
      const result = await refundPayment(payment.id, amount, reason.trim(), key);
      queryClient.setQueryData(["order", orderId], result.order);
      onClose();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "The appliance cannot be reached: nothing was refunded.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Sheet
      open
      onClose={onClose}
      dismissible={!busy}
      title={`Refund ${formatMoney(rest, currency)} paid by ${payment.method}?`}
      data-testid="refund-sheet"
      footer={
        <Button
          variant="danger"
          size="large"
          block
          busy={busy}
          disabled={problem !== null}
          onClick={() => void submit()}
          data-testid="refund-submit"
        >
          {problem ?? `Refund ${formatMoney(amount ?? 0, currency)}`}
        </Button>
      }
    >
      {error && (
        <Banner tone="error" title="Not refunded" data-testid="refund-error">
          {error}
        </Banner>
      )}
      <label className="pay-field" htmlFor={`${ids}-amount`}>
        <span className="pay-field__label">Amount (all of it when left blank)</span>
        <input
          id={`${ids}-amount`}
          type="text"
          inputMode="decimal"
          placeholder={formatMoney(rest, currency)}
          value={amountText}
          onChange={(event) => setAmountText(event.target.value)}
          data-testid="refund-amount"
        />
      </label>
      <label className="pay-field" htmlFor={`${ids}-reason`}>
        <span className="pay-field__label">Reason</span>
        <input
          id={`${ids}-reason`}
          type="text"
          maxLength={200}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          data-testid="refund-reason"
        />
      </label>
    </Sheet>
  );
}
