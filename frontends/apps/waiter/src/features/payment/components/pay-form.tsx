// Paying one part of the bill: the method (from the appliance's list), a tip (a quick percentage of the part or
// typed), the cash handed over with the change to give back, and Pay. Holds only the waiter's choices; the
// screen around it sends them.
import type { PaymentMethodInfo } from "@tavolo/api";
import { Button, Money, formatMoney } from "@tavolo/ui";
import { useId, useRef, useState } from "react";
import { parseAmount, tipNeedsConfirmation } from "../model/amount";
import { changeDue, percentOf, type PayPart } from "../model/split";
import { MethodButton } from "./method-button";

export const TIP_PERCENTS = [0, 5, 10, 15] as const;

export interface PayRequest {
  part: PayPart;
  method: PaymentMethodInfo;
  /** Minor units. */
  tip: number;
  /** Cash handed over (cash only), minor units; null when not typed. */
  tendered: number | null;
  /** What to give back, minor units (0 without a tendered amount). */
  change: number;
}

export interface PayFormProps {
  /** What is being paid; null while nothing is chosen (`problem` says why). */
  part: PayPart | null;
  /** Why the part cannot be paid as it stands ("Choose what is paid"), shown on the Pay button. */
  problem: string | null;
  methods: readonly PaymentMethodInfo[];
  currency: string;
  busy: boolean;
  /** Resolves true when the payment was taken (sent or queued): the choices are then cleared. */
  onPay: (request: PayRequest) => Promise<boolean>;
  /** Why UPI cannot be used now; null when it can. */
  upiUnavailable: string | null;
  /** Show the UPI QR of `part` (the appliance records that payment itself). */
  onUpi: (part: PayPart) => void;
}

type TipChoice = { percent: number } | { text: string };

function payText(amount: number, tip: number, currency: string): string {
  const total = `Pay ${formatMoney(amount + tip, currency)}`;
  return tip ? `${total} (tip ${formatMoney(tip, currency)})` : total;
}

export function PayForm({ part, problem, methods, currency, busy, onPay, upiUnavailable, onUpi }: PayFormProps) {
  const ids = useId();
  const [methodCode, setMethodCode] = useState<string | null>(null);
  const [tipChoice, setTipChoice] = useState<TipChoice>({ percent: 0 });
  const [tenderedText, setTenderedText] = useState("");
  // The tip and amount the waiter was asked to confirm; any change to either asks again.
  const [askedFor, setAskedFor] = useState<string | null>(null);
  const tipInputRef = useRef<HTMLInputElement>(null);

  const amount = part?.amount ?? 0;
  const method = methods.find((m) => m.code === methodCode && m.kind !== "upi") ?? null;
  const isCash = method?.kind === "cash";
  const tip = "percent" in tipChoice ? percentOf(amount, tipChoice.percent) : parseAmount(tipChoice.text, currency);
  const tendered = isCash ? parseAmount(tenderedText, currency) : 0;
  const tenderedGiven = isCash && tenderedText.trim() !== "" && tendered !== null;
  const change = tenderedGiven && tip !== null ? changeDue(tendered, amount, tip) : null;
  const tipKey = tip === null ? null : `${tip}/${amount}`;
  const askingTip = askedFor !== null && askedFor === tipKey;

  const blocker =
    problem ??
    (part === null || amount <= 0
      ? "Choose what is paid"
      : method === null
        ? "Choose how it is paid"
        : tip === null
          ? "The tip is not an amount"
          : isCash && tendered === null
            ? "The cash handed over is not an amount"
            : tenderedGiven && change === null
              ? "Not enough cash handed over"
              : null);

  async function pay(tipConfirmed = false) {
    if (blocker || part === null || method === null || tip === null) return;
    if (!tipConfirmed && tipNeedsConfirmation(tip, amount)) {
      setAskedFor(tipKey);
      return;
    }
    setAskedFor(null);
    const taken = await onPay({
      part,
      method,
      tip,
      tendered: tenderedGiven ? tendered : null,
      change: change ?? 0,
    });
    if (taken) {
      setMethodCode(null);
      setTipChoice({ percent: 0 });
      setTenderedText("");
    }
  }

  return (
    <>
      <section className="pay-section pay-form" aria-labelledby={`${ids}-how`}>
        <h2 className="pay-section__title" id={`${ids}-how`}>
          How it is paid
        </h2>
        <div className="pay-methods" role="group" aria-label="Payment method">
          {methods.map((m) => (
            <MethodButton
              key={m.code}
              method={m}
              selected={m.code === methodCode}
              onSelect={setMethodCode}
              disabled={busy}
              upi={{
                unavailable: upiUnavailable,
                noPart: part === null || amount <= 0 || problem !== null,
                onOpen: () => {
                  if (part !== null && problem === null) onUpi(part);
                },
              }}
            />
          ))}
        </div>

        <div className="pay-field" role="group" aria-labelledby={`${ids}-tip`}>
          <span className="pay-field__label" id={`${ids}-tip`}>
            Tip
          </span>
          <div className="pay-chips">
            {TIP_PERCENTS.map((percent) => {
              const pressed = "percent" in tipChoice && tipChoice.percent === percent;
              return (
                <button
                  key={percent}
                  type="button"
                  className="pay-chip"
                  aria-pressed={pressed}
                  onClick={() => setTipChoice({ percent })}
                  data-testid={`pay-tip-${percent}`}
                >
                  {percent === 0 ? "No tip" : `${percent}%`}
                  {percent > 0 && amount > 0 && (
                    <span className="pay-chip__sub">{formatMoney(percentOf(amount, percent), currency)}</span>
                  )}
                </button>
              );
            })}
            <label className="pay-tip">
              <span className="visually-hidden">Other tip</span>
              <input
                type="text"
                inputMode="decimal"
                placeholder="Other"
                value={"text" in tipChoice ? tipChoice.text : ""}
                aria-invalid={tip === null || undefined}
                aria-describedby={tip === null ? `${ids}-tip-error` : undefined}
                ref={tipInputRef}
                onChange={(event) => setTipChoice({ text: event.target.value })}
                data-testid="tip-input"
              />
            </label>
          </div>
          {tip === null && (
            <p className="pay-tip-error" id={`${ids}-tip-error`} data-testid="tip-error" role="alert">
              The tip is not an amount: type it like 2,50 (no spaces).
            </p>
          )}
        </div>

        {isCash && (
          <div className="pay-field">
            <label className="pay-field__label" htmlFor={`${ids}-tendered`}>
              Cash handed over
            </label>
            <input
              id={`${ids}-tendered`}
              className="pay-tendered"
              type="text"
              inputMode="decimal"
              placeholder={formatMoney(amount + (tip ?? 0), currency)}
              value={tenderedText}
              aria-invalid={(isCash && tendered === null) || undefined}
              onChange={(event) => setTenderedText(event.target.value)}
              data-testid="pay-tendered"
            />
            {tenderedGiven && change !== null && (
              <p className="pay-change" aria-live="polite">
                <span>Change</span>
                <Money amount={change} currency={currency} className="pay-change__amount" data-testid="pay-change" />
              </p>
            )}
            {tenderedGiven && change === null && tip !== null && (
              <p className="pay-tip-error" role="alert" data-testid="pay-tendered-short">
                {formatMoney(amount + tip - tendered, currency)} short of the {formatMoney(amount + tip, currency)} to
                pay.
              </p>
            )}
          </div>
        )}
      </section>

      <footer className="action-bar pay-actions">
        <p className="pay-actions__sum">
          <span>{part ? `Paying ${part.label}` : "Nothing chosen"}</span>
          <Money amount={amount} currency={currency} className="pay-actions__amount" data-testid="pay-selected-total" />
        </p>
        {change !== null && change > 0 && (
          // Repeated next to Pay, where the thumb is: the waiter counts the change out before tapping.
          <p className="pay-actions__sum pay-actions__change">
            <span>Change to give back</span>
            <Money amount={change} currency={currency} className="pay-actions__amount" />
          </p>
        )}
        {askingTip && tip !== null && (
          <div className="pay-tip-confirm" role="alert" data-testid="tip-confirm-prompt">
            <p className="pay-tip-confirm__text">
              The tip of {formatMoney(tip, currency)} is more than half of the {formatMoney(amount, currency)} being
              paid. Is that right?
            </p>
            <div className="pay-tip-confirm__row">
              <Button
                variant="secondary"
                onClick={() => {
                  setAskedFor(null);
                  tipInputRef.current?.focus();
                }}
                data-testid="tip-change"
              >
                Change the tip
              </Button>
              <Button variant="primary" busy={busy} onClick={() => void pay(true)} data-testid="tip-confirm">
                Yes, tip {formatMoney(tip, currency)}
              </Button>
            </div>
          </div>
        )}
        <Button
          variant="primary"
          size="large"
          block
          busy={busy}
          // While the tip question is open, a second tap here must not count as its answer.
          disabled={blocker !== null || askingTip}
          onClick={() => void pay()}
          data-testid="pay-submit"
        >
          {blocker ?? payText(amount, tip ?? 0, currency)}
        </Button>
      </footer>
    </>
  );
}
